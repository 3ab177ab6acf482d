import { ORDER_SCHEMA_VERSION, type OrderDocument, type OrderLine } from './order-document.js';
import type { DetailedOrder, MoneyBag, RawOrder } from './raw-order.js';

/** The settings that decide which orders and lines the warehouse gets, already resolved. */
export interface SelectionSettings {
  /** Lower-case financial statuses accepted (`paid`, `pending`, …). */
  financialStatuses: readonly string[];
  includePartialFulfillments: boolean;
  /** Orders created before this are not imported. */
  acceptOrdersAfter: Date | undefined;
  /** Location gid of the selected fulfillment service; undefined when `fulfillment-service` is `all`. */
  serviceLocationId: string | undefined;
  /** Location gid when `filter-by-location` is on. */
  filterLocationId: string | undefined;
  excludeEmptyOrders: boolean;
  useLocalCurrency: boolean;
}

export const SKIP_REASONS = {
  cancelled: 'cancelled before import',
  before_window: 'created before accept-orders-after',
  financial_status: 'financial status not in financial-status',
  fulfillment_status: 'fulfillment status is not importable',
  other_location: 'no fulfillment order assigned to the fulfillment location',
  no_lines: 'no lines left to ship (exclude-empty-orders)',
  not_requested:
    'the fulfillment service was not asked to fulfil it (request unsubmitted, rejected or cancelled)',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

const SHIPPABLE_FO_STATUSES = new Set(['OPEN', 'IN_PROGRESS']);

/**
 * Request statuses of a fulfillment order that make it a fulfillment service's work: requested of
 * it (or accepted, and not yet given back). Unsubmitted, rejected or cancelled work at the
 * service's location is the merchant's, not the service's.
 */
const SERVICE_WORK_REQUEST_STATUSES = new Set([
  'SUBMITTED',
  'ACCEPTED',
  'CANCELLATION_REQUESTED',
  'CANCELLATION_REJECTED',
]);

/** Whether a fulfillment order at the service's location is the service's to fulfil. */
export function requestedOfService(fo: { requestStatus: string }): boolean {
  return SERVICE_WORK_REQUEST_STATUSES.has(fo.requestStatus);
}

/** `gid://shopify/Order/123` → `123`. */
export function legacyId(gid: string): string {
  const slash = gid.lastIndexOf('/');
  return slash === -1 ? gid : gid.slice(slash + 1);
}

function pick(bag: MoneyBag | null, local: boolean): string | null {
  if (bag === null) return null;
  return (local ? bag.presentmentMoney?.amount : bag.shopMoney?.amount) ?? null;
}

/**
 * The physical lines the warehouse must ship: lines of OPEN/IN_PROGRESS fulfillment orders with
 * something left to ship, at the service's / fulfillment location when those filters are on (at
 * the service's, only work requested of it), and never gift cards or lines that need no shipping.
 */
export function selectLines(
  order: RawOrder,
  settings: SelectionSettings,
): { lines: OrderLine[]; fulfillmentOrderIds: string[]; atLocation: boolean } {
  const lines: OrderLine[] = [];
  const fulfillmentOrderIds: string[] = [];
  let atLocation = false;
  for (const fo of order.fulfillmentOrders) {
    if (!SHIPPABLE_FO_STATUSES.has(fo.status)) continue;
    const locationId = fo.assignedLocation.location?.id ?? null;
    if (settings.filterLocationId !== undefined && locationId !== settings.filterLocationId) continue;
    atLocation = true;
    if (
      settings.serviceLocationId !== undefined &&
      (locationId !== settings.serviceLocationId || !requestedOfService(fo))
    )
      continue;
    let used = false;
    for (const item of fo.lineItems) {
      if (item.remainingQuantity <= 0) continue;
      if (!item.requiresShipping || item.lineItem.isGiftCard) continue;
      used = true;
      lines.push({
        fulfillmentOrderId: fo.id,
        fulfillmentOrderLineItemId: item.id,
        lineItemId: item.lineItem.id,
        locationId,
        sku: item.sku,
        title: item.productTitle,
        variantTitle: item.variantTitle,
        quantity: item.remainingQuantity,
        unitPrice: pick(item.lineItem.discountedUnitPriceSet, settings.useLocalCurrency) ?? '0',
      });
    }
    if (used) fulfillmentOrderIds.push(fo.id);
  }
  return { lines, fulfillmentOrderIds, atLocation };
}

/**
 * The normalized document for an order and its selected lines. Only an order read with its
 * detail fields can have one (see requireDetail).
 */
export function normalizeOrder(
  order: DetailedOrder,
  shop: string,
  selected: { lines: OrderLine[]; fulfillmentOrderIds: string[] },
  useLocalCurrency: boolean,
): OrderDocument {
  const a = order.shippingAddress;
  const customerName =
    order.customer?.displayName ??
    ([a?.firstName, a?.lastName].filter((part) => part).join(' ') || a?.name || null);
  return {
    schemaVersion: ORDER_SCHEMA_VERSION,
    id: order.id,
    legacyId: legacyId(order.id),
    name: order.name,
    shop,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.processedAt,
    cancelledAt: order.cancelledAt,
    financialStatus: order.displayFinancialStatus,
    fulfillmentStatus: order.displayFulfillmentStatus,
    currency: useLocalCurrency ? order.presentmentCurrencyCode : order.currencyCode,
    customer: {
      name: customerName || null,
      email: order.email,
      phone: order.phone ?? a?.phone ?? null,
    },
    shippingAddress: a
      ? {
          name: a.name ?? ([a.firstName, a.lastName].filter((part) => part).join(' ') || null),
          company: a.company,
          address1: a.address1,
          address2: a.address2,
          city: a.city,
          province: a.province,
          provinceCode: a.provinceCode,
          zip: a.zip,
          country: a.country,
          countryCode: a.countryCodeV2,
          phone: a.phone,
        }
      : null,
    shippingMethod: order.shippingLine
      ? { title: order.shippingLine.title, code: order.shippingLine.code, source: order.shippingLine.source }
      : null,
    lines: selected.lines,
    fulfillmentOrderIds: selected.fulfillmentOrderIds,
    totals: {
      subtotal: pick(order.subtotalPriceSet, useLocalCurrency),
      shipping: pick(order.totalShippingPriceSet, useLocalCurrency) ?? '0',
      tax: pick(order.totalTaxSet, useLocalCurrency),
      total: pick(order.totalPriceSet, useLocalCurrency) ?? '0',
    },
  };
}
