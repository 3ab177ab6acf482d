import type { WarehouseState } from '../../core/ledger/ledger.js';

/**
 * Which fulfillment requests to answer, as pure functions over what the store says and what the
 * ledger recorded. The import accepts only what the warehouse already has; a person answering
 * by order gets each of the order's fulfillment orders that awaits that kind of answer.
 */

/** Warehouse states in which the warehouse holds the order's current work (see lifecycle.ts). */
const HOLDS_THE_WORK: ReadonlySet<WarehouseState> = new Set(['active', 'partially_shipped']);

export interface RequestedFulfillmentOrder {
  id: string;
  order: { id: string; name: string; updatedAt: string };
}

export interface RecordedOrder {
  warehouse: WarehouseState;
  /** The Shopify updatedAt the last import read (and delivered, or found unchanged). */
  orderUpdatedAt: string | null;
}

export type AcceptDecision =
  | { kind: 'accept'; fulfillmentOrder: RequestedFulfillmentOrder }
  | { kind: 'wait'; fulfillmentOrder: RequestedFulfillmentOrder; why: string };

/**
 * A requested fulfillment order is accepted only when the warehouse has the order as it is now:
 * delivered (active or partially shipped) and unchanged since the import read it. Anything
 * else waits for the next import, which delivers the change first.
 */
export function decideAcceptance(
  requested: RequestedFulfillmentOrder,
  recorded: RecordedOrder | undefined,
): AcceptDecision {
  if (!recorded || recorded.warehouse === 'none') {
    return { kind: 'wait', fulfillmentOrder: requested, why: 'not delivered to the warehouse' };
  }
  if (!HOLDS_THE_WORK.has(recorded.warehouse)) {
    return {
      kind: 'wait',
      fulfillmentOrder: requested,
      why: `the warehouse has it as ${recorded.warehouse}`,
    };
  }
  if (recorded.orderUpdatedAt !== requested.order.updatedAt) {
    return {
      kind: 'wait',
      fulfillmentOrder: requested,
      why: 'changed since the import read it: the next import delivers the change first',
    };
  }
  return { kind: 'accept', fulfillmentOrder: requested };
}

export type RequestKind = 'fulfillment' | 'cancellation';

/** The request status a fulfillment order has while it awaits each kind of answer. */
export const AWAITING: Record<RequestKind, string> = {
  fulfillment: 'SUBMITTED',
  cancellation: 'CANCELLATION_REQUESTED',
};

export interface OrderWithRequests {
  id: string;
  name: string;
  cancelledAt: string | null;
  fulfillmentOrders: {
    id: string;
    status: string;
    requestStatus: string;
    assignedLocation: { location: { id: string } | null };
  }[];
}

export type Pick = { ok: true; fulfillmentOrderIds: string[] } | { ok: false; message: string };

/**
 * The fulfillment orders of an order that await an answer of this kind, at the service's
 * locations (all of them when `locationIds` is undefined). When there are none, says why in the
 * words of what the order's fulfillment orders are.
 */
export function pickAwaiting(
  order: OrderWithRequests,
  kind: RequestKind,
  locationIds: ReadonlySet<string> | undefined,
): Pick {
  const at = order.fulfillmentOrders.filter(
    (fo) => locationIds === undefined || locationIds.has(fo.assignedLocation.location?.id ?? ''),
  );
  const awaiting = at.filter((fo) => fo.requestStatus === AWAITING[kind]);
  if (awaiting.length > 0) return { ok: true, fulfillmentOrderIds: awaiting.map((fo) => fo.id) };
  if (kind === 'fulfillment' && order.cancelledAt !== null) {
    return { ok: false, message: `${order.name} was cancelled` };
  }
  if (at.length === 0) {
    return { ok: false, message: `${order.name} has no fulfillment order at the fulfillment service` };
  }
  const statuses = [...new Set(at.map((fo) => fo.requestStatus.toLowerCase().replace(/_/g, ' ')))];
  return {
    ok: false,
    message: `${order.name} has no pending ${kind} request (request status ${statuses.join(', ')})`,
  };
}
