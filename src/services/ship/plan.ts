import type { LedgerShipment, ShipmentLine } from '../../core/ledger/ledger.js';
import { shipmentKey } from '../../core/ledger/ledger.js';
import type { Row, RowError } from '../files/rows.js';
import { orderRefKey } from '../orders/order-ref.js';

/**
 * Shipments, decided without I/O: the file's rows grouped into shipments, and each shipment
 * against what the store says of its order (fulfillment orders at the fulfillment location,
 * fulfillments already made) and what the ledger recorded → create (with the fulfillment orders,
 * lines and quantities), already applied, or refused (naming the rows and fields to fix).
 */

export interface ShipmentRowValue {
  store?: string;
  order: string;
  sku?: string;
  quantity?: number;
  carrier?: string;
  tracking_number: string;
  tracking_url?: string;
}

/** Rows of one order with one tracking number: one shipment, one fulfillment. */
export interface ShipmentRequest {
  orderRef: string;
  trackingNumber: string;
  carrier: string | null;
  trackingUrl: string | null;
  /** No SKU on the rows: everything the order has left at the location. */
  whole: boolean;
  /** By SKU (rows naming the same SKU add up; a blank quantity means all of it that is left). */
  lines: { sku: string; quantity: number | null; rows: number[] }[];
  /** File lines of the rows, in file order. */
  rows: number[];
}

/** What the store says of an order, as far as shipping it goes. */
export interface OrderSnapshot {
  id: string;
  name: string;
  updatedAt: string;
  cancelledAt: string | null;
  displayFulfillmentStatus: string;
  fulfillmentOrders: {
    id: string;
    status: string;
    requestStatus: string;
    locationId: string | null;
    locationName: string | null;
    lines: { id: string; sku: string | null; remaining: number; title: string }[];
  }[];
  fulfillments: {
    id: string;
    trackingNumbers: string[];
    /** Read only for fulfillments whose tracking number a shipment of the file carries. */
    lines: { sku: string | null; quantity: number }[] | null;
  }[];
}

export interface PlannedFulfillmentOrder {
  fulfillmentOrderId: string;
  /** SUBMITTED: the fulfillment request is accepted before the fulfillment is created. */
  accept: boolean;
  lines: { id: string; sku: string | null; quantity: number }[];
}

export type ShipmentDecision =
  | { kind: 'create'; key: string; fulfillmentOrders: PlannedFulfillmentOrder[] }
  | { kind: 'already_applied'; key: string; fulfillmentId: string | null; source: 'ledger' | 'store' }
  | {
      kind: 'refused';
      key: string | null;
      message: string;
      /** One error per row to fix (file line + field). */
      rowErrors: { line: number; field: string | null; message: string }[];
    };

/** The lines a shipment is keyed and recorded by. */
export function requestLines(request: ShipmentRequest): ShipmentLine[] {
  return request.whole
    ? [{ sku: null, quantity: null }]
    : request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
}

export function requestKey(request: ShipmentRequest, orderId: string): string {
  return shipmentKey(orderId, requestLines(request), request.trackingNumber);
}

