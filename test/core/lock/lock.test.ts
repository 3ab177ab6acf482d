import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/core/errors.js';
import { acquireLock, importLockPath } from '../../../src/core/lock/lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const lockFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-lock-'));
  dirs.push(dir);
  return importLockPath(dir, 'acme.myshopify.com');
};

describe('import lock', () => {
  it('is taken, refused to a second holder with its pid, and released', () => {
    const path = lockFile();
    const first = acquireLock(path, 'acme', { pid: 111, host: 'h', isAlive: () => true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: 111, host: 'h' });
    let error: unknown;
    try {
      acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: () => true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).exitCode).toBe(5);
    expect((error as LockedError).message).toContain('pid 111');
    first.release();
    expect(existsSync(path)).toBe(false);
    acquireLock(path, 'acme', { pid: 222, host: 'h' }).release();
  });

  it('takes over a lock whose process died on this host', () => {
    const path = lockFile();
    acquireLock(path, 'acme', { pid: 111, host: 'h' });
    const second = acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: (pid) => pid !== 111 });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(222);
    second.release();
  });

  it('does not take over a lock held on another host', () => {
    const path = lockFile();
    acquireLock(path, 'acme', { pid: 111, host: 'other' });
    expect(() => acquireLock(path, 'acme', { pid: 222, host: 'h', isAlive: () => false })).toThrow(
      /pid 111 on other/,
    );
  });

  it('replaces an unreadable lock file', () => {
    const path = lockFile();
    acquireLock(path, 'acme', { pid: 1, host: 'h' }).release();
    writeFileSync(path, 'garbage');
    const handle = acquireLock(path, 'acme', { pid: 333, host: 'h' });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(333);
    handle.release();
  });

  it('release does not remove a lock someone else took over', () => {
    const path = lockFile();
    const mine = acquireLock(path, 'acme', { pid: 111, host: 'h' });
    rmSync(path);
    acquireLock(path, 'acme', { pid: 222, host: 'h' });
    mine.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(222);
  });
});
