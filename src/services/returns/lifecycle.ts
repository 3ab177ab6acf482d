import { createHash } from 'node:crypto';
import type { ReturnWarehouseState } from '../../core/ledger/ledger.js';
import type { RawReturn } from '../../shopify/operations/returns.js';
import {
  RETURN_SCHEMA_VERSION,
  type ReturnDocument,
  type ReturnEvent,
  type ReturnEventType,
  type ReturnLine,
  type ReturnTracking,
} from './return-document.js';

/**
 * A return's life with the warehouse, as one pure function:
 *
 *   (what the warehouse was told, the return now) → the event to send, or none.
 *
 * `returnDocument` says what the return is now for the fulfillment location; `returnTransition`
 * compares it with what the warehouse was last told. The import reads, asks, then delivers and
 * records what was decided.
 */

/** The order a return belongs to, with the locations its items were shipped from. */
export interface ReturnOrderContext {
  id: string;
  name: string;
  updatedAt: string;
  fulfillments: { location: { id: string } | null; fulfillmentLineItems: { nodes: { id: string }[] } }[];
}

const STATUSES = new Set(['REQUESTED', 'OPEN', 'CLOSED', 'CANCELED', 'DECLINED']);
const DISPOSITIONS = new Set(['RESTOCKED', 'NOT_RESTOCKED', 'PROCESSING_REQUIRED', 'MISSING']);

/**
 * The return as the warehouse sees it: the lines whose items were shipped from `locationId`
 * (they come back there), with their reverse fulfillment order lines and the dispositions
 * recorded there, and the tracking of its reverse deliveries.
 */
export function returnDocument(
  raw: RawReturn,
  order: ReturnOrderContext,
  shop: string,
  locationId: string,
): ReturnDocument {
  const fromLocation = new Set(
    order.fulfillments
      .filter((f) => f.location?.id === locationId)
      .flatMap((f) => f.fulfillmentLineItems.nodes.map((n) => n.id)),
  );
  const reverseLines = raw.reverseFulfillmentOrders.nodes.flatMap((rfo) =>
    rfo.lineItems.nodes.map((line) => ({ rfo, line })),
  );
  const lines: ReturnLine[] = [];
  for (const item of raw.returnLineItems.nodes) {
    const fli = item.fulfillmentLineItem?.id;
    if (!fli || !fromLocation.has(fli)) continue;
    const reverse = reverseLines.find(({ line }) => line.fulfillmentLineItem?.id === fli);
    const dispositions = new Map<string, number>();
    for (const d of reverse?.line.dispositions ?? []) {
      if (!DISPOSITIONS.has(d.type)) continue;
      dispositions.set(d.type, (dispositions.get(d.type) ?? 0) + d.quantity);
    }
    lines.push({
      returnLineItemId: item.id,
      reverseFulfillmentOrderId: reverse?.rfo.id ?? null,
      reverseFulfillmentOrderLineItemId: reverse?.line.id ?? null,
      sku: item.fulfillmentLineItem?.lineItem.sku ?? null,
      quantity: item.quantity,
      reason: item.returnReason,
      reasonNote: item.returnReasonNote === '' ? null : item.returnReasonNote,
      customerNote: item.customerNote === '' ? null : item.customerNote,
      dispositions: [...dispositions].map(([type, quantity]) => ({
        type: type as ReturnLine['dispositions'][number]['type'],
        quantity,
      })),
    });
  }
  const tracking: ReturnTracking[] = raw.reverseFulfillmentOrders.nodes.flatMap((rfo) =>
    rfo.reverseDeliveries.nodes.flatMap((delivery) => {
      const t = delivery.deliverable?.tracking;
      return t && (t.number || t.url) ? [{ carrier: t.carrierName, number: t.number, url: t.url }] : [];
    }),
  );
  return {
    schemaVersion: RETURN_SCHEMA_VERSION,
    id: raw.id,
    legacyId: raw.id.split('/').pop() ?? raw.id,
    name: raw.name,
    shop,
    status: (STATUSES.has(raw.status) ? raw.status : 'OPEN') as ReturnDocument['status'],
    order: { id: order.id, name: order.name },
    updatedAt: order.updatedAt,
    locationId,
    lines,
    tracking,
  };
}

