import type {
  BulkOperationRecord,
  CancelReason,
  FinancialStatus,
  FulfillmentOrderLineItemRecord,
  FulfillmentOrderRecord,
  FulfillmentRecord,
  FulfillmentServiceRecord,
  FulfillmentStatus,
  InventoryItemRecord,
  InventoryLevelRecord,
  LineItemRecord,
  LocationRecord,
  OrderEditRecord,
  OrderRecord,
  ProductRecord,
  ReturnRecord,
  ReverseFulfillmentOrderRecord,
  TrackingInfoRecord,
  VariantRecord,
} from './model.js';
import { type BulkTiming, resolveBulkTiming } from './bulk-timing.js';
import { parseGid } from './gid.js';
import { Merchant, type MerchantError } from './merchant.js';
import { ReturnRules } from './returns.js';
import { seedReturns } from './seed-returns.js';
import { SHOP_TIME_ZONE } from './search.js';
import {
  COVERAGE_COUNT,
  CURRENCY_BY_MARKET,
  coverageFor,
  IdSequence,
  LOCATION_IDS,
  type OrderSeedContext,
  orderTimes,
  type SeedCustomer,
  seedCatalog,
  seedGeneratedProducts,
  seedCustomers,
  seedFulfillmentServices,
  seedLocations,
  seedOrder,
  wholeSeconds,
  unstockedLevelKeys,
} from './seed.js';

export interface SandboxDataOptions {
  orders: number;
  seed: number;
  now: Date;
  shop: string;
  /**
   * Generated products beyond the seeded catalog (default 0): one variant each, SKU
   * `GEN-000001`…, tracked and stocked at the warehouse and the 3PL. Added after the orders are
   * seeded, so the orders of a seed stay the same whatever the count.
   */
  products?: number;
  /** How long bulk operations take (default DEFAULT_BULK_TIMING; INSTANT_BULK_TIMING for tests). */
  bulk?: Partial<BulkTiming>;
}

export interface ShopRecord {
  id: number;
  name: string;
  myshopifyDomain: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  timezoneAbbreviation: string;
  planDisplayName: string;
  shopifyPlus: boolean;
  createdAt: number;
}

/** A patch for `updateOrder`: plain fields a merchant can edit in the admin. */
export interface OrderPatch {
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  financialStatus?: FinancialStatus;
  fulfillmentStatus?: FulfillmentStatus;
  test?: boolean;
  shippingAddress?: OrderRecord['shippingAddress'];
}

/** Lines for `fulfill`: fulfillment-order line item id → quantity. Omitted = everything remaining. */
export interface FulfillRequest {
  fulfillmentOrderId: number;
  lines?: { id: number; quantity: number }[];
}

export type FulfillResult =
  | { ok: true; fulfillment: FulfillmentRecord }
  | { ok: false; errors: { field: string[]; message: string }[] };

/** Test hooks for the next bulk operation(s). */
export interface BulkHooks {
  /** The next bulk operation fails (INTERNAL_SERVER_ERROR, partial data kept) after this many objects. */
  failAfterObjects: number | null;
  /** While true, bulk operations stay RUNNING (having written nothing) until released. */
  hold: boolean;
  /** The next bulk operation stays RUNNING (having written nothing) until cancelled. */
  stuckNext: boolean;
}

const DAY = 86_400_000;

/** A hook's change the rules refused: a test set the store up wrong. */
function refusedChange(what: string, errors: MerchantError[]): Error {
  return new Error(`${what}: ${errors.map((e) => e.message).join('; ')}`);
}

/**
 * The sandbox store: everything the Admin API resolvers read and write. Deterministic for a seed.
 * Test code changes the store between CLI runs with the methods below; every change bumps the
 * order's `updatedAt` as Shopify does.
 */
