import { createHash } from 'node:crypto';
import {
  ORDER_SCHEMA_VERSION,
  type EventType,
  type OrderDocument,
  type OrderEvent,
  type OrderLine,
} from './order-document.js';
import { type DetailedOrder, type MoneyBag, type RawOrder, requireDetail } from './raw-order.js';

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
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export type Selection =
  | { kind: 'accept'; document: OrderDocument }
  | { kind: 'skip'; reason: SkipReason; detail: string }
  | { kind: 'cancelled' }
  | { kind: 'fulfilled'; partially: boolean };

const SHIPPABLE_FO_STATUSES = new Set(['OPEN', 'IN_PROGRESS']);

/** `gid://shopify/Order/123` → `123`. */
export function legacyId(gid: string): string {
  const slash = gid.lastIndexOf('/');
  return slash === -1 ? gid : gid.slice(slash + 1);
}

function pick(bag: MoneyBag | null, local: boolean): string | null {
  if (bag === null) return null;
  return local ? bag.presentmentMoney.amount : bag.shopMoney.amount;
}

/**
 * The physical lines the warehouse must ship: lines of OPEN/IN_PROGRESS fulfillment orders with
 * something left to ship, at the service's / fulfillment location when those filters are on,
 * and never gift cards or lines that need no shipping.
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
    if (settings.serviceLocationId !== undefined && locationId !== settings.serviceLocationId) continue;
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

/**
 * Whether an order's outcome depends on its lines: false when the order-level fields alone
 * decide it (cancelled, fulfilled, wrong financial status, outside the window), so the bulk
 * path fetches fulfillment orders only for the orders that need them.
 */
export function needsLines(
  order: Pick<RawOrder, 'cancelledAt' | 'displayFulfillmentStatus' | 'displayFinancialStatus' | 'createdAt'>,
  settings: SelectionSettings,
): boolean {
  if (order.cancelledAt !== null) return false;
  if (settings.acceptOrdersAfter && Date.parse(order.createdAt) < settings.acceptOrdersAfter.getTime())
    return false;
  if (!settings.financialStatuses.includes((order.displayFinancialStatus ?? '').toLowerCase())) return false;
  return (
    order.displayFulfillmentStatus === 'UNFULFILLED' ||
    (order.displayFulfillmentStatus === 'PARTIALLY_FULFILLED' && settings.includePartialFulfillments)
  );
}

/**
 * Decides what an order means for the warehouse, independent of what was delivered before:
 * a document to deliver, a skip with its reason, a cancellation or a fulfilment.
 */