/** Whether some page of the return was cut short (it is then read again on its own). */
export function isTruncated(raw: RawReturn): boolean {
  return (
    raw.returnLineItems.pageInfo.hasNextPage ||
    raw.reverseFulfillmentOrders.pageInfo.hasNextPage ||
    raw.reverseFulfillmentOrders.nodes.some(
      (rfo) => rfo.lineItems.pageInfo.hasNextPage || rfo.reverseDeliveries.pageInfo.hasNextPage,
    )
  );
}

/** A hash of what the warehouse acts on: the lines, their quantities, and the tracking. */
export function returnHash(document: ReturnDocument): string {
  const lines = document.lines
    .map(
      (l) =>
        `${l.returnLineItemId}|${l.reverseFulfillmentOrderLineItemId ?? ''}|${l.sku ?? ''}|${l.quantity}`,
    )
    .sort();
  const tracking = document.tracking.map((t) => `${t.carrier ?? ''}|${t.number ?? ''}|${t.url ?? ''}`).sort();
  return createHash('sha256').update(JSON.stringify({ lines, tracking })).digest('hex');
}

export interface RecordedReturn {
  state: ReturnWarehouseState;
  deliveredHash: string | null;
}

export type ReturnStep =
  | { kind: 'emit'; type: ReturnEventType; state: ReturnWarehouseState; hash: string | null }
  /** Not the warehouse's (yet): recorded as seen, no event. */
  | { kind: 'skip'; detail: string }
  | { kind: 'none' };

/**
 * The transition table. Rows: what the warehouse was told; columns: the return now (its lines at
 * the fulfillment location, its status).
 *
 * | told \ now | requested | open (lines here)           | open (none here) | closed        | cancelled, declined |
 * |------------|-----------|-----------------------------|------------------|---------------|---------------------|
 * | none       | skip      | return.opened               | skip             | skip          | skip                |
 * | open       | —         | return.updated if Δ, else — | return.cancelled | return.closed | return.cancelled    |
 * | closed     | —         | return.opened (reopened)    | —                | —             | —                   |
 * | cancelled  | —         | —                           | —                | —             | —                   |
 */
export function returnTransition(recorded: RecordedReturn | undefined, now: ReturnDocument): ReturnStep {
  const state = recorded?.state ?? 'none';
  const here = now.lines.length > 0;
  const hash = returnHash(now);
  if (state === 'cancelled') return { kind: 'none' };
  switch (now.status) {
    case 'REQUESTED':
      return state === 'none' ? { kind: 'skip', detail: 'requested, not approved yet' } : { kind: 'none' };
    case 'OPEN':
      if (!here) {
        if (state === 'open')
          return { kind: 'emit', type: 'return.cancelled', state: 'cancelled', hash: null };
        return state === 'none'
          ? { kind: 'skip', detail: 'nothing comes back to the fulfillment location' }
          : { kind: 'none' };
      }
      if (state === 'none' || state === 'closed')
        return { kind: 'emit', type: 'return.opened', state: 'open', hash };
      return recorded?.deliveredHash === hash
        ? { kind: 'none' }
        : { kind: 'emit', type: 'return.updated', state: 'open', hash };
    case 'CLOSED':
      if (state === 'open') return { kind: 'emit', type: 'return.closed', state: 'closed', hash: null };
      return state === 'none' ? { kind: 'skip', detail: 'closed before import' } : { kind: 'none' };
    case 'CANCELED':
    case 'DECLINED':
      if (state === 'open') return { kind: 'emit', type: 'return.cancelled', state: 'cancelled', hash: null };
      return state === 'none'
        ? { kind: 'skip', detail: `${now.status.toLowerCase()} before import` }
        : { kind: 'none' };
  }
}

/**
 * The event for a step. Its id is stable: return.opened is keyed on the return and what it
 * holds (a reopened return gets a new id), return.cancelled on the return alone (final), the
 * others also on the order's updatedAt.
 */
export function buildReturnEvent(
  type: ReturnEventType,
  document: ReturnDocument,
  options: { hash: string | null; reopened?: boolean },
): ReturnEvent {
  const parts =
    type === 'return.opened'
      ? [document.id, type, options.hash ?? '', options.reopened ? document.updatedAt : '']
      : type === 'return.cancelled'
        ? [document.id, type]
        : [document.id, type, options.hash ?? '', document.updatedAt];
  const id = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
  return {
    id,
    type,
    schemaVersion: RETURN_SCHEMA_VERSION,
    occurredAt: document.updatedAt,
    return: document,
  };
}