export class SandboxData {
  readonly seed: number;
  readonly shop: ShopRecord;
  readonly locations: LocationRecord[];
  readonly fulfillmentServices: FulfillmentServiceRecord[];
  readonly products = new Map<number, ProductRecord>();
  readonly variants = new Map<number, VariantRecord>();
  readonly inventoryItems = new Map<number, InventoryItemRecord>();
  /** Key `${itemId}:${locationId}`. */
  readonly levels = new Map<string, InventoryLevelRecord>();
  /** Ascending by id (= by creation). */
  readonly orders: OrderRecord[] = [];
  readonly ordersById = new Map<number, OrderRecord>();
  readonly fulfillmentOrders = new Map<number, FulfillmentOrderRecord>();
  readonly fulfillments = new Map<number, FulfillmentRecord>();
  readonly bulkOperations = new Map<number, BulkOperationRecord>();
  readonly bulkHooks: BulkHooks = { failAfterObjects: null, hold: false, stuckNext: false };
  /** Queue wait and processing rate of bulk operations, in real time. */
  readonly bulkTiming: BulkTiming;
  /** Incremented on every change; caches of sorted views key on it. */
  version = 0;
  readonly ids = new IdSequence();
  /** Results of `@idempotent` mutations by key. */
  readonly idempotency = new Map<string, unknown>();
  /** Order edits begun (`CalculatedOrder`), by id. */
  readonly orderEdits = new Map<number, OrderEditRecord>();
  /** The merchant's changes, with Shopify's rules (the Admin API mutations and the hooks below). */
  readonly merchant: Merchant = new Merchant(this);
  /** Returns by id; their reverse fulfillment orders by id; reverse delivery id → its reverse fulfillment order. */
  readonly returns = new Map<number, ReturnRecord>();
  readonly reverseFulfillmentOrders = new Map<number, ReverseFulfillmentOrderRecord>();
  readonly reverseDeliveries = new Map<number, number>();
  /** Returns with Shopify's rules (the returns mutations and the hooks below). */
  readonly returnRules: ReturnRules = new ReturnRules(this);

  private readonly customers: SeedCustomer[];
  private readonly seedContext: OrderSeedContext;
  private readonly startedAt: number;
  private readonly baseNow: number;
  private frozenNow: number | null = null;

  constructor(opts: SandboxDataOptions) {
    if (!Number.isInteger(opts.orders) || opts.orders < 0)
      throw new Error('orders must be a whole number ≥ 0');
    this.seed = opts.seed >>> 0;
    this.baseNow = wholeSeconds(opts.now.getTime());
    this.startedAt = Date.now();
    this.bulkTiming = resolveBulkTiming(opts.bulk);
    const storeCreated = wholeSeconds(this.baseNow - 400 * DAY);
    const handle = opts.shop.replace(/\.myshopify\.com$/, '');
    this.shop = {
      id: 60_000_000 + (this.seed % 1_000_000),
      name: handle
        .split('-')
        .map((w) => (w ? w[0]?.toUpperCase() + w.slice(1) : w))
        .join(' '),
      myshopifyDomain: opts.shop,
      email: `owner@${handle}.example.com`,
      currencyCode: 'USD',
      ianaTimezone: SHOP_TIME_ZONE,
      timezoneAbbreviation: 'EST',
      planDisplayName: 'Basic',
      shopifyPlus: false,
      createdAt: storeCreated,
    };
    this.locations = seedLocations(storeCreated);
    this.fulfillmentServices = seedFulfillmentServices();
    const catalog = seedCatalog(this.seed, storeCreated);
    for (const p of catalog.products) this.products.set(p.id, p);
    for (const v of catalog.variants) this.variants.set(v.id, v);
    for (const i of catalog.inventoryItems) this.inventoryItems.set(i.id, i);
    for (const l of catalog.levels) this.levels.set(`${l.inventoryItemId}:${l.locationId}`, l);
    this.customers = seedCustomers(this.seed, Math.max(20, Math.min(5000, Math.ceil(opts.orders / 4))));
    this.seedContext = {
      seed: this.seed,
      now: this.baseNow,
      variants: catalog.variants,
      products: this.products,
      items: this.inventoryItems,
      stocked: new Set(this.levels.keys()),
      customers: this.customers,
      ids: this.ids,
      shippable: catalog.variants.filter((v) => !this.products.get(v.productId)?.isGiftCard),
      giftCards: catalog.variants.filter((v) => this.products.get(v.productId)?.isGiftCard),
    };
    const times = orderTimes(this.seed, opts.orders, this.baseNow);
    const coverageFrom = opts.orders - Math.min(COVERAGE_COUNT, opts.orders);
    for (let i = 0; i < opts.orders; i++) {
      const forced = i >= coverageFrom ? coverageFor(opts.orders - 1 - i) : {};
      this.insertSeeded(seedOrder(this.seedContext, i, times[i] ?? this.baseNow, forced));
    }
    // The seed's classic failure, after all generation: an item the 3PL no longer stocks.
    for (const key of unstockedLevelKeys(catalog.variants)) this.levels.delete(key);
    const extra = opts.products ?? 0;
    if (!Number.isInteger(extra) || extra < 0) throw new Error('products must be a whole number ≥ 0');
    if (extra > 0) {
      const generated = seedGeneratedProducts(this.seed, storeCreated, extra, catalog.variants.length);
      for (const p of generated.products) this.products.set(p.id, p);
      for (const v of generated.variants) this.variants.set(v.id, v);
      for (const i of generated.inventoryItems) this.inventoryItems.set(i.id, i);
      for (const l of generated.levels) this.levels.set(`${l.inventoryItemId}:${l.locationId}`, l);
    }
    // Returns last, from their own PRNG stream: every value seeded above stays as it was.
    seedReturns(this.seed, this, this.baseNow);
  }

