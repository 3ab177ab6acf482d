import { createHash } from 'node:crypto';
import { FOLLOWED_STATES, type WarehouseState } from '../../core/ledger/ledger.js';
import {
  ORDER_SCHEMA_VERSION,
  type EventType,
  type OrderDocument,
  type OrderEvent,
} from './order-document.js';
import { hasDetail, type RawOrder } from './raw-order.js';
import {
  normalizeOrder,
  requestedOfService,
  type SelectionSettings,
  type SkipReason,
  selectLines,
} from './select.js';

/**
 * An order's life with the warehouse, as one pure state machine:
 *
 *   (what the warehouse has, the order now, the settings) → the event to send, or none.
 *
 * `assess` says what the order is now for this connection; `transition` compares that with what
 * the warehouse was last told. Both are pure: the import reads, then asks these two functions,
 * then delivers and records what they decided.
 */

export { FOLLOWED_STATES, type WarehouseState };

export function isFollowed(state: WarehouseState): boolean {
  return FOLLOWED_STATES.includes(state);
}

/** Why a delivered order was withdrawn (the `reason` of order.withdrawn). */
export const WITHDRAW_REASONS = {
  financial_status: 'its financial status is no longer in financial-status (refunded, voided, …)',
  no_lines: 'no lines are left to ship (removed, refunded or fulfilled elsewhere)',
  other_location: 'its fulfillment orders moved off the fulfillment location or service',
  fulfillment_status: 'its fulfillment status is no longer one the warehouse ships',
  not_requested:
    "the fulfillment service's work was taken back: the request was rejected, its cancellation accepted, or the work moved back to it unrequested",
} as const;
export type WithdrawReason = keyof typeof WITHDRAW_REASONS;

export interface Recorded {
  state: WarehouseState;
  /** Actionable hash of the last delivered document (null: never delivered). */
  deliveredHash: string | null;
  /** Lines to ship in the last delivered document. */
  deliveredLines: number | null;
}

/** What an order is now, for this connection. */
export type Assessment =
  /** The order-level fields do not decide it: read its detail, fulfillment orders and lines. */
  | { kind: 'read_detail' }
  | { kind: 'shippable'; document: OrderDocument }
  | { kind: 'on_hold'; document: OrderDocument }
  /** The merchant asks the fulfillment service to give back work it accepted. */
  | { kind: 'cancellation_requested'; document: OrderDocument }
  /** Not the warehouse's to ship; `document` is there when it was read in full. */
  | { kind: 'not_shippable'; reason: SkipReason; detail: string; document?: OrderDocument }
  | { kind: 'cancelled'; document?: OrderDocument }
  | { kind: 'fulfilled'; partially: boolean };

const SHIPPABLE_FO = new Set(['OPEN', 'IN_PROGRESS']);
const SHIPPED_STATUSES = new Set(['FULFILLED', 'RESTOCKED']);

/** The document of an order read in full; undefined when it was read with its order-level fields only. */
function documentOf(order: RawOrder, shop: string, settings: SelectionSettings): OrderDocument | undefined {
  if (!hasDetail(order)) return undefined;
  return normalizeOrder(order, shop, selectLines(order, settings), settings.useLocalCurrency);
}

/**
 * What the order is now. New orders are judged by the settings and the window; a followed order
 * (the warehouse holds it) is judged whatever the window, and on its lines whatever its
 * fulfillment status, so a hold, a move or a removed line is seen. Returns `read_detail` when
 * the outcome, or the event's document, needs fields the order was read without: the import asks
 * first with order-level fields and reads in full only the orders this function asks for.
 */
