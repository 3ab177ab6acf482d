import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ledger, ledgerPath, openLedger, shipmentKey } from '../../../src/core/ledger/ledger.js';
import { createPostgresStateStore } from '../../../src/core/state/postgres/index.js';
import { dumpPostgresLedger } from '../../../src/core/state/postgres/dump.js';
import { Session } from '../../../src/core/state/postgres/session.js';
import { parsePostgresUrl } from '../../../src/core/state/postgres/url.js';
import { dumpSqliteLedger } from '../../../src/core/state/sqlite-dump.js';
import type { StateStore } from '../../../src/core/state/state.js';
import { freshDatabase, postgresSkipReason } from '../../support/postgres.js';
import pg from 'pg';

const SHOP = 'conformance.myshopify.com';
const OTHER = 'other.myshopify.com';
const t = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));
const order = (n: number, updated = 0) => ({
  orderId: `gid://shopify/Order/${n}`,
  name: `#${n}`,
  updatedAt: t(updated).toISOString(),
});
const ret = (n: number, status = 'OPEN') => ({
  returnId: `gid://shopify/Return/${n}`,
  name: `#${n}-R1`,
  orderId: `gid://shopify/Order/${n}`,
  orderName: `#${n}`,
  status,
  updatedAt: t(1).toISOString(),
});

/**
 * Every write the ledger knows, in an order an import, ship and returns run would make them,
 * then every read; the answers are collected so two stores can be compared call by call.
 */
async function exercise(ledger: Ledger): Promise<unknown[]> {
  const seen: unknown[] = [];
  const lines = [{ sku: 'A-1', quantity: 2 }];
  await ledger.recordDelivered(
    order(1001),
    { type: 'order.created', id: 'e1', hash: 'h1', lines: 1 },
    'active',
    t(1),
  );
  await ledger.recordDelivered(
    order(1002),
    { type: 'order.created', id: 'e2', hash: 'h2', lines: 3 },
    'active',
    t(1),
  );
  await ledger.recordSkip(order(1003), 'empty', 'no lines to ship', t(2));
  await ledger.recordSkip(order(1003), 'empty', 'no lines to ship', t(3));
  seen.push(await ledger.recordFailure(order(1004), 'boom', t(3)));
  seen.push(await ledger.recordFailure(order(1004), 'boom again', t(4)));
  await ledger.recordResolved(order(1004), t(5));
  await ledger.recordDelivered(
    order(1002, 5),
    { type: 'order.withdrawn', id: 'e3', hash: null, reason: 'refunded' },
    'withdrawn',
    t(6),
  );
  await ledger.recordSettled(order(1001, 6), 'partially_shipped', '1 of 2 shipped', t(7));
  await ledger.recordSettled(order(1001, 6), 'partially_shipped', '1 of 2 shipped', t(7));
  await ledger.note(order(1001), 'fulfillment_request', 'accepted', t(8));
  await ledger.recordResent(order(1001, 9), 'e1', t(9));
  await ledger.touch(order(1002, 10));
  const key = shipmentKey(order(1001).orderId, lines, '1Z999');
  await ledger.recordShipmentIntent(order(1001), { key, trackingNumber: '1Z999', lines }, t(10));
  seen.push(await ledger.shipment(key));
  await ledger.recordShipmentApplied(
    order(1001),
    { key, trackingNumber: '1Z999', lines, fulfillmentId: 'gid://shopify/Fulfillment/1' },
    'shipped',
    'shipped with 1Z999',
    t(11),
  );
  const failed = shipmentKey(order(1009).orderId, lines, 'BAD');
  await ledger.recordShipmentFailed(
    order(1009),
    { key: failed, trackingNumber: 'BAD', lines },
    'no such order',
    t(12),
  );
  await ledger.recordShipmentFailed(
    order(1002),
    { key: shipmentKey(order(1002).orderId, lines, 'X'), trackingNumber: 'X', lines },
    'withdrawn',
    t(12),
  );
  await ledger.recordReturnSeen(ret(1001, 'REQUESTED'), t(13));
  await ledger.recordReturnDelivered(
    ret(1001),
    { type: 'return.opened', id: 'r1', hash: 'rh1' },
    'open',
    t(14),
  );
  await ledger.noteReturn(ret(1005), 'receive_failed', 'not received', t(14));
  await ledger.recordReceiptIntent(
    ret(1001),
    { key: 'rk1', sku: 'A-1', quantity: 1, disposition: 'RESTOCKED', baseline: 4 },
    t(15),
  );
  await ledger.recordReceiptApplied(ret(1001), 'rk1', '1 × A-1 restocked', t(16));
  await ledger.recordReceiptIntent(
    ret(1001),
    { key: 'rk2', sku: 'A-1', quantity: 1, disposition: 'DISPOSED', baseline: 5 },
    t(16),
  );
  await ledger.recordReceiptFailed(ret(1001), 'rk2', 'refused', t(17));
  await ledger.setMeta('checkpoint', t(17).toISOString());
  await ledger.setMeta('bulk', '{"id":1}');
  await ledger.setMeta('bulk', undefined);

  seen.push(await ledger.get(order(1001).orderId));
  seen.push(await ledger.get('gid://shopify/Order/404'));
  for (const ref of ['#1002', '1002', '1003', 'gid://shopify/Order/1004', '#404'])
    seen.push(await ledger.find(ref));
  seen.push(await ledger.followedCount());
  seen.push(await ledger.failingIds());
  seen.push(await ledger.deliveredSince(t(0)));
  seen.push(await ledger.deliveredSince(t(5)));
  seen.push(await ledger.list());
  seen.push(await ledger.list({ status: 'withdrawn' }));
  seen.push(await ledger.list({ limit: 2 }));
  seen.push(await ledger.counts());
  seen.push(await ledger.activity(order(1001).orderId));
  seen.push(await ledger.activity(order(1001).orderId, 2));
  seen.push(await ledger.shipment(key));
  seen.push(await ledger.shipmentsOf(order(1001).orderId));
  seen.push(await ledger.getReturn(ret(1001).returnId));
  for (const ref of ['#1001-R1', '1001-R1', 'gid://shopify/Return/1005', '1005'])
    seen.push(await ledger.findReturn(ref));
  seen.push(await ledger.listReturns());
  seen.push(await ledger.listReturns({ warehouse: 'open', limit: 1 }));
  seen.push(await ledger.followedReturns());
  seen.push(await ledger.returnActivity(ret(1001).returnId));
  seen.push(await ledger.receipt('rk1'));
  seen.push(await ledger.receiptsOf(ret(1001).returnId));
  seen.push(await ledger.getMeta('checkpoint'));
  seen.push(await ledger.getMeta('bulk'));
  return seen;
}