  /** The store's clock: the `now` it was created with, moving forward in real time (or frozen). */
  now(): number {
    if (this.frozenNow !== null) return this.frozenNow;
    return wholeSeconds(this.baseNow + (Date.now() - this.startedAt));
  }

  /** Freezes (or, with null, unfreezes) the store clock used to stamp changes. */
  setNow(now: Date | null): void {
    this.frozenNow = now === null ? null : wholeSeconds(now.getTime());
  }

  private insertSeeded(seeded: ReturnType<typeof seedOrder>): void {
    this.insertOrder(seeded.order, seeded.fulfillmentOrders, seeded.fulfillments);
  }

  /** Adds a new order (numbered after the last) with its fulfillment orders and fulfillments. */
  insertOrder(
    order: OrderRecord,
    fulfillmentOrders: FulfillmentOrderRecord[],
    fulfillments: FulfillmentRecord[],
  ): void {
    this.orders.push(order);
    this.ordersById.set(order.id, order);
    for (const fo of fulfillmentOrders) this.fulfillmentOrders.set(fo.id, fo);
    for (const f of fulfillments) this.fulfillments.set(f.id, f);
    this.version++;
  }

  // ---- lookups -------------------------------------------------------------------------------

  location(id: number): LocationRecord | undefined {
    return this.locations.find((l) => l.id === id);
  }

  fulfillmentServiceForLocation(locationId: number): FulfillmentServiceRecord | undefined {
    const handle = this.location(locationId)?.fulfillmentServiceHandle;
    return handle ? this.fulfillmentServices.find((s) => s.handle === handle) : undefined;
  }

  level(itemId: number, locationId: number): InventoryLevelRecord | undefined {
    return this.levels.get(`${itemId}:${locationId}`);
  }

  levelsForItem(itemId: number): InventoryLevelRecord[] {
    const out: InventoryLevelRecord[] = [];
    for (const l of this.locations) {
      const level = this.level(itemId, l.id);
      if (level) out.push(level);
    }
    return out;
  }

  lineItem(order: OrderRecord, lineItemId: number): LineItemRecord | undefined {
    return order.lineItems.find((li) => li.id === lineItemId);
  }

