import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlite } from '../../../src/core/sqlite.js';
import { afterEach, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/core/errors.js';
import { ledgerPath, openLedger } from '../../../src/core/ledger/ledger.js';
import { acquireLock, importLockPath, readLock } from '../../../src/core/lock/lock.js';

const Database = loadSqlite();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const configDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-lock-'));
  dirs.push(dir);
  return dir;
};
const lockFile = () => importLockPath(configDir(), 'acme.myshopify.com');

function lockedError(work: () => unknown): LockedError {
  try {
    work();
  } catch (error) {
    if (error instanceof LockedError) return error;
    throw error;
  }
  throw new Error('expected a LockedError');
}

describe('import lock', () => {
  it('lives in the store’s ledger file', () => {
    const dir = configDir();
    expect(importLockPath(dir, 'acme.myshopify.com')).toBe(ledgerPath(dir, 'acme.myshopify.com'));
  });

  it('is taken, refused to a second holder naming the first, and released', () => {
    const path = lockFile();
    const now = new Date('2026-11-26T12:00:00Z');
    const first = acquireLock(path, 'acme', { pid: 111, host: 'h', now, isAlive: () => true });
    expect(readLock(path)).toEqual({ pid: 111, host: 'h', startedAt: now.toISOString(), command: 'import' });

    const error = lockedError(() => acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: () => true }));
    expect(error.exitCode).toBe(5);
    expect(error.message).toBe(
      'another dsync import is running for acme (pid 111 on h, since 2026-11-26T12:00:00.000Z)',
    );
    expect(error.hint).toContain('kill 111');
    expect(error.details).toMatchObject({ pid: 111, host: 'h', command: 'import' });
    expect(readLock(path)?.pid).toBe(111);

    first.release();
    expect(readLock(path)).toBeUndefined();
    acquireLock(path, 'acme', { pid: 222, host: 'h' }).release();
  });

  it('takes over a lock whose process died on this host', () => {
    const path = lockFile();
    acquireLock(path, 'acme', { pid: 111, host: 'h' });
    const second = acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: (pid) => pid !== 111 });
    expect(readLock(path)?.pid).toBe(222);
    second.release();
    expect(readLock(path)).toBeUndefined();
  });

  it('does not take over a lock held on another host, and says how to remove it', () => {
    const path = lockFile();
    acquireLock(path, 'acme', { pid: 111, host: 'other' });
    const error = lockedError(() => acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: () => false }));
    expect(error.message).toContain('pid 111 on other');
    expect(error.hint).toContain(`sqlite3 '${path}' "DELETE FROM locks WHERE name = 'import'"`);
  });

  it('release does not remove a lock someone else took over', () => {
    const path = lockFile();
    const mine = acquireLock(path, 'acme', { pid: 111, host: 'h' });
    // Our process looked dead to the next run (e.g. a pid namespace it cannot see into).
    acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: (pid) => pid !== 111 });
    mine.release();
    expect(readLock(path)?.pid).toBe(222);
  });

  it('keeps locks with different names apart', () => {
    const path = lockFile();
    const importing = acquireLock(path, 'acme', { pid: 111, host: 'h', isAlive: () => true });
    const refreshing = acquireLock(path, 'acme', {
      pid: 222,
      host: 'h',
      command: 'token refresh',
      isAlive: () => true,
    });
    expect(readLock(path, 'token refresh')?.pid).toBe(222);
    expect(() =>
      acquireLock(path, 'acme', { pid: 333, host: 'h', command: 'token refresh', isAlive: () => true }),
    ).toThrow(/another dsync token refresh is running for acme \(pid 222/);
    refreshing.release();
    expect(readLock(path)?.pid).toBe(111);
    importing.release();
  });

  it('leaves the ledger’s schema to the ledger, before and after it is migrated', async () => {
    const path = lockFile();
    // First run: the lock creates the file; the ledger then migrates it from scratch.
    const handle = acquireLock(path, 'acme', { pid: 111, host: 'h' });
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    raw.close();
    const ledger = await openLedger(path);
    await ledger.recordSkip(
      { orderId: 'gid://shopify/Order/1', name: '#1001', updatedAt: '2026-11-26T11:00:00Z' },
      'financial_status',
      'pending',
      new Date(),
    );
    const migrated = new Database(path);
    const version = migrated.pragma('user_version', { simple: true }) as number;
    migrated.close();
    expect(version).toBeGreaterThan(0);

    // Later runs: taking and releasing the lock changes neither the version nor the data.
    handle.release();
    acquireLock(path, 'acme', { pid: 222, host: 'h' }).release();
    await ledger.close();
    const again = await openLedger(path);
    expect((await again.get('gid://shopify/Order/1'))?.status).toBe('skipped');
    await again.close();
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(version);
    check.close();
  });

  it('waits for another writer, then says the file stayed busy', () => {
    const path = lockFile();
    acquireLock(path, 'acme', { pid: 111, host: 'h' }).release();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = lockedError(() => acquireLock(path, 'acme', { pid: 222, host: 'h', busyTimeoutMs: 100 }));
      expect(error.message).toContain('stayed busy');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    acquireLock(path, 'acme', { pid: 222, host: 'h', busyTimeoutMs: 100 }).release();
  });
});
