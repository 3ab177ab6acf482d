import type {
  LedgerOrder,
  LedgerReceipt,
  LedgerReturn,
  LedgerShipment,
  LedgerStatus,
  OrderRef,
  ReceiptState,
  ReturnRef,
  ReturnWarehouseState,
  ShipmentLine,
  ShipmentState,
  WarehouseState,
} from './ledger.js';

/** The status an order shows for each warehouse state. */
export const STATUS_OF_STATE: Record<WarehouseState, LedgerStatus> = {
  none: 'skipped',
  active: 'imported',
  partially_shipped: 'partially_shipped',
  cancellation_requested: 'cancellation_requested',
  on_hold: 'on_hold',
  withdrawn: 'withdrawn',
  cancelled: 'cancelled',
  shipped: 'shipped',
};

/**
 * The ledger's rows as both stores keep them (snake_case columns, times as ISO text) and the
 * objects the rest of dsync reads; shared by the SQLite ledger and the PostgreSQL one.
 */
export interface ReturnRow {
  return_id: string;
  name: string;
  order_id: string;
  order_name: string;
  status: string;
  warehouse_state: ReturnWarehouseState;
  delivered_hash: string | null;
  last_event: string | null;
  last_event_id: string | null;
  order_updated_at: string | null;
  first_seen_at: string;
  changed_at: string;
}

export function fromReturnRow(row: ReturnRow): LedgerReturn {
  return {
    returnId: row.return_id,
    name: row.name,
    orderId: row.order_id,
    orderName: row.order_name,
    status: row.status,
    updatedAt: row.order_updated_at ?? row.changed_at,
    warehouse: row.warehouse_state,
    deliveredHash: row.delivered_hash,
    lastEvent: row.last_event,
    lastEventId: row.last_event_id,
    firstSeenAt: row.first_seen_at,
    changedAt: row.changed_at,
  };
}

export interface ReceiptRow {
  key: string;
  return_id: string;
  return_name: string;
  sku: string;
  quantity: number;
  disposition: string;
  baseline: number;
  state: ReceiptState;
  message: string | null;
  created_at: string;
  updated_at: string;
}

