import type { Session } from './session.js';

/**
 * The state of every store in one schema, `dsync`: the same tables as a store's SQLite ledger,
 * each row keyed by its shop. Text columns use the "C" collation so that ordering (times, ids)
 * is byte order, as in SQLite. Migrations run once per database, under a transaction-scoped
 * advisory lock, so workers starting together do not race to create the tables.
 */
export const SCHEMA = 'dsync';

const T = 'TEXT COLLATE "C"';

export const MIGRATIONS: string[] = [
  `CREATE TABLE IF NOT EXISTS dsync.orders (
     shop ${T} NOT NULL,
     order_id ${T} NOT NULL,
     name ${T} NOT NULL,
     status ${T} NOT NULL,
     reason ${T},
     message ${T},
     delivered_hash ${T},
     cancelled_delivered INTEGER NOT NULL DEFAULT 0,
     order_updated_at ${T},
     last_event ${T},
     last_event_id ${T},
     first_seen_at ${T} NOT NULL,
     changed_at ${T} NOT NULL,
     warehouse_state ${T} NOT NULL DEFAULT 'none',
     warehouse_reason ${T},
     failures INTEGER NOT NULL DEFAULT 0,
     delivered_lines INTEGER,
     PRIMARY KEY (shop, order_id)
   );
   CREATE INDEX IF NOT EXISTS orders_status ON dsync.orders (shop, status, changed_at);
   CREATE INDEX IF NOT EXISTS orders_name ON dsync.orders (shop, name);
   CREATE INDEX IF NOT EXISTS orders_warehouse ON dsync.orders (shop, warehouse_state);
   CREATE TABLE IF NOT EXISTS dsync.activity (
     id BIGSERIAL PRIMARY KEY,
     shop ${T} NOT NULL,
     order_id ${T} NOT NULL,
     at ${T} NOT NULL,
     action ${T} NOT NULL,
     detail ${T}
   );
   CREATE INDEX IF NOT EXISTS activity_order ON dsync.activity (shop, order_id, id);
   CREATE INDEX IF NOT EXISTS activity_at ON dsync.activity (shop, at);
   CREATE TABLE IF NOT EXISTS dsync.meta (
     shop ${T} NOT NULL,
     key ${T} NOT NULL,
     value ${T} NOT NULL,
     PRIMARY KEY (shop, key)
   );
   CREATE TABLE IF NOT EXISTS dsync.shipments (
     shop ${T} NOT NULL,
     key ${T} NOT NULL,
     order_id ${T} NOT NULL,
     order_name ${T} NOT NULL,
     tracking_number ${T} NOT NULL,
     lines ${T} NOT NULL,
     state ${T} NOT NULL,
     fulfillment_id ${T},
     message ${T},
     created_at ${T} NOT NULL,
     updated_at ${T} NOT NULL,
     PRIMARY KEY (shop, key)
   );
   CREATE INDEX IF NOT EXISTS shipments_order ON dsync.shipments (shop, order_id);
   CREATE TABLE IF NOT EXISTS dsync.returns (
     shop ${T} NOT NULL,
     return_id ${T} NOT NULL,
     name ${T} NOT NULL,
     order_id ${T} NOT NULL,
     order_name ${T} NOT NULL,
     status ${T} NOT NULL,
     warehouse_state ${T} NOT NULL DEFAULT 'none',
     delivered_hash ${T},
     last_event ${T},
     last_event_id ${T},
     order_updated_at ${T},
     first_seen_at ${T} NOT NULL,
     changed_at ${T} NOT NULL,
     PRIMARY KEY (shop, return_id)
   );
   CREATE INDEX IF NOT EXISTS returns_name ON dsync.returns (shop, name);
   CREATE INDEX IF NOT EXISTS returns_warehouse ON dsync.returns (shop, warehouse_state);
   CREATE TABLE IF NOT EXISTS dsync.return_activity (
     id BIGSERIAL PRIMARY KEY,
     shop ${T} NOT NULL,
     return_id ${T} NOT NULL,
     at ${T} NOT NULL,
     action ${T} NOT NULL,
     detail ${T}
   );
   CREATE INDEX IF NOT EXISTS return_activity_return ON dsync.return_activity (shop, return_id, id);
   CREATE TABLE IF NOT EXISTS dsync.return_receipts (
     shop ${T} NOT NULL,
     key ${T} NOT NULL,
     return_id ${T} NOT NULL,
     return_name ${T} NOT NULL,
     sku ${T} NOT NULL,
     quantity INTEGER NOT NULL,
     disposition ${T} NOT NULL,
     baseline INTEGER NOT NULL,
     state ${T} NOT NULL,
     message ${T},
     created_at ${T} NOT NULL,
     updated_at ${T} NOT NULL,
     PRIMARY KEY (shop, key)
   );
   CREATE INDEX IF NOT EXISTS return_receipts_return ON dsync.return_receipts (shop, return_id);
   CREATE TABLE IF NOT EXISTS dsync.locks (
     shop ${T} NOT NULL,
     name ${T} NOT NULL,
     pid INTEGER NOT NULL,
     host ${T} NOT NULL,
     started_at ${T} NOT NULL,
     command ${T} NOT NULL,
     token ${T} NOT NULL,
     backend_pid INTEGER NOT NULL,
     PRIMARY KEY (shop, name)
   );`,
];

/** A constant key for the migration lock (any bigint no store lock uses: those are hashes). */
const MIGRATION_LOCK = '7318391146812734501';

/** Creates or upgrades the dsync schema; a newer schema than this dsync knows is refused. */
export async function migrate(session: Session): Promise<{ version: number; newer: boolean }> {
  return session.transaction(async () => {
    await session.run('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
    await session.run(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await session.run(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_version (version INTEGER NOT NULL)`);
    const row = await session.one<{ version: number }>(`SELECT version FROM ${SCHEMA}.schema_version`);
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) return { version: current, newer: true };
    for (let v = current; v < MIGRATIONS.length; v += 1) await session.run(MIGRATIONS[v] ?? '');
    if (row === undefined) {
      await session.run(`INSERT INTO ${SCHEMA}.schema_version (version) VALUES ($1)`, [MIGRATIONS.length]);
    } else if (current !== MIGRATIONS.length) {
      await session.run(`UPDATE ${SCHEMA}.schema_version SET version = $1`, [MIGRATIONS.length]);
    }
    return { version: MIGRATIONS.length, newer: false };
  });
}
