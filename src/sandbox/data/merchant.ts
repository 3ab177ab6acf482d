/**
 * The merchant's side of the store: the changes a merchant (or the merchant's apps) makes to
 * orders, fulfillment orders and stock after checkout, with Shopify's rules. The Admin API
 * mutations (resolvers.ts) and the test hooks on SandboxData both come here, so each change has
 * one implementation. Nothing here knows about HTTP or GraphQL: inputs are plain records with
 * numeric ids, and every rule answers `{ ok: true, … }` or `{ ok: false, errors }`.
 *
 * Where Shopify's exact wording is known (from responses of real stores) it is used; the other
 * messages are plain and say what went wrong.
 */
import type {
  Address,
  CancelReason,
  CustomerRecord,
  FinancialStatus,
  FulfillmentHoldRecord,
  FulfillmentOrderLineItemRecord,
  FulfillmentOrderRecord,
  InventoryLevelRecord,
  LineItemRecord,
  OrderEditRecord,
  OrderMoneyRecord,
  OrderRecord,
  RefundRecord,
  RestockType,
  ShippingLineRecord,
  VariantRecord,
} from './model.js';
import { onHandOf } from './model.js';
import { currentQuantityOf, currentTotalOf, dollars, orderMoney, orderTotals } from './money.js';
import { CURRENCY_BY_MARKET, LOCATION_IDS, wholeSeconds } from './seed.js';
import type { SandboxData } from './store.js';

/** A user error as the payloads carry it; `code` where the payload's error type has one. */
export interface MerchantError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export type Outcome<T extends object> = ({ ok: true } & T) | { ok: false; errors: MerchantError[] };

function err(field: string[] | null, message: string, code: string | null = null): MerchantError {
  return { field, message, code };
}

function refused(...errors: MerchantError[]): { ok: false; errors: MerchantError[] } {
  return { ok: false, errors };
}

// ---- inputs ------------------------------------------------------------------------------------

/** A line of a new order: a variant, or a custom item with a title and a price. */
export interface NewOrderLine {
  variantId?: number | null;
  quantity: number;
  title?: string | null;
  variantTitle?: string | null;
  sku?: string | null;
  vendor?: string | null;
  /** Shop-currency cents per unit; the variant's price when omitted. */
  price?: number | null;
  requiresShipping?: boolean | null;
  taxable?: boolean | null;
  giftCard?: boolean | null;
  /** Handle of the fulfillment service that should fulfil the line (OrderCreateLineItemInput). */
  fulfillmentService?: string | null;
  /** Assign the line to this location instead of the store's routing (test hooks). */
  locationId?: number;
}

export interface NewOrder {
  lines: NewOrderLine[];
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  shippingAddress?: Address | null;
  billingAddress?: Address | null;
  financialStatus?: FinancialStatus | null;
  /** Payments taken at checkout (OrderCreateOrderTransactionInput), shop-currency cents. */
  transactions?: { kind: string; status: string; amount: number }[];
  /** 'USD' (the shop's), 'EUR' or 'CAD'. */
  presentmentCurrency?: string | null;
  test?: boolean | null;
  processedAt?: number | null;
  shippingLine?: ShippingLineRecord | null;
  customer?: CustomerRecord | null;
  /** Creation time (test hooks); default: now. */
  createdAt?: number;
}

export type InventoryBehaviour = 'BYPASS' | 'DECREMENT_IGNORING_POLICY' | 'DECREMENT_OBEYING_POLICY';

export interface OrderChanges {
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  shippingAddress?: Address | null;
}

export interface CancelOptions {
  reason: CancelReason;
  refund: boolean;
  restock: boolean;
  staffNote?: string | null;
}

export interface RefundInput {
  lines: {
    lineItemId: number | null;
    quantity: number;
    restockType?: RestockType | null;
    locationId?: number | null;
  }[];
  /** Money returned: amounts in shop-currency cents (NaN for an amount that is not a number). */
  transactions: { kind: string; amount: number }[];
  shipping?: { amount?: number | null; fullRefund?: boolean | null } | null;
  note?: string | null;
}

export interface LineQuantity {
  /** FulfillmentOrderLineItem id (null when the given id is not one). */
  id: number | null;
  quantity: number;
}

export interface HoldInput {
  reason: string;
  reasonNotes?: string | null;
  handle?: string | null;
  lines?: LineQuantity[] | null;
}

export interface InventoryAdjustment {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  changes: {
    inventoryItemId: number | null;
    locationId: number | null;
    delta: number;
    ledgerDocumentUri?: string | null;
  }[];
}

export interface InventoryChangeRecord {
  name: string;
  delta: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
  itemId: number;
  locationId: number;
}

/** A line of an order edit as the calculated order shows it. */
export interface CalculatedLine {
  /** The line item id (original lines) or the added line's key. */
  key: number | string;
  lineItem: LineItemRecord | null;
  variant: VariantRecord | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  unitPrice: number;
  unitDiscount: number;
  giftCard: boolean;
  /** Quantity with the staged changes; before them; units already fulfilled (not editable). */
  quantity: number;
  quantityBefore: number;
  fulfilled: number;
  restocking: boolean;
}

/** Reasons Shopify accepts for inventory changes. */
export const INVENTORY_REASONS: readonly string[] = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_canceled',
  'movement_created',
  'movement_received',
  'movement_updated',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
];

export const INVALID_REASON_MESSAGE = `The specified reason is invalid. Valid values are: ${INVENTORY_REASONS.join(', ')}.`;

/** Quantity names `inventoryAdjustQuantities` changes, and the level field each one is. */
const ADJUSTABLE: Record<string, keyof InventoryLevelRecord> = {
  available: 'available',
  damaged: 'damaged',
  incoming: 'incoming',
  quality_control: 'qualityControl',
  reserved: 'reserved',
  safety_stock: 'safetyStock',
};

const QUANTITY_LIMIT = 1_000_000_000;
const MAX_HOLDS = 10;
const OPEN_REQUEST = new Set(['SUBMITTED', 'ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']);
const SERVICE_HAS_WORK = new Set(['ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']);

function isDone(fo: FulfillmentOrderRecord): boolean {
  return fo.status === 'CLOSED' || fo.status === 'CANCELLED' || fo.status === 'INCOMPLETE';
}

function fulfilledUnits(fo: FulfillmentOrderRecord): number {
  return fo.lineItems.reduce((sum, l) => sum + l.totalQuantity - l.remainingQuantity, 0);
}

/** A Shopify-looking job id (a UUID), deterministic for the store. */
function jobUuid(n: number): string {
  return `00000000-0000-4000-8000-${(n % 1e12).toString(16).padStart(12, '0')}`;
}

export class Merchant {
  constructor(private readonly data: SandboxData) {}

  // ---- shared steps ----------------------------------------------------------------------------

  private order(id: number): OrderRecord | undefined {
    return this.data.ordersById.get(id);
  }

  private isServiceLocation(locationId: number): boolean {
    return this.data.location(locationId)?.fulfillmentServiceHandle != null;
  }

  /** Money received and refunded, recorded on the order from here on. */
  private moneyOf(order: OrderRecord): OrderMoneyRecord {
    order.money ??= { ...orderMoney(order) };
    return order.money;
  }

  /**
   * The store's default routing for a line: the warehouse when it stocks the variant (gift cards
   * and custom items always go there), else a merchant location that ships online orders and
   * stocks it, else a fulfillment service's location that stocks it.
   */
  defaultLocationFor(variant: VariantRecord | null, giftCard: boolean): number {
    if (!variant || giftCard) return LOCATION_IDS.warehouse;
    const itemId = variant.inventoryItemId;
    if (this.data.level(itemId, LOCATION_IDS.warehouse)) return LOCATION_IDS.warehouse;
    const stocking = this.data.locations.filter(
      (l) => l.isActive && l.fulfillsOnlineOrders && this.data.level(itemId, l.id) !== undefined,
    );
    const merchantManaged = stocking.find((l) => !l.fulfillmentServiceHandle);
    return (merchantManaged ?? stocking[0])?.id ?? LOCATION_IDS.warehouse;
  }

