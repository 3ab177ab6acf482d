import { join } from 'node:path';
import type { Ledger } from '../ledger/ledger.js';
import type { LockHolder } from '../lock/lock.js';

export type { LockHolder } from '../lock/lock.js';

/** A store's run lock, held until released. */
export interface StateLock {
  readonly name: string;
  release(): Promise<void>;
}

export interface StateLockOptions {
  /** The command taking it, named to whoever finds the lock held. */
  command: string;
  /** The lock's name; default: the command. Locks with different names never block each other. */
  name?: string;
  now?: Date;
}

/**
 * Where dsync keeps what it remembers about each store: the ledger (orders, returns, shipments,
 * checkpoints) and the run locks. SQLite files below the config dir by default; a PostgreSQL
 * database when DSYNC_STATE_URL names one (see open.ts). Services reach it through
 * `deps.state()` only, never by file path.
 */
export interface StateStore {
  readonly kind: 'sqlite' | 'postgres';
  /** For messages and doctor: the config dir's stores/ folder, or postgres://user@host:port/db (never a password). */
  readonly location: string;
  /** The store's ledger, created (and migrated) if it does not exist yet. */
  openLedger(shop: string): Promise<Ledger>;
  /** Read-only; undefined when the store has no ledger yet. */
  openLedgerReadonly(shop: string): Promise<Ledger | undefined>;
  /** The store's run lock (`name` defaults to `command`); LockedError (exit 5) naming the holder when held. */
  lock(shop: string, options: StateLockOptions): Promise<StateLock>;
  /** Who holds a store's lock now, if anyone (messages, tests). */
  lockHolder(shop: string, name?: string): Promise<LockHolder | undefined>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/**
 * The store's ledger opened writable (so an older one is migrated first) when it exists;
 * undefined when the store has none yet, which is not created.
 */
export async function openExistingLedger(state: StateStore, shop: string): Promise<Ledger | undefined> {
  const existing = await state.openLedgerReadonly(shop);
  if (!existing) return undefined;
  await existing.close();
  return state.openLedger(shop);
}

/**
 * Where a store's ledger is, or will be once written, for results and messages: its file
 * (SQLite, `<stores>/<shop>/ledger.sqlite`) or the database (PostgreSQL).
 */
export function ledgerLocation(state: StateStore, shop: string): string {
  return state.kind === 'sqlite' ? join(state.location, shop, 'ledger.sqlite') : state.location;
}
