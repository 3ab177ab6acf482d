import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/core/errors.js';
import { withFileLock } from '../../../src/core/lock/file-lock.js';
import { createCredentialsFile } from '../../../src/core/secrets/file-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsync-credfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stored = () => JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')).stores;
const lockPath = () => join(dir, 'credentials.json.lock');

/** A pid that belonged to a process on this host and is gone now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

describe('credentials.json under concurrent writers', () => {
  it('keeps every change when many writers (each its own view of the file, as separate processes) update at once', async () => {
    // Each writer is a separate instance: no shared in-memory queue, only the file and its lock.
    const writers = Array.from({ length: 12 }, () => createCredentialsFile(dir));
    await Promise.all(
      writers.map((writer, i) =>
        writer.update(i % 2 === 0 ? 'one.myshopify.com' : 'two.myshopify.com', (bag) => ({
          ...bag,
          [`refresh-token-${i}`]: `rt-${i}`,
        })),
      ),
    );
    const stores = stored();
    const kept = [
      ...Object.values(stores['one.myshopify.com']),
      ...Object.values(stores['two.myshopify.com']),
    ];
    expect(kept.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `rt-${i}`).sort());
    expect(existsSync(lockPath())).toBe(false);
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
  });

  it('takes over a lock left by a process that died on this host', async () => {
    writeFileSync(lockPath(), `${deadPid()}\n${hostname()}\nleftover\n`, { mode: 0o600 });
    await createCredentialsFile(dir).update('one.myshopify.com', () => ({ 'access-token': 'shpat_a' }));
    expect(stored()['one.myshopify.com']).toEqual({ 'access-token': 'shpat_a' });
    expect(existsSync(lockPath())).toBe(false);
  });

  it('takes over a lock older than the stale age, whoever holds it', async () => {
    writeFileSync(lockPath(), `1\nanother-host\nleftover\n`, { mode: 0o600 });
    const old = new Date(Date.now() - 120_000);
    utimesSync(lockPath(), old, old);
    await createCredentialsFile(dir).update('one.myshopify.com', () => ({ 'access-token': 'shpat_b' }));
    expect(stored()['one.myshopify.com']).toEqual({ 'access-token': 'shpat_b' });
  });

  it('waits for a live holder and gives up with LockedError naming the lock file', async () => {
    writeFileSync(lockPath(), `${process.pid}\n${hostname()}\nheld\n`, { mode: 0o600 });
    const attempt = withFileLock(join(dir, 'credentials.json'), async () => 'ran', { timeoutMs: 150 });
    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    await expect(attempt).rejects.toMatchObject({ hint: expect.stringContaining(lockPath()) });
    // The holder's lock is left alone.
    expect(readFileSync(lockPath(), 'utf8')).toContain('held');
  });

  it('runs the waiting work once the holder releases', async () => {
    const order: string[] = [];
    const file = join(dir, 'credentials.json');
    let release: () => void = () => {};
    const first = withFileLock(file, async () => {
      order.push('first in');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push('first out');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = withFileLock(file, async () => {
      order.push('second');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second']);
  });
});