/** Groups rows by order and tracking number; rows that cannot share a shipment are refused. */
export function groupRows(
  file: string,
  rows: Row<ShipmentRowValue>[],
): { requests: ShipmentRequest[]; errors: RowError[] } {
  const groups = new Map<string, Row<ShipmentRowValue>[]>();
  for (const row of rows) {
    const key = `${orderRefKey(row.value.order)}\u0000${row.value.tracking_number}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const requests: ShipmentRequest[] = [];
  const errors: RowError[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    if (!first) continue;
    const refuse = (row: Row<ShipmentRowValue>, field: string, message: string) =>
      errors.push({ file, line: row.line, field, message });
    const carrier = first.value.carrier ?? null;
    const url = first.value.tracking_url ?? null;
    let bad = false;
    for (const row of list.slice(1)) {
      if ((row.value.carrier ?? null) !== carrier && row.value.carrier !== undefined && carrier !== null) {
        refuse(row, 'carrier', `differs from line ${first.line} (${carrier}) for the same tracking number`);
        bad = true;
      }
      if ((row.value.tracking_url ?? null) !== url && row.value.tracking_url !== undefined && url !== null) {
        refuse(row, 'tracking_url', `differs from line ${first.line} for the same tracking number`);
        bad = true;
      }
    }
    const whole = list.filter((r) => r.value.sku === undefined);
    if (whole.length > 0 && whole.length < list.length) {
      for (const row of list)
        refuse(
          row,
          'sku',
          `order ${first.value.order} with tracking number ${first.value.tracking_number} has rows with and without a SKU; a blank SKU ships the whole order`,
        );
      bad = true;
    }
    if (bad) continue;
    const lines: ShipmentRequest['lines'] = [];
    for (const row of list) {
      const { sku, quantity } = row.value;
      if (sku === undefined) continue;
      const line = lines.find((l) => l.sku === sku);
      if (!line) lines.push({ sku, quantity: quantity ?? null, rows: [row.line] });
      else {
        line.rows.push(row.line);
        line.quantity = line.quantity === null || quantity === undefined ? null : line.quantity + quantity;
      }
    }
    requests.push({
      orderRef: first.value.order,
      trackingNumber: first.value.tracking_number,
      carrier: carrier ?? list.find((r) => r.value.carrier)?.value.carrier ?? null,
      trackingUrl: url ?? list.find((r) => r.value.tracking_url)?.value.tracking_url ?? null,
      whole: whole.length > 0,
      lines,
      rows: list.map((r) => r.line),
    });
  }
  requests.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
  return { requests, errors };
}

const FULFILLABLE = new Set(['OPEN', 'IN_PROGRESS']);

/** Why a fulfillment order at the location cannot be shipped now, or null. */
function blockedReason(fo: OrderSnapshot['fulfillmentOrders'][number]): string | null {
  if (fo.status === 'ON_HOLD') return 'is on hold';
  if (fo.status === 'SCHEDULED') return 'is scheduled for later';
  if (!FULFILLABLE.has(fo.status)) return null;
  if (fo.requestStatus === 'CANCELLATION_REQUESTED')
    return 'has a cancellation request from the merchant (see `dsync requests list --kind cancellation`)';
  if (fo.requestStatus === 'REJECTED') return 'has a fulfillment request that was rejected';
  return null;
}

function describeLine(line: { sku: string | null; title: string }): string {
  return line.sku ? `${line.title} (${line.sku})` : line.title;
}

/**
 * Decides one shipment. `recorded` is the ledger's record under the shipment's key; `locationId`
 * the fulfillment location.
 */
export function planShipment(
  request: ShipmentRequest,
  order: OrderSnapshot | undefined,
  recorded: LedgerShipment | undefined,
  location: { id: string; name: string | null },
): ShipmentDecision {
  const refuseAll = (key: string | null, field: string | null, message: string): ShipmentDecision => ({
    kind: 'refused',
    key,
    message,
    rowErrors: [{ line: request.rows[0] ?? 0, field, message }],
  });
  if (recorded?.state === 'applied')
    return {
      kind: 'already_applied',
      key: recorded.key,
      fulfillmentId: recorded.fulfillmentId,
      source: 'ledger',
    };
  if (!order) return refuseAll(null, 'order', `order ${request.orderRef} was not found in the store`);
  const key = requestKey(request, order.id);

  // Already in the store: fulfillments carrying this tracking number.
  const tracked = order.fulfillments.filter((f) => f.trackingNumbers.includes(request.trackingNumber));
  const covered = new Map<string, number>();
  for (const f of tracked)
    for (const l of f.lines ?? [])
      if (l.sku !== null) covered.set(l.sku, (covered.get(l.sku) ?? 0) + l.quantity);
  const firstTracked = tracked[0];
  if (firstTracked && request.whole)
    return { kind: 'already_applied', key, fulfillmentId: firstTracked.id, source: 'store' };
  const wanted = request.lines.map((l) => {
    const done = covered.get(l.sku) ?? 0;
    if (done === 0) return { ...l, quantity: l.quantity };
    // A blank quantity means "all of it": anything already shipped under this number is it.
    return { ...l, quantity: l.quantity === null ? 0 : Math.max(0, l.quantity - done), done };
  });
  if (firstTracked && wanted.every((l) => l.quantity === 0))
    return { kind: 'already_applied', key, fulfillmentId: firstTracked.id, source: 'store' };

  if (order.cancelledAt !== null)
    return refuseAll(key, 'order', `order ${order.name} was cancelled (${order.cancelledAt}): not shipped`);

  const atLocation = order.fulfillmentOrders.filter((fo) => fo.locationId === location.id);
  const where = location.name ?? location.id;
  const planned = new Map<string, PlannedFulfillmentOrder>();
  const take = (
    fo: OrderSnapshot['fulfillmentOrders'][number],
    line: { id: string; sku: string | null },
    qty: number,
  ) => {
    let entry = planned.get(fo.id);
    if (!entry) {
      entry = { fulfillmentOrderId: fo.id, accept: fo.requestStatus === 'SUBMITTED', lines: [] };
      planned.set(fo.id, entry);
    }
    entry.lines.push({ id: line.id, sku: line.sku, quantity: qty });
  };

  if (request.whole) {
    let blocked: string | null = null;
    for (const fo of atLocation) {
      const left = fo.lines.filter((l) => l.remaining > 0);
      if (left.length === 0) continue;
      const reason = blockedReason(fo);
      if (reason) blocked ??= `fulfillment order ${fo.id} of ${order.name} at ${where} ${reason}`;
      else if (FULFILLABLE.has(fo.status)) for (const l of left) take(fo, l, l.remaining);
    }
    if (planned.size === 0) {
      if (blocked) return refuseAll(key, 'order', blocked);
      const elsewhere = order.fulfillmentOrders.some(
        (fo) =>
          fo.locationId !== location.id &&
          FULFILLABLE.has(fo.status) &&
          fo.lines.some((l) => l.remaining > 0),
      );
      return refuseAll(
        key,
        'order',
        elsewhere
          ? `order ${order.name} has nothing left to ship at ${where} (its remaining items are assigned to other locations)`
          : `order ${order.name} has nothing left to ship (${order.displayFulfillmentStatus.toLowerCase()})`,
      );
    }
    return { kind: 'create', key, fulfillmentOrders: [...planned.values()] };
  }

  const rowErrors: { line: number; field: string | null; message: string }[] = [];
  for (const want of wanted) {
    const line0 = want.rows[0] ?? request.rows[0] ?? 0;
    if (want.quantity === 0) continue; // shipped before under this tracking number
    const onOrder = order.fulfillmentOrders.flatMap((fo) =>
      fo.lines.filter((l) => l.sku === want.sku).map((l) => ({ fo, l })),
    );
    if (onOrder.length === 0) {
      rowErrors.push({ line: line0, field: 'sku', message: `SKU ${want.sku} is not on order ${order.name}` });
      continue;
    }
    const here = onOrder.filter(({ fo, l }) => fo.locationId === location.id && l.remaining > 0);
    const open = here.filter(({ fo }) => FULFILLABLE.has(fo.status) && blockedReason(fo) === null);
    const available = open.reduce((sum, { l }) => sum + l.remaining, 0);
    if (available === 0) {
      const blocked = here
        .map(({ fo }) => ({ fo, reason: blockedReason(fo) }))
        .find((b) => b.reason !== null);
      const elsewhere = onOrder.find(({ fo, l }) => fo.locationId !== location.id && l.remaining > 0);
      const what = describeLine(onOrder[0]?.l ?? { sku: want.sku, title: want.sku });
      rowErrors.push({
        line: line0,
        field: 'sku',
        message: blocked
          ? `${what} of ${order.name}: fulfillment order ${blocked.fo.id} at ${where} ${blocked.reason}`
          : elsewhere
            ? `${what} of ${order.name} is assigned to ${elsewhere.fo.locationName ?? elsewhere.fo.locationId ?? 'another location'}, not ${where}`
            : `${what} of ${order.name} has nothing left to ship`,
      });
      continue;
    }
    if (want.quantity !== null && want.quantity > available) {
      rowErrors.push({
        line: line0,
        field: 'quantity',
        message: `${want.quantity} of ${want.sku} is more than the ${available} left to ship on ${order.name} at ${where}`,
      });
      continue;
    }
    let left = want.quantity ?? available;
    for (const { fo, l } of open) {
      if (left === 0) break;
      const qty = Math.min(left, l.remaining);
      take(fo, l, qty);
      left -= qty;
    }
  }
  if (rowErrors.length > 0) {
    const message =
      rowErrors.length === 1
        ? (rowErrors[0]?.message ?? 'refused')
        : `${rowErrors.length} lines cannot be shipped: ${rowErrors.map((e) => e.message).join('; ')}`;
    return { kind: 'refused', key, message, rowErrors };
  }
  if (planned.size === 0)
    return refuseAll(key, 'sku', `nothing of this shipment is left to ship on ${order.name}`);
  return { kind: 'create', key, fulfillmentOrders: [...planned.values()] };
}