  /** An order by numeric id, gid, or name (`#1001` / `1001`). */
  findOrder(ref: number | string): OrderRecord | undefined {
    if (typeof ref === 'number') return this.ordersById.get(ref);
    const byGid = parseGid(ref, 'Order');
    if (byGid !== null) return this.ordersById.get(byGid);
    const m = /^#?(\d+)$/.exec(ref.trim());
    if (!m) return undefined;
    const n = Number(m[1]);
    // Numbers are ascending by creation; try the direct slot first.
    const guess = this.orders[n - 1001];
    if (guess?.number === n) return guess;
    return this.orders.find((o) => o.number === n) ?? this.ordersById.get(n);
  }

  private mustOrder(ref: number | string): OrderRecord {
    const order = this.findOrder(ref);
    if (!order) throw new Error(`no such order: ${ref}`);
    return order;
  }

  fulfillmentOrdersOf(order: OrderRecord): FulfillmentOrderRecord[] {
    const out: FulfillmentOrderRecord[] = [];
    for (const id of order.fulfillmentOrderIds) {
      const fo = this.fulfillmentOrders.get(id);
      if (fo) out.push(fo);
    }
    return out;
  }

  fulfillmentsOf(order: OrderRecord): FulfillmentRecord[] {
    const out: FulfillmentRecord[] = [];
    for (const id of order.fulfillmentIds) {
      const f = this.fulfillments.get(id);
      if (f) out.push(f);
    }
    return out;
  }

  // ---- changes (each bumps updatedAt) ---------------------------------------------------------

  /** Stamps a change on an order: `updatedAt` moves forward, strictly. */
  touch(order: OrderRecord, at = this.now()): number {
    order.updatedAt = Math.max(at, order.updatedAt + 1000);
    this.version++;
    return order.updatedAt;
  }

  /**
   * Changes an order: the fields a merchant edits go through the merchant's rules (orderUpdate);
   * statuses and `test` are set as given (a test convenience).
   */
  updateOrder(ref: number | string, patch: OrderPatch): OrderRecord {
    const order = this.mustOrder(ref);
    const { financialStatus, fulfillmentStatus, test, ...changes } = patch;
    const result = this.merchant.updateOrder(order.id, changes);
    if (!result.ok) throw refusedChange(`cannot update ${order.name}`, result.errors);
    if (financialStatus !== undefined) order.financialStatus = financialStatus;
    if (fulfillmentStatus !== undefined) order.fulfillmentStatus = fulfillmentStatus;
    if (test !== undefined) order.test = test;
    this.touch(order);
    return order;
  }

  /** Forces `updatedAt` (e.g. to place an order inside or outside a sync window). */
  setUpdatedAt(ref: number | string, at: Date): OrderRecord {
    const order = this.mustOrder(ref);
    order.updatedAt = wholeSeconds(at.getTime());
    this.version++;
    return order;
  }

  /** Records the balance as received (orderMarkAsPaid), whatever the order's status. */
  markPaid(ref: number | string): OrderRecord {
    const order = this.mustOrder(ref);
    const result = this.merchant.markAsPaid(order.id, true);
    if (!result.ok) throw refusedChange(`cannot mark ${order.name} as paid`, result.errors);
    return order;
  }

  /**
   * Cancels an order like the admin does (orderCancel, refunding and restocking): open fulfillment
   * orders close, the order closes. An order already cancelled stays as it is.
   */
  cancelOrder(ref: number | string, reason: CancelReason = 'CUSTOMER'): OrderRecord {
    const order = this.mustOrder(ref);
    if (order.cancelledAt !== null) return order;
    const result = this.merchant.cancelOrder(order.id, { reason, refund: true, restock: true });
    if (!result.ok) throw refusedChange(`cannot cancel ${order.name}`, result.errors);
    return order;
  }