export function fromReceiptRow(row: ReceiptRow): LedgerReceipt {
  return {
    key: row.key,
    returnId: row.return_id,
    returnName: row.return_name,
    sku: row.sku,
    quantity: row.quantity,
    disposition: row.disposition,
    baseline: row.baseline,
    state: row.state,
    message: row.message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface OrderRow {
  order_id: string;
  name: string;
  status: LedgerStatus;
  reason: string | null;
  message: string | null;
  delivered_hash: string | null;
  cancelled_delivered: number;
  order_updated_at: string | null;
  last_event: string | null;
  last_event_id: string | null;
  first_seen_at: string;
  changed_at: string;
  warehouse_state: WarehouseState;
  warehouse_reason: string | null;
  failures: number;
  delivered_lines: number | null;
}

export interface ShipmentRow {
  key: string;
  order_id: string;
  order_name: string;
  tracking_number: string;
  lines: string;
  state: ShipmentState;
  fulfillment_id: string | null;
  message: string | null;
  created_at: string;
  updated_at: string;
}

export function fromShipmentRow(row: ShipmentRow): LedgerShipment {
  return {
    key: row.key,
    orderId: row.order_id,
    orderName: row.order_name,
    trackingNumber: row.tracking_number,
    lines: JSON.parse(row.lines) as ShipmentLine[],
    state: row.state,
    fulfillmentId: row.fulfillment_id,
    message: row.message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function fromRow(row: OrderRow): LedgerOrder {
  return {
    orderId: row.order_id,
    name: row.name,
    status: row.status,
    reason: row.reason,
    message: row.message,
    deliveredHash: row.delivered_hash,
    cancelledDelivered: row.cancelled_delivered === 1,
    warehouse: row.warehouse_state,
    warehouseReason: row.warehouse_reason,
    failures: row.failures,
    deliveredLines: row.delivered_lines,
    orderUpdatedAt: row.order_updated_at,
    lastEvent: row.last_event,
    lastEventId: row.last_event_id,
    firstSeenAt: row.first_seen_at,
    changedAt: row.changed_at,
  };
}

/** What a ledger write changes on an order; what it leaves out keeps its recorded value. */
export type OrderChange = Partial<Omit<LedgerOrder, 'orderId' | 'name' | 'firstSeenAt' | 'changedAt'>> & {
  status: LedgerStatus;
};

/** An order's row after a write, as the upsert's parameters. */
export interface OrderParams {
  orderId: string;
  name: string;
  status: LedgerStatus;
  reason: string | null;
  message: string | null;
  deliveredHash: string | null;
  cancelledDelivered: 0 | 1;
  orderUpdatedAt: string;
  lastEvent: string | null;
  lastEventId: string | null;
  warehouse: WarehouseState;
  warehouseReason: string | null;
  failures: number;
  deliveredLines: number | null;
  at: string;
}

/** The order's row after `change`, over what was recorded before (`previous`). */
export function nextOrder(
  order: OrderRef,
  previous: LedgerOrder | undefined,
  change: OrderChange,
  at: Date,
): OrderParams {
  return {
    orderId: order.orderId,
    name: order.name,
    status: change.status,
    reason: change.reason !== undefined ? change.reason : null,
    message: change.message !== undefined ? change.message : null,
    deliveredHash:
      change.deliveredHash !== undefined ? change.deliveredHash : (previous?.deliveredHash ?? null),
    cancelledDelivered: (
      change.cancelledDelivered !== undefined
        ? change.cancelledDelivered
        : previous?.cancelledDelivered
    )
      ? 1
      : 0,
    orderUpdatedAt: order.updatedAt,
    lastEvent: change.lastEvent !== undefined ? change.lastEvent : (previous?.lastEvent ?? null),
    lastEventId: change.lastEventId !== undefined ? change.lastEventId : (previous?.lastEventId ?? null),
    warehouse: change.warehouse !== undefined ? change.warehouse : (previous?.warehouse ?? 'none'),
    warehouseReason:
      change.warehouseReason !== undefined ? change.warehouseReason : (previous?.warehouseReason ?? null),
    // Any outcome but a failure ends a run of failures.
    failures: change.failures !== undefined ? change.failures : 0,
    deliveredLines:
      change.deliveredLines !== undefined ? change.deliveredLines : (previous?.deliveredLines ?? null),
    at: at.toISOString(),
  };
}

/** What the ledger records about an order when the warehouse accepted an event about it. */
export interface DeliveredEvent {
  type: string;
  id: string;
  hash: string | null;
  reason?: string | null;
  lines?: number;
}

/** The change an accepted event makes, and the activity entry it leaves. */
export function deliveredChange(
  event: DeliveredEvent,
  state: WarehouseState,
): { change: OrderChange; activity: { action: string; detail: string } } {
  return {
    change: {
      status: STATUS_OF_STATE[state],
      deliveredHash: event.hash ?? undefined,
      deliveredLines: event.hash !== null ? event.lines : undefined,
      cancelledDelivered: state === 'cancelled' ? true : undefined,
      lastEvent: event.type,
      lastEventId: event.id,
      warehouse: state,
      warehouseReason: state === 'withdrawn' ? (event.reason ?? null) : null,
    },
    activity: { action: event.type, detail: `event ${event.id}${event.reason ? ` (${event.reason})` : ''}` },
  };
}

/** What a write changes on a return; the rest keeps its recorded value. */
export type ReturnChange = Partial<
  Pick<LedgerReturn, 'warehouse' | 'deliveredHash' | 'lastEvent' | 'lastEventId'>
>;

export interface ReturnParams {
  returnId: string;
  name: string;
  orderId: string;
  orderName: string;
  status: string;
  updatedAt: string;
  warehouse: ReturnWarehouseState;
  deliveredHash: string | null;
  lastEvent: string | null;
  lastEventId: string | null;
  at: string;
}

/** The return's row after `change`, over its recorded row (`prev`). */
export function nextReturn(
  ret: ReturnRef,
  prev: ReturnRow | undefined,
  change: ReturnChange,
  at: Date,
): ReturnParams {
  return {
    returnId: ret.returnId,
    name: ret.name,
    orderId: ret.orderId,
    orderName: ret.orderName,
    status: ret.status,
    updatedAt: ret.updatedAt,
    warehouse: change.warehouse ?? prev?.warehouse_state ?? 'none',
    deliveredHash: change.deliveredHash !== undefined ? change.deliveredHash : (prev?.delivered_hash ?? null),
    lastEvent: change.lastEvent ?? prev?.last_event ?? null,
    lastEventId: change.lastEventId ?? prev?.last_event_id ?? null,
    at: at.toISOString(),
  };
}

/** Order names are matched with and without their `#`. */
export function nameForms(ref: string): [string, string] {
  const text = ref.trim();
  return [text, text.startsWith('#') ? text.slice(1) : `#${text}`];
}
