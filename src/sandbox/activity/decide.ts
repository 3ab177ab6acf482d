import type { Prng } from '../data/prng.js';
import { CANCEL_REASONS, HOLD_NOTES, HOLD_REASONS, NEW_ORDER_FINANCIAL_STATUS } from './mix.js';
import type { CatalogView, FulfillmentOrderView, LineItemView, OrderView } from './reads.js';

/**
 * What the merchant decides to change, from what the store shows. Pure functions of the store's
 * answers and the tick's random stream: the same answers and stream give the same decision.
 */

/** The orders list a merchant filters the admin by before each kind of change. */
export const ORDER_SEARCH = {
  markPaid: 'status:open (financial_status:pending OR financial_status:authorized)',
  unshipped: 'status:open fulfillment_status:unshipped',
  onHold: 'status:open fulfillment_status:on_hold',
  inProgress: 'status:open fulfillment_status:in_progress',
  refundable: 'financial_status:paid OR financial_status:partially_refunded',
} as const;

export interface AddressInput {
  firstName: string;
  lastName: string;
  address1: string;
  address2: string | null;
  city: string;
  provinceCode: string;
  zip: string;
  countryCode: string;
  phone: string | null;
}

const PLACES: readonly Omit<AddressInput, 'firstName' | 'lastName' | 'phone'>[] = [
  {
    address1: '1420 NW Lovejoy St',
    address2: 'Apt 5',
    city: 'Portland',
    provinceCode: 'OR',
    zip: '97209',
    countryCode: 'US',
  },
  {
    address1: '88 Pine St',
    address2: null,
    city: 'Seattle',
    provinceCode: 'WA',
    zip: '98101',
    countryCode: 'US',
  },
  {
    address1: '2100 Guadalupe St',
    address2: 'Unit 12',
    city: 'Austin',
    provinceCode: 'TX',
    zip: '78705',
    countryCode: 'US',
  },
  {
    address1: '455 N Cityfront Plaza Dr',
    address2: null,
    city: 'Chicago',
    provinceCode: 'IL',
    zip: '60611',
    countryCode: 'US',
  },
  {
    address1: '31 Elm St',
    address2: '2nd floor',
    city: 'Burlington',
    provinceCode: 'VT',
    zip: '05401',
    countryCode: 'US',
  },
  {
    address1: '700 Larkin St',
    address2: null,
    city: 'San Francisco',
    provinceCode: 'CA',
    zip: '94109',
    countryCode: 'US',
  },
  {
    address1: '1200 Peachtree St NE',
    address2: 'Suite 300',
    city: 'Atlanta',
    provinceCode: 'GA',
    zip: '30309',
    countryCode: 'US',
  },
  {
    address1: '150 King St W',
    address2: null,
    city: 'Toronto',
    provinceCode: 'ON',
    zip: 'M5H 1J9',
    countryCode: 'CA',
  },
  {
    address1: '1055 Rue de Bleury',
    address2: 'App 4',
    city: 'Montréal',
    provinceCode: 'QC',
    zip: 'H2Z 1M9',
    countryCode: 'CA',
  },
];

const FIRST_NAMES = [
  'Ada',
  'Bruno',
  'Chloé',
  'Dev',
  'Elif',
  'Farah',
  'Gus',
  'Hana',
  'Ivo',
  'June',
  'Kofi',
  'Lena',
];
const LAST_NAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Patel',
  'Yilmaz',
  'Haddad',
  'Novak',
  'Sato',
  'Reyes',
  'Brennan',
];

const CANCELLATION_MESSAGES = [
  'The customer cancelled the order',
  'The customer changed the shipping address',
  'Shipping from another location instead',
];

const FULFILLMENT_MESSAGES = ['Please ship this order', 'Ready to ship', null];

const ONE = 100;

/** `"12.50"` × 2 → `"25.00"`, in cents so nothing is lost to floating point. */
export function multiplyMoney(amount: string, quantity: number): string {
  const cents = Math.round(Number(amount) * ONE) * quantity;
  return (cents / ONE).toFixed(2);
}

/** The trailing number of a gid: `gid://shopify/FulfillmentOrder/2201` → `2201`. */
export function gidNumber(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

function shippable(catalog: CatalogView): CatalogView['variants'] {
  return catalog.variants.filter((v) => !v.isGiftCard && v.sku !== null);
}

function distinctPicks<T>(rng: Prng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const k = Math.floor(rng.next() * pool.length);
    const [item] = pool.splice(k, 1);
    if (item !== undefined) out.push(item);
  }
  return out;
}

