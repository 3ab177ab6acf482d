import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, importLockPath, readLock } from '../../src/core/lock/lock.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { events, expectedImports, type Json, scenario } from './helpers.js';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 60, seed: 11, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('dsync import: cron reruns', () => {
  it('delivers each order once, then only what the warehouse must act on', async () => {
    const s = scenario(sandbox);
    try {
      const first = await s.run(['import']);
      expect(first.code, first.stderr).toBe(0);
      const created = events(first.stdout);
      const expected = expectedImports(sandbox.data, {});
      expect(created.map((e) => e.order.name).sort()).toEqual([...expected.keys()].sort());
      expect(new Set(created.map((e: Json) => e.type))).toEqual(new Set(['order.created']));

      // Nothing new: nothing delivered.
      const again = await s.run(['import']);
      expect(again.code, again.stderr).toBe(0);
      expect(events(again.stdout)).toEqual([]);
      expect(again.stderr).toContain('0 created, 0 updated, 0 cancelled');

      const [moved, cancelled, emailOnly] = created.map((e) => e.order.name as string);
      expect(emailOnly, 'the seed gives at least three imported orders').toBeDefined();
      const order = sandbox.data.findOrder(moved as string);
      sandbox.data.updateOrder(moved as string, {
        shippingAddress: {
          ...(order?.shippingAddress as NonNullable<typeof order>['shippingAddress'] & object),
          address1: '1 New Street',
        },
      });
      sandbox.data.cancelOrder(cancelled as string);
      sandbox.data.updateOrder(emailOnly as string, { email: 'changed@example.com' });
      const added = sandbox.data.addOrder({ financialStatus: 'PAID' });

      const third = await s.run(['import']);
      expect(third.code, third.stderr).toBe(0);
      const got = events(third.stdout).map((e) => `${e.type} ${e.order.name}`);
      expect(got.sort()).toEqual(
        [`order.updated ${moved}`, `order.cancelled ${cancelled}`, `order.created ${added.name}`].sort(),
      );
      const updated = events(third.stdout).find((e) => e.type === 'order.updated');
      expect(updated.order.shippingAddress.address1).toBe('1 New Street');

      const fourth = await s.run(['import']);
      expect(events(fourth.stdout)).toEqual([]);

      const show = await s.run(['orders', 'show', cancelled as string, '--json']);
      expect(show.code, show.stderr).toBe(0);
      const shown = JSON.parse(show.stdout);
      expect(shown.order.status).toBe('cancelled');
      expect(shown.activity.map((a: Json) => a.action)).toEqual(['order.created', 'order.cancelled']);

      // Fulfilled after import: the ledger says shipped, no event.
      sandbox.data.fulfillOrder(emailOnly as string);
      const fifth = await s.run(['import']);
      expect(events(fifth.stdout)).toEqual([]);
      const shipped = JSON.parse((await s.run(['orders', 'show', emailOnly as string, '--json'])).stdout);
      expect(shipped.order.status).toBe('shipped');
    } finally {
      s.cleanup();
    }
  });

  it('--dry-run shows the events but records nothing', async () => {
    const s = scenario(sandbox);
    try {
      const dry = await s.run(['import', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(events(dry.stdout).length).toBeGreaterThan(0);
      expect(dry.stderr).toContain('dry run');
      const list = JSON.parse((await s.run(['orders', 'list', '--json'])).stdout);
      expect(list.orders).toEqual([]);
      const real = await s.run(['import']);
      expect(events(real.stdout).length).toBe(events(dry.stdout).length);
    } finally {
      s.cleanup();
    }
  });

  it('--out writes one file per event atomically and never twice', async () => {
    const s = scenario(sandbox);
    const out = join(s.dir, 'out');
    try {
      const first = await s.run(['import', '--out', out, '--json']);
      expect(first.code, first.stderr).toBe(0);
      const summary = JSON.parse(first.stdout).summary;
      const files = readdirSync(out);
      expect(files.length).toBe(summary.created);
      expect(files.every((f) => /^\d+\.order\.created\.[0-9a-f]{16}\.json$/.test(f))).toBe(true);
      for (const f of files) {
        const event = JSON.parse(readFileSync(join(out, f), 'utf8'));
        expect(event.type).toBe('order.created');
        expect(f.startsWith(event.order.legacyId)).toBe(true);
      }
      // A rerun from scratch (checkpoint lost) must not duplicate files.
      const again = await s.run(['import', '--out', out, '--since', '90d', '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(files.sort());
    } finally {
      s.cleanup();
    }
  });

  it('--format csv writes one row per line with a header', async () => {
    const s = scenario(sandbox);
    try {
      const result = await s.run(['import', '--dry-run', '--format', 'csv']);
      expect(result.code, result.stderr).toBe(0);
      const rows = result.stdout.trim().split('\n');
      expect(rows[0]).toMatch(/^event_id,event,order_id,order_name,/);
      const expected = expectedImports(sandbox.data, {});
      const lineCount = [...expected.values()].reduce((n, lines) => n + Math.max(1, lines), 0);
      expect(rows.length - 1).toBe(lineCount);
    } finally {
      s.cleanup();
    }
  });

  it('a second import for the same store exits 5 naming the holder', async () => {
    const s = scenario(sandbox);
    try {
      const lock = importLockPath(s.dir, sandbox.shop);
      // This test process is alive on this host: its lock is not stale.
      const held = acquireLock(lock, sandbox.shop);
      const blocked = await s.run(['import']);
      expect(blocked.code).toBe(5);
      expect(blocked.stderr).toContain(`pid ${process.pid}`);
      expect(readLock(lock)?.pid).toBe(process.pid);
      const json = await s.run(['import', '--json']);
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'locked',
        details: { pid: process.pid, command: 'import' },
      });
      held.release();

      // A lock left by a dead process is taken over, and released at the end of the run.
      acquireLock(lock, sandbox.shop, { pid: 2 ** 22 + 12345, now: new Date('2026-01-01T00:00:00Z') });
      const after = await s.run(['import']);
      expect(after.code, after.stderr).toBe(0);
      expect(readLock(lock)).toBeUndefined();
    } finally {
      s.cleanup();
    }
  });

  it('refuses unreadable flags with exit 2', async () => {
    const s = scenario(sandbox);
    try {
      const bad = await s.run(['import', '--since', 'yesterday']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--since');
      const both = await s.run(['import', '--out', s.dir, '--webhook', 'http://127.0.0.1:1/x']);
      expect(both.code).toBe(2);
    } finally {
      s.cleanup();
    }
  });
});