  /**
   * Adds a new order created now (or at `createdAt`), numbered after the last one. Lines and
   * statuses come from the seed unless given. With `lines`, the order holds exactly those SKUs
   * (the first variant with each SKU), each assigned to `locationId` (default: the warehouse),
   * one open fulfillment order per location, nothing fulfilled yet.
   */
  addOrder(
    partial: {
      createdAt?: Date;
      financialStatus?: FinancialStatus;
      fulfillmentStatus?: FulfillmentStatus;
      email?: string | null;
      test?: boolean;
      /** 'USD' (the shop's), 'EUR' or 'CAD'. */
      presentmentCurrency?: 'USD' | 'EUR' | 'CAD';
      lines?: { sku: string; quantity: number; locationId?: number }[];
    } = {},
  ): OrderRecord {
    const index = this.orders.length;
    const last = this.orders[this.orders.length - 1];
    let createdAt = wholeSeconds(partial.createdAt?.getTime() ?? this.now());
    if (last && createdAt <= last.createdAt && partial.createdAt === undefined)
      createdAt = last.createdAt + 1000;
    const seeded = seedOrder({ ...this.seedContext, now: this.now() }, index, createdAt, {
      financial: partial.financialStatus ?? 'PAID',
      fulfillment: partial.lines ? 'UNFULFILLED' : (partial.fulfillmentStatus ?? 'UNFULFILLED'),
      cancelled: false,
    });
    const order = seeded.order;
    const lastNumber = last?.number ?? 1000;
    order.number = lastNumber + 1;
    order.name = `#${order.number}`;
    order.updatedAt = createdAt;
    if (partial.email !== undefined) order.email = partial.email;
    if (partial.test !== undefined) order.test = partial.test;
    if (partial.presentmentCurrency !== undefined) {
      const market =
        partial.presentmentCurrency === 'EUR' ? 'DE' : partial.presentmentCurrency === 'CAD' ? 'CA' : 'US';
      const currency = CURRENCY_BY_MARKET[market];
      order.presentmentCurrency = currency.code;
      order.presentmentRate = currency.rate;
      order.taxRate = currency.tax;
    }
    if (partial.lines) {
      // The lines given, placed as orderCreate places them; the buyer and shipping from the seed.
      const result = this.merchant.createOrder({
        lines: partial.lines.map((line) => {
          const variant = [...this.variants.values()].find((v) => v.sku === line.sku);
          if (!variant) throw new Error(`no variant with SKU ${line.sku}`);
          return {
            variantId: variant.id,
            quantity: line.quantity,
            ...(line.locationId !== undefined ? { locationId: line.locationId } : {}),
          };
        }),
        customer: order.customer,
        email: order.email,
        phone: order.phone,
        test: order.test,
        shippingAddress: order.shippingAddress ?? order.billingAddress,
        billingAddress: order.billingAddress,
        shippingLine: order.shippingLine,
        presentmentCurrency: order.presentmentCurrency,
        financialStatus: order.financialStatus,
        createdAt,
      });
      if (!result.ok) throw refusedChange('cannot add the order', result.errors);
      return result.order;
    }
    this.insertSeeded(seeded);
    return order;
  }

  /**
   * Puts a fulfillment order on hold (fulfillmentOrderHold), or with `reason: null` releases its
   * holds (fulfillmentOrderReleaseHold; one not on hold stays as it is).
   */
  holdFulfillmentOrder(foId: number, reason: string | null = 'OTHER'): FulfillmentOrderRecord {
    const fo = this.fulfillmentOrders.get(foId);
    if (!fo) throw new Error(`no such fulfillment order: ${foId}`);
    if (reason === null && fo.status !== 'ON_HOLD') return fo;
    const result = reason === null ? this.merchant.releaseHold(foId) : this.merchant.hold(foId, { reason });
    if (!result.ok) throw refusedChange(`cannot hold fulfillment order ${foId}`, result.errors);
    return fo;
  }

