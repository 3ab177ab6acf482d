import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/core/sqlite.js';
import type { SandboxData } from '../../src/sandbox/index.js';
import { type Json, LOCATIONS, type scenario, scenarioAt } from '../import/helpers.js';
import { startCli } from '../support/cli.js';
import { merchant, openShippedReturn } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * Crashes in the middle of the commands that change the store (ship, inventory push, returns
 * receive): the built CLI is killed with SIGKILL right after Shopify applied a mutation and before
 * dsync recorded it (DSYNC_CRASH_AT), then run again with the same file. Two sandboxes from the
 * same seed stand side by side: one gets an uninterrupted run, the other the crash and the rerun;
 * their state, read through the Admin API, and the ledgers must then be the same.
 */
const THREE_PL = `gid://shopify/Location/${LOCATIONS.acme3pl}`;
const WAREHOUSE = `gid://shopify/Location/${LOCATIONS.warehouse}`;

type Scenario = ReturnType<typeof scenario>;

const setup = scenarioAt;

async function crashed(s: Scenario, args: string[], crashAt: string): Promise<void> {
  const result = await startCli(args, { env: { ...s.env, DSYNC_CRASH_AT: crashAt }, timeoutMs: 60_000 })
    .result;
  expect(result.signal, `${crashAt} was never reached: ${result.stderr}`).toBe('SIGKILL');
}

function rows(s: Scenario, sql: string): Json[] {
  const db = new (loadSqlite())(join(s.ledgerDir, 'ledger.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as Json[];
  } finally {
    db.close();
  }
}

/** Twin sandboxes: the same seed, so the same orders, items and ids. */
async function twins(options: Parameters<typeof startTestSandbox>[0]): Promise<[TestSandbox, TestSandbox]> {
  return [await startTestSandbox(options), await startTestSandbox(options)];
}

describe('dsync ship --file, killed after a fulfillment was created and run again', () => {
  let reference: TestSandbox;
  let crashing: TestSandbox;
  beforeAll(async () => {
    [reference, crashing] = await twins({ orders: 60, seed: 7, plan: 'plus' });
  });
  afterAll(async () => {
    await reference?.stop();
    await crashing?.stop();
  });

  /** Orders with an untouched, submitted fulfillment order at the 3PL, stocked there. */
  function candidates(data: SandboxData): { id: string; name: string }[] {
    const out: { id: string; name: string }[] = [];
    for (const order of data.orders) {
      if (order.cancelledAt !== null) continue;
      const fo = data.fulfillmentOrdersOf(order).find((f) => f.locationId === LOCATIONS.acme3pl);
      if (fo?.status !== 'OPEN' || fo.requestStatus !== 'SUBMITTED') continue;
      if (fo.lineItems.some((l) => l.remainingQuantity !== l.totalQuantity)) continue;
      const skus = fo.lineItems.map((l) => order.lineItems.find((x) => x.id === l.lineItemId)?.sku);
      if (skus.some((sku) => !sku || sku === 'CAP-TRAIL')) continue;
      out.push({ id: `gid://shopify/Order/${order.id}`, name: order.name });
    }
    return out;
  }

  it('creates each fulfillment once: the store and the ledger end as after one uninterrupted run', async () => {
    const orders = candidates(reference.data).slice(0, 4);
    expect(orders).toHaveLength(4);
    expect(candidates(crashing.data).slice(0, 4)).toEqual(orders);
    const csv = `order,sku,quantity,carrier,tracking_number,tracking_url\n${orders
      .map((o, i) => `${o.name},,,UPS,1ZCRASH${i},`)
      .join('\n')}\n`;

    const a = await setup(reference, THREE_PL);
    const b = await setup(crashing, THREE_PL);
    try {
      const args = (s: Scenario) => ['ship', '--file', s.file('shipments.csv', csv), '--json'];
      const plain = await a.run(args(a));
      expect(plain.code, plain.stderr).toBe(0);

      await crashed(b, args(b), 'ship.created:2');
      // Shopify has two fulfillments; the ledger knows of one.
      const recorded = rows(b, "SELECT key FROM shipments WHERE state = 'applied'");
      expect(recorded).toHaveLength(1);
      const rerun = await b.run(args(b));
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).counts).toMatchObject({ created: 2, alreadyApplied: 2, failed: 0 });

      for (const order of orders) {
        const there = await merchant(reference).shipping(order.id);
        const here = await merchant(crashing).shipping(order.id);
        expect(here.fulfillments).toHaveLength(1);
        expect(here).toEqual(there);
      }
      const ledger = (s: Scenario) =>
        rows(s, 'SELECT key, order_id, tracking_number, lines, state, message FROM shipments ORDER BY key');
      expect(ledger(b)).toEqual(ledger(a));
      const states = (s: Scenario) => rows(s, 'SELECT order_id, status FROM orders ORDER BY order_id');
      expect(states(b)).toEqual(states(a));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }, 120_000);
});