  /** A line item for a variant, priced as the catalog prices it. */
  lineItemFor(variant: VariantRecord, quantity: number, price?: number | null): LineItemRecord {
    const product = this.data.products.get(variant.productId);
    const giftCard = product?.isGiftCard === true;
    return {
      id: this.data.ids.take('lineItem'),
      variantId: variant.id,
      productId: variant.productId,
      title: product?.title ?? 'Item',
      variantTitle: variant.title === 'Default Title' ? null : variant.title,
      sku: variant.sku,
      vendor: product?.vendor ?? 'Acme',
      quantity,
      unitPrice: price ?? variant.price,
      unitDiscount: 0,
      requiresShipping: !giftCard,
      isGiftCard: giftCard,
      taxable: !giftCard,
    };
  }

  /** A new fulfillment order: requests to a fulfillment service go out with it, as seeded orders' do. */
  private newFulfillmentOrder(order: OrderRecord, locationId: number, at: number): FulfillmentOrderRecord {
    const fo: FulfillmentOrderRecord = {
      id: this.data.ids.take('fulfillmentOrder'),
      orderId: order.id,
      locationId,
      status: 'OPEN',
      requestStatus: this.isServiceLocation(locationId) ? 'SUBMITTED' : 'UNSUBMITTED',
      createdAt: at,
      updatedAt: at,
      fulfillAt: at,
      holds: [],
      lineItems: [],
    };
    this.data.fulfillmentOrders.set(fo.id, fo);
    order.fulfillmentOrderIds.push(fo.id);
    return fo;
  }

  /**
   * Puts units of a line on the order's open fulfillment order at the location (one still
   * unsubmitted at a merchant location), or on a new one there.
   */
  private assignUnits(
    order: OrderRecord,
    lineItemId: number,
    quantity: number,
    locationId: number,
    at: number,
  ): void {
    const joinable = this.data
      .fulfillmentOrdersOf(order)
      .find(
        (fo) =>
          fo.locationId === locationId &&
          fo.status === 'OPEN' &&
          fo.requestStatus === 'UNSUBMITTED' &&
          !this.isServiceLocation(locationId),
      );
    const fo = joinable ?? this.newFulfillmentOrder(order, locationId, at);
    const existing = fo.lineItems.find((l) => l.lineItemId === lineItemId);
    if (existing) {
      existing.totalQuantity += quantity;
      existing.remainingQuantity += quantity;
    } else {
      fo.lineItems.push({
        id: this.data.ids.take('fulfillmentOrderLineItem'),
        lineItemId,
        totalQuantity: quantity,
        remainingQuantity: quantity,
      });
    }
    fo.updatedAt = at;
  }

  /**
   * Takes up to `quantity` unfulfilled units of a line off the order's open fulfillment orders
   * (total and remaining both drop, and a line left with none leaves); returns the units taken
   * per location.
   */
  private takeUnfulfilled(
    order: OrderRecord,
    lineItemId: number,
    quantity: number,
    at: number,
  ): Map<number, number> {
    const taken = new Map<number, number>();
    let need = quantity;
    for (const fo of this.data.fulfillmentOrdersOf(order)) {
      if (need === 0) break;
      if (isDone(fo)) continue;
      for (const foli of fo.lineItems) {
        if (need === 0 || foli.lineItemId !== lineItemId || foli.remainingQuantity === 0) continue;
        const t = Math.min(need, foli.remainingQuantity);
        foli.remainingQuantity -= t;
        foli.totalQuantity -= t;
        need -= t;
        taken.set(fo.locationId, (taken.get(fo.locationId) ?? 0) + t);
        fo.updatedAt = at;
      }
      // A line with nothing left on it (none of it fulfilled here) leaves the fulfillment order.
      fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
    }
    return taken;
  }

  /** Units of a line shipped by successful fulfillments. */
  fulfilledOf(order: OrderRecord, lineItemId: number): number {
    let n = 0;
    for (const f of this.data.fulfillmentsOf(order)) {
      if (f.status !== 'SUCCESS') continue;
      for (const l of f.lineItems) if (l.lineItemId === lineItemId) n += l.quantity;
    }
    return n;
  }

  /** Fulfillment orders left with nothing to do close (a service's open request closes with them). */
  private closeEmpty(order: OrderRecord, at: number): void {
    for (const fo of this.data.fulfillmentOrdersOf(order)) {
      if (isDone(fo)) continue;
      if (fo.lineItems.some((l) => l.remainingQuantity > 0)) continue;
      fo.status = 'CLOSED';
      fo.holds = [];
      if (OPEN_REQUEST.has(fo.requestStatus)) fo.requestStatus = 'CLOSED';
      fo.updatedAt = at;
    }
  }

  /** Moves units from `committed` back to `available` where the order had claimed them. */
  private release(itemId: number, locationId: number, quantity: number, at: number): boolean {
    const level = this.data.level(itemId, locationId);
    if (!level || level.committed < quantity) return false;
    level.committed -= quantity;
    level.available += quantity;
    level.updatedAt = at;
    return true;
  }

  private itemIdOf(li: LineItemRecord): number | null {
    if (li.variantId === null) return null;
    return this.data.variants.get(li.variantId)?.inventoryItemId ?? null;
  }

  /** A new fulfillment order with `take` (line id → units) split off `fo`'s remaining units. */
  private splitOff(
    fo: FulfillmentOrderRecord,
    take: Map<number, number>,
    into: Pick<FulfillmentOrderRecord, 'locationId' | 'status' | 'requestStatus'>,
    at: number,
  ): FulfillmentOrderRecord {
    const order = this.order(fo.orderId);
    const split: FulfillmentOrderRecord = {
      id: this.data.ids.take('fulfillmentOrder'),
      orderId: fo.orderId,
      locationId: into.locationId,
      status: into.status,
      requestStatus: into.requestStatus,
      createdAt: at,
      updatedAt: at,
      fulfillAt: fo.fulfillAt,
      holds: [],
      lineItems: [],
    };
    for (const foli of fo.lineItems) {
      const q = take.get(foli.id) ?? 0;
      if (q <= 0) continue;
      foli.remainingQuantity -= q;
      foli.totalQuantity -= q;
      split.lineItems.push({
        id: this.data.ids.take('fulfillmentOrderLineItem'),
        lineItemId: foli.lineItemId,
        totalQuantity: q,
        remainingQuantity: q,
      });
    }
    fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
    fo.updatedAt = at;
    this.data.fulfillmentOrders.set(split.id, split);
    order?.fulfillmentOrderIds.push(split.id);
    return split;
  }

  /**
   * Checks `lines` (fulfillment-order line item id → units) against a fulfillment order's remaining
   * units; returns them as a map, or the errors.
   */
  private pickLines(
    fo: FulfillmentOrderRecord,
    lines: LineQuantity[],
    field: string[],
    zero: MerchantError | null,
  ): Outcome<{ take: Map<number, number> }> {
    const errors: MerchantError[] = [];
    const take = new Map<number, number>();
    lines.forEach((line, k) => {
      const foli = line.id === null ? undefined : fo.lineItems.find((l) => l.id === line.id);
      if (line.quantity <= 0 && zero) {
        errors.push({ ...zero, field: [...field, String(k), 'quantity'] });
        return;
      }
      const already = foli ? (take.get(foli.id) ?? 0) : 0;
      if (!foli || !Number.isInteger(line.quantity) || already + line.quantity > foli.remainingQuantity) {
        errors.push(
          err(
            [...field, String(k), 'quantity'],
            'Invalid fulfillment order line item quantity requested.',
            null,
          ),
        );
        return;
      }
      take.set(foli.id, already + line.quantity);
    });
    return errors.length > 0 ? refused(...errors) : { ok: true, take };
  }

