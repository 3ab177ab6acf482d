import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerPath, openLedger } from '../../../src/core/ledger/ledger.js';
import { loadSqlite } from '../../../src/core/sqlite.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-ledger-'));
  dirs.push(dir);
  return dir;
}

const ref = { orderId: 'gid://shopify/Order/1001', name: '#1001', updatedAt: '2026-11-20T10:00:00Z' };
const at = new Date('2026-11-26T12:00:00Z');

describe('ledger', () => {
  it('lives per store under the config dir', () => {
    expect(ledgerPath('/cfg', 'acme.myshopify.com')).toBe('/cfg/stores/acme.myshopify.com/ledger.sqlite');
  });

  it('keeps statuses, the delivered hash and an activity log across reopen', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    const ledger = await openLedger(path);
    await ledger.recordSkip(ref, 'financial_status', 'financial status pending', at);
    await ledger.recordDelivered(ref, { type: 'order.created', id: 'e1', hash: 'h1' }, 'active', at);
    await ledger.recordFailure(ref, 'webhook refused the event: HTTP 400', at);
    await ledger.setMeta('checkpoint', '2026-11-20T10:00:00.000Z');
    await ledger.close();

    const again = await openLedger(path);
    const order = await again.find('#1001');
    expect(order).toMatchObject({
      status: 'error',
      deliveredHash: 'h1',
      lastEvent: 'order.created',
      lastEventId: 'e1',
    });
    expect((await again.find('1001'))?.orderId).toBe(ref.orderId);
    expect((await again.activity(ref.orderId)).map((a) => a.action)).toEqual([
      'skipped',
      'order.created',
      'error',
    ]);
    expect(await again.getMeta('checkpoint')).toBe('2026-11-20T10:00:00.000Z');
    expect((await again.counts()).error).toBe(1);
    await again.close();
  });

  it('does not log the same skip twice', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.sqlite'));
    await ledger.recordSkip(ref, 'financial_status', 'pending', at);
    await ledger.recordSkip(ref, 'financial_status', 'pending', at);
    await ledger.recordSkip(ref, 'no_lines', 'nothing to ship', at);
    expect((await ledger.activity(ref.orderId)).map((a) => a.detail)).toEqual([
      'financial_status: pending',
      'no_lines: nothing to ship',
    ]);
    await ledger.close();
  });

  it('marks cancellation delivered and keeps the delivered hash', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.sqlite'));
    await ledger.recordDelivered(ref, { type: 'order.created', id: 'e1', hash: 'h1' }, 'active', at);
    await ledger.recordDelivered(ref, { type: 'order.cancelled', id: 'e2', hash: null }, 'cancelled', at);
    expect(await ledger.get(ref.orderId)).toMatchObject({
      status: 'cancelled',
      deliveredHash: 'h1',
      cancelledDelivered: true,
      warehouse: 'cancelled',
    });
    await ledger.close();
  });

  it('counts the runs in a row an order failed, and forgets them once it succeeds', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.sqlite'));
    expect(await ledger.recordFailure(ref, 'HTTP 400', at)).toBe(1);
    expect(await ledger.recordFailure(ref, 'HTTP 400', at)).toBe(2);
    expect(await ledger.failingIds()).toEqual([ref.orderId]);
    await ledger.recordDelivered(
      ref,
      { type: 'order.created', id: 'e1', hash: 'h1', lines: 2 },
      'active',
      at,
    );
    expect(await ledger.get(ref.orderId)).toMatchObject({
      status: 'imported',
      failures: 0,
      deliveredLines: 2,
    });
    expect(await ledger.failingIds()).toEqual([]);
    expect(await ledger.followedCount()).toBe(1);
    await ledger.recordDelivered(
      ref,
      { type: 'order.withdrawn', id: 'e2', hash: null, reason: 'no_lines' },
      'withdrawn',
      at,
    );
    expect(await ledger.get(ref.orderId)).toMatchObject({
      status: 'withdrawn',
      warehouseReason: 'no_lines',
      deliveredHash: 'h1',
      deliveredLines: 2,
    });
    expect(await ledger.followedCount()).toBe(1);
    await ledger.recordSettled(ref, 'shipped', 'fulfilled', at);
    expect(await ledger.followedCount()).toBe(0);
    await ledger.close();
  });

  it('lists by status, newest change first', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.sqlite'));
    await ledger.recordDelivered(
      ref,
      { type: 'order.created', id: 'e1', hash: 'h1' },
      'active',
      new Date('2026-11-26T10:00:00Z'),
    );
    await ledger.recordDelivered(
      { ...ref, orderId: 'gid://shopify/Order/1002', name: '#1002' },
      { type: 'order.created', id: 'e2', hash: 'h2' },
      'active',
      new Date('2026-11-26T11:00:00Z'),
    );
    await ledger.recordSkip(
      { ...ref, orderId: 'gid://shopify/Order/1003', name: '#1003' },
      'cancelled',
      'cancelled',
      at,
    );
    expect((await ledger.list({ status: 'imported' })).map((o) => o.name)).toEqual(['#1002', '#1001']);
    expect((await ledger.list({ limit: 1 })).map((o) => o.name)).toEqual(['#1003']);
    await ledger.close();
  });

  it('refuses a ledger written by a newer dsync', async () => {
    const path = join(tempDir(), 'l.sqlite');
    const ledger = await openLedger(path);
    await ledger.close();
    const Database = loadSqlite();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await expect(openLedger(path)).rejects.toThrow(/newer dsync/);
  });
});