describe.skipIf(postgresSkipReason !== undefined)('the PostgreSQL ledger and the SQLite ledger', () => {
  let dir: string;
  let url: string;
  let state: StateStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dsync-conformance-'));
    url = await freshDatabase('conformance');
    state = await createPostgresStateStore(url);
  });
  afterAll(async () => {
    await state?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer every call alike and end with the same rows', async () => {
    const sqlite = await openLedger(ledgerPath(dir, SHOP));
    const fromSqlite = await exercise(sqlite);
    await sqlite.close();

    // Another store in the same database must not show through.
    const other = await state.openLedger(OTHER);
    await exercise(other);
    await other.close();
    const postgres = await state.openLedger(SHOP);
    const fromPostgres = await exercise(postgres);
    await postgres.close();

    expect(fromPostgres).toEqual(fromSqlite);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const session = new Session(client as unknown as pg.PoolClient, parsePostgresUrl(url));
    try {
      const dumped = await session.exclusive(() => dumpPostgresLedger(session, SHOP));
      expect(dumped).toEqual(dumpSqliteLedger(dir, SHOP));
      expect(dumped.activity.length).toBeGreaterThan(10);
    } finally {
      await client.end();
    }
  });

  it('opens a store with no rows read-only as no ledger', async () => {
    expect(await state.openLedgerReadonly('never-run.myshopify.com')).toBeUndefined();
    const ledger = await state.openLedgerReadonly(OTHER);
    expect(await ledger?.counts()).toMatchObject({ imported: 0, shipped: 1, withdrawn: 1 });
    await ledger?.close();
  });
});
