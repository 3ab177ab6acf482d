import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import { ledgerPath } from '../../core/ledger/ledger.js';
import { DUMP_PARTS, type DumpPart, dumpCounts } from '../../core/state/dump.js';
import { isPostgresUrl, parsePostgresUrl } from '../../core/state/postgres/url.js';
import { createSqliteStateStore } from '../../core/state/sqlite-state.js';
import { dumpSqliteLedger } from '../../core/state/sqlite-dump.js';
import type { StateLock } from '../../core/state/state.js';
import { selectStore } from '../../core/store-selection.js';

export interface MigrateOptions {
  /**
   * `--to`: postgres://user@host:port/db, without a password (PGPASSWORD or ~/.pgpass carry it);
   * when left out, DSYNC_STATE_URL (which may carry one: the environment is not the command line).
   */
  to: string | undefined;
  dryRun: boolean;
}

export interface MigrateResult {
  shop: string;
  /** The SQLite ledger copied from (left in place). */
  from: string;
  /** The PostgreSQL database copied to (no password). */
  to: string;
  /** migrated; `empty` when the store has no ledger here; `dry-run` when nothing was written. */
  status: 'migrated' | 'empty' | 'dry-run';
  rows: Record<DumpPart, number>;
}

/** The lock both stores take: the import's, so no import of this store runs on either side meanwhile. */
const LOCK = { command: 'state migrate', name: 'import' } as const;

/**
 * `dsync state migrate --to postgres://…`: copies one store's SQLite ledger (orders, activity,
 * shipments, returns, receipts, checkpoints) into PostgreSQL, holding the store's import lock on
 * both sides, into a store with no rows there, read back and compared in the same transaction.
 * The SQLite file is left as it is.
 */
export async function migrateStore(
  deps: Pick<Deps, 'global' | 'config' | 'configDir' | 'credentialsDir' | 'clock' | 'env'>,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const url = targetUrl(options.to, deps.env.DSYNC_STATE_URL);
  const to = parsePostgresUrl(url, options.to === undefined ? 'DSYNC_STATE_URL' : '--to');
  const shop = await selectStore(deps);
  const from = ledgerPath(deps.configDir, shop);
  const source = createSqliteStateStore(deps.configDir);
  const { createPostgresStateStore } = await import('../../core/state/postgres/index.js');
  const target = await createPostgresStateStore(url);
  const locks: StateLock[] = [];
  try {
    const now = deps.clock.now();
    if (!options.dryRun) {
      locks.push(await source.lock(shop, { ...LOCK, now }));
      locks.push(await target.lock(shop, { ...LOCK, now }));
    }
    const dump = dumpSqliteLedger(deps.configDir, shop);
    const base = { shop, from, to: to.display };
    if (dump === undefined) {
      return {
        ...base,
        status: 'empty',
        rows: Object.fromEntries(DUMP_PARTS.map((part) => [part, 0])) as MigrateResult['rows'],
      };
    }
    if (options.dryRun) {
      const existing = await target.rowCount(shop);
      if (existing > 0) {
        throw new UsageError(`${shop} already has ${existing} rows in ${to.display}`, {
          hint: 'it was migrated (or has run there) before: use it as it is',
        });
      }
      return { ...base, status: 'dry-run', rows: dumpCounts(dump) };
    }
    await target.importLedger(shop, dump);
    return { ...base, status: 'migrated', rows: dumpCounts(dump) };
  } finally {
    for (const lock of locks.reverse()) await lock.release().catch(() => undefined);
    await source.close();
    await target.close();
  }
}

function targetUrl(to: string | undefined, fromEnv: string | undefined): string {
  if (to === undefined) {
    if (fromEnv && isPostgresUrl(fromEnv)) return fromEnv;
    throw new UsageError('where to? --to postgres://… names the database to copy the ledger to', {
      hint: 'PGPASSWORD=… dsync state migrate --to postgres://user@host:5432/database',
    });
  }
  if (!isPostgresUrl(to)) {
    throw new UsageError(`--to must be a postgres:// URL, got "${to.replace(/:[^:@/]*@/, ':…@')}"`, {
      hint: 'dsync state migrate --to postgres://user@host:5432/database',
    });
  }
  if (parsePostgresUrl(to, '--to').hasPassword) {
    throw new UsageError(
      '--to must not carry a password: a command line is visible to every user of the machine',
      {
        hint: `PGPASSWORD=… dsync state migrate --to ${parsePostgresUrl(to, '--to').display} (or put it in ~/.pgpass)`,
      },
    );
  }
  return to;
}