export function assess(
  order: RawOrder,
  shop: string,
  settings: SelectionSettings,
  followed: boolean,
): Assessment {
  const full = hasDetail(order);
  if (order.cancelledAt !== null) {
    if (!followed) return { kind: 'cancelled' };
    return full
      ? { kind: 'cancelled', document: documentOf(order, shop, settings) }
      : { kind: 'read_detail' };
  }
  const fulfillment = order.displayFulfillmentStatus;
  if (SHIPPED_STATUSES.has(fulfillment)) return { kind: 'fulfilled', partially: false };
  if (
    !followed &&
    settings.acceptOrdersAfter &&
    Date.parse(order.createdAt) < settings.acceptOrdersAfter.getTime()
  ) {
    return {
      kind: 'not_shippable',
      reason: 'before_window',
      detail: `created ${order.createdAt}, before accept-orders-after ${settings.acceptOrdersAfter.toISOString()}`,
    };
  }
  const financial = (order.displayFinancialStatus ?? '').toLowerCase();
  if (!settings.financialStatuses.includes(financial)) {
    const detail = `financial status ${financial || 'unknown'} (accepted: ${settings.financialStatuses.join(', ')})`;
    if (!followed) return { kind: 'not_shippable', reason: 'financial_status', detail };
    if (!full) return { kind: 'read_detail' };
    return {
      kind: 'not_shippable',
      reason: 'financial_status',
      detail,
      document: documentOf(order, shop, settings),
    };
  }
  if (fulfillment === 'PARTIALLY_FULFILLED' && !settings.includePartialFulfillments) {
    return { kind: 'fulfilled', partially: true };
  }
  if (!followed && fulfillment !== 'UNFULFILLED' && fulfillment !== 'PARTIALLY_FULFILLED') {
    return {
      kind: 'not_shippable',
      reason: 'fulfillment_status',
      detail: `fulfillment status ${fulfillment.toLowerCase().replace(/_/g, ' ')}`,
    };
  }
  if (!full) return { kind: 'read_detail' };
  return assessLines(order, shop, settings, followed);
}