  /** The rest of a fulfillment order's remaining units once `take` is taken. */
  private complement(fo: FulfillmentOrderRecord, take: Map<number, number>): Map<number, number> {
    const rest = new Map<number, number>();
    for (const l of fo.lineItems) {
      const q = l.remainingQuantity - (take.get(l.id) ?? 0);
      if (q > 0) rest.set(l.id, q);
    }
    return rest;
  }

  private changed(order: OrderRecord | undefined, at: number): void {
    if (!order) return;
    this.data.touch(order, at);
    this.data.recomputeFulfillmentStatus(order);
  }

  // ---- orders ----------------------------------------------------------------------------------

  /** `orderCreate`: a new order numbered after the last, its lines routed to fulfillment orders. */
  createOrder(
    input: NewOrder,
    inventoryBehaviour: InventoryBehaviour = 'BYPASS',
  ): Outcome<{ order: OrderRecord }> {
    const data = this.data;
    const errors: MerchantError[] = [];
    if (input.lines.length === 0)
      errors.push(err(['order', 'lineItems'], 'Line items must have at least one line item'));
    const resolved: { variant: VariantRecord | null; line: NewOrderLine; locationId: number }[] = [];
    input.lines.forEach((line, k) => {
      const field = ['order', 'lineItems', String(k)];
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        errors.push(err([...field, 'quantity'], 'Quantity must be greater than or equal to 1'));
        return;
      }
      let variant: VariantRecord | null = null;
      if (line.variantId !== undefined && line.variantId !== null) {
        variant = data.variants.get(line.variantId) ?? null;
        if (!variant) {
          errors.push(err([...field, 'variantId'], 'The variant does not exist in the shop.'));
          return;
        }
      } else if (!line.title?.trim()) {
        errors.push(err(['order', 'lineItems'], "Line items Title can't be blank"));
        return;
      }
      const giftCard =
        line.giftCard === true ||
        (variant ? data.products.get(variant.productId)?.isGiftCard === true : false);
      let locationId = line.locationId ?? this.defaultLocationFor(variant, giftCard);
      if (line.fulfillmentService) {
        const service = data.fulfillmentServices.find((s) => s.handle === line.fulfillmentService);
        if (!service) {
          errors.push(
            err(
              [...field, 'fulfillmentService'],
              'Fulfillment service is not valid.',
              'FULFILLMENT_SERVICE_INVALID',
            ),
          );
          return;
        }
        if (service.locationId !== null) locationId = service.locationId;
      }
      if (!data.location(locationId)) {
        errors.push(err(field, 'Location not found.', 'INVALID'));
        return;
      }
      resolved.push({ variant, line, locationId });
    });
    const currency = input.presentmentCurrency ?? data.shop.currencyCode;
    const market = currency === 'EUR' ? 'DE' : currency === 'CAD' ? 'CA' : currency === 'USD' ? 'US' : null;
    if (market === null) {
      errors.push(
        err(
          ['order', 'presentmentCurrency'],
          `Presentment currency ${currency} is not enabled on the shop.`,
          'INVALID',
        ),
      );
    }
    const now = data.now();
    if (input.processedAt != null && input.processedAt > now) {
      errors.push(
        err(['order', 'processedAt'], "Processed at can't be in the future.", 'PROCESSED_AT_INVALID'),
      );
    }
    if (inventoryBehaviour === 'DECREMENT_OBEYING_POLICY') {
      for (const { variant, line, locationId } of resolved) {
        if (!variant) continue;
        const item = data.inventoryItems.get(variant.inventoryItemId);
        if (!item?.tracked) continue;
        const level = data.level(variant.inventoryItemId, locationId);
        if (!level || level.available < line.quantity) {
          errors.push(
            err(
              ['order', 'lineItems'],
              `Unable to reserve inventory: ${variant.sku ?? 'the item'} is out of stock.`,
              'INVENTORY_CLAIM_FAILED',
            ),
          );
        }
      }
    }
    if (errors.length > 0) return refused(...errors);

    const last = data.orders[data.orders.length - 1];
    let createdAt = wholeSeconds(input.createdAt ?? now);
    if (last && createdAt <= last.createdAt && input.createdAt === undefined)
      createdAt = last.createdAt + 1000;
    const rates = CURRENCY_BY_MARKET[market ?? 'US'];
    const number = (last?.number ?? 1000) + 1;
    const order: OrderRecord = {
      id: data.ids.take('order'),
      number,
      name: `#${number}`,
      createdAt,
      updatedAt: createdAt,
      processedAt: input.processedAt ?? createdAt,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      test: input.test === true,
      email: input.email ?? input.customer?.email ?? null,
      phone: input.phone ?? null,
      note: input.note ?? null,
      tags: [...(input.tags ?? [])],
      customer: input.customer ?? null,
      shippingAddress: input.shippingAddress ?? null,
      billingAddress: input.billingAddress ?? null,
      shippingLine: input.shippingLine ?? null,
      presentmentCurrency: market === null ? data.shop.currencyCode : rates.code,
      presentmentRate: rates.rate,
      taxRate: rates.tax,
      financialStatus: 'PENDING',
      fulfillmentStatus: 'UNFULFILLED',
      lineItems: [],
      fulfillmentOrderIds: [],
      fulfillmentIds: [],
    };
    const placed: { li: LineItemRecord; locationId: number }[] = [];
    for (const { variant, line, locationId } of resolved) {
      const li: LineItemRecord = variant
        ? this.lineItemFor(variant, line.quantity, line.price)
        : {
            id: data.ids.take('lineItem'),
            variantId: null,
            productId: null,
            title: line.title ?? 'Item',
            variantTitle: line.variantTitle ?? null,
            sku: line.sku ?? null,
            vendor: line.vendor ?? data.shop.name,
            quantity: line.quantity,
            unitPrice: line.price ?? 0,
            unitDiscount: 0,
            requiresShipping: line.requiresShipping ?? line.giftCard !== true,
            isGiftCard: line.giftCard === true,
            taxable: line.taxable ?? line.giftCard !== true,
          };
      if (variant) {
        if (line.title) li.title = line.title;
        // The schema defaults requiresShipping to false, so an omitted value cannot be told from
        // an explicit one: a variant's line ships as its inventory item says (custom lines use it).
        if (line.taxable != null) li.taxable = line.taxable;
      }
      order.lineItems.push(li);
      placed.push({ li, locationId });
    }

    // Payments: the status given, else what the checkout's transactions add up to.
    const total = orderTotals(order).total;
    const paid = (input.transactions ?? [])
      .filter((t) => t.status === 'SUCCESS' && (t.kind === 'SALE' || t.kind === 'CAPTURE'))
      .reduce((sum, t) => sum + t.amount, 0);
    const authorized = (input.transactions ?? []).some(
      (t) => t.status === 'SUCCESS' && t.kind === 'AUTHORIZATION',
    );
    order.financialStatus =
      input.financialStatus ??
      (paid >= total && paid > 0
        ? 'PAID'
        : paid > 0
          ? 'PARTIALLY_PAID'
          : authorized
            ? 'AUTHORIZED'
            : 'PENDING');
    order.money = { ...orderMoney(order) };
    if (paid > 0 && order.financialStatus === 'PARTIALLY_PAID') order.money.received = paid;

