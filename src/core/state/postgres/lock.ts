import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LockedError } from '../../errors.js';
import type { LockHolder } from '../../lock/lock.js';
import type { Session } from './session.js';

/**
 * A store's run lock in PostgreSQL: a session-level advisory lock on a key hashed from the shop
 * and the lock's name. The server holds it for the connection, so a worker that dies (SIGKILL,
 * a lost machine, a dropped connection) releases its stores at once, and two workers can never
 * hold the same store. A row in dsync.locks says who holds it (pid, host, since, command), for
 * messages only: whether a lock is held is what pg_locks says, never the row.
 */
export function advisoryKey(shop: string, name: string): string {
  const digest = createHash('sha256').update(`dsync\u0000${name}\u0000${shop}`).digest();
  // 63 bits: a non-negative bigint, so pg_locks' (classid, objid) halves read back the same key.
  return (digest.readBigUInt64BE(0) >> 1n).toString();
}

const HELD = `EXISTS (SELECT 1 FROM pg_locks p
   WHERE p.locktype = 'advisory' AND p.granted AND p.objsubid = 1 AND p.pid = l.backend_pid
     AND ((p.classid::bigint << 32) | p.objid::bigint) = $3::bigint)`;

interface HolderRow {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

function holderOf(row: HolderRow): LockHolder {
  return { pid: row.pid, host: row.host, startedAt: row.started_at, command: row.command };
}

/** Who holds the lock now, if anyone. */
export async function readHolder(
  session: Session,
  shop: string,
  name: string,
): Promise<LockHolder | undefined> {
  const row = await session.one<HolderRow>(
    `SELECT l.pid, l.host, l.started_at, l.command FROM dsync.locks l
      WHERE l.shop = $1 AND l.name = $2 AND ${HELD}`,
    [shop, name, advisoryKey(shop, name)],
  );
  return row ? holderOf(row) : undefined;
}

export interface TakenLock {
  readonly key: string;
  readonly token: string;
}

/** Takes the lock on `session`'s connection, or throws LockedError (exit 5) naming its holder. */
export async function takeAdvisoryLock(
  session: Session,
  shop: string,
  options: { name: string; command: string; now: Date; pid?: number; host?: string },
): Promise<TakenLock> {
  const key = advisoryKey(shop, options.name);
  const me = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    startedAt: options.now.toISOString(),
    command: options.command,
  };
  const token = randomBytes(12).toString('hex');
  const got = await session.one<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
  if (got?.ok === true) {
    await session.run(
      `INSERT INTO dsync.locks (shop, name, pid, host, started_at, command, token, backend_pid)
       VALUES ($1, $2, $3, $4, $5, $6, $7, pg_backend_pid())
       ON CONFLICT (shop, name) DO UPDATE SET pid = excluded.pid, host = excluded.host,
         started_at = excluded.started_at, command = excluded.command, token = excluded.token,
         backend_pid = excluded.backend_pid`,
      [shop, options.name, me.pid, me.host, me.startedAt, me.command, token],
    );
    return { key, token };
  }
  const holder = await readHolder(session, shop, options.name);
  throw lockedBy(holder, shop, options.name, session.target.display);
}

export async function dropAdvisoryLock(
  session: Session,
  shop: string,
  name: string,
  lock: TakenLock,
): Promise<void> {
  await session.run('DELETE FROM dsync.locks WHERE shop = $1 AND name = $2 AND token = $3', [
    shop,
    name,
    lock.token,
  ]);
  await session.run('SELECT pg_advisory_unlock($1::bigint)', [lock.key]);
}

export function lockedBy(
  holder: LockHolder | undefined,
  shop: string,
  name: string,
  state: string,
): LockedError {
  const who = holder
    ? `another dsync ${holder.command || name} is running for ${shop} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`
    : `another dsync ${name} is running for ${shop}`;
  return new LockedError(who, {
    hint: 'wait for it to finish: its lock is held by its PostgreSQL session and ends when that worker exits or its connection drops',
    details: {
      ...(holder
        ? { pid: holder.pid, host: holder.host, startedAt: holder.startedAt, command: holder.command }
        : {}),
      state,
      lock: name,
    },
  });
}
