import type { ActivityExecutor } from './executor.js';

/** What the activity reads about the catalog and locations (ActivityCatalog). */
export interface CatalogView {
  locations: { id: string; name: string; isActive: boolean; isFulfillmentService: boolean }[];
  variants: {
    id: string;
    sku: string | null;
    isGiftCard: boolean;
    inventoryItemId: string | null;
    tracked: boolean;
    /** Where the variant is stocked. */
    locationIds: string[];
  }[];
}

export interface LineItemView {
  id: string;
  sku: string | null;
  quantity: number;
  currentQuantity: number;
  refundableQuantity: number;
  unfulfilledQuantity: number;
  /** Shop money, as Shopify's decimal string. */
  unitPrice: string;
  currencyCode: string;
}

export interface FulfillmentOrderView {
  id: string;
  status: string;
  requestStatus: string;
  locationId: string | null;
  lineItems: {
    id: string;
    sku: string | null;
    variantId: string | null;
    remainingQuantity: number;
    totalQuantity: number;
  }[];
}

/** What the activity reads about an order before changing it (ActivityOrders). */
export interface OrderView {
  id: string;
  name: string;
  cancelled: boolean;
  financialStatus: string;
  fulfillmentStatus: string;
  shipTo: { firstName: string | null; lastName: string | null } | null;
  lineItems: LineItemView[];
  fulfillmentOrders: FulfillmentOrderView[];
}

interface Nodes<T> {
  nodes: T[];
}

interface CatalogData {
  locations: Nodes<{ id: string; name: string; isActive: boolean; isFulfillmentService: boolean }>;
  productVariants: Nodes<{
    id: string;
    sku: string | null;
    product: { isGiftCard: boolean } | null;
    inventoryItem: {
      id: string;
      tracked: boolean;
      inventoryLevels: Nodes<{ location: { id: string } | null }>;
    } | null;
  }>;
}

interface OrdersData {
  orders: Nodes<{
    id: string;
    name: string;
    cancelledAt: string | null;
    displayFinancialStatus: string | null;
    displayFulfillmentStatus: string;
    shippingAddress: { firstName: string | null; lastName: string | null } | null;
    lineItems: Nodes<{
      id: string;
      sku: string | null;
      quantity: number;
      currentQuantity: number;
      refundableQuantity: number;
      unfulfilledQuantity: number;
      discountedUnitPriceSet: { shopMoney: { amount: string; currencyCode: string } };
    }>;
    fulfillmentOrders: Nodes<{
      id: string;
      status: string;
      requestStatus: string;
      assignedLocation: { location: { id: string } | null };
      lineItems: Nodes<{
        id: string;
        sku: string | null;
        remainingQuantity: number;
        totalQuantity: number;
        variant: { id: string } | null;
      }>;
    }>;
  }>;
}

export class ActivityReadError extends Error {
  constructor(operation: string, errors: string[]) {
    super(`${operation} failed: ${errors.join('; ')}`);
    this.name = 'ActivityReadError';
  }
}

export async function readCatalog(executor: ActivityExecutor): Promise<CatalogView> {
  const result = await executor.run<CatalogData>('ActivityCatalog');
  if (!result.data || result.errors.length > 0) throw new ActivityReadError('ActivityCatalog', result.errors);
  return {
    locations: result.data.locations.nodes.map((l) => ({
      id: l.id,
      name: l.name,
      isActive: l.isActive,
      isFulfillmentService: l.isFulfillmentService,
    })),
    variants: result.data.productVariants.nodes.map((v) => ({
      id: v.id,
      sku: v.sku,
      isGiftCard: v.product?.isGiftCard === true,
      inventoryItemId: v.inventoryItem?.id ?? null,
      tracked: v.inventoryItem?.tracked === true,
      locationIds: (v.inventoryItem?.inventoryLevels.nodes ?? []).flatMap((level) =>
        level.location ? [level.location.id] : [],
      ),
    })),
  };
}

/** The newest orders (by id) matching an orders search, as the admin's filtered order list shows them. */
export async function readOrders(executor: ActivityExecutor, query: string): Promise<OrderView[]> {
  const result = await executor.run<OrdersData>('ActivityOrders', { query });
  if (!result.data || result.errors.length > 0) throw new ActivityReadError('ActivityOrders', result.errors);
  return result.data.orders.nodes.map((o) => ({
    id: o.id,
    name: o.name,
    cancelled: o.cancelledAt !== null,
    financialStatus: o.displayFinancialStatus ?? 'PENDING',
    fulfillmentStatus: o.displayFulfillmentStatus,
    shipTo: o.shippingAddress
      ? { firstName: o.shippingAddress.firstName, lastName: o.shippingAddress.lastName }
      : null,
    lineItems: o.lineItems.nodes.map((li) => ({
      id: li.id,
      sku: li.sku,
      quantity: li.quantity,
      currentQuantity: li.currentQuantity,
      refundableQuantity: li.refundableQuantity,
      unfulfilledQuantity: li.unfulfilledQuantity,
      unitPrice: li.discountedUnitPriceSet.shopMoney.amount,
      currencyCode: li.discountedUnitPriceSet.shopMoney.currencyCode,
    })),
    fulfillmentOrders: o.fulfillmentOrders.nodes.map((fo) => ({
      id: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      locationId: fo.assignedLocation.location?.id ?? null,
      lineItems: fo.lineItems.nodes.map((li) => ({
        id: li.id,
        sku: li.sku,
        variantId: li.variant?.id ?? null,
        remainingQuantity: li.remainingQuantity,
        totalQuantity: li.totalQuantity,
      })),
    })),
  }));
}