function pickOne<T>(rng: Prng, items: readonly T[]): T | null {
  return items.length === 0 ? null : rng.pick(items);
}

// ---- new orders --------------------------------------------------------------------------------

export interface NewOrderPlan {
  financialStatus: 'PAID' | 'PENDING';
  items: number;
  variables: { order: Record<string, unknown>; options: Record<string, unknown> };
}

/** A checkout: one to three products, a customer, an address, paid or waiting for payment. */
export function planNewOrder(catalog: CatalogView, rng: Prng): NewOrderPlan | null {
  const variants = shippable(catalog);
  if (variants.length === 0) return null;
  const lines = distinctPicks(
    rng,
    variants,
    rng.weighted([
      [1, 55],
      [2, 30],
      [3, 15],
    ] as const),
  ).map((v) => ({
    variantId: v.id,
    quantity: rng.weighted([
      [1, 70],
      [2, 20],
      [3, 10],
    ] as const),
  }));
  const financialStatus = rng.weighted(NEW_ORDER_FINANCIAL_STATUS);
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const place = rng.pick(PLACES);
  const email = `${firstName}.${lastName}@example.com`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const address = { firstName, lastName, ...place, phone: null };
  return {
    financialStatus,
    items: lines.reduce((sum, line) => sum + line.quantity, 0),
    variables: {
      order: {
        email,
        financialStatus,
        lineItems: lines,
        shippingAddress: address,
        billingAddress: address,
        shippingLines: [
          {
            title: 'Standard Shipping',
            code: 'STANDARD',
            source: 'shopify',
            priceSet: { shopMoney: { amount: '5.99', currencyCode: 'USD' } },
          },
        ],
      },
      // Stock is committed as at a real checkout, even when it runs short.
      options: { inventoryBehaviour: 'DECREMENT_IGNORING_POLICY', sendReceipt: false },
    },
  };
}

// ---- order-level changes ------------------------------------------------------------------------

/** An order waiting for its payment, to capture. */
export function pickOrderToMarkPaid(orders: readonly OrderView[], rng: Prng): OrderView | null {
  return pickOne(
    rng,
    orders.filter(
      (o) => !o.cancelled && ['PENDING', 'AUTHORIZED', 'PARTIALLY_PAID'].includes(o.financialStatus),
    ),
  );
}

function nothingShipped(order: OrderView): boolean {
  return order.fulfillmentOrders.every((fo) =>
    fo.lineItems.every((li) => li.remainingQuantity === li.totalQuantity),
  );
}

function withService(order: OrderView): boolean {
  return order.fulfillmentOrders.some((fo) =>
    ['SUBMITTED', 'ACCEPTED', 'CANCELLATION_REQUESTED'].includes(fo.requestStatus),
  );
}

export interface AddressChangePlan {
  order: OrderView;
  address: AddressInput;
}

/** The customer writes in with a new shipping address before anything has shipped. */
export function planAddressChange(orders: readonly OrderView[], rng: Prng): AddressChangePlan | null {
  const order = pickOne(
    rng,
    orders.filter((o) => !o.cancelled && o.shipTo !== null && nothingShipped(o)),
  );
  if (!order) return null;
  const place = rng.pick(PLACES);
  return {
    order,
    address: {
      firstName: order.shipTo?.firstName ?? rng.pick(FIRST_NAMES),
      lastName: order.shipTo?.lastName ?? rng.pick(LAST_NAMES),
      ...place,
      phone: null,
    },
  };
}

/** An order the merchant may still edit: open, nothing shipped, not in a fulfillment service's hands. */
export function pickOrderToEdit(orders: readonly OrderView[], rng: Prng): OrderView | null {
  return pickOne(
    rng,
    orders.filter(
      (o) =>
        !o.cancelled &&
        nothingShipped(o) &&
        !withService(o) &&
        o.lineItems.some((li) => li.currentQuantity > 0),
    ),
  );
}

export interface CalculatedLineView {
  id: string;
  quantity: number;
  sku: string | null;
}

export interface QuantityEditPlan {
  line: CalculatedLineView;
  quantity: number;
}

