import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, LOCATIONS, scenarioAt } from '../import/helpers.js';
import { CHAOS_HTTP_TIMEOUT_MS, chaosMix, shippable, untilSuccess } from '../support/chaos.js';
import { runCli } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * The warehouse's writes under a 10% fault mix (5xx, resets, answers slower than the client's
 * timeout, THROTTLED bursts, 429s, and mutations applied whose answer is lost): `dsync ship`,
 * `dsync inventory push` and `dsync returns receive`, each run again until it exits 0. What they
 * did is read back from the store through the Admin API with no faults: every shipment exactly
 * one fulfillment, every stock level what the file says, every return line disposed exactly once.
 */
const THREE_PL = `gid://shopify/Location/${LOCATIONS.acme3pl}`;
const WAREHOUSE = `gid://shopify/Location/${LOCATIONS.warehouse}`;
const MAX_RUNS = 40;

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 200, seed: 11, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

async function setup(location: string) {
  const s = await scenarioAt(sandbox, location);
  const file = s.file;
  const env = { ...s.env, DSYNC_HTTP_TIMEOUT_MS: String(CHAOS_HTTP_TIMEOUT_MS) };
  const run = (args: string[]) => runCli(args, { env, timeoutMs: 120_000 });
  return { ...s, file, run };
}

/** Runs `args` under the mix until it exits 0, then turns the faults off. */
async function underFaults(run: (args: string[]) => ReturnType<typeof runCli>, args: string[], seed: number) {
  sandbox.setFaults(chaosMix(seed));
  try {
    const attempts = await untilSuccess(() => run(args), MAX_RUNS);
    process.stderr.write(
      `${args[0]}: exit codes ${attempts.codes.join(',')}; ${JSON.stringify(sandbox.faults())}\n`,
    );
    return { ...attempts, faults: sandbox.faults() };
  } finally {
    sandbox.setFaults(undefined);
  }
}

