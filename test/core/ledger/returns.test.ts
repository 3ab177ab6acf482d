import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlite } from '../../../src/core/sqlite.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedger, openLedger } from '../../../src/core/ledger/ledger.js';

const Database = loadSqlite();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function freshPath() {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-ledger-'));
  dirs.push(dir);
  return join(dir, 'ledger.sqlite');
}

const ret = {
  returnId: 'gid://shopify/Return/501',
  name: '#1001-R1',
  orderId: 'gid://shopify/Order/1001',
  orderName: '#1001',
  status: 'OPEN',
  updatedAt: '2026-11-20T10:00:00Z',
};
const at = new Date('2026-11-26T12:00:00Z');
const later = new Date('2026-11-26T12:05:00Z');

describe('ledger returns (migration 4)', () => {
  it('migrates a ledger written before returns existed, keeping its orders', async () => {
    const path = freshPath();
    const db = new Database(path);
    // The first three migrations only, as an older dsync left them.
    const old = createLedger(db, path);
    await old.recordSkip(
      { orderId: 'gid://shopify/Order/1', name: '#1', updatedAt: ret.updatedAt },
      'x',
      'y',
      at,
    );
    db.prepare('DROP TABLE return_receipts').run();
    db.prepare('DROP TABLE return_activity').run();
    db.prepare('DROP TABLE returns').run();
    db.pragma('user_version = 3');
    await old.close();
    const ledger = await openLedger(path);
    expect((await ledger.get('gid://shopify/Order/1'))?.status).toBe('skipped');
    expect(await ledger.listReturns()).toEqual([]);
    await ledger.recordReturnSeen(ret, at);
    expect((await ledger.getReturn(ret.returnId))?.warehouse).toBe('none');
    await ledger.close();
  });

  it("records a return's life with the warehouse and its activity", async () => {
    const ledger = await openLedger(freshPath());
    await ledger.recordReturnDelivered(ret, { type: 'return.opened', id: 'e1', hash: 'h1' }, 'open', at);
    expect((await ledger.followedReturns()).map((r) => r.name)).toEqual(['#1001-R1']);
    await ledger.recordReturnDelivered(
      { ...ret, status: 'CLOSED' },
      { type: 'return.closed', id: 'e2', hash: null },
      'closed',
      later,
    );
    const recorded = await ledger.getReturn(ret.returnId);
    expect(recorded).toMatchObject({
      warehouse: 'closed',
      status: 'CLOSED',
      deliveredHash: null,
      lastEvent: 'return.closed',
      lastEventId: 'e2',
      firstSeenAt: at.toISOString(),
      changedAt: later.toISOString(),
    });
    expect(await ledger.followedReturns()).toEqual([]);
    expect((await ledger.returnActivity(ret.returnId)).map((a) => a.action)).toEqual([
      'return.opened',
      'return.closed',
    ]);
    expect((await ledger.listReturns({ warehouse: 'closed' })).map((r) => r.returnId)).toEqual([
      ret.returnId,
    ]);
    await ledger.close();
  });

  it.each([
    ['#1001-R1', true],
    ['1001-R1', true],
    ['gid://shopify/Return/501', true],
    ['501', true],
    ['#1002-R1', false],
  ])('finds a return by %s', async (ref, found) => {
    const ledger = await openLedger(freshPath());
    await ledger.recordReturnSeen(ret, at);
    expect((await ledger.findReturn(ref))?.returnId).toBe(found ? ret.returnId : undefined);
    await ledger.close();
  });

  it('records a receipt row: intent, then outcome, kept across a reopen', async () => {
    const path = freshPath();
    const ledger = await openLedger(path);
    const receipt = { key: 'k1', sku: 'TEE', quantity: 2, disposition: 'restocked', baseline: 1 };
    await ledger.recordReceiptIntent(ret, receipt, at);
    expect(await ledger.receipt('k1')).toMatchObject({
      state: 'pending',
      baseline: 1,
      returnName: '#1001-R1',
    });
    // The intent alone makes the return known.
    expect((await ledger.getReturn(ret.returnId))?.warehouse).toBe('none');
    await ledger.close();
    const again = await openLedger(path);
    expect((await again.receipt('k1'))?.state).toBe('pending');
    await again.recordReceiptApplied(ret, 'k1', 'TEE × 2 restocked', later);
    expect(await again.receipt('k1')).toMatchObject({
      state: 'applied',
      message: null,
      updatedAt: later.toISOString(),
    });
    await again.recordReceiptIntent(ret, { ...receipt, key: 'k2' }, at);
    await again.recordReceiptFailed(ret, 'k2', 'refused', later);
    expect((await again.receiptsOf(ret.returnId)).map((r) => [r.key, r.state])).toEqual([
      ['k1', 'applied'],
      ['k2', 'failed'],
    ]);
    expect((await again.returnActivity(ret.returnId)).map((a) => a.action)).toEqual([
      'received',
      'receive_failed',
    ]);
    await again.close();
  });
});
