import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { LockedError } from '../errors.js';

/**
 * A per-store run lock: a file created exclusively (O_EXCL) holding the holder's pid, host and
 * start time. A second run fails at once with LockedError (exit 5) naming the holder. A lock left
 * by a process that died on this host is stale and is taken over.
 */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export interface LockHandle {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  pid?: number;
  host?: string;
  now?: Date;
  command?: string;
  /** Whether a pid is alive on this host (injectable for tests). */
  isAlive?: (pid: number) => boolean;
}

export function importLockPath(configDir: string, shop: string): string {
  return join(configDir, 'stores', shop, 'import.lock');
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

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      startedAt: String(parsed.startedAt ?? ''),
      command: String(parsed.command ?? ''),
    };
  } catch {
    return undefined;
  }
}

export function acquireLock(path: string, label: string, options: LockOptions = {}): LockHandle {
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    startedAt: (options.now ?? new Date()).toISOString(),
    command: options.command ?? 'import',
  };
  const isAlive = options.isAlive ?? processIsAlive;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder === undefined) {
        // Half-written by a process that crashed between create and write, or garbage: a
        // live writer finishes within microseconds, so wait once before calling it stale.
        if (attempt === 0) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
          continue;
        }
        rmSync(path, { force: true });
        continue;
      }
      if (holder.host === me.host && !isAlive(holder.pid)) {
        rmSync(path, { force: true });
        continue;
      }
      throw new LockedError(
        `another dsync ${holder.command || 'import'} is running for ${label} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`,
        {
          hint:
            holder.host === me.host
              ? `wait for it to finish, or stop it (kill ${holder.pid}); the lock file is ${path}`
              : `it runs on another host; if that host is gone, remove ${path}`,
          details: { pid: holder.pid, host: holder.host, startedAt: holder.startedAt, lockFile: path },
        },
      );
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        const holder = readHolder(path);
        if (holder && holder.pid === me.pid && holder.host === me.host) rmSync(path, { force: true });
      },
    };
  }
  throw new LockedError(`could not take the lock ${path}`, { hint: `remove ${path} if no dsync is running` });
}