describe('dsync inventory push --file, killed between two batches and run again', () => {
  let reference: TestSandbox;
  let crashing: TestSandbox;
  beforeAll(async () => {
    [reference, crashing] = await twins({ orders: 0, products: 400, seed: 4, plan: 'plus' });
  });
  afterAll(async () => {
    await reference?.stop();
    await crashing?.stop();
  });

  it('sets each quantity once: the levels end as after one uninterrupted push', async () => {
    const levels = await merchant(reference).levels(THREE_PL);
    const generated = levels.filter((l) => l.sku?.startsWith('GEN-'));
    expect(generated.length).toBeGreaterThan(250);
    const csv = `sku,quantity\n${generated.map((l) => `${l.sku},${l.available + 3}`).join('\n')}\n`;
    const a = await setup(reference, THREE_PL);
    const b = await setup(crashing, THREE_PL);
    try {
      const args = (s: Scenario) => ['inventory', 'push', '--file', s.file('stock.csv', csv), '--json'];
      const plain = await a.run(args(a));
      expect(plain.code, plain.stderr).toBe(0);
      expect(JSON.parse(plain.stdout)).toMatchObject({ requests: { writes: 2 } });

      await crashed(b, args(b), 'inventory.applied:1');
      const rerun = await b.run(args(b));
      expect(rerun.code, rerun.stderr).toBe(0);
      // The first batch is not sent again: its items are at their target already.
      expect(JSON.parse(rerun.stdout)).toMatchObject({ changed: generated.length - 250, failed: 0 });

      const state = async (sandbox: TestSandbox) =>
        (await merchant(sandbox).levels(THREE_PL)).map((l) => [l.itemId, l.available, l.onHand]);
      expect(await state(crashing)).toEqual(await state(reference));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }, 120_000);
});

describe('dsync returns receive --file, killed after a disposition and run again', () => {
  let reference: TestSandbox;
  let crashing: TestSandbox;
  beforeAll(async () => {
    [reference, crashing] = await twins({ orders: 5, seed: 7 });
  });
  afterAll(async () => {
    await reference?.stop();
    await crashing?.stop();
  });

  const openReturn = openShippedReturn;

  it('disposes each row once: dispositions, stock and the ledger end as after one uninterrupted run', async () => {
    const made = [
      await openReturn(reference, { 'TEE-BLK-M': 3, 'TEE-BLK-S': 1 }),
      await openReturn(crashing, { 'TEE-BLK-M': 3, 'TEE-BLK-S': 1 }),
    ];
    expect(made[1].name).toBe(made[0].name);
    const name = made[0].name as string;
    const csv = `return,sku,quantity,disposition\n${name},TEE-BLK-M,1,restocked\n${name},TEE-BLK-M,1,restocked\n${name},TEE-BLK-M,1,not_restocked\n${name},TEE-BLK-S,1,missing\n`;
    const a = await setup(reference, WAREHOUSE);
    const b = await setup(crashing, WAREHOUSE);
    try {
      const args = (s: Scenario) => ['returns', 'receive', '--file', s.file('received.csv', csv), '--json'];
      const plain = await a.run(args(a));
      expect(plain.code, plain.stderr).toBe(0);

      await crashed(b, args(b), 'returns.disposed:2');
      expect(rows(b, "SELECT key FROM return_receipts WHERE state = 'applied'")).toHaveLength(1);
      const rerun = await b.run(args(b));
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).counts).toMatchObject({ disposed: 2, alreadyApplied: 2, failed: 0 });

      const state = async (sandbox: TestSandbox, id: string) => ({
        ret: await merchant(sandbox).readReturn(id),
        stock: (await merchant(sandbox).levels(WAREHOUSE)).filter((l) => l.sku?.startsWith('TEE-BLK')),
      });
      expect(await state(crashing, made[1].id)).toEqual(await state(reference, made[0].id));
      const ledger = (s: Scenario) =>
        rows(
          s,
          'SELECT key, return_name, sku, quantity, disposition, baseline, state, message FROM return_receipts ORDER BY key',
        );
      expect(ledger(b)).toEqual(ledger(a));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }, 120_000);
});