/** The part of `assess` that needs the fulfillment orders: where the work is, and whether any is left. */
function assessLines(
  order: RawOrder & { fulfillmentOrders: RawOrder['fulfillmentOrders'] },
  shop: string,
  settings: SelectionSettings,
  followed: boolean,
): Assessment {
  const selected = selectLines(order, settings);
  const document = documentOf(order, shop, settings) as OrderDocument;
  // Fulfillment orders that are this connection's (at the location / the service), open or held.
  const ours = order.fulfillmentOrders.filter((fo) => {
    if (!SHIPPABLE_FO.has(fo.status) && fo.status !== 'ON_HOLD') return false;
    const locationId = fo.assignedLocation.location?.id ?? null;
    if (settings.filterLocationId !== undefined && locationId !== settings.filterLocationId) return false;
    if (
      settings.serviceLocationId !== undefined &&
      (locationId !== settings.serviceLocationId || !requestedOfService(fo))
    )
      return false;
    return true;
  });
  const held = ours.some(
    (fo) => fo.status === 'ON_HOLD' && fo.lineItems.some((line) => line.remainingQuantity > 0),
  );
  const scoped = settings.filterLocationId ?? (followed ? settings.serviceLocationId : undefined);
  if (scoped !== undefined && ours.length === 0) {
    // For an order the warehouse has, "moved" means the work is open somewhere else; work that is
    // gone everywhere (refunded, removed) leaves it with no lines.
    const elsewhere = order.fulfillmentOrders.some(
      (fo) =>
        (SHIPPABLE_FO.has(fo.status) || fo.status === 'ON_HOLD') &&
        fo.lineItems.some((line) => line.remainingQuantity > 0),
    );
    if (followed && !elsewhere) {
      return { kind: 'not_shippable', reason: 'no_lines', detail: 'no lines left to ship', document };
    }
    const unrequested =
      settings.serviceLocationId !== undefined &&
      order.fulfillmentOrders.some(
        (fo) =>
          SHIPPABLE_FO.has(fo.status) &&
          fo.assignedLocation.location?.id === settings.serviceLocationId &&
          fo.lineItems.some((line) => line.remainingQuantity > 0),
      );
    if (unrequested) {
      return {
        kind: 'not_shippable',
        reason: 'not_requested',
        detail: 'the fulfillment service has no request for it',
        document,
      };
    }
    return {
      kind: 'not_shippable',
      reason: 'other_location',
      detail: `no open fulfillment order at ${scoped}`,
      document,
    };
  }
  if (followed && ours.some((fo) => fo.requestStatus === 'CANCELLATION_REQUESTED')) {
    return { kind: 'cancellation_requested', document };
  }
  if (selected.lines.length === 0) {
    if (held) return { kind: 'on_hold', document };
    if (settings.excludeEmptyOrders) {
      return {
        kind: 'not_shippable',
        reason: 'no_lines',
        detail: 'no physical lines left to ship',
        document,
      };
    }
  }
  // An order without lines may still be the warehouse's (exclude-empty-orders off); whether a
  // followed one *lost* its lines is for the transition to tell, from what was delivered.
  return { kind: 'shippable', document };
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

/** What to do about an order this run. */
export type Step =
  /** Send an event, then record the new state (and, for documents the warehouse ships, their hash). */
  | {
      kind: 'emit';
      type: EventType;
      document: OrderDocument;
      state: WarehouseState;
      /** Hash to remember as delivered (unchanged for hold/withdraw/cancel events). */
      hash: string | null;
      reason: WithdrawReason | null;
    }
  /** Never delivered and not to be: record the skip and its reason. */
  | { kind: 'skip'; reason: SkipReason; detail: string }
  /**
   * No event; the warehouse state changes: fulfilled, or back to active once the warehouse
   * answered a cancellation request by keeping the order.
   */
  | { kind: 'settle'; state: 'shipped' | 'partially_shipped' | 'active'; detail: string }
  /** Nothing new for the warehouse. */
  | { kind: 'none' };

function withdrawReason(reason: SkipReason): WithdrawReason {
  return reason === 'financial_status' ||
    reason === 'no_lines' ||
    reason === 'other_location' ||
    reason === 'not_requested'
    ? reason
    : 'fulfillment_status';
}

/**
 * The transition table. Rows: what the warehouse has; columns: what the order is now.
 *
 * | has \ now          | shippable          | on hold        | not shippable     | cancelled        | fulfilled | cancellation requested       |
 * |--------------------|--------------------|----------------|-------------------|------------------|-----------|------------------------------|
 * | none               | order.created      | skip           | skip (reason)     | skip             | skip      | skip                         |
 * | active, part. ship | order.updated if Δ | order.on_hold  | order.withdrawn   | order.cancelled  | settle    | order.cancellation_requested |
 * | cancellation req.  | updated if Δ, else settle active | order.on_hold | order.withdrawn | order.cancelled | settle | —               |
 * | on_hold            | order.released     | —              | order.withdrawn   | order.cancelled  | settle    | order.cancellation_requested |
 * | withdrawn          | order.released     | —              | —                 | order.cancelled  | settle    | order.cancellation_requested |
 * | cancelled, shipped | —                  | —              | —                 | —                | —         | —                            |
 *
 * A delivered order left with no lines to ship (it had some) counts as not shippable (no_lines).
 * A cancellation request the warehouse rejected leaves the order shippable again: no event (the
 * warehouse decided it), only the state returns to active.
 */
export function transition(recorded: Recorded | undefined, assessed: Assessment): Step {
  const state = recorded?.state ?? 'none';
  if (assessed.kind === 'read_detail')
    throw new Error('internal error: an order must be read in full before it is decided');
  // A delivered order that had lines to ship and has none left (removed, refunded, moved within
  // the location's scope) is withdrawn, not "updated" to an empty order.
  const now: Exclude<Assessment, { kind: 'read_detail' }> =
    state !== 'none' &&
    assessed.kind === 'shippable' &&
    assessed.document.lines.length === 0 &&
    (recorded?.deliveredLines ?? 0) > 0
      ? {
          kind: 'not_shippable',
          reason: 'no_lines',
          detail: 'no lines left to ship',
          document: assessed.document,
        }
      : assessed;
  if (state === 'cancelled' || state === 'shipped') return { kind: 'none' };
  if (state === 'none') {
    switch (now.kind) {
      case 'shippable':
        return {
          kind: 'emit',
          type: 'order.created',
          document: now.document,
          state: 'active',
          hash: actionableHash(now.document),
          reason: null,
        };
      case 'on_hold':
        return { kind: 'skip', reason: 'fulfillment_status', detail: 'on hold' };
      case 'not_shippable':
        return { kind: 'skip', reason: now.reason, detail: now.detail };
      case 'cancelled':
        return { kind: 'skip', reason: 'cancelled', detail: 'cancelled before import' };
      case 'cancellation_requested':
        return { kind: 'skip', reason: 'fulfillment_status', detail: 'cancellation requested' };
      case 'fulfilled':
        return {
          kind: 'skip',
          reason: 'fulfillment_status',
          detail: now.partially ? 'already partially fulfilled' : 'already fulfilled',
        };
    }
  }
  switch (now.kind) {
    case 'cancellation_requested':
      if (state === 'cancellation_requested') return { kind: 'none' };
      return {
        kind: 'emit',
        type: 'order.cancellation_requested',
        document: now.document,
        state: 'cancellation_requested',
        hash: null,
        reason: null,
      };
    case 'cancelled':
      if (!now.document) throw new Error('internal error: a cancelled followed order must be read in full');
      return {
        kind: 'emit',
        type: 'order.cancelled',
        document: now.document,
        state: 'cancelled',
        hash: null,
        reason: null,
      };
    case 'fulfilled':
      if (now.partially && state === 'partially_shipped') return { kind: 'none' };
      return {
        kind: 'settle',
        state: now.partially ? 'partially_shipped' : 'shipped',
        detail: now.partially ? 'partially fulfilled' : 'fulfilled',
      };
    case 'on_hold':
      if (state === 'on_hold' || state === 'withdrawn') return { kind: 'none' };
      return {
        kind: 'emit',
        type: 'order.on_hold',
        document: now.document,
        state: 'on_hold',
        hash: null,
        reason: null,
      };
    case 'not_shippable': {
      if (state === 'withdrawn') return { kind: 'none' };
      if (!now.document) throw new Error('internal error: a withdrawn order must be read in full');
      return {
        kind: 'emit',
        type: 'order.withdrawn',
        document: now.document,
        state: 'withdrawn',
        hash: null,
        reason: withdrawReason(now.reason),
      };
    }
    case 'shippable': {
      const hash = actionableHash(now.document);
      if (state === 'on_hold' || state === 'withdrawn') {
        return {
          kind: 'emit',
          type: 'order.released',
          document: now.document,
          state: 'active',
          hash,
          reason: null,
        };
      }
      const next = state === 'cancellation_requested' ? 'active' : state;
      if (hash === recorded?.deliveredHash) {
        return next === state
          ? { kind: 'none' }
          : { kind: 'settle', state: next, detail: 'cancellation request rejected: to be shipped' };
      }
      return { kind: 'emit', type: 'order.updated', document: now.document, state: next, hash, reason: null };
    }
  }
}

/**
 * The event for a step. Its id is the webhook's Idempotency-Key: the same for a retry of the same
 * delivery, different for a new one. An order is created and cancelled once, so those ids depend
 * on the order (and the created content) only; every other event can happen again (held,
 * released, held again), so its id also carries the order's updatedAt.
 */
export function buildEvent(
  type: EventType,
  document: OrderDocument,
  options: { hash: string | null; reason: WithdrawReason | null },
): OrderEvent {
  const parts =
    type === 'order.created'
      ? [document.id, type, options.hash ?? '']
      : type === 'order.cancelled'
        ? [document.id, type]
        : [document.id, type, options.hash ?? '', options.reason ?? '', document.updatedAt];
  const id = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
  return {
    id,
    type,
    schemaVersion: ORDER_SCHEMA_VERSION,
    occurredAt: document.updatedAt,
    ...(options.reason ? { reason: options.reason } : {}),
    order: document,
  };
}

/** An event delivered again (resend, replay): the current document under the id first sent. */
export function resendEvent(
  recorded: { type: EventType; id: string; reason: WithdrawReason | null },
  document: OrderDocument,
): OrderEvent {
  return {
    id: recorded.id,
    type: recorded.type,
    schemaVersion: ORDER_SCHEMA_VERSION,
    occurredAt: document.updatedAt,
    ...(recorded.reason ? { reason: recorded.reason } : {}),
    order: document,
  };
}
