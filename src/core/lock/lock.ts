import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { LockedError } from '../errors.js';
import { ledgerFailure } from '../ledger/failure.js';
import { ledgerPath } from '../ledger/ledger.js';
import { ensurePrivateDatabaseFile } from '../private-file.js';
import { loadSqlite } from '../sqlite.js';

/**
 * A per-store run lock: a row in the `locks` table of a SQLite file (the store's ledger for the
 * import), holding the holder's pid, host and start time. Reading the row and writing ours happen
 * in one IMMEDIATE transaction, so of two runs that find the same stale lock exactly one takes it
 * over. A second run fails at once with LockedError (exit 5) naming the holder. A lock whose
 * holder died on this host is stale and is taken over.
 *
 * The table is created with CREATE TABLE IF NOT EXISTS and never touches `user_version`: the
 * ledger's migrations own that, and the lock must work on a file the ledger has not migrated yet.
 */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export interface LockHandle {
  /** The SQLite file holding the lock. */
  readonly path: string;
  /** The lock's row in it. */
  readonly name: string;
  release(): void;
}

export interface LockOptions {
  pid?: number;
  host?: string;
  now?: Date;
  command?: string;
  /** The lock's row; default: the command (`import`). Locks with different names never block each other. */
  name?: string;
  /** Whether a pid is alive on this host (injectable for tests). */
  isAlive?: (pid: number) => boolean;
  /** How long to wait for another process's transaction on the file. Default 5 s. */
  busyTimeoutMs?: number;
}

/** The import lock lives in the store's ledger file (`<configDir>/stores/<shop>/ledger.sqlite`). */
export function importLockPath(configDir: string, shop: string): string {
  return ledgerPath(configDir, shop);
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS locks (
  name TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  started_at TEXT NOT NULL,
  command TEXT NOT NULL,
  token TEXT NOT NULL
)`;

interface LockRow {
  pid: number;
  host: string;
  started_at: string;
  command: string;
  token: string;
}

function open(path: string, busyTimeoutMs: number): BetterSqlite3.Database {
  // Loaded on first use, synchronously so that taking a lock stays one synchronous step.
  const Database = loadSqlite();
  ensurePrivateDatabaseFile(path);
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    // The ledger keeps this file in WAL mode; a file the lock creates first starts the same way.
    db.pragma('journal_mode = WAL');
    db.exec(CREATE_TABLE);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function holderOf(row: LockRow): LockHolder {
  return { pid: row.pid, host: row.host, startedAt: row.started_at, command: row.command };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function removeHint(path: string, name: string): string {
  return `sqlite3 '${path}' "DELETE FROM locks WHERE name = '${name.replace(/'/g, "''")}'"`;
}

export function acquireLock(path: string, label: string, options: LockOptions = {}): LockHandle {
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    startedAt: (options.now ?? new Date()).toISOString(),
    command: options.command ?? 'import',
  };
  const name = options.name ?? me.command;
  const isAlive = options.isAlive ?? processIsAlive;
  // node:crypto loads here, not with the module: `orders list` reads the ledger beside the locks
  // table and should not pay for a module it never uses.
  const token = process.getBuiltinModule('node:crypto').randomBytes(12).toString('hex');
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;

  let holder: LockHolder | undefined;
  let db: BetterSqlite3.Database | undefined;
  try {
    db = open(path, busyTimeoutMs);
    const conn = db;
    const take = conn.transaction((): LockHolder | undefined => {
      const row = conn
        .prepare<[string], LockRow>('SELECT pid, host, started_at, command, token FROM locks WHERE name = ?')
        .get(name);
      if (row && !(row.host === me.host && !isAlive(row.pid))) return holderOf(row);
      conn
        .prepare(
          `INSERT INTO locks (name, pid, host, started_at, command, token) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host,
             started_at = excluded.started_at, command = excluded.command, token = excluded.token`,
        )
        .run(name, me.pid, me.host, me.startedAt, me.command, token);
      return undefined;
    });
    holder = take.immediate();
  } catch (error) {
    if (!isBusy(error)) throw ledgerFailure(error, path) ?? error;
    throw new LockedError(`could not take the ${name} lock for ${label}: ${path} stayed busy`, {
      hint: 'another dsync is writing to it; try again in a moment',
      details: { lockFile: path, lock: name },
    });
  } finally {
    db?.close();
  }

  if (holder) {
    throw new LockedError(
      `another dsync ${holder.command || name} is running for ${label} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`,
      {
        hint:
          holder.host === me.host
            ? `wait for it to finish, or stop it (kill ${holder.pid}); a lock whose process has died is taken over`
            : `it runs on another host; if that host is gone, remove the lock: ${removeHint(path, name)}`,
        details: {
          pid: holder.pid,
          host: holder.host,
          startedAt: holder.startedAt,
          command: holder.command,
          lockFile: path,
          lock: name,
        },
      },
    );
  }

  let released = false;
  return {
    path,
    name,
    release() {
      if (released) return;
      released = true;
      let conn: BetterSqlite3.Database | undefined;
      try {
        conn = open(path, busyTimeoutMs);
        const drop = conn.prepare('DELETE FROM locks WHERE name = ? AND token = ?');
        conn.transaction(() => drop.run(name, token)).immediate();
      } catch {
        // A lock that cannot be removed is left behind; once this process has exited it is stale
        // and the next run takes it over.
      } finally {
        conn?.close();
      }
    },
  };
}

/** Who holds a lock now, if anyone (for messages and tests); does not judge staleness. */
export function readLock(path: string, name = 'import'): LockHolder | undefined {
  if (!existsSync(path)) return undefined;
  const db = open(path, 5000);
  try {
    const row = db
      .prepare<[string], LockRow>('SELECT pid, host, started_at, command, token FROM locks WHERE name = ?')
      .get(name);
    return row ? holderOf(row) : undefined;
  } finally {
    db.close();
  }
}
