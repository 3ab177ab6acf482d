import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { type Clock, systemClock } from '../clock.js';
import { LockedError } from '../errors.js';

/**
 * A short cross-process lock beside a file: `<file>.lock`, created with O_EXCL (`wx`), holding
 * the holder's pid, host and a random token. For read-modify-write of small files that several
 * dsync processes share (the credentials file): the work inside takes milliseconds, so a waiter
 * polls. A lock is stale — and is removed — when its holder died on this host, or when it is older
 * than `staleMs` (a crashed holder on another host sharing the dir). Release removes the lock only
 * while it is still ours.
 */
export interface FileLockOptions {
  /** Give up after this long (default 10 s) with LockedError naming the lock file. */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (default 30 s). */
  staleMs?: number;
  clock?: Clock;
  isAlive?: (pid: number) => boolean;
}

export async function withFileLock<T>(
  file: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const path = `${file}.lock`;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const isAlive = options.isAlive ?? pidIsAlive;
  const host = hostname();
  const started = clock.now().getTime();
  // Unique enough to tell our lock from a later one; node:crypto would cost every secret write a load.
  const content = `${process.pid}\n${host}\n${started.toString(36)}.${Math.random().toString(36).slice(2)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, content, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await readFile(path, 'utf8').catch(() => undefined);
    if (held === undefined) continue; // released meanwhile
    const [pidText, holderHost] = held.split('\n');
    const pid = Number(pidText);
    const age = await stat(path).then(
      (s) => clock.now().getTime() - s.mtimeMs,
      () => 0,
    );
    const dead = holderHost === host && Number.isInteger(pid) && pid > 0 && !isAlive(pid);
    // A lock file still being written (empty, no pid yet) is young, never "dead".
    if (dead || age > staleMs) {
      // Removed only if it is still the stale one we read, not a lock taken since.
      if ((await readFile(path, 'utf8').catch(() => undefined)) === held) await rm(path, { force: true });
      continue;
    }
    if (clock.now().getTime() - started > timeoutMs) {
      throw new LockedError(`${file} is locked by another dsync (pid ${pidText} on ${holderHost})`, {
        hint: `wait for it and retry; if no dsync is running, remove ${path}`,
        details: { lockFile: path, pid, host: holderHost },
      });
    }
    await clock.sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 10);
  }
  try {
    return await work();
  } finally {
    if ((await readFile(path, 'utf8').catch(() => undefined)) === content) await rm(path, { force: true });
  }
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