/** One more or one fewer of a line; a single unit is sometimes removed, sometimes doubled. */
export function planQuantityEdit(lines: readonly CalculatedLineView[], rng: Prng): QuantityEditPlan | null {
  const line = pickOne(
    rng,
    lines.filter((l) => l.quantity > 0),
  );
  if (!line) return null;
  const more = line.quantity === 1 ? rng.chance(0.6) : rng.chance(0.5);
  return { line, quantity: more ? line.quantity + 1 : line.quantity - 1 };
}

export interface AddVariantPlan {
  variantId: string;
  sku: string;
  quantity: number;
}

/** A product the order does not hold yet (the customer adds to the order by phone). */
export function planAddVariant(
  lines: readonly CalculatedLineView[],
  catalog: CatalogView,
  rng: Prng,
): AddVariantPlan | null {
  const held = new Set(lines.filter((l) => l.quantity > 0).map((l) => l.sku));
  const variant = pickOne(
    rng,
    shippable(catalog).filter((v) => !held.has(v.sku)),
  );
  if (!variant?.sku) return null;
  return {
    variantId: variant.id,
    sku: variant.sku,
    quantity: rng.weighted([
      [1, 80],
      [2, 20],
    ] as const),
  };
}

export interface CancelPlan {
  order: OrderView;
  reason: string;
  refund: boolean;
  restock: boolean;
  staffNote: string;
}

/** An open order nothing of which has shipped, cancelled for one of Shopify's reasons. */
export function planCancel(orders: readonly OrderView[], rng: Prng): CancelPlan | null {
  const order = pickOne(
    rng,
    orders.filter((o) => !o.cancelled && nothingShipped(o)),
  );
  if (!order) return null;
  const reason = rng.weighted(CANCEL_REASONS);
  return {
    order,
    reason,
    refund: ['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED'].includes(order.financialStatus),
    restock: true,
    staffNote: `Cancelled: ${reason.toLowerCase()}`,
  };
}

export interface RefundPlan {
  order: OrderView;
  line: LineItemView;
  quantity: number;
  amount: string;
  restockType: 'CANCEL' | 'NO_RESTOCK';
  /** Where cancelled units go back to stock. */
  locationId: string | null;
}

/** A unit of a paid order refunded: restocked when it had not shipped yet. */
export function planRefund(orders: readonly OrderView[], rng: Prng): RefundPlan | null {
  const order = pickOne(
    rng,
    orders.filter(
      (o) =>
        !o.cancelled &&
        ['PAID', 'PARTIALLY_REFUNDED'].includes(o.financialStatus) &&
        o.lineItems.some((li) => li.refundableQuantity > 0),
    ),
  );
  if (!order) return null;
  const line = rng.pick(order.lineItems.filter((li) => li.refundableQuantity > 0));
  const quantity = 1;
  const unshipped = line.unfulfilledQuantity > 0;
  const holding = order.fulfillmentOrders.find(
    (fo) => fo.status !== 'CLOSED' && fo.lineItems.some((li) => li.remainingQuantity > 0),
  );
  return {
    order,
    line,
    quantity,
    amount: multiplyMoney(line.unitPrice, quantity),
    restockType: unshipped ? 'CANCEL' : 'NO_RESTOCK',
    locationId: unshipped ? (holding?.locationId ?? null) : null,
  };
}

// ---- fulfillment orders -------------------------------------------------------------------------

export interface FulfillmentOrderPlan {
  order: OrderView;
  fulfillmentOrder: FulfillmentOrderView;
}

function fulfillmentOrders(
  orders: readonly OrderView[],
  test: (fo: FulfillmentOrderView, order: OrderView) => boolean,
): FulfillmentOrderPlan[] {
  return orders.flatMap((order) =>
    order.cancelled
      ? []
      : order.fulfillmentOrders
          .filter((fo) => test(fo, order))
          .map((fulfillmentOrder) => ({ order, fulfillmentOrder })),
  );
}

function openForMerchant(fo: FulfillmentOrderView): boolean {
  return (
    fo.status === 'OPEN' &&
    (fo.requestStatus === 'UNSUBMITTED' || fo.requestStatus === 'REJECTED') &&
    fo.lineItems.some((li) => li.remainingQuantity > 0)
  );
}

export interface HoldPlan extends FulfillmentOrderPlan {
  reason: string;
  reasonNotes: string;
}

/** An open fulfillment order the merchant stops: a wrong address, stock, payment, fraud. */
export function planHold(orders: readonly OrderView[], rng: Prng): HoldPlan | null {
  const target = pickOne(rng, fulfillmentOrders(orders, openForMerchant));
  if (!target) return null;
  const reason = rng.weighted(HOLD_REASONS);
  return { ...target, reason, reasonNotes: HOLD_NOTES[reason] ?? 'On hold' };
}