describe('writes under a 10% fault mix', () => {
  it('dsync ship: rerun until it succeeds, every shipment is exactly one fulfillment', async () => {
    const s = await setup(THREE_PL);
    const orders = shippable(sandbox.data, 16, LOCATIONS.acme3pl);
    expect(orders.length).toBe(16);
    const csv = [
      'order,sku,quantity,carrier,tracking_number,tracking_url',
      ...orders.map((o, i) => `${o.name},,,UPS,1ZCHAOS${String(i).padStart(3, '0')},`),
    ].join('\n');
    const path = s.file('shipments.csv', `${csv}\n`);
    const result = await underFaults(s.run, ['ship', '--file', path, '--json', '--no-input'], 21);
    expect(Object.values(result.faults.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const shop = merchant(sandbox);
    for (const [i, order] of orders.entries()) {
      const shipped = await shop.shipping(order.id);
      const tracking = `1ZCHAOS${String(i).padStart(3, '0')}`;
      const withTracking = shipped.fulfillments.filter((f: Json) =>
        f.trackingInfo.some((t: Json) => t.number === tracking),
      );
      expect(
        withTracking,
        `${order.name}: fulfillments ${JSON.stringify(shipped.fulfillments)}`,
      ).toHaveLength(1);
      expect(shipped.fulfillments).toHaveLength(1);
      const fo = shipped.fulfillmentOrders.nodes.find(
        (f: Json) => f.assignedLocation.location.id === THREE_PL,
      );
      expect(fo.status).toBe('CLOSED');
    }
    // A run after success changes nothing.
    const again = await s.run(['ship', '--file', path, '--json', '--no-input']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).counts).toMatchObject({ created: 0, failed: 0 });
    s.cleanup();
  }, 600_000);

  it('dsync inventory push: rerun until it succeeds, every level is what the file says, round after round', async () => {
    const s = await setup(THREE_PL);
    const shop = merchant(sandbox);
    const before = (await shop.levels(THREE_PL)).filter((l) => l.sku !== null);
    const skus = [...new Set(before.map((l) => l.sku as string))].filter(
      (sku) => before.filter((l) => l.sku === sku).length === 1,
    );
    expect(skus.length).toBeGreaterThan(5);
    // Several files in a row, each pushed until it goes through: enough writes for the mix to hit.
    for (let round = 1; round <= 6; round++) {
      const wanted = new Map(skus.map((sku, i) => [sku, 5 + ((i * 7 + round * 3) % 23)]));
      const path = s.file(
        `stock-${round}.csv`,
        `sku,quantity\n${[...wanted].map(([sku, q]) => `${sku},${q}`).join('\n')}\n`,
      );
      await underFaults(s.run, ['inventory', 'push', '--file', path, '--json'], 30 + round);
      const after = (await shop.levels(THREE_PL)).filter((l) => l.sku !== null);
      for (const [sku, quantity] of wanted) {
        expect(after.find((l) => l.sku === sku)?.available, `round ${round}: ${sku}`).toBe(quantity);
      }
      const again = await s.run(['inventory', 'push', '--file', path, '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ changed: 0, failed: 0 });
    }
    s.cleanup();
  }, 600_000);

  it('dsync returns receive: rerun until it succeeds, every return line disposed exactly once', async () => {
    const s = await setup(WAREHOUSE);
    const shop = merchant(sandbox);
    const returns: Json[] = [];
    for (let i = 0; i < 6; i++) {
      const order = sandbox.data.addOrder({
        lines: [
          { sku: 'TEE-BLK-M', quantity: 3 },
          { sku: 'TEE-BLK-S', quantity: 2 },
        ],
      });
      const shipped = sandbox.data.fulfillOrder(order.id);
      if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
      const orderId = `gid://shopify/Order/${order.id}`;
      const lines = await shop.shippedLines(orderId);
      returns.push(
        await shop.createReturn(
          orderId,
          lines.map((l) => ({ fulfillmentLineItemId: l.fulfillmentLineItemId, quantity: l.quantity })),
        ),
      );
    }
    const stockBefore = (await shop.levels(WAREHOUSE)).find((l) => l.sku === 'TEE-BLK-M')?.available ?? 0;
    const rows = returns.flatMap((r) => [
      `${r.name},TEE-BLK-M,2,restocked`,
      `${r.name},TEE-BLK-M,1,not_restocked`,
      `${r.name},TEE-BLK-S,2,missing`,
    ]);
    const path = s.file('received.csv', `return,sku,quantity,disposition\n${rows.join('\n')}\n`);
    await underFaults(s.run, ['returns', 'receive', '--file', path, '--json'], 23);

    for (const r of returns) {
      const ret = await shop.readReturn(r.id);
      const skuOf = new Map<string, string>(
        ret.returnLineItems.nodes.map((l: Json) => [l.id, l.fulfillmentLineItem.lineItem.sku]),
      );
      const disposed: string[] = [];
      for (const rfo of ret.reverseFulfillmentOrders.nodes)
        for (const line of rfo.lineItems.nodes)
          for (const d of line.dispositions) disposed.push(`${d.type} ${d.quantity}`);
      expect(disposed.sort(), `${r.name} (${[...skuOf.values()].join(', ')})`).toEqual([
        'MISSING 2',
        'NOT_RESTOCKED 1',
        'RESTOCKED 2',
      ]);
    }
    // Restocked units count once: 2 per return.
    const stockAfter = (await shop.levels(WAREHOUSE)).find((l) => l.sku === 'TEE-BLK-M')?.available ?? 0;
    expect(stockAfter - stockBefore).toBe(2 * returns.length);
    s.cleanup();
  }, 600_000);
});

/**
 * The same writes when the answer to the one write that matters is lost after Shopify applied it
 * (`lost@N`) or comes after the client gave up (`slow@N` past DSYNC_HTTP_TIMEOUT_MS): the request
 * numbers are those of a fresh fault plan (inventory push: 1 LocationLevels, 2
 * InventorySetAvailable; returns receive of one return in two rows: 1 ReturnOrders, 2 and 3
 * DisposeReturnItems).
 */
describe('a write whose answer is lost or late', () => {
  it.each([['lost@2'], ['slow@2:ms=2600'], ['500@2']])(
    'dsync inventory push (%s): the level is set once, to the file’s value',
    async (spec) => {
      const s = await setup(THREE_PL);
      const shop = merchant(sandbox);
      const level = (await shop.levels(THREE_PL)).find((l) => l.sku === 'TEE-BLK-L');
      expect(level).toBeDefined();
      const target = (level?.available ?? 0) + 17;
      const path = s.file('stock.csv', `sku,quantity\nTEE-BLK-L,${target}\n`);
      sandbox.setFaults(spec);
      const attempts = await untilSuccess(() => s.run(['inventory', 'push', '--file', path, '--json']), 5);
      sandbox.setFaults(undefined);
      expect(attempts.codes).toEqual([0]);
      expect((await shop.levels(THREE_PL)).find((l) => l.sku === 'TEE-BLK-L')?.available).toBe(target);
      s.cleanup();
    },
    60_000,
  );

  it.each([['lost@2'], ['lost@3'], ['slow@2:ms=2600']])(
    'dsync returns receive (%s): each row disposed once, restocked units counted once',
    async (spec) => {
      const s = await setup(WAREHOUSE);
      const shop = merchant(sandbox);
      const order = sandbox.data.addOrder({ lines: [{ sku: 'TEE-BLK-M', quantity: 3 }] });
      const shipped = sandbox.data.fulfillOrder(order.id);
      if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
      const orderId = `gid://shopify/Order/${order.id}`;
      const lines = await shop.shippedLines(orderId);
      const ret = await shop.createReturn(
        orderId,
        lines.map((l) => ({ fulfillmentLineItemId: l.fulfillmentLineItemId, quantity: l.quantity })),
      );
      const stock = async () =>
        (await shop.levels(WAREHOUSE)).find((l) => l.sku === 'TEE-BLK-M')?.available ?? 0;
      const before = await stock();
      const path = s.file(
        'received.csv',
        `return,sku,quantity,disposition\n${ret.name},TEE-BLK-M,2,restocked\n${ret.name},TEE-BLK-M,1,missing\n`,
      );
      sandbox.setFaults(spec);
      const attempts = await untilSuccess(() => s.run(['returns', 'receive', '--file', path, '--json']), 5);
      sandbox.setFaults(undefined);
      expect(attempts.codes.length).toBeLessThanOrEqual(2);
      const read = await shop.readReturn(ret.id);
      const disposed = read.reverseFulfillmentOrders.nodes.flatMap((rfo: Json) =>
        rfo.lineItems.nodes.flatMap((l: Json) => l.dispositions.map((d: Json) => `${d.type} ${d.quantity}`)),
      );
      expect(disposed.sort()).toEqual(['MISSING 1', 'RESTOCKED 2']);
      expect((await stock()) - before).toBe(2);
      s.cleanup();
    },
    60_000,
  );
});