  /**
   * Creates one fulfillment across fulfillment orders of a single order (Shopify's rules:
   * quantities ≤ remaining, fulfillable statuses only). Used by `fulfillmentCreate` and by tests.
   */
  fulfill(
    requests: FulfillRequest[],
    tracking: TrackingInfoRecord[] = [],
    notifyCustomer = false,
  ): FulfillResult {
    const errors: { field: string[]; message: string }[] = [];
    if (requests.length === 0) {
      return {
        ok: false,
        errors: [{ field: ['fulfillment'], message: 'Line items by fulfillment order must not be empty.' }],
      };
    }
    const plan: {
      fo: FulfillmentOrderRecord;
      lines: { foli: FulfillmentOrderLineItemRecord; qty: number }[];
    }[] = [];
    let orderId: number | null = null;
    requests.forEach((req, r) => {
      const fo = this.fulfillmentOrders.get(req.fulfillmentOrderId);
      const field = ['fulfillment', 'lineItemsByFulfillmentOrder', String(r), 'fulfillmentOrderId'];
      if (!fo) {
        errors.push({ field, message: 'Fulfillment order does not exist.' });
        return;
      }
      if (orderId !== null && fo.orderId !== orderId) {
        errors.push({ field, message: 'All fulfillment orders must belong to the same order.' });
        return;
      }
      orderId = fo.orderId;
      if (!['OPEN', 'IN_PROGRESS'].includes(fo.status)) {
        errors.push({
          field,
          message: `Fulfillment order ${req.fulfillmentOrderId} has an unfulfillable status= ${fo.status.toLowerCase()}.`,
        });
        return;
      }
      const lines: { foli: FulfillmentOrderLineItemRecord; qty: number }[] = [];
      const order = this.ordersById.get(fo.orderId);
      // Shopify refuses to fulfil an item from a location that does not stock it.
      const notStocked = (foli: FulfillmentOrderLineItemRecord): string | null => {
        const li = order ? this.lineItem(order, foli.lineItemId) : undefined;
        const variant = li?.variantId == null ? undefined : this.variants.get(li.variantId);
        const item = variant ? this.inventoryItems.get(variant.inventoryItemId) : undefined;
        if (!li || !item?.tracked || this.level(item.id, fo.locationId)) return null;
        const title = li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title;
        const where = this.location(fo.locationId)?.name ?? `location ${fo.locationId}`;
        return `${title}${li.sku ? ` (${li.sku})` : ''} is not stocked at ${where}.`;
      };
      if (req.lines === undefined || req.lines.length === 0) {
        for (const foli of fo.lineItems) {
          if (foli.remainingQuantity <= 0) continue;
          const refused = notStocked(foli);
          if (refused) errors.push({ field, message: refused });
          else lines.push({ foli, qty: foli.remainingQuantity });
        }
      } else {
        req.lines.forEach((line, k) => {
          const lineField = [
            'fulfillment',
            'lineItemsByFulfillmentOrder',
            String(r),
            'fulfillmentOrderLineItems',
            String(k),
          ];
          const foli = fo.lineItems.find((x) => x.id === line.id);
          if (!foli) {
            errors.push({
              field: [...lineField, 'id'],
              message: 'Fulfillment order line item does not exist.',
            });
            return;
          }
          if (
            !Number.isInteger(line.quantity) ||
            line.quantity <= 0 ||
            line.quantity > foli.remainingQuantity
          ) {
            errors.push({
              field: [...lineField, 'quantity'],
              message: `Invalid fulfillment order line item quantity requested: ${line.quantity} (remaining ${foli.remainingQuantity}).`,
            });
            return;
          }
          const refused = notStocked(foli);
          if (refused) {
            errors.push({ field: [...lineField, 'id'], message: refused });
            return;
          }
          lines.push({ foli, qty: line.quantity });
        });
      }
      if (lines.length === 0 && errors.length === 0) {
        errors.push({ field, message: 'Fulfillment order has no remaining line items to fulfill.' });
      }
      plan.push({ fo, lines });
    });
    if (errors.length > 0) return { ok: false, errors };
    const order = orderId === null ? undefined : this.ordersById.get(orderId);
    if (!order) return { ok: false, errors: [{ field: ['fulfillment'], message: 'Order does not exist.' }] };

    const at = this.touch(order);
    const fulfillment: FulfillmentRecord = {
      id: this.ids.take('fulfillment'),
      orderId: order.id,
      locationId: plan[0]?.fo.locationId ?? LOCATION_IDS.warehouse,
      name: `${order.name}-F${order.fulfillmentIds.length + 1}`,
      status: 'SUCCESS',
      createdAt: at,
      updatedAt: at,
      trackingInfo: tracking,
      notifyCustomer,
      lineItems: [],
      fulfillmentOrderIds: plan.map((p) => p.fo.id),
    };
    for (const step of plan) {
      for (const { foli, qty } of step.lines) {
        foli.remainingQuantity -= qty;
        fulfillment.lineItems.push({
          id: this.ids.take('fulfillmentLineItem'),
          lineItemId: foli.lineItemId,
          quantity: qty,
        });
      }
      step.fo.status = step.fo.lineItems.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
      const open = ['ACCEPTED', 'SUBMITTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED'].includes(
        step.fo.requestStatus,
      );
      if (step.fo.status === 'CLOSED' && open) step.fo.requestStatus = 'CLOSED';
      step.fo.updatedAt = at;
    }
    this.fulfillments.set(fulfillment.id, fulfillment);
    order.fulfillmentIds.push(fulfillment.id);
    this.recomputeFulfillmentStatus(order);
    return { ok: true, fulfillment };
  }