/** A held fulfillment order, released. */
export function planRelease(orders: readonly OrderView[], rng: Prng): FulfillmentOrderPlan | null {
  return pickOne(
    rng,
    fulfillmentOrders(orders, (fo) => fo.status === 'ON_HOLD'),
  );
}

export interface MovePlan extends FulfillmentOrderPlan {
  location: CatalogView['locations'][number];
}

/** Untouched work moved to another active location that stocks every item of it. */
export function planMove(orders: readonly OrderView[], catalog: CatalogView, rng: Prng): MovePlan | null {
  const stockedAt = new Map(catalog.variants.map((v) => [v.id, new Set(v.locationIds)]));
  const destinations = (fo: FulfillmentOrderView) =>
    catalog.locations.filter(
      (l) =>
        l.isActive &&
        l.id !== fo.locationId &&
        fo.lineItems.every((li) => li.variantId !== null && stockedAt.get(li.variantId)?.has(l.id) === true),
    );
  const target = pickOne(
    rng,
    fulfillmentOrders(
      orders,
      (fo) =>
        openForMerchant(fo) &&
        fo.lineItems.every((li) => li.remainingQuantity === li.totalQuantity) &&
        destinations(fo).length > 0,
    ),
  );
  if (!target) return null;
  return { ...target, location: rng.pick(destinations(target.fulfillmentOrder)) };
}

export interface RequestPlan extends FulfillmentOrderPlan {
  message: string | null;
  location: CatalogView['locations'][number];
}

/** Work assigned to a fulfillment service's location, sent to the service. */
export function planFulfillmentRequest(
  orders: readonly OrderView[],
  catalog: CatalogView,
  rng: Prng,
): RequestPlan | null {
  const services = new Map(catalog.locations.filter((l) => l.isFulfillmentService).map((l) => [l.id, l]));
  const target = pickOne(
    rng,
    fulfillmentOrders(
      orders,
      (fo) => fo.status === 'OPEN' && fo.requestStatus === 'UNSUBMITTED' && services.has(fo.locationId ?? ''),
    ),
  );
  const location = target ? services.get(target.fulfillmentOrder.locationId ?? '') : undefined;
  if (!target || !location) return null;
  return { ...target, location, message: rng.pick(FULFILLMENT_MESSAGES) };
}

export interface CancellationRequestPlan extends FulfillmentOrderPlan {
  message: string;
}

/** Work a fulfillment service accepted, asked back. */
export function planCancellationRequest(
  orders: readonly OrderView[],
  rng: Prng,
): CancellationRequestPlan | null {
  const target = pickOne(
    rng,
    fulfillmentOrders(orders, (fo) => fo.requestStatus === 'ACCEPTED' && fo.status === 'IN_PROGRESS'),
  );
  return target ? { ...target, message: rng.pick(CANCELLATION_MESSAGES) } : null;
}

// ---- stock --------------------------------------------------------------------------------------

export interface StockPlan {
  inventoryItemId: string;
  sku: string;
  location: CatalogView['locations'][number];
  delta: number;
  reason: 'received' | 'correction' | 'shrinkage' | 'damaged';
}

/** A delivery received, a count corrected, a unit lost or broken. */
export function planStockAdjustment(catalog: CatalogView, rng: Prng): StockPlan | null {
  const active = new Map(catalog.locations.filter((l) => l.isActive).map((l) => [l.id, l]));
  const stocked = catalog.variants.flatMap((v) =>
    v.tracked && v.inventoryItemId && v.sku
      ? v.locationIds.flatMap((id) => {
          const location = active.get(id);
          return location
            ? [{ inventoryItemId: v.inventoryItemId as string, sku: v.sku as string, location }]
            : [];
        })
      : [],
  );
  const target = pickOne(rng, stocked);
  if (!target) return null;
  const reason = rng.weighted([
    ['received', 45],
    ['correction', 25],
    ['shrinkage', 20],
    ['damaged', 10],
  ] as const);
  const delta =
    reason === 'received'
      ? rng.int(5, 40)
      : reason === 'correction'
        ? (rng.chance(0.5) ? 1 : -1) * rng.int(1, 5)
        : -rng.int(1, 3);
  return { ...target, delta, reason };
}
