import type { OrderRow, ReceiptRow, ReturnRow, ShipmentRow } from '../ledger/rows.js';

/**
 * A store's whole ledger as rows, in a form both state stores read and write: what
 * `dsync state migrate` copies, and what tests compare. Activity keeps its order (the order the
 * entries were written), not its ids.
 */
export interface LedgerDump {
  orders: OrderRow[];
  activity: ActivityRow[];
  meta: MetaRow[];
  shipments: ShipmentRow[];
  returns: ReturnRow[];
  returnActivity: ReturnActivityRow[];
  returnReceipts: ReceiptRow[];
}

export interface ActivityRow {
  order_id: string;
  at: string;
  action: string;
  detail: string | null;
}

export interface ReturnActivityRow {
  return_id: string;
  at: string;
  action: string;
  detail: string | null;
}

export interface MetaRow {
  key: string;
  value: string;
}

/** The tables a dump covers, with their columns in a fixed order and their sort for reading. */
export const DUMP_TABLES = {
  orders: {
    table: 'orders',
    columns: [
      'order_id',
      'name',
      'status',
      'reason',
      'message',
      'delivered_hash',
      'cancelled_delivered',
      'order_updated_at',
      'last_event',
      'last_event_id',
      'first_seen_at',
      'changed_at',
      'warehouse_state',
      'warehouse_reason',
      'failures',
      'delivered_lines',
    ],
    order: 'order_id',
  },
  activity: { table: 'activity', columns: ['order_id', 'at', 'action', 'detail'], order: 'id' },
  meta: { table: 'meta', columns: ['key', 'value'], order: 'key' },
  shipments: {
    table: 'shipments',
    columns: [
      'key',
      'order_id',
      'order_name',
      'tracking_number',
      'lines',
      'state',
      'fulfillment_id',
      'message',
      'created_at',
      'updated_at',
    ],
    order: 'key',
  },
  returns: {
    table: 'returns',
    columns: [
      'return_id',
      'name',
      'order_id',
      'order_name',
      'status',
      'warehouse_state',
      'delivered_hash',
      'last_event',
      'last_event_id',
      'order_updated_at',
      'first_seen_at',
      'changed_at',
    ],
    order: 'return_id',
  },
  returnActivity: { table: 'return_activity', columns: ['return_id', 'at', 'action', 'detail'], order: 'id' },
  returnReceipts: {
    table: 'return_receipts',
    columns: [
      'key',
      'return_id',
      'return_name',
      'sku',
      'quantity',
      'disposition',
      'baseline',
      'state',
      'message',
      'created_at',
      'updated_at',
    ],
    order: 'key',
  },
} as const satisfies Record<keyof LedgerDump, { table: string; columns: readonly string[]; order: string }>;

export type DumpPart = keyof LedgerDump;
export const DUMP_PARTS = Object.keys(DUMP_TABLES) as DumpPart[];

/** Rows per part, for summaries. */
export function dumpCounts(dump: LedgerDump): Record<DumpPart, number> {
  return Object.fromEntries(DUMP_PARTS.map((part) => [part, dump[part].length])) as Record<DumpPart, number>;
}