    data.insertOrder(order, [], []);
    // One fulfillment order per location the lines are assigned to.
    const byLocation = new Map<number, FulfillmentOrderRecord>();
    for (const { li, locationId } of placed) {
      let fo = byLocation.get(locationId);
      if (!fo) {
        fo = this.newFulfillmentOrder(order, locationId, createdAt);
        byLocation.set(locationId, fo);
      }
      fo.lineItems.push({
        id: data.ids.take('fulfillmentOrderLineItem'),
        lineItemId: li.id,
        totalQuantity: li.quantity,
        remainingQuantity: li.quantity,
      });
      if (inventoryBehaviour === 'BYPASS') continue;
      const itemId = this.itemIdOf(li);
      const level = itemId === null ? undefined : data.level(itemId, locationId);
      if (level) {
        level.available -= li.quantity;
        level.committed += li.quantity;
        level.updatedAt = createdAt;
      }
    }
    data.recomputeFulfillmentStatus(order);
    return { ok: true, order };
  }

  /** `orderUpdate`: the fields a merchant edits on the order page. */
  updateOrder(orderId: number, changes: OrderChanges): Outcome<{ order: OrderRecord }> {
    const order = this.order(orderId);
    if (!order) return refused(err(['id'], 'Order does not exist'));
    if (changes.shippingAddress !== undefined && order.cancelledAt !== null) {
      return refused(err(['shippingAddress'], "The shipping address of a cancelled order can't be changed."));
    }
    const keys = Object.keys(changes).filter((k) => changes[k as keyof OrderChanges] !== undefined);
    if (keys.length === 0) return { ok: true, order };
    if (changes.email !== undefined) order.email = changes.email;
    if (changes.phone !== undefined) order.phone = changes.phone;
    if (changes.note !== undefined) order.note = changes.note;
    if (changes.tags !== undefined)
      order.tags = [...new Set(changes.tags.map((t) => t.trim()).filter(Boolean))];
    if (changes.shippingAddress !== undefined) order.shippingAddress = changes.shippingAddress;
    this.data.touch(order);
    return { ok: true, order };
  }

  /**
   * `orderMarkAsPaid`: the outstanding balance is received (manual payment); the order is PAID.
   * `force` (test hooks) pays whatever the status.
   */
  markAsPaid(orderId: number, force = false): Outcome<{ order: OrderRecord }> {
    const order = this.order(orderId);
    if (!order) return refused(err(['id'], 'Order does not exist'));
    const payable = ['PENDING', 'AUTHORIZED', 'PARTIALLY_PAID'].includes(order.financialStatus);
    if (!force && (!payable || order.cancelledAt !== null)) {
      return refused(err(['id'], 'Order cannot be marked as paid.'));
    }
    const money = this.moneyOf(order);
    money.received += Math.max(0, currentTotalOf(order) - (money.received - money.refunded));
    order.financialStatus = 'PAID';
    this.changed(order, this.data.now());
    return { ok: true, order };
  }

  /**
   * `orderCancel`: the order is cancelled and closed; unpaid payments are voided and, with
   * `refund`, paid money goes back. Open fulfillment orders close, except those a fulfillment
   * service has accepted: the service is asked to cancel them instead.
   */
  cancelOrder(orderId: number, options: CancelOptions): Outcome<{ order: OrderRecord }> {
    const order = this.order(orderId);
    if (!order) return refused(err(['orderId'], 'Order does not exist', 'NOT_FOUND'));
    if ((options.staffNote ?? '').length > 255) {
      return refused(
        err(['staffNote'], 'Staff note is too long. Maximum length is 255 characters.', 'INVALID'),
      );
    }
    if (order.cancelledAt !== null) {
      return refused(err(['orderId'], 'Cannot cancel an order that has already been canceled', 'INVALID'));
    }
    if (this.data.fulfillmentsOf(order).some((f) => f.status === 'SUCCESS')) {
      return refused(err(['orderId'], 'Cannot cancel an order that has outstanding fulfillments', 'INVALID'));
    }
    const money = this.moneyOf(order);
    const at = this.data.touch(order);
    order.cancelledAt = at;
    order.cancelReason = options.reason;
    order.closedAt = at;
    if (order.financialStatus === 'AUTHORIZED' || order.financialStatus === 'PENDING') {
      order.financialStatus = 'VOIDED';
    } else if (options.refund && money.received - money.refunded > 0) {
      money.refunded = money.received;
      order.financialStatus = 'REFUNDED';
    }
    for (const fo of this.data.fulfillmentOrdersOf(order)) {
      if (isDone(fo)) continue;
      fo.updatedAt = at;
      if (this.isServiceLocation(fo.locationId) && SERVICE_HAS_WORK.has(fo.requestStatus)) {
        if (fo.requestStatus !== 'CANCELLATION_REQUESTED') {
          fo.requestStatus = 'CANCELLATION_REQUESTED';
          this.recordRequest(fo, 'CANCELLATION_REQUEST', options.staffNote ?? null, {}, at);
        }
        continue;
      }
      if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'CANCELLATION_ACCEPTED';
      fo.status = 'CLOSED';
      fo.holds = [];
      for (const foli of fo.lineItems) {
        if (options.restock) {
          const li = this.data.lineItem(order, foli.lineItemId);
          const itemId = li ? this.itemIdOf(li) : null;
          if (itemId !== null && foli.remainingQuantity > 0)
            this.release(itemId, fo.locationId, foli.remainingQuantity, at);
        }
        foli.remainingQuantity = 0;
      }
    }
    this.data.recomputeFulfillmentStatus(order);
    return { ok: true, order };
  }

  /** A deterministic job id for an asynchronous mutation (`Job.id`). */
  nextJobId(): string {
    return jobUuid(this.data.ids.take('job'));
  }

  // ---- refunds ---------------------------------------------------------------------------------

  /**
   * `refundCreate`: refunded units leave the order (unfulfilled ones leave its fulfillment orders
   * first), restocked where asked; refunded money moves the financial status to
   * PARTIALLY_REFUNDED or REFUNDED against the money received.
   */
  refund(orderId: number, input: RefundInput): Outcome<{ order: OrderRecord; refund: RefundRecord }> {
    const data = this.data;
    const order = this.order(orderId);
    if (!order) return refused(err(['orderId'], 'Order does not exist'));
    const errors: MerchantError[] = [];
    const wanted = new Map<number, number>();
    input.lines.forEach((line, k) => {
      const field = ['refundLineItems', String(k)];
      const li = line.lineItemId === null ? undefined : data.lineItem(order, line.lineItemId);
      if (!li) {
        errors.push(err([...field, 'lineItemId'], 'Line item does not exist on the order.'));
        return;
      }
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        errors.push(err([...field, 'quantity'], 'Quantity must be greater than 0'));
        return;
      }
      const total = (wanted.get(li.id) ?? 0) + line.quantity;
      if (total > currentQuantityOf(order, li)) {
        errors.push(err([...field, 'quantity'], 'Quantity cannot refund more items than were purchased'));
        return;
      }
      if (line.locationId !== undefined && line.locationId !== null && !data.location(line.locationId)) {
        errors.push(err([...field, 'locationId'], 'Location not found.'));
        return;
      }
      wanted.set(li.id, total);
    });
    for (const t of input.transactions) {
      if (t.kind !== 'REFUND' && t.kind !== 'SUGGESTED_REFUND') {
        errors.push(err(null, `Kind ${t.kind.toLowerCase()} is not a valid transaction`));
      } else if (!Number.isFinite(t.amount) || t.amount <= 0) {
        errors.push(err(['transactions'], 'Amount must be greater than 0'));
      }
    }
    const before = orderMoney(order);
    const shippingLeft = (order.shippingLine?.price ?? 0) - before.shippingRefunded;
    const shipping = input.shipping?.fullRefund ? shippingLeft : (input.shipping?.amount ?? 0);
    if (!Number.isFinite(shipping) || shipping < 0 || shipping > shippingLeft) {
      errors.push(
        err(
          ['shipping', 'amount'],
          `Shipping refund amount can't be more than ${dollars(Math.max(0, shippingLeft))}.`,
        ),
      );
    }
    const amount = input.transactions.reduce((sum, t) => sum + (Number.isFinite(t.amount) ? t.amount : 0), 0);
    const net = before.received - before.refunded;
    if (errors.length === 0 && amount > net) {
      errors.push(
        err(null, `Refund amount ${dollars(amount)} is greater than net payment received ${dollars(net)}`),
      );
    }
    if (errors.length === 0 && input.lines.length === 0 && amount === 0 && shipping === 0) {
      errors.push(err(null, 'A refund needs line items, shipping or transactions.'));
    }
    if (errors.length > 0) return refused(...errors);

    const money = this.moneyOf(order);
    const at = data.touch(order);
    const refund: RefundRecord = {
      id: data.ids.take('refund'),
      createdAt: at,
      note: input.note ?? null,
      amount,
      shipping,
      lineItems: [],
    };
    let itemsValue = 0;
    for (const line of input.lines) {
      const li = line.lineItemId === null ? undefined : data.lineItem(order, line.lineItemId);
      if (!li) continue;
      const restockType = line.restockType ?? 'NO_RESTOCK';
      // Units not yet shipped leave the fulfillment orders (a return takes back shipped ones).
      const taken =
        restockType === 'RETURN'
          ? new Map<number, number>()
          : this.takeUnfulfilled(order, li.id, line.quantity, at);
      li.refundedQuantity = (li.refundedQuantity ?? 0) + line.quantity;
      const unit = li.unitPrice - li.unitDiscount;
      itemsValue += Math.round(unit * line.quantity * (li.taxable ? 1 + order.taxRate : 1));
      const itemId = this.itemIdOf(li);
      let restocked = false;
      let locationId = line.locationId ?? null;
      if (itemId !== null && restockType === 'CANCEL') {
        for (const [loc, qty] of taken) restocked = this.release(itemId, loc, qty, at) || restocked;
        locationId ??= taken.keys().next().value ?? null;
      } else if (itemId !== null && (restockType === 'RETURN' || restockType === 'LEGACY_RESTOCK')) {
        locationId ??= this.data.fulfillmentsOf(order)[0]?.locationId ?? LOCATION_IDS.warehouse;
        const level = data.level(itemId, locationId);
        if (level) {
          level.available += line.quantity;
          level.updatedAt = at;
          restocked = true;
        }
      }
      refund.lineItems.push({
        id: data.ids.take('refundLineItem'),
        lineItemId: li.id,
        quantity: line.quantity,
        restockType,
        restocked,
        locationId,
      });
    }
    money.shippingRefunded += shipping;
    money.refunded += amount;
    money.refundedOther += Math.max(0, amount - itemsValue - shipping);
    if (amount > 0)
      order.financialStatus = money.refunded >= money.received ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    order.refunds = [...(order.refunds ?? []), refund];
    this.closeEmpty(order, at);
    this.data.recomputeFulfillmentStatus(order);
    return { ok: true, order, refund };
  }

  // ---- order edits -----------------------------------------------------------------------------

  /** `orderEditBegin`: a calculated order to stage changes on; nothing changes until commit. */
  beginEdit(orderId: number): Outcome<{ edit: OrderEditRecord }> {
    const order = this.order(orderId);
    if (!order) return refused(err(['id'], 'The order does not exist.'));
    if (order.cancelledAt !== null || order.closedAt !== null)
      return refused(err(null, 'The order cannot be edited.'));
    const edit: OrderEditRecord = {
      id: this.data.ids.take('calculatedOrder'),
      orderId: order.id,
      createdAt: this.data.now(),
      quantities: new Map(),
      added: [],
      committed: false,
    };
    this.data.orderEdits.set(edit.id, edit);
    return { ok: true, edit };
  }

  private openEdit(editId: number | null): OrderEditRecord | undefined {
    const edit = editId === null ? undefined : this.data.orderEdits.get(editId);
    return edit && !edit.committed ? edit : undefined;
  }

  /** The calculated order's lines: the order's lines with staged quantities, then the added ones. */
  calculatedLines(edit: OrderEditRecord): { lines: CalculatedLine[]; added: CalculatedLine[] } {
    const order = this.order(edit.orderId);
    const lines: CalculatedLine[] = [];
    if (order) {
      for (const li of order.lineItems) {
        const before = currentQuantityOf(order, li);
        const staged = edit.quantities.get(li.id);
        const variant = li.variantId === null ? null : (this.data.variants.get(li.variantId) ?? null);
        lines.push({
          key: li.id,
          lineItem: li,
          variant,
          title: li.title,
          variantTitle: li.variantTitle,
          sku: li.sku,
          unitPrice: li.unitPrice,
          unitDiscount: li.unitDiscount,
          giftCard: li.isGiftCard,
          quantity: staged?.quantity ?? before,
          quantityBefore: before,
          fulfilled: Math.min(before, this.fulfilledOf(order, li.id)),
          restocking: staged?.restock === true && staged.quantity < before,
        });
      }
    }
    const added = edit.added.map((a): CalculatedLine => {
      const variant = this.data.variants.get(a.variantId) ?? null;
      const product = variant ? this.data.products.get(variant.productId) : undefined;
      return {
        key: a.key,
        lineItem: null,
        variant,
        title: product?.title ?? 'Item',
        variantTitle: variant && variant.title !== 'Default Title' ? variant.title : null,
        sku: variant?.sku ?? null,
        unitPrice: variant?.price ?? 0,
        unitDiscount: 0,
        giftCard: product?.isGiftCard === true,
        quantity: a.quantity,
        quantityBefore: 0,
        fulfilled: 0,
        restocking: false,
      };
    });
    return { lines, added };
  }

  /** `orderEditSetQuantity`: stages a line's new quantity (0 removes it). */
  editSetQuantity(
    editId: number | null,
    lineRef: number | string | null,
    quantity: number,
    restock: boolean,
  ): Outcome<{ edit: OrderEditRecord; line: CalculatedLine }> {
    const edit = this.openEdit(editId);
    if (!edit) return refused(err(['id'], 'The calculated order does not exist.'));
    if (!Number.isInteger(quantity) || quantity < 0)
      return refused(err(['quantity'], 'must be greater than or equal to 0'));
    const order = this.order(edit.orderId);
    const addedIndex = edit.added.findIndex((a) => a.key === lineRef);
    const added = edit.added[addedIndex];
    if (added) {
      added.quantity = quantity;
      const line = this.calculatedLines(edit).added[addedIndex] as CalculatedLine;
      // Setting an added line to 0 takes it off the edit again.
      if (quantity === 0) edit.added.splice(addedIndex, 1);
      return { ok: true, edit, line };
    }
    const li = order && typeof lineRef === 'number' ? this.data.lineItem(order, lineRef) : undefined;
    if (!order || !li || currentQuantityOf(order, li) === 0) {
      return refused(err(['lineItemId'], 'The line item does not exist on the order.'));
    }
    const fulfilled = this.fulfilledOf(order, li.id);
    if (quantity < fulfilled) {
      return refused(
        err(['quantity'], `The quantity can't be lower than the ${fulfilled} already fulfilled.`),
      );
    }
    if (quantity === currentQuantityOf(order, li)) edit.quantities.delete(li.id);
    else edit.quantities.set(li.id, { quantity, restock });
    const line = this.calculatedLines(edit).lines.find((l) => l.key === li.id);
    return line
      ? { ok: true, edit, line }
      : refused(err(['lineItemId'], 'The line item does not exist on the order.'));
  }

  /** `orderEditAddVariant`: stages a new line for a variant, assigned to `locationId` or by routing. */
  editAddVariant(
    editId: number | null,
    variantId: number | null,
    quantity: number,
    locationId: number | null,
    allowDuplicates: boolean,
  ): Outcome<{ edit: OrderEditRecord; line: CalculatedLine }> {
    const edit = this.openEdit(editId);
    if (!edit) return refused(err(['id'], 'The calculated order does not exist.'));
    if (!Number.isInteger(quantity) || quantity < 1)
      return refused(err(['quantity'], 'must be greater than 0'));
    const variant = variantId === null ? undefined : this.data.variants.get(variantId);
    if (!variant) return refused(err(['variantId'], 'The variant does not exist in the shop.'));
    const order = this.order(edit.orderId);
    if (!allowDuplicates) {
      const onOrder =
        order?.lineItems.some((li) => li.variantId === variant.id && currentQuantityOf(order, li) > 0) ===
        true;
      const staged = edit.added.some((a) => a.variantId === variant.id);
      if (onOrder || staged) {
        const title = this.data.products.get(variant.productId)?.title ?? 'variant';
        return refused(err(['id'], `The ${title} was not added because it's already on the order.`));
      }
    }
    if (locationId !== null) {
      const location = this.data.location(locationId);
      if (!location?.isActive) return refused(err(['locationId'], 'Location not found.'));
    }
    const key = `${edit.id.toString(16)}-${(edit.added.length + 1).toString(16).padStart(4, '0')}-${variant.id.toString(16)}`;
    edit.added.push({ key, variantId: variant.id, quantity, locationId });
    const line = this.calculatedLines(edit).added.find((l) => l.key === key);
    return line
      ? { ok: true, edit, line }
      : refused(err(['variantId'], 'The variant does not exist in the shop.'));
  }

  /**
   * `orderEditCommit`: the staged changes apply. Removed units leave the fulfillment orders
   * (restocked if asked), added units join an open fulfillment order at their location or a new
   * one, and the balance due follows the new total.
   */
  commitEdit(editId: number | null): Outcome<{ order: OrderRecord }> {
    const data = this.data;
    const edit = this.openEdit(editId);
    if (!edit) return refused(err(['id'], 'The calculated order does not exist.'));
    const order = this.order(edit.orderId);
    if (!order) return refused(err(['id'], 'The calculated order does not exist.'));
    if (order.cancelledAt !== null || order.closedAt !== null)
      return refused(err(null, 'The order cannot be edited.'));
    if (edit.quantities.size === 0 && edit.added.length === 0) {
      return refused(err(['id'], 'There must be at least one change to be made.'));
    }
    for (const [lineItemId, staged] of edit.quantities) {
      const fulfilled = this.fulfilledOf(order, lineItemId);
      if (staged.quantity < fulfilled) {
        return refused(
          err(['quantity'], `The quantity can't be lower than the ${fulfilled} already fulfilled.`),
        );
      }
    }
    const money = this.moneyOf(order);
    const at = data.touch(order);
    for (const [lineItemId, staged] of edit.quantities) {
      const li = data.lineItem(order, lineItemId);
      if (!li) continue;
      const current = currentQuantityOf(order, li);
      if (staged.quantity < current) {
        const fewer = current - staged.quantity;
        li.removedQuantity = (li.removedQuantity ?? 0) + fewer;
        const taken = this.takeUnfulfilled(order, li.id, fewer, at);
        const itemId = this.itemIdOf(li);
        if (staged.restock && itemId !== null)
          for (const [loc, qty] of taken) this.release(itemId, loc, qty, at);
      } else if (staged.quantity > current) {
        const more = staged.quantity - current;
        const back = Math.min(more, li.removedQuantity ?? 0);
        li.removedQuantity = (li.removedQuantity ?? 0) - back;
        li.quantity += more - back;
        const variant = li.variantId === null ? null : (data.variants.get(li.variantId) ?? null);
        const where =
          data.fulfillmentOrdersOf(order).find((fo) => fo.lineItems.some((l) => l.lineItemId === li.id))
            ?.locationId ?? this.defaultLocationFor(variant, li.isGiftCard);
        this.assignUnits(order, li.id, more, where, at);
      }
    }
    for (const added of edit.added) {
      const variant = data.variants.get(added.variantId);
      if (!variant) continue;
      const li = this.lineItemFor(variant, added.quantity);
      order.lineItems.push(li);
      const where = added.locationId ?? this.defaultLocationFor(variant, li.isGiftCard);
      this.assignUnits(order, li.id, added.quantity, where, at);
    }
    this.closeEmpty(order, at);
    // The balance follows the new total: more to pay makes a paid order partially paid.
    const net = money.received - money.refunded;
    const due = currentTotalOf(order);
    if (order.financialStatus === 'PAID' && due > net) order.financialStatus = 'PARTIALLY_PAID';
    else if (order.financialStatus === 'PARTIALLY_PAID' && net >= due && net > 0)
      order.financialStatus = 'PAID';
    edit.committed = true;
    data.recomputeFulfillmentStatus(order);
    return { ok: true, order };
  }

  // ---- fulfillment orders ----------------------------------------------------------------------

  private recordRequest(
    fo: FulfillmentOrderRecord,
    kind: 'FULFILLMENT_REQUEST' | 'CANCELLATION_REQUEST',
    message: string | null,
    requestOptions: Record<string, unknown>,
    at: number,
  ): void {
    fo.merchantRequests = [
      ...(fo.merchantRequests ?? []),
      { id: this.data.ids.take('merchantRequest'), kind, message, requestOptions, sentAt: at },
    ];
  }

  /**
   * `fulfillmentOrderHold`: the fulfillment order goes ON_HOLD (another hold may join one already
   * there). With `lines`, only those units are held: the rest move to a new open fulfillment order.
   */
  hold(
    foId: number,
    input: HoldInput,
  ): Outcome<{
    fo: FulfillmentOrderRecord;
    hold: FulfillmentHoldRecord;
    remaining: FulfillmentOrderRecord | null;
  }> {
    const fo = this.data.fulfillmentOrders.get(foId);
    if (!fo) return refused(err(['id'], 'Fulfillment order does not exist.', 'FULFILLMENT_ORDER_NOT_FOUND'));
    if (isDone(fo)) {
      return refused(
        err(
          ['id'],
          `The fulfillment order can't be placed on hold because it is ${fo.status.toLowerCase()}.`,
        ),
      );
    }
    if (this.isServiceLocation(fo.locationId) && SERVICE_HAS_WORK.has(fo.requestStatus)) {
      return refused(
        err(
          ['id'],
          "The fulfillment order can't be placed on hold because the fulfillment service has accepted it.",
        ),
      );
    }
    if (fo.holds.length >= MAX_HOLDS) {
      return refused(
        err(
          ['id'],
          'The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to 10 holds on a single fulfillment order at any one time.',
          'FULFILLMENT_ORDER_HOLD_LIMIT_REACHED',
        ),
      );
    }
    const handle = input.handle ?? '';
    if (handle !== '' && fo.holds.some((h) => h.handle === handle)) {
      return refused(
        err(
          ['fulfillmentHold', 'handle'],
          'The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.',
          'DUPLICATE_FULFILLMENT_HOLD_HANDLE',
        ),
      );
    }
    let rest: Map<number, number> | null = null;
    if (input.lines && input.lines.length > 0) {
      const picked = this.pickLines(
        fo,
        input.lines,
        ['fulfillmentHold', 'fulfillmentOrderLineItems'],
        err(null, 'You must select at least one item to place on partial hold.', 'GREATER_THAN_ZERO'),
      );
      if (!picked.ok) {
        return refused(...picked.errors.map((e) => ({ ...e, code: e.code ?? 'INVALID_LINE_ITEM_QUANTITY' })));
      }
      rest = this.complement(fo, picked.take);
      if (rest.size > 0 && fo.status === 'ON_HOLD') {
        return refused(
          err(
            ['fulfillmentHold', 'fulfillmentOrderLineItems'],
            'The fulfillment order is not in a splittable state.',
            'FULFILLMENT_ORDER_NOT_SPLITTABLE',
          ),
        );
      }
    }
    const at = this.data.now();
    const remaining =
      rest && rest.size > 0
        ? this.splitOff(
            fo,
            rest,
            { locationId: fo.locationId, status: 'OPEN', requestStatus: fo.requestStatus },
            at,
          )
        : null;
    const hold: FulfillmentHoldRecord = {
      id: this.data.ids.take('fulfillmentHold'),
      handle,
      reason: input.reason,
      reasonNotes: input.reasonNotes ?? null,
    };
    fo.holds = [...fo.holds, hold];
    fo.status = 'ON_HOLD';
    fo.updatedAt = at;
    this.changed(this.order(fo.orderId), at);
    return { ok: true, fo, hold, remaining };
  }

  /** `fulfillmentOrderReleaseHold`: the holds (all, or those named) lift; with none left it is open again. */
  releaseHold(foId: number, holdIds: number[] | null = null): Outcome<{ fo: FulfillmentOrderRecord }> {
    const fo = this.data.fulfillmentOrders.get(foId);
    if (!fo) return refused(err(['id'], 'Fulfillment order does not exist.', 'FULFILLMENT_ORDER_NOT_FOUND'));
    if (fo.status !== 'ON_HOLD') return refused(err(['id'], 'The fulfillment order is not on hold.'));
    if (holdIds && holdIds.length > 0) {
      const known = new Set(fo.holds.map((h, k) => h.id ?? k));
      if (holdIds.some((id) => !known.has(id))) {
        return refused(err(['holdIds'], 'The fulfillment hold does not exist on this fulfillment order.'));
      }
      fo.holds = fo.holds.filter((h, k) => !holdIds.includes(h.id ?? k));
    } else {
      fo.holds = [];
    }
    const at = this.data.now();
    if (fo.holds.length === 0) fo.status = fulfilledUnits(fo) > 0 ? 'IN_PROGRESS' : 'OPEN';
    fo.updatedAt = at;
    this.changed(this.order(fo.orderId), at);
    return { ok: true, fo };
  }

  /**
   * `fulfillmentOrderMove`: the work goes to another location. Moving everything of a fulfillment
   * order with nothing fulfilled moves the fulfillment order itself (same id); moving some lines,
   * or what remains of a partly fulfilled one, splits them into a new fulfillment order there.
   */
  move(
    foId: number,
    newLocationId: number | null,
    lines: LineQuantity[] | null = null,
  ): Outcome<{
    moved: FulfillmentOrderRecord;
    original: FulfillmentOrderRecord;
    remaining: FulfillmentOrderRecord | null;
  }> {
    const data = this.data;
    const fo = data.fulfillmentOrders.get(foId);
    if (!fo) return refused(err(['id'], 'Fulfillment order does not exist.'));
    const location = newLocationId === null ? undefined : data.location(newLocationId);
    if (!location) return refused(err(['id'], 'Location not found.'));
    if (isDone(fo) || fo.locationId === location.id) return refused(err(null, 'Cannot change location.'));
    if (this.isServiceLocation(fo.locationId) && OPEN_REQUEST.has(fo.requestStatus)) {
      return refused(
        err(null, 'Cannot move submitted fulfillment order that is at a 3PL fulfillment service.'),
      );
    }
    if (!location.isActive) {
      return refused(
        err(['newLocationId'], `The location ${location.name} is not active and can't fulfill orders.`),
      );
    }
    let take: Map<number, number>;
    if (lines && lines.length > 0) {
      const picked = this.pickLines(fo, lines, ['fulfillmentOrderLineItems'], null);
      if (!picked.ok) return refused(...picked.errors);
      take = picked.take;
    } else {
      take = new Map(
        fo.lineItems.filter((l) => l.remainingQuantity > 0).map((l) => [l.id, l.remainingQuantity]),
      );
    }
    if (take.size === 0) return refused(err(null, 'Cannot change location.'));
    const order = this.order(fo.orderId);
    for (const foliId of take.keys()) {
      const foli = fo.lineItems.find((l) => l.id === foliId) as FulfillmentOrderLineItemRecord;
      const li = order ? data.lineItem(order, foli.lineItemId) : undefined;
      const itemId = li ? this.itemIdOf(li) : null;
      if (itemId !== null && li?.requiresShipping && !data.level(itemId, location.id)) {
        return refused(
          err(
            ['newLocationId'],
            `${location.name} doesn't stock ${li.sku ?? li.title}, so it can't fulfill it.`,
          ),
        );
      }
    }
    const at = data.now();
    const everything = this.complement(fo, take).size === 0 && fulfilledUnits(fo) === 0;
    let moved: FulfillmentOrderRecord;
    let remaining: FulfillmentOrderRecord | null = null;
    if (everything) {
      fo.locationId = location.id;
      fo.requestStatus = 'UNSUBMITTED';
      fo.updatedAt = at;
      moved = fo;
    } else {
      moved = this.splitOff(
        fo,
        take,
        { locationId: location.id, status: 'OPEN', requestStatus: 'UNSUBMITTED' },
        at,
      );
      remaining = fo;
      if (order) this.closeEmpty(order, at);
    }
    this.changed(order, at);
    return { ok: true, moved, original: fo, remaining };
  }

  /**
   * `fulfillmentOrderSubmitFulfillmentRequest`: asks the location's fulfillment service to fulfil.
   * With `lines`, only those units are submitted; the rest stay unsubmitted in a new one.
   */
  submitFulfillmentRequest(
    foId: number,
    options: { message?: string | null; notifyCustomer?: boolean | null; lines?: LineQuantity[] | null },
  ): Outcome<{
    original: FulfillmentOrderRecord;
    submitted: FulfillmentOrderRecord;
    unsubmitted: FulfillmentOrderRecord | null;
  }> {
    const fo = this.data.fulfillmentOrders.get(foId);
    if (!fo) return refused(err(['id'], 'Fulfillment order does not exist.'));
    if (!this.isServiceLocation(fo.locationId)) {
      return refused(
        err(['id'], 'Only fulfillment orders assigned to a fulfillment service can be submitted.'),
      );
    }
    if (fo.status !== 'OPEN' || (fo.requestStatus !== 'UNSUBMITTED' && fo.requestStatus !== 'REJECTED')) {
      return refused(
        err(
          ['id'],
          `Cannot submit a fulfillment request for a fulfillment order with status ${fo.status} and request status ${fo.requestStatus}.`,
        ),
      );
    }
    let rest: Map<number, number> | null = null;
    if (options.lines && options.lines.length > 0) {
      const picked = this.pickLines(fo, options.lines, ['fulfillmentOrderLineItems'], null);
      if (!picked.ok) return refused(...picked.errors);
      rest = this.complement(fo, picked.take);
    }
    const at = this.data.now();
    const unsubmitted =
      rest && rest.size > 0
        ? this.splitOff(
            fo,
            rest,
            { locationId: fo.locationId, status: 'OPEN', requestStatus: 'UNSUBMITTED' },
            at,
          )
        : null;
    fo.requestStatus = 'SUBMITTED';
    fo.updatedAt = at;
    this.recordRequest(
      fo,
      'FULFILLMENT_REQUEST',
      options.message ?? null,
      { notify_customer: options.notifyCustomer === true },
      at,
    );
    this.changed(this.order(fo.orderId), at);
    return { ok: true, original: fo, submitted: fo, unsubmitted };
  }

  /** `fulfillmentOrderSubmitCancellationRequest`: asks the service to give back work it accepted. */
  submitCancellationRequest(
    foId: number,
    message: string | null = null,
  ): Outcome<{ fo: FulfillmentOrderRecord }> {
    const fo = this.data.fulfillmentOrders.get(foId);
    if (!fo) return refused(err(['id'], 'Fulfillment order does not exist.'));
    if (fo.requestStatus !== 'ACCEPTED' || isDone(fo)) {
      return refused(
        err(
          ['id'],
          `Cannot request cancellation for a fulfillment order with request status ${fo.requestStatus}.`,
        ),
      );
    }
    const at = this.data.now();
    fo.requestStatus = 'CANCELLATION_REQUESTED';
    fo.updatedAt = at;
    this.recordRequest(fo, 'CANCELLATION_REQUEST', message, {}, at);
    this.changed(this.order(fo.orderId), at);
    return { ok: true, fo };
  }

  /**
   * The service's answer to a cancellation request. Accepting closes the fulfillment order; what it
   * had not fulfilled goes to a new open one at the same location unless the order is cancelled.
   */
  answerCancellationRequest(
    foId: number,
    accept: boolean,
  ): Outcome<{ fo: FulfillmentOrderRecord; replacement: FulfillmentOrderRecord | null }> {
    const fo = this.data.fulfillmentOrders.get(foId);
    if (!fo) return refused(err(['id'], 'Fulfillment order does not exist.'));
    if (fo.requestStatus !== 'CANCELLATION_REQUESTED') {
      return refused(
        err(
          ['id'],
          `Cannot ${accept ? 'accept' : 'reject'} a cancellation request for a fulfillment order with request status ${fo.requestStatus}.`,
        ),
      );
    }
    const at = this.data.now();
    const order = this.order(fo.orderId);
    let replacement: FulfillmentOrderRecord | null = null;
    if (accept) {
      const rest = this.complement(fo, new Map());
      if (order && order.cancelledAt === null && rest.size > 0) {
        replacement = this.splitOff(
          fo,
          rest,
          { locationId: fo.locationId, status: 'OPEN', requestStatus: 'UNSUBMITTED' },
          at,
        );
      } else {
        for (const l of fo.lineItems) {
          l.totalQuantity -= l.remainingQuantity;
          l.remainingQuantity = 0;
        }
      }
      fo.status = 'CLOSED';
      fo.requestStatus = 'CANCELLATION_ACCEPTED';
    } else {
      fo.requestStatus = 'CANCELLATION_REJECTED';
      fo.status = 'IN_PROGRESS';
    }
    fo.updatedAt = at;
    this.changed(order, at);
    return { ok: true, fo, replacement };
  }

  // ---- inventory -------------------------------------------------------------------------------

  /** `inventoryAdjustQuantities`: adds each delta to the named quantity at its location. */
  adjustInventory(input: InventoryAdjustment): Outcome<{ at: number; changes: InventoryChangeRecord[] }> {
    const data = this.data;
    const errors: MerchantError[] = [];
    const field = ADJUSTABLE[input.name];
    if (!field) {
      errors.push(
        err(
          ['input', 'name'],
          `The specified quantity name is invalid. Valid values are: ${Object.keys(ADJUSTABLE).join(', ')}.`,
          'INVALID_QUANTITY_NAME',
        ),
      );
    }
    if (!INVENTORY_REASONS.includes(input.reason)) {
      errors.push(err(['input', 'reason'], INVALID_REASON_MESSAGE, 'INVALID_REASON'));
    }
    const documents = new Set(input.changes.map((c) => c.ledgerDocumentUri ?? null));
    if (documents.size > 1) {
      errors.push(
        err(
          ['input', 'changes'],
          'All changes must have the same ledger document URI or, in the case of adjusting available, no ledger document URI.',
          'MAX_ONE_LEDGER_DOCUMENT',
        ),
      );
    }
    const plan: { level: InventoryLevelRecord; delta: number; ledger: string | null }[] = [];
    input.changes.forEach((change, k) => {
      const at = ['input', 'changes', String(k)];
      const ledger = change.ledgerDocumentUri ?? null;
      const item =
        change.inventoryItemId === null ? undefined : data.inventoryItems.get(change.inventoryItemId);
      if (!item) {
        errors.push(
          err(
            [...at, 'inventoryItemId'],
            'The specified inventory item could not be found.',
            'INVALID_INVENTORY_ITEM',
          ),
        );
        return;
      }
      const location = change.locationId === null ? undefined : data.location(change.locationId);
      if (!location) {
        errors.push(
          err([...at, 'locationId'], 'The specified location could not be found.', 'INVALID_LOCATION'),
        );
        return;
      }
      if (input.name === 'available' && ledger !== null) {
        errors.push(
          err(
            [...at, 'ledgerDocumentUri'],
            'A ledger document URI is not allowed when adjusting available.',
            'INVALID_AVAILABLE_DOCUMENT',
          ),
        );
        return;
      }
      if (field && input.name !== 'available' && ledger === null) {
        errors.push(
          err(
            [...at, 'ledgerDocumentUri'],
            'A ledger document URI is required except when adjusting available.',
            'INVALID_QUANTITY_DOCUMENT',
          ),
        );
        return;
      }
      if (ledger?.startsWith('gid://shopify/')) {
        errors.push(
          err(
            [...at, 'ledgerDocumentUri'],
            'Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.',
            'INTERNAL_LEDGER_DOCUMENT',
          ),
        );
        return;
      }
      const level = data.level(item.id, location.id);
      if (!level) {
        errors.push(
          err(
            [...at, 'locationId'],
            'The specified inventory item is not stocked at the location.',
            'ITEM_NOT_STOCKED_AT_LOCATION',
          ),
        );
        return;
      }
      if (!field) return;
      const after = ((level[field] as number | undefined) ?? 0) + change.delta;
      if (after > QUANTITY_LIMIT) {
        errors.push(
          err(
            [...at, 'delta'],
            "The quantity can't be higher than 1,000,000,000.",
            'INVALID_QUANTITY_TOO_HIGH',
          ),
        );
        return;
      }
      if (after < -QUANTITY_LIMIT) {
        errors.push(
          err(
            [...at, 'delta'],
            "The quantity can't be lower than -1,000,000,000.",
            'INVALID_QUANTITY_TOO_LOW',
          ),
        );
        return;
      }
      plan.push({ level, delta: change.delta, ledger });
    });
    if (errors.length > 0 || !field) return refused(...errors);

    const at = data.now();
    const changes: InventoryChangeRecord[] = [];
    for (const { level, delta, ledger } of plan) {
      const after = ((level[field] as number | undefined) ?? 0) + delta;
      (level as unknown as Record<string, number>)[field] = after;
      level.updatedAt = at;
      const item = data.inventoryItems.get(level.inventoryItemId);
      if (item) item.updatedAt = at;
      const base = { itemId: level.inventoryItemId, locationId: level.locationId, ledgerDocumentUri: ledger };
      changes.push({ ...base, name: input.name, delta, quantityAfterChange: after });
      // Everything but incoming units is in the building: on_hand moves with it.
      if (input.name !== 'incoming')
        changes.push({ ...base, name: 'on_hand', delta, quantityAfterChange: onHandOf(level) });
    }
    data.version++;
    return { ok: true, at, changes };
  }
}
