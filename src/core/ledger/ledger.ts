import { join } from 'node:path';
import { onLedger } from './failure.js';
import { DsyncError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type BetterSqlite3 from 'better-sqlite3';
import { ensurePrivateDatabaseFile } from '../private-file.js';
import { loadSqlite } from '../sqlite.js';

export { STATUS_OF_STATE } from './rows.js';
import {
  fromReceiptRow,
  fromReturnRow,
  fromRow,
  fromShipmentRow,
  deliveredChange,
  nextOrder,
  STATUS_OF_STATE,
  nextReturn,
  type OrderChange,
  type OrderRow,
  type ReturnChange,
  type ReceiptRow,
  type ReturnRow,
  type ShipmentRow,
} from './rows.js';

/**
 * The per-store ledger: what happened to each order and when, the import checkpoint and the
 * in-flight bulk operation. SQLite (WAL, synchronous=FULL) so a crash mid-run loses nothing that
 * was committed; every multi-row change runs in one transaction.
 */
export const LEDGER_STATUSES = [
  'imported',
  'skipped',
  'error',
  'shipped',
  'partially_shipped',
  'cancelled',
  'on_hold',
  'withdrawn',
  'cancellation_requested',
] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/**
 * What the warehouse was last told about an order: never delivered (`none`), delivered and to be
 * shipped (`active`), paused (`on_hold`), taken back (`withdrawn`), or finished (`cancelled`,
 * `shipped`). Kept apart from the status, which also says `error` while an order keeps failing.
 */
export type WarehouseState =
  | 'none'
  | 'active'
  | 'partially_shipped'
  | 'cancellation_requested'
  | 'on_hold'
  | 'withdrawn'
  | 'cancelled'
  | 'shipped';

/** The states whose orders the warehouse holds: every run follows them, whatever the window. */
export const FOLLOWED_STATES: readonly WarehouseState[] = [
  'active',
  'partially_shipped',
  'cancellation_requested',
  'on_hold',
  'withdrawn',
];

export interface LedgerOrder {
  orderId: string;
  name: string;
  status: LedgerStatus;
  /** Skip reason code, or null. */
  reason: string | null;
  /** Human detail: skip explanation or error message. */
  message: string | null;
  /** Hash of the last delivered document (null: never delivered). */
  deliveredHash: string | null;
  cancelledDelivered: boolean;
  /** What the warehouse was last told (see WarehouseState). */
  warehouse: WarehouseState;
  /** The reason of the last order.withdrawn, while withdrawn. */
  warehouseReason: string | null;
  /** Runs in a row that failed on this order (0 once it succeeds). */
  failures: number;
  /** How many lines the last delivered document to ship had (null: never delivered). */
  deliveredLines: number | null;
  /** The Shopify updatedAt last seen. */
  orderUpdatedAt: string | null;
  /** The last delivered event type and id. */
  lastEvent: string | null;
  lastEventId: string | null;
  firstSeenAt: string;
  changedAt: string;
}

export interface ActivityEntry {
  at: string;
  orderId: string;
  name: string;
  action: string;
  detail: string | null;
}

export interface OrderRef {
  orderId: string;
  name: string;
  updatedAt: string;
}

/** A shipment's life in the ledger: intent recorded before the mutation, then its outcome. */
export type ShipmentState = 'pending' | 'applied' | 'failed';

/** One line of a shipment as the file asked for it: a SKU and a quantity, or the whole order (null). */
export interface ShipmentLine {
  sku: string | null;
  quantity: number | null;
}

export interface LedgerShipment {
  /** Stable key: order id + sorted lines + tracking number (see shipmentKey). */
  key: string;
  orderId: string;
  orderName: string;
  trackingNumber: string;
  lines: ShipmentLine[];
  state: ShipmentState;
  fulfillmentId: string | null;
  message: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The key a shipment is recognised by: same order, same lines, same tracking number. */
export function shipmentKey(orderId: string, lines: readonly ShipmentLine[], trackingNumber: string): string {
  const parts = lines
    .map((l) => `${l.sku ?? '*'}=${l.quantity ?? '*'}`)
    .sort()
    .join(',');
  return `${orderId}|${parts}|${trackingNumber}`;
}

/**
 * What the warehouse was last told about a return: never (`none`), to expect it (`open`), that it
 * is finished (`closed`) or called off (`cancelled`).
 */
export type ReturnWarehouseState = 'none' | 'open' | 'closed' | 'cancelled';

export interface ReturnRef {
  returnId: string;
  name: string;
  orderId: string;
  orderName: string;
  /** The return's status in the store (OPEN, CLOSED, …). */
  status: string;
  /** The order's updatedAt this was read at. */
  updatedAt: string;
}

export interface LedgerReturn extends ReturnRef {
  warehouse: ReturnWarehouseState;
  deliveredHash: string | null;
  lastEvent: string | null;
  lastEventId: string | null;
  firstSeenAt: string;
  changedAt: string;
}

export interface ReturnActivityEntry {
  at: string;
  returnId: string;
  action: string;
  detail: string | null;
}

/** A received-return row's life: intent recorded before the mutation, then its outcome. */
export type ReceiptState = 'pending' | 'applied' | 'failed';

export interface LedgerReceipt {
  /** Stable key: return id, SKU, disposition, quantity and occurrence (see receiptKey). */
  key: string;
  returnId: string;
  returnName: string;
  sku: string;
  quantity: number;
  disposition: string;
  /** Units of this SKU the return already had with this disposition when the intent was recorded. */
  baseline: number;
  state: ReceiptState;
  message: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Ledger {
  /** Where it is kept, for messages: the file path (SQLite), or postgres://user@host:port/db. */
  readonly location: string;
  get(orderId: string): Promise<LedgerOrder | undefined>;
  /** By order name (`#1001` or `1001`) or numeric id. */
  find(ref: string): Promise<LedgerOrder | undefined>;
  /**
   * An event the warehouse accepted: the new warehouse state, and the delivered document's hash
   * when the event carries lines to ship (null keeps the previous hash).
   */
  recordDelivered(
    order: OrderRef,
    event: { type: string; id: string; hash: string | null; reason?: string | null; lines?: number },
    state: WarehouseState,
    at: Date,
  ): Promise<void>;
  recordSkip(order: OrderRef, reason: string, detail: string, at: Date): Promise<void>;
  /** A run failed on this order; returns how many runs in a row have. */
  recordFailure(order: OrderRef, message: string, at: Date): Promise<number>;
  /**
   * No event, the warehouse state changes: shipped or partially shipped, or back to active after
   * the warehouse kept an order whose cancellation was requested.
   */
  recordSettled(
    order: OrderRef,
    state: 'shipped' | 'partially_shipped' | 'active',
    detail: string,
    at: Date,
  ): Promise<void>;
  /**
   * An entry in an order's activity log that changes nothing else (a fulfillment request
   * accepted or rejected): kept whether or not the import delivered the order.
   */
  note(
    order: { orderId: string; name: string },
    action: string,
    detail: string | null,
    at: Date,
  ): Promise<void>;
  /** An order that failed before and now needs nothing: back to its warehouse state's status. */
  recordResolved(order: OrderRef, at: Date): Promise<void>;
  /** An event delivered again (resend / replay) under its first id. */
  recordResent(order: OrderRef, eventId: string, at: Date): Promise<void>;
  /** Notes the latest updatedAt seen without changing anything else. */
  touch(order: OrderRef): Promise<void>;
  /** How many orders the warehouse holds (FOLLOWED_STATES). */
  followedCount(): Promise<number>;
  /** Ids of the orders whose last run failed on them (status error). */
  failingIds(): Promise<string[]>;
  /** Orders with an event delivered at or after `since` (for replay), oldest delivery first. */
  deliveredSince(since: Date): Promise<LedgerOrder[]>;
  list(filter?: { status?: LedgerStatus; limit?: number }): Promise<LedgerOrder[]>;
  counts(): Promise<Record<LedgerStatus, number>>;
  activity(orderId: string, limit?: number): Promise<ActivityEntry[]>;
  shipment(key: string): Promise<LedgerShipment | undefined>;
  /** Before the mutation: the shipment is about to be created (a rerun checks Shopify first). */
  recordShipmentIntent(
    order: OrderRef,
    shipment: { key: string; trackingNumber: string; lines: ShipmentLine[] },
    at: Date,
  ): Promise<void>;
  /**
   * The shipment exists in Shopify (created now, or found there): the order moves to shipped or
   * partially shipped, with an activity entry naming the tracking number.
   */
  recordShipmentApplied(
    order: OrderRef,
    shipment: { key: string; trackingNumber: string; lines: ShipmentLine[]; fulfillmentId: string | null },
    state: 'shipped' | 'partially_shipped',
    detail: string,
    at: Date,
  ): Promise<void>;
  /**
   * Shopify refused the shipment (or its outcome is unknown): recorded with the message and an
   * activity entry. An order the ledger does not know yet gets a row with status error.
   */
  recordShipmentFailed(
    order: OrderRef,
    shipment: { key: string; trackingNumber: string; lines: ShipmentLine[] },
    message: string,
    at: Date,
  ): Promise<void>;
  shipmentsOf(orderId: string): Promise<LedgerShipment[]>;
  /** A return by id. */
  getReturn(returnId: string): Promise<LedgerReturn | undefined>;
  /** By return name (`#1001-R1`, with or without `#`) or id (gid or number). */
  findReturn(ref: string): Promise<LedgerReturn | undefined>;
  /** Returns recorded, most recently changed first. */
  listReturns(filter?: { warehouse?: ReturnWarehouseState; limit?: number }): Promise<LedgerReturn[]>;
  /** The returns the warehouse expects (state open): every import follows them. */
  followedReturns(): Promise<LedgerReturn[]>;
  /** An event the warehouse accepted about a return: its new state and the delivered hash. */
  recordReturnDelivered(
    ret: ReturnRef,
    event: { type: string; id: string; hash: string | null },
    state: ReturnWarehouseState,
    at: Date,
  ): Promise<void>;
  /** A return seen without an event (not the warehouse's yet, or nothing new): its latest status. */
  recordReturnSeen(ret: ReturnRef, at: Date): Promise<void>;
  /** An entry in a return's activity log (a failure, a note). */
  noteReturn(ret: ReturnRef, action: string, detail: string | null, at: Date): Promise<void>;
  returnActivity(returnId: string, limit?: number): Promise<ReturnActivityEntry[]>;
  receipt(key: string): Promise<LedgerReceipt | undefined>;
  /** Before the mutation: these units are about to be disposed of (a rerun checks the store first). */
  recordReceiptIntent(
    ret: ReturnRef,
    receipt: { key: string; sku: string; quantity: number; disposition: string; baseline: number },
    at: Date,
  ): Promise<void>;
  /** The disposition is in the store (made now, or found there): with an activity entry. */
  recordReceiptApplied(ret: ReturnRef, key: string, detail: string, at: Date): Promise<void>;
  /** The store refused the disposition (or its outcome is unknown). */
  recordReceiptFailed(ret: ReturnRef, key: string, message: string, at: Date): Promise<void>;
  receiptsOf(returnId: string): Promise<LedgerReceipt[]>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string | undefined): Promise<void>;
  close(): Promise<void>;
}

/** `<configDir>/stores/<shop>/ledger.sqlite`. */
export function ledgerPath(configDir: string, shop: string): string {
  return join(configDir, 'stores', shop, 'ledger.sqlite');
}

const MIGRATIONS: string[] = [
  `CREATE TABLE orders (
     order_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     message TEXT,
     delivered_hash TEXT,
     cancelled_delivered INTEGER NOT NULL DEFAULT 0,
     order_updated_at TEXT,
     last_event TEXT,
     last_event_id TEXT,
     first_seen_at TEXT NOT NULL,
     changed_at TEXT NOT NULL
   );
   CREATE INDEX orders_status ON orders (status, changed_at);
   CREATE INDEX orders_name ON orders (name);
   CREATE TABLE activity (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     order_id TEXT NOT NULL,
     at TEXT NOT NULL,
     action TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX activity_order ON activity (order_id, id);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  `ALTER TABLE orders ADD COLUMN warehouse_state TEXT NOT NULL DEFAULT 'none';
   ALTER TABLE orders ADD COLUMN warehouse_reason TEXT;
   ALTER TABLE orders ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE orders ADD COLUMN delivered_lines INTEGER;
   UPDATE orders SET warehouse_state = CASE
     WHEN cancelled_delivered = 1 THEN 'cancelled'
     WHEN delivered_hash IS NULL THEN 'none'
     WHEN status IN ('shipped', 'partially_shipped') THEN status
     ELSE 'active' END;
   CREATE INDEX orders_warehouse ON orders (warehouse_state);`,
  `CREATE TABLE shipments (
     key TEXT PRIMARY KEY,
     order_id TEXT NOT NULL,
     order_name TEXT NOT NULL,
     tracking_number TEXT NOT NULL,
     lines TEXT NOT NULL,
     state TEXT NOT NULL,
     fulfillment_id TEXT,
     message TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX shipments_order ON shipments (order_id);`,
  `CREATE TABLE returns (
     return_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     order_id TEXT NOT NULL,
     order_name TEXT NOT NULL,
     status TEXT NOT NULL,
     warehouse_state TEXT NOT NULL DEFAULT 'none',
     delivered_hash TEXT,
     last_event TEXT,
     last_event_id TEXT,
     order_updated_at TEXT,
     first_seen_at TEXT NOT NULL,
     changed_at TEXT NOT NULL
   );
   CREATE INDEX returns_name ON returns (name);
   CREATE INDEX returns_warehouse ON returns (warehouse_state);
   CREATE TABLE return_activity (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     return_id TEXT NOT NULL,
     at TEXT NOT NULL,
     action TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX return_activity_return ON return_activity (return_id, id);
   CREATE TABLE return_receipts (
     key TEXT PRIMARY KEY,
     return_id TEXT NOT NULL,
     return_name TEXT NOT NULL,
     sku TEXT NOT NULL,
     quantity INTEGER NOT NULL,
     disposition TEXT NOT NULL,
     baseline INTEGER NOT NULL,
     state TEXT NOT NULL,
     message TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX return_receipts_return ON return_receipts (return_id);`,
];

export async function openLedger(path: string, options: { readonly?: boolean } = {}): Promise<Ledger> {
  const Database = loadSqlite();
  return onLedger(path, () => {
    // The ledger holds order names, customers' line items and state: the owner's only (0600).
    if (!options.readonly && path !== ':memory:') ensurePrivateDatabaseFile(path);
    const db = new Database(path, {
      readonly: options.readonly === true,
      fileMustExist: options.readonly === true,
    });
    try {
      return createLedger(db, path, options.readonly === true);
    } catch (error) {
      db.close();
      throw error;
    }
  });
}

/** The SQLite ledger's methods as better-sqlite3 runs them: the same, answered synchronously. */
type SqliteLedger = {
  [K in keyof Ledger]: Ledger[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => R
    : Ledger[K];
};

/**
 * The ledger with every method answering a promise, its SQLite failures (a damaged file, a full
 * disk, a file another process holds) turned into rejections that name the file and say what to
 * do. The work itself still runs synchronously, at the call.
 */
function guarded(ledger: SqliteLedger, path: string): Ledger {
  return new Proxy(ledger, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => onLedger(path, () => value.apply(target, args));
    },
  }) as unknown as Ledger;
}

/** Wraps an open database (tests pass `:memory:`). Runs pending migrations unless read-only. */
export function createLedger(db: BetterSqlite3.Database, path: string, readonly = false): Ledger {
  return guarded(createSqliteLedger(db, path, readonly), path);
}

/**
 * A statement prepared when first run: a read-only `orders list` prepares only what it reads,
 * not the writes an import needs.
 */
function prepareOnUse<P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(
  db: BetterSqlite3.Database,
  sql: string,
): () => BetterSqlite3.Statement<P, R> {
  let statement: BetterSqlite3.Statement<P, R> | undefined;
  return () => {
    statement ??= db.prepare<P, R>(sql);
    return statement;
  };
}

function createSqliteLedger(db: BetterSqlite3.Database, path: string, readonly: boolean): SqliteLedger {
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new DsyncError(
        'ledger_newer',
        `the ledger ${path} was written by a newer dsync (schema ${version})`,
        ExitCode.error,
        { hint: 'upgrade dsync to use it (npm install -g dsync@latest)' },
      );
    }
    for (let v = version; v < MIGRATIONS.length; v += 1) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v] ?? '');
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  const getStmt = prepareOnUse<[string], OrderRow>(db, 'SELECT * FROM orders WHERE order_id = ?');
  const insertActivity = prepareOnUse<[string, string, string, string | null]>(
    db,
    'INSERT INTO activity (order_id, at, action, detail) VALUES (?, ?, ?, ?)',
  );
  const upsert = prepareOnUse(
    db,
    `INSERT INTO orders (order_id, name, status, reason, message, delivered_hash, cancelled_delivered,
       order_updated_at, last_event, last_event_id, first_seen_at, changed_at, warehouse_state,
       warehouse_reason, failures, delivered_lines)
     VALUES (@orderId, @name, @status, @reason, @message, @deliveredHash, @cancelledDelivered,
       @orderUpdatedAt, @lastEvent, @lastEventId, @at, @at, @warehouse, @warehouseReason, @failures, @deliveredLines)
     ON CONFLICT (order_id) DO UPDATE SET
       name = excluded.name, status = excluded.status, reason = excluded.reason,
       message = excluded.message, delivered_hash = excluded.delivered_hash,
       cancelled_delivered = excluded.cancelled_delivered, order_updated_at = excluded.order_updated_at,
       last_event = excluded.last_event, last_event_id = excluded.last_event_id, changed_at = excluded.changed_at,
       warehouse_state = excluded.warehouse_state, warehouse_reason = excluded.warehouse_reason,
       failures = excluded.failures, delivered_lines = excluded.delivered_lines`,
  );

  const shipmentGet = prepareOnUse<[string], ShipmentRow>(db, 'SELECT * FROM shipments WHERE key = ?');
  const shipmentUpsert = prepareOnUse(
    db,
    `INSERT INTO shipments (key, order_id, order_name, tracking_number, lines, state, fulfillment_id,
       message, created_at, updated_at)
     VALUES (@key, @orderId, @orderName, @trackingNumber, @lines, @state, @fulfillmentId, @message, @at, @at)
     ON CONFLICT (key) DO UPDATE SET
       order_name = excluded.order_name, state = excluded.state,
       fulfillment_id = COALESCE(excluded.fulfillment_id, shipments.fulfillment_id),
       message = excluded.message, updated_at = excluded.updated_at`,
  );

  const returnGet = prepareOnUse<[string], ReturnRow>(db, 'SELECT * FROM returns WHERE return_id = ?');
  const returnActivityInsert = prepareOnUse<[string, string, string, string | null]>(
    db,
    'INSERT INTO return_activity (return_id, at, action, detail) VALUES (?, ?, ?, ?)',
  );
  const returnUpsert = prepareOnUse(
    db,
    `INSERT INTO returns (return_id, name, order_id, order_name, status, warehouse_state, delivered_hash,
       last_event, last_event_id, order_updated_at, first_seen_at, changed_at)
     VALUES (@returnId, @name, @orderId, @orderName, @status, @warehouse, @deliveredHash, @lastEvent,
       @lastEventId, @updatedAt, @at, @at)
     ON CONFLICT (return_id) DO UPDATE SET
       name = excluded.name, order_id = excluded.order_id, order_name = excluded.order_name,
       status = excluded.status, warehouse_state = excluded.warehouse_state,
       delivered_hash = excluded.delivered_hash, last_event = excluded.last_event,
       last_event_id = excluded.last_event_id, order_updated_at = excluded.order_updated_at,
       changed_at = excluded.changed_at`,
  );
  /** A return's row with `change` applied over what was recorded. */
  const saveReturn = (ret: ReturnRef, change: ReturnChange, at: Date) => {
    returnUpsert().run(nextReturn(ret, returnGet().get(ret.returnId), change, at));
  };
  const receiptGet = prepareOnUse<[string], ReceiptRow>(db, 'SELECT * FROM return_receipts WHERE key = ?');
  const receiptState = prepareOnUse<[ReceiptState, string | null, string, string]>(
    db,
    'UPDATE return_receipts SET state = ?, message = ?, updated_at = ? WHERE key = ?',
  );

  /** One shipment's row in its new state (the fulfillment id, once known, is kept). */
  const saveShipment = (
    order: OrderRef,
    shipment: { key: string; trackingNumber: string; lines: ShipmentLine[] },
    state: { state: 'pending' | 'applied' | 'failed'; fulfillmentId: string | null; message: string | null },
    at: Date,
  ) =>
    shipmentUpsert().run({
      key: shipment.key,
      orderId: order.orderId,
      orderName: order.name,
      trackingNumber: shipment.trackingNumber,
      lines: JSON.stringify(shipment.lines),
      ...state,
      at: at.toISOString(),
    });

  const write = (
    order: OrderRef,
    at: Date,
    change: OrderChange,
    activity: { action: string; detail: string | null } | undefined,
  ) => {
    const prev = getStmt().get(order.orderId);
    const previous = prev ? fromRow(prev) : undefined;
    const next = nextOrder(order, previous, change, at);
    db.transaction(() => {
      upsert().run(next);
      if (activity) insertActivity().run(order.orderId, next.at, activity.action, activity.detail);
    })();
    return previous;
  };

  return {
    location: path,
    get(orderId) {
      const row = getStmt().get(orderId);
      return row ? fromRow(row) : undefined;
    },
    find(ref) {
      const text = ref.trim();
      if (text.startsWith('gid://')) return this.get(text);
      const byName = db
        .prepare<[string, string], OrderRow>(
          'SELECT * FROM orders WHERE name = ? OR name = ? ORDER BY changed_at DESC LIMIT 1',
        )
        .get(text, text.startsWith('#') ? text.slice(1) : `#${text}`);
      if (byName) return fromRow(byName);
      if (/^\d+$/.test(text)) return this.get(`gid://shopify/Order/${text}`);
      return undefined;
    },
    recordDelivered(order, event, state, at) {
      const delivered = deliveredChange(event, state);
      write(order, at, delivered.change, delivered.activity);
    },
    recordSkip(order, reason, detail, at) {
      const prev = getStmt().get(order.orderId);
      const same = prev && prev.status === 'skipped' && prev.reason === reason;
      write(
        order,
        at,
        { status: 'skipped', reason, message: detail },
        same ? undefined : { action: 'skipped', detail: `${reason}: ${detail}` },
      );
    },
    recordFailure(order, message, at) {
      const failures = (getStmt().get(order.orderId)?.failures ?? 0) + 1;
      write(order, at, { status: 'error', message, failures }, { action: 'error', detail: message });
      return failures;
    },
    recordSettled(order, state, detail, at) {
      const prev = getStmt().get(order.orderId);
      const status = STATUS_OF_STATE[state];
      const same = prev && prev.status === status;
      write(
        order,
        at,
        { status, message: detail, warehouse: state },
        same ? undefined : { action: state === 'active' ? 'kept' : state, detail },
      );
    },
    note(order, action, detail, at) {
      insertActivity().run(order.orderId, at.toISOString(), action, detail);
    },
    recordResolved(order, at) {
      const prev = getStmt().get(order.orderId);
      const state = prev?.warehouse_state ?? 'none';
      write(
        order,
        at,
        { status: STATUS_OF_STATE[state], reason: prev?.reason ?? null },
        { action: 'resolved', detail: `back to ${STATUS_OF_STATE[state]}` },
      );
    },
    recordResent(order, eventId, at) {
      const prev = getStmt().get(order.orderId);
      db.transaction(() => {
        if (prev)
          db.prepare('UPDATE orders SET order_updated_at = ? WHERE order_id = ?').run(
            order.updatedAt,
            order.orderId,
          );
        insertActivity().run(order.orderId, at.toISOString(), 'resent', `event ${eventId}`);
      })();
    },
    touch(order) {
      db.prepare('UPDATE orders SET order_updated_at = ? WHERE order_id = ?').run(
        order.updatedAt,
        order.orderId,
      );
    },
    followedCount() {
      const marks = FOLLOWED_STATES.map(() => '?').join(', ');
      const row = db
        .prepare<string[], { n: number }>(
          `SELECT COUNT(*) AS n FROM orders WHERE warehouse_state IN (${marks})`,
        )
        .get(...FOLLOWED_STATES);
      return row?.n ?? 0;
    },
    failingIds() {
      return db
        .prepare<[], { order_id: string }>(
          "SELECT order_id FROM orders WHERE status = 'error' ORDER BY changed_at",
        )
        .all()
        .map((row) => row.order_id);
    },
    deliveredSince(since) {
      return db
        .prepare<[string], OrderRow>(
          `SELECT o.* FROM orders o
             JOIN (SELECT order_id, MIN(at) AS first_at FROM activity
                    WHERE at >= ? AND action LIKE 'order.%' GROUP BY order_id) a ON a.order_id = o.order_id
            WHERE o.last_event_id IS NOT NULL
            ORDER BY a.first_at, o.order_id`,
        )
        .all(since.toISOString())
        .map(fromRow);
    },
    list(filter = {}) {
      const limit = filter.limit ?? -1;
      const rows = filter.status
        ? db
            .prepare<[string, number], OrderRow>(
              'SELECT * FROM orders WHERE status = ? ORDER BY changed_at DESC, order_id DESC LIMIT ?',
            )
            .all(filter.status, limit)
        : db
            .prepare<[number], OrderRow>(
              'SELECT * FROM orders ORDER BY changed_at DESC, order_id DESC LIMIT ?',
            )
            .all(limit);
      return rows.map(fromRow);
    },
    counts() {
      const out = Object.fromEntries(LEDGER_STATUSES.map((s) => [s, 0])) as Record<LedgerStatus, number>;
      const rows = db
        .prepare<[], { status: LedgerStatus; n: number }>(
          'SELECT status, COUNT(*) AS n FROM orders GROUP BY status',
        )
        .all();
      for (const row of rows) out[row.status] = row.n;
      return out;
    },
    activity(orderId, limit = 200) {
      return db
        .prepare<[string, number], { at: string; order_id: string; action: string; detail: string | null }>(
          'SELECT at, order_id, action, detail FROM activity WHERE order_id = ? ORDER BY id DESC LIMIT ?',
        )
        .all(orderId, limit)
        .reverse()
        .map((row) => ({
          at: row.at,
          orderId: row.order_id,
          name: getStmt().get(row.order_id)?.name ?? '',
          action: row.action,
          detail: row.detail,
        }));
    },
    shipment(key) {
      const row = shipmentGet().get(key);
      return row ? fromShipmentRow(row) : undefined;
    },
    recordShipmentIntent(order, shipment, at) {
      saveShipment(order, shipment, { state: 'pending', fulfillmentId: null, message: null }, at);
    },
    recordShipmentApplied(order, shipment, state, detail, at) {
      db.transaction(() => {
        saveShipment(
          order,
          shipment,
          { state: 'applied', fulfillmentId: shipment.fulfillmentId, message: null },
          at,
        );
        write(
          order,
          at,
          { status: state, message: detail, warehouse: state },
          { action: 'shipment', detail },
        );
      })();
    },
    recordShipmentFailed(order, shipment, message, at) {
      db.transaction(() => {
        saveShipment(order, shipment, { state: 'failed', fulfillmentId: null, message }, at);
        const when = at.toISOString();
        const detail = `tracking ${shipment.trackingNumber}: ${message}`;
        if (getStmt().get(order.orderId)) {
          // The order's status belongs to its life with the warehouse: only the detail changes.
          db.prepare('UPDATE orders SET message = ?, changed_at = ? WHERE order_id = ?').run(
            detail,
            when,
            order.orderId,
          );
          insertActivity().run(order.orderId, when, 'shipment_failed', detail);
        } else {
          write(order, at, { status: 'error', message: detail }, { action: 'shipment_failed', detail });
        }
      })();
    },
    shipmentsOf(orderId) {
      return db
        .prepare<[string], ShipmentRow>('SELECT * FROM shipments WHERE order_id = ? ORDER BY created_at, key')
        .all(orderId)
        .map(fromShipmentRow);
    },
    getReturn(returnId) {
      const row = returnGet().get(returnId);
      return row ? fromReturnRow(row) : undefined;
    },
    findReturn(ref) {
      const text = ref.trim();
      if (text.startsWith('gid://')) return this.getReturn(text);
      const bare = text.startsWith('#') ? text.slice(1) : text;
      const byName = db
        .prepare<[string, string], ReturnRow>(
          'SELECT * FROM returns WHERE name = ? OR name = ? ORDER BY changed_at DESC LIMIT 1',
        )
        .get(bare, `#${bare}`);
      if (byName) return fromReturnRow(byName);
      if (/^\d+$/.test(text)) return this.getReturn(`gid://shopify/Return/${text}`);
      return undefined;
    },
    listReturns(filter = {}) {
      const limit = filter.limit ?? -1;
      const rows = filter.warehouse
        ? db
            .prepare<[string, number], ReturnRow>(
              'SELECT * FROM returns WHERE warehouse_state = ? ORDER BY changed_at DESC, return_id DESC LIMIT ?',
            )
            .all(filter.warehouse, limit)
        : db
            .prepare<[number], ReturnRow>(
              'SELECT * FROM returns ORDER BY changed_at DESC, return_id DESC LIMIT ?',
            )
            .all(limit);
      return rows.map(fromReturnRow);
    },
    followedReturns() {
      return db
        .prepare<[], ReturnRow>("SELECT * FROM returns WHERE warehouse_state = 'open' ORDER BY return_id")
        .all()
        .map(fromReturnRow);
    },
    recordReturnDelivered(ret, event, state, at) {
      db.transaction(() => {
        saveReturn(
          ret,
          { warehouse: state, deliveredHash: event.hash, lastEvent: event.type, lastEventId: event.id },
          at,
        );
        returnActivityInsert().run(ret.returnId, at.toISOString(), event.type, `event ${event.id}`);
      })();
    },
    recordReturnSeen(ret, at) {
      saveReturn(ret, {}, at);
    },
    noteReturn(ret, action, detail, at) {
      db.transaction(() => {
        if (!returnGet().get(ret.returnId)) saveReturn(ret, {}, at);
        returnActivityInsert().run(ret.returnId, at.toISOString(), action, detail);
      })();
    },
    returnActivity(returnId, limit = 200) {
      return db
        .prepare<[string, number], { at: string; return_id: string; action: string; detail: string | null }>(
          'SELECT at, return_id, action, detail FROM return_activity WHERE return_id = ? ORDER BY id DESC LIMIT ?',
        )
        .all(returnId, limit)
        .reverse()
        .map((row) => ({ at: row.at, returnId: row.return_id, action: row.action, detail: row.detail }));
    },
    receipt(key) {
      const row = receiptGet().get(key);
      return row ? fromReceiptRow(row) : undefined;
    },
    recordReceiptIntent(ret, receipt, at) {
      const when = at.toISOString();
      db.transaction(() => {
        if (!returnGet().get(ret.returnId)) saveReturn(ret, {}, at);
        db.prepare(
          `INSERT INTO return_receipts (key, return_id, return_name, sku, quantity, disposition, baseline,
             state, message, created_at, updated_at)
           VALUES (@key, @returnId, @returnName, @sku, @quantity, @disposition, @baseline, 'pending', NULL, @at, @at)
           ON CONFLICT (key) DO UPDATE SET state = 'pending', message = NULL, baseline = excluded.baseline,
             updated_at = excluded.updated_at`,
        ).run({ ...receipt, returnId: ret.returnId, returnName: ret.name, at: when });
      })();
    },
    recordReceiptApplied(ret, key, detail, at) {
      const when = at.toISOString();
      db.transaction(() => {
        receiptState().run('applied', null, when, key);
        returnActivityInsert().run(ret.returnId, when, 'received', detail);
      })();
    },
    recordReceiptFailed(ret, key, message, at) {
      const when = at.toISOString();
      db.transaction(() => {
        receiptState().run('failed', message, when, key);
        returnActivityInsert().run(ret.returnId, when, 'receive_failed', message);
      })();
    },
    receiptsOf(returnId) {
      return db
        .prepare<[string], ReceiptRow>(
          'SELECT * FROM return_receipts WHERE return_id = ? ORDER BY created_at, key',
        )
        .all(returnId)
        .map(fromReceiptRow);
    },
    getMeta(key) {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
      return row?.value;
    },
    setMeta(key, value) {
      if (value === undefined) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
      else
        db.prepare(
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ).run(key, value);
    },
    close() {
      db.close();
    },
  };
}
