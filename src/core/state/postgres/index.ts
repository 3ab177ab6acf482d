import type { Pool } from 'pg';
import { DsyncError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { LockHolder } from '../../lock/lock.js';
import type { StateLock, StateLockOptions, StateStore } from '../state.js';
import { postgresFailure } from './failure.js';
import { createPostgresLedger } from './ledger.js';
import { dropAdvisoryLock, lockedBy, readHolder, takeAdvisoryLock } from './lock.js';
import { dumpPostgresLedger, loadPostgresLedger, postgresRowCount } from './dump.js';
import { DUMP_PARTS, type LedgerDump } from '../dump.js';
import { migrate, SCHEMA } from './schema.js';
import { Session } from './session.js';
import { type PostgresTarget, parsePostgresUrl } from './url.js';

/** Connections one dsync process may open: a store in flight uses one (see README, "Running a fleet"). */
const POOL_MAX = 64;

/** The PostgreSQL store, with what `dsync state migrate` needs beyond a StateStore. */
export interface PostgresStateStore extends StateStore {
  readonly kind: 'postgres';
  /** Rows this store already has here (0 for a store never run against this database). */
  rowCount(shop: string): Promise<number>;
  /**
   * Writes a store's ledger copied from elsewhere, in one transaction that also reads it back and
   * compares: on any difference nothing is written. Refused when the store already has rows.
   */
  importLedger(shop: string, dump: LedgerDump): Promise<void>;
}

interface Shared {
  session: Session;
  users: number;
  locks: Set<string>;
}

/**
 * The state of every store in one PostgreSQL database (DSYNC_STATE_URL): ledgers, checkpoints,
 * run locks. node-postgres is loaded only here. Each store in flight gets one connection,
 * shared by its run lock and its ledger, so that nothing is written for a store whose lock
 * this process has lost (a dropped connection ends both).
 */
export async function createPostgresStateStore(url: string): Promise<PostgresStateStore> {
  const target = parsePostgresUrl(url);
  const { default: pg } = await import('pg');
  const pool: Pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 5_000,
    application_name: 'dsync',
  });
  // An idle pooled connection the server drops must not crash the process.
  pool.on('error', () => undefined);
  // A worker's locks last as long as the server believes its connection is alive. A process that
  // dies closes its socket and frees them at once; for a machine that vanishes, these keepalives
  // let the server notice within about a minute instead of the system's two hours. A session that
  // stalls inside a transaction is ended, its locks with it, rather than holding a store forever.
  pool.on('connect', (client) => {
    client
      .query(
        `SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3;
         SET idle_in_transaction_session_timeout = '60s'; SET statement_timeout = '300s'`,
      )
      .catch(() => undefined);
  });

  const shared = new Map<string, Shared>();
  let schema: Promise<void> | undefined;

  const connect = async (): Promise<Session> => {
    try {
      return new Session(await pool.connect(), target);
    } catch (error) {
      throw postgresFailure(error, target) ?? error;
    }
  };
  const ensureSchema = (session: Session) => {
    schema ??= session
      .exclusive(() => migrate(session))
      .then((result) => {
        if (result.newer) {
          throw new DsyncError(
            'state_newer',
            `the state store ${target.display} was written by a newer dsync (schema ${result.version})`,
            ExitCode.error,
            { hint: 'upgrade dsync on this machine to the version the other workers run' },
          );
        }
      });
    schema.catch(() => {
      schema = undefined;
    });
    return schema;
  };
  const acquire = async (shop: string): Promise<Shared> => {
    const existing = shared.get(shop);
    if (existing && !existing.session.isBroken) {
      existing.users += 1;
      return existing;
    }
    const session = await connect();
    try {
      await ensureSchema(session);
    } catch (error) {
      session.client.release(true);
      throw error;
    }
    const entry: Shared = { session, users: 1, locks: new Set() };
    shared.set(shop, entry);
    return entry;
  };
  const release = (shop: string, entry: Shared) => {
    entry.users -= 1;
    if (entry.users > 0) return;
    if (shared.get(shop) === entry) shared.delete(shop);
    entry.session.client.release(entry.session.isBroken);
  };

  const store: PostgresStateStore = {
    kind: 'postgres',
    location: target.display,
    async openLedger(shop: string): Promise<Ledger> {
      const entry = await acquire(shop);
      return ledgerOn(entry, shop, false);
    },
    async openLedgerReadonly(shop: string): Promise<Ledger | undefined> {
      const entry = await acquire(shop);
      const exists = await entry.session
        .exclusive(() => storeExists(entry.session, shop))
        .catch((error: unknown) => {
          release(shop, entry);
          throw error;
        });
      if (!exists) {
        release(shop, entry);
        return undefined;
      }
      return ledgerOn(entry, shop, true);
    },
    async lock(shop: string, options: StateLockOptions): Promise<StateLock> {
      const name = options.name ?? options.command;
      const entry = await acquire(shop);
      try {
        if (entry.locks.has(name)) {
          throw lockedBy(
            await entry.session.exclusive(() => readHolder(entry.session, shop, name)),
            shop,
            name,
            target.display,
          );
        }
        const taken = await entry.session.exclusive(() =>
          takeAdvisoryLock(entry.session, shop, {
            name,
            command: options.command,
            now: options.now ?? new Date(),
          }),
        );
        entry.locks.add(name);
        let released = false;
        return {
          name,
          async release() {
            if (released) return;
            released = true;
            entry.locks.delete(name);
            try {
              // A connection already lost has released the lock on the server.
              if (!entry.session.isBroken)
                await entry.session.exclusive(() => dropAdvisoryLock(entry.session, shop, name, taken));
            } catch (error) {
              // The lock is in doubt: end the connection, and the server releases it with it.
              entry.session.discard(error);
            } finally {
              release(shop, entry);
            }
          },
        };
      } catch (error) {
        release(shop, entry);
        throw error;
      }
    },
    async lockHolder(shop: string, name = 'import'): Promise<LockHolder | undefined> {
      const session = await connect();
      try {
        return await session.exclusive(async () => {
          const exists = await session.one<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
            `${SCHEMA}.locks`,
          ]);
          return exists?.ok ? readHolder(session, shop, name) : undefined;
        });
      } finally {
        session.client.release();
      }
    },
    async rowCount(shop: string): Promise<number> {
      const entry = await acquire(shop);
      try {
        return await entry.session.exclusive(() => postgresRowCount(entry.session, shop));
      } finally {
        release(shop, entry);
      }
    },
    async importLedger(shop: string, dump: LedgerDump): Promise<void> {
      const entry = await acquire(shop);
      const s = entry.session;
      try {
        await s.exclusive(() =>
          s.transaction(async () => {
            const existing = await postgresRowCount(s, shop);
            if (existing > 0) {
              throw new DsyncError(
                'state_not_empty',
                `${shop} already has ${existing} rows in ${target.display}`,
                ExitCode.usage,
                {
                  hint: 'it was migrated (or has run there) before: use it as it is; migrate copies into a store with no rows only',
                  details: { state: target.display, rows: existing },
                },
              );
            }
            await loadPostgresLedger(s, shop, dump);
            const back = await dumpPostgresLedger(s, shop);
            const differs = DUMP_PARTS.find(
              (part) => JSON.stringify(back[part]) !== JSON.stringify(dump[part]),
            );
            if (differs) {
              throw new DsyncError(
                'state_copy_differs',
                `the copy of ${shop}'s ${differs} read back from ${target.display} differs from the source; nothing was written`,
                ExitCode.error,
                {
                  hint: 'run again with --debug and report it',
                  details: { state: target.display, table: differs },
                },
              );
            }
          }),
        );
      } finally {
        release(shop, entry);
      }
    },
    async close(): Promise<void> {
      // Connections still out (a lock never released after a failure) end here, their locks with them.
      for (const entry of shared.values()) entry.session.client.release(true);
      shared.clear();
      await pool.end().catch(() => undefined);
    },
  };

  function ledgerOn(entry: Shared, shop: string, readonly: boolean): Ledger {
    let closed = false;
    return createPostgresLedger(entry.session, shop, {
      readonly,
      onClose: async () => {
        if (closed) return;
        closed = true;
        release(shop, entry);
      },
    });
  }

  return store;
}

async function storeExists(session: Session, shop: string): Promise<boolean> {
  const row = await session.one<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM dsync.orders WHERE shop = $1)
         OR EXISTS (SELECT 1 FROM dsync.meta WHERE shop = $1)
         OR EXISTS (SELECT 1 FROM dsync.returns WHERE shop = $1)
         OR EXISTS (SELECT 1 FROM dsync.shipments WHERE shop = $1) AS ok`,
    [shop],
  );
  return row?.ok === true;
}

export type { PostgresTarget };