export function selectOrder(order: RawOrder, shop: string, settings: SelectionSettings): Selection {
  if (order.cancelledAt !== null) return { kind: 'cancelled' };
  const fulfillment = order.displayFulfillmentStatus;
  if (fulfillment === 'FULFILLED' || fulfillment === 'RESTOCKED')
    return { kind: 'fulfilled', partially: false };
  if (settings.acceptOrdersAfter && Date.parse(order.createdAt) < settings.acceptOrdersAfter.getTime()) {
    return {
      kind: 'skip',
      reason: 'before_window',
      detail: `created ${order.createdAt}, before accept-orders-after ${settings.acceptOrdersAfter.toISOString()}`,
    };
  }
  const financial = (order.displayFinancialStatus ?? '').toLowerCase();
  if (!settings.financialStatuses.includes(financial)) {
    return {
      kind: 'skip',
      reason: 'financial_status',
      detail: `financial status ${financial || 'unknown'} (accepted: ${settings.financialStatuses.join(', ')})`,
    };
  }
  if (fulfillment === 'PARTIALLY_FULFILLED') {
    if (!settings.includePartialFulfillments) return { kind: 'fulfilled', partially: true };
  } else if (fulfillment !== 'UNFULFILLED') {
    return {
      kind: 'skip',
      reason: 'fulfillment_status',
      detail: `fulfillment status ${fulfillment.toLowerCase()}`,
    };
  }
  const selected = selectLines(order, settings);
  if (settings.filterLocationId !== undefined && !selected.atLocation) {
    return {
      kind: 'skip',
      reason: 'other_location',
      detail: `no open fulfillment order at ${settings.filterLocationId}`,
    };
  }
  if (selected.lines.length === 0 && settings.excludeEmptyOrders) {
    return { kind: 'skip', reason: 'no_lines', detail: 'no physical lines left to ship' };
  }
  return {
    kind: 'accept',
    document: normalizeOrder(requireDetail(order), shop, selected, settings.useLocalCurrency),
  };
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A hash of what the warehouse acts on: the lines and their quantities, the shipping address and
 * the shipping method. Customer e-mail, tags or totals alone changing do not produce an update.
 */
export function actionableHash(document: OrderDocument): string {
  const lines = document.lines
    .map((line) => ({
      fo: line.fulfillmentOrderLineItemId,
      sku: line.sku,
      quantity: line.quantity,
    }))
    .sort((a, b) => (a.fo < b.fo ? -1 : a.fo > b.fo ? 1 : 0));
  return createHash('sha256')
    .update(
      stable({
        lines,
        address: document.shippingAddress,
        method: document.shippingMethod,
      }),
    )
    .digest('hex');
}

/** What the ledger remembers about an order's last delivered state. */
export interface DeliveredState {
  /** Hash of the last delivered document; null when nothing was delivered yet. */
  deliveredHash: string | null;
  /** True once an order.cancelled event was delivered. */
  cancelledDelivered: boolean;
}

export type Decision =
  | { action: 'emit'; type: EventType; hash: string }
  | { action: 'none'; why: 'unchanged' | 'not_delivered' | 'already_cancelled' };

/** Compares an order's delivery-relevant state with what was delivered before. */
export function decide(selection: Selection, previous: DeliveredState | undefined): Decision {
  const delivered = previous?.deliveredHash ?? null;
  if (selection.kind === 'cancelled') {
    if (delivered === null) return { action: 'none', why: 'not_delivered' };
    if (previous?.cancelledDelivered) return { action: 'none', why: 'already_cancelled' };
    return { action: 'emit', type: 'order.cancelled', hash: `cancelled:${delivered}` };
  }
  if (selection.kind !== 'accept') return { action: 'none', why: 'not_delivered' };
  const hash = actionableHash(selection.document);
  if (delivered === null) return { action: 'emit', type: 'order.created', hash };
  if (previous?.cancelledDelivered) return { action: 'none', why: 'already_cancelled' };
  if (delivered === hash) return { action: 'none', why: 'unchanged' };
  return { action: 'emit', type: 'order.updated', hash };
}

/**
 * Whether an order's outcome may need its whole document (detail fields, fulfillment orders and
 * lines), judged on its order-level fields and what was delivered before: the orders whose lines
 * decide them (needsLines: a new order.created or an order.updated), and delivered orders now
 * cancelled (an order.cancelled carries the full document). Every other order is decided on
 * order-level fields alone (skipped, shipped, unchanged) and is never read in full. Mirrors
 * selectOrder and decide: a Selection of kind 'accept' only comes from needsLines orders, and
 * decide emits for a 'cancelled' one only when it was delivered and not cancelled yet.
 */
export function needsDocument(
  order: Pick<RawOrder, 'cancelledAt' | 'displayFulfillmentStatus' | 'displayFinancialStatus' | 'createdAt'>,
  settings: SelectionSettings,
  previous: DeliveredState | undefined,
): boolean {
  if (needsLines(order, settings)) return true;
  return (
    order.cancelledAt !== null && (previous?.deliveredHash ?? null) !== null && !previous?.cancelledDelivered
  );
}

/** The event for a decision; its id is stable for the same order, type and content. */
export function buildEvent(type: EventType, hash: string, document: OrderDocument): OrderEvent {
  const id = createHash('sha256').update(`${document.id}\n${type}\n${hash}`).digest('hex').slice(0, 32);
  return {
    id,
    type,
    schemaVersion: ORDER_SCHEMA_VERSION,
    occurredAt: document.updatedAt,
    order: document,
  };
}
