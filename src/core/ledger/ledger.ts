import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

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
] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

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

export interface Ledger {
  readonly path: string;
  get(orderId: string): LedgerOrder | undefined;
  /** By order name (`#1001` or `1001`) or numeric id. */
  find(ref: string): LedgerOrder | undefined;
  recordDelivered(order: OrderRef, event: { type: string; id: string; hash: string }, at: Date): void;
  recordSkip(order: OrderRef, reason: string, detail: string, at: Date): void;
  recordError(order: OrderRef, message: string, at: Date): void;
  /** shipped / partially_shipped / cancelled without an event (never delivered, or fulfilled). */
  recordStatus(order: OrderRef, status: LedgerStatus, detail: string, at: Date): void;
  /** Notes the latest updatedAt seen without changing anything else. */
  touch(order: OrderRef): void;
  list(filter?: { status?: LedgerStatus; limit?: number }): LedgerOrder[];
  counts(): Record<LedgerStatus, number>;
  activity(orderId: string, limit?: number): ActivityEntry[];
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string | undefined): void;
  transaction<T>(work: () => T): T;
  close(): void;
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
];

interface OrderRow {
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
}

function fromRow(row: OrderRow): LedgerOrder {
  return {
    orderId: row.order_id,
    name: row.name,
    status: row.status,
    reason: row.reason,
    message: row.message,
    deliveredHash: row.delivered_hash,
    cancelledDelivered: row.cancelled_delivered === 1,
    orderUpdatedAt: row.order_updated_at,
    lastEvent: row.last_event,
    lastEventId: row.last_event_id,
    firstSeenAt: row.first_seen_at,
    changedAt: row.changed_at,
  };
}

export async function openLedger(path: string, options: { readonly?: boolean } = {}): Promise<Ledger> {
  // better-sqlite3 is CommonJS: its module.exports is the constructor.
  const loaded = (await import('better-sqlite3')) as unknown as { default: typeof BetterSqlite3 };
  const Database = loaded.default;
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path, {
    readonly: options.readonly === true,
    fileMustExist: options.readonly === true,
  });
  return createLedger(db, path, options.readonly === true);
}

/** Wraps an open database (tests pass `:memory:`). Runs pending migrations unless read-only. */
export function createLedger(db: BetterSqlite3.Database, path: string, readonly = false): Ledger {
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `the ledger ${path} was written by a newer dsync (schema ${version}); upgrade dsync to use it`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v += 1) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v] ?? '');
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  const getStmt = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE order_id = ?');
  const insertActivity = db.prepare<[string, string, string, string | null]>(
    'INSERT INTO activity (order_id, at, action, detail) VALUES (?, ?, ?, ?)',
  );
  const upsert = db.prepare(
    `INSERT INTO orders (order_id, name, status, reason, message, delivered_hash, cancelled_delivered,
       order_updated_at, last_event, last_event_id, first_seen_at, changed_at)
     VALUES (@orderId, @name, @status, @reason, @message, @deliveredHash, @cancelledDelivered,
       @orderUpdatedAt, @lastEvent, @lastEventId, @at, @at)
     ON CONFLICT (order_id) DO UPDATE SET
       name = excluded.name, status = excluded.status, reason = excluded.reason,
       message = excluded.message, delivered_hash = excluded.delivered_hash,
       cancelled_delivered = excluded.cancelled_delivered, order_updated_at = excluded.order_updated_at,
       last_event = excluded.last_event, last_event_id = excluded.last_event_id, changed_at = excluded.changed_at`,
  );

  const write = (
    order: OrderRef,
    at: Date,
    change: Partial<Omit<LedgerOrder, 'orderId' | 'name' | 'firstSeenAt' | 'changedAt'>> & {
      status: LedgerStatus;
    },
    activity: { action: string; detail: string | null } | undefined,
  ) => {
    const prev = getStmt.get(order.orderId);
    const previous = prev ? fromRow(prev) : undefined;
    const next = {
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
      at: at.toISOString(),
    };
    db.transaction(() => {
      upsert.run(next);
      if (activity) insertActivity.run(order.orderId, next.at, activity.action, activity.detail);
    })();
    return previous;
  };

  return {
    path,
    get(orderId) {
      const row = getStmt.get(orderId);
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
    recordDelivered(order, event, at) {
      const cancelled = event.type === 'order.cancelled';
      write(
        order,
        at,
        {
          status: cancelled ? 'cancelled' : 'imported',
          deliveredHash: cancelled ? undefined : event.hash,
          cancelledDelivered: cancelled ? true : undefined,
          lastEvent: event.type,
          lastEventId: event.id,
        },
        { action: event.type, detail: `event ${event.id}` },
      );
    },
    recordSkip(order, reason, detail, at) {
      const prev = getStmt.get(order.orderId);
      const same = prev && prev.status === 'skipped' && prev.reason === reason;
      write(
        order,
        at,
        { status: 'skipped', reason, message: detail },
        same ? undefined : { action: 'skipped', detail: `${reason}: ${detail}` },
      );
    },
    recordError(order, message, at) {
      write(order, at, { status: 'error', message }, { action: 'error', detail: message });
    },
    recordStatus(order, status, detail, at) {
      const prev = getStmt.get(order.orderId);
      const same = prev && prev.status === status;
      write(order, at, { status, message: detail }, same ? undefined : { action: status, detail });
    },
    touch(order) {
      db.prepare('UPDATE orders SET order_updated_at = ? WHERE order_id = ?').run(
        order.updatedAt,
        order.orderId,
      );
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
          name: getStmt.get(row.order_id)?.name ?? '',
          action: row.action,
          detail: row.detail,
        }));
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
    transaction(work) {
      return db.transaction(work)();
    },
    close() {
      db.close();
    },
  };
}