  /** Fulfils everything remaining on an order (a test convenience). */
  fulfillOrder(ref: number | string, tracking: TrackingInfoRecord[] = []): FulfillResult {
    const order = this.mustOrder(ref);
    const requests = this.fulfillmentOrdersOf(order)
      .filter(
        (fo) =>
          (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS') &&
          fo.lineItems.some((l) => l.remainingQuantity > 0),
      )
      .map((fo) => ({ fulfillmentOrderId: fo.id }));
    return this.fulfill(requests, tracking);
  }

  /** Derives displayFulfillmentStatus from the fulfillment orders after a change. */
  recomputeFulfillmentStatus(order: OrderRecord): void {
    const fos = this.fulfillmentOrdersOf(order);
    let total = 0;
    let remaining = 0;
    for (const fo of fos) {
      for (const li of fo.lineItems) {
        total += li.totalQuantity;
        remaining += li.remainingQuantity;
      }
    }
    const fulfilled = this.fulfillmentsOf(order).some((f) => f.status === 'SUCCESS');
    const live = fos.filter((fo) => fo.status !== 'CLOSED' && fo.status !== 'CANCELLED');
    let status: FulfillmentStatus;
    if (remaining === 0 && total > 0 && fulfilled) status = 'FULFILLED';
    else if (fulfilled) status = 'PARTIALLY_FULFILLED';
    else if (live.some((fo) => fo.status === 'ON_HOLD')) status = 'ON_HOLD';
    else if (live.some((fo) => fo.status === 'IN_PROGRESS')) status = 'IN_PROGRESS';
    else if (live.some((fo) => fo.requestStatus === 'REJECTED')) status = 'REQUEST_DECLINED';
    // A change that lifts a hold, progress or a declined request leaves the order unfulfilled;
    // statuses the fulfillment orders cannot tell (scheduled, pending, restocked) stay.
    else if (
      ['FULFILLED', 'PARTIALLY_FULFILLED', 'ON_HOLD', 'IN_PROGRESS', 'REQUEST_DECLINED'].includes(
        order.fulfillmentStatus,
      )
    )
      status = 'UNFULFILLED';
    else status = order.fulfillmentStatus;
    if (status === 'FULFILLED' && order.financialStatus === 'PAID' && order.closedAt === null)
      order.closedAt = order.updatedAt;
    order.fulfillmentStatus = status;
    this.version++;
  }

  /** A fulfillment service accepts the request on one of its fulfillment orders. */
  acceptFulfillmentRequest(
    foId: number,
  ): { ok: true; fo: FulfillmentOrderRecord } | { ok: false; message: string } {
    const fo = this.fulfillmentOrders.get(foId);
    if (!fo) return { ok: false, message: 'Fulfillment order does not exist.' };
    if (fo.requestStatus !== 'SUBMITTED')
      return {
        ok: false,
        message: `Cannot accept a fulfillment request for a fulfillment order with request status ${fo.requestStatus}.`,
      };
    fo.requestStatus = 'ACCEPTED';
    fo.status = 'IN_PROGRESS';
    fo.updatedAt = this.now();
    const order = this.ordersById.get(fo.orderId);
    if (order) {
      this.touch(order);
      this.recomputeFulfillmentStatus(order);
    }
    return { ok: true, fo };
  }

  /** A fulfillment service rejects the request on one of its fulfillment orders. */
  rejectFulfillmentRequest(
    foId: number,
  ): { ok: true; fo: FulfillmentOrderRecord } | { ok: false; message: string } {
    const fo = this.fulfillmentOrders.get(foId);
    if (!fo) return { ok: false, message: 'Fulfillment order does not exist.' };
    if (fo.requestStatus !== 'SUBMITTED')
      return {
        ok: false,
        message: `Cannot reject a fulfillment request for a fulfillment order with request status ${fo.requestStatus}.`,
      };
    fo.requestStatus = 'REJECTED';
    fo.updatedAt = this.now();
    const order = this.ordersById.get(fo.orderId);
    if (order) {
      this.touch(order);
      if (order.fulfillmentStatus === 'UNFULFILLED' || order.fulfillmentStatus === 'PENDING_FULFILLMENT')
        order.fulfillmentStatus = 'REQUEST_DECLINED';
    }
    return { ok: true, fo };
  }

  /** Replaces a fulfillment's tracking (fulfillmentTrackingInfoUpdate). */
  updateTracking(fulfillmentId: number, tracking: TrackingInfoRecord[]): FulfillmentRecord {
    const f = this.fulfillments.get(fulfillmentId);
    if (!f) throw new Error(`no such fulfillment: ${fulfillmentId}`);
    f.trackingInfo = tracking;
    f.updatedAt = this.now();
    const order = this.ordersById.get(f.orderId);
    if (order) this.touch(order);
    return f;
  }

  /** Sets quantities at a level directly (a test hook; the API path is inventorySetQuantities). */
  setInventory(
    itemId: number,
    locationId: number,
    quantities: Partial<Pick<InventoryLevelRecord, 'available' | 'committed' | 'incoming'>>,
  ): InventoryLevelRecord {
    let level = this.level(itemId, locationId);
    if (!level) {
      level = {
        id: `${locationId}?inventory_item_id=${itemId}`,
        inventoryItemId: itemId,
        locationId,
        available: 0,
        committed: 0,
        incoming: 0,
        reserved: 0,
        damaged: 0,
        updatedAt: this.now(),
      };
      this.levels.set(`${itemId}:${locationId}`, level);
    }
    Object.assign(level, quantities);
    level.updatedAt = this.now();
    this.version++;
    return level;
  }

  // ---- bulk-operation test hooks ----------------------------------------------------------------

  /** The next bulk operation fails (INTERNAL_SERVER_ERROR, with partialDataUrl) after `n` objects. */
  failNextBulkOperationAfter(n: number): void {
    this.bulkHooks.failAfterObjects = n;
  }

  /** Bulk operations started from now on stay RUNNING until `releaseBulkOperations()`. */
  holdBulkOperations(): void {
    this.bulkHooks.hold = true;
  }

  /** The next bulk operation stays RUNNING until cancelled (a job that never finishes). */
  stickNextBulkOperation(): void {
    this.bulkHooks.stuckNext = true;
  }

  releaseBulkOperations(): void {
    this.bulkHooks.hold = false;
  }
}
