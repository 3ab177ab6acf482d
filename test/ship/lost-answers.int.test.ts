import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, LOCATIONS, scenario } from '../import/helpers.js';
import { shippable } from '../support/chaos.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * `dsync ship` when Shopify applies a mutation and the answer is lost on the way back (the
 * sandbox's `lost@N` fault). A file of two shipments, each of an order whose request must be
 * accepted first, makes these requests: 1 ShipmentOrders, 2 AcceptFulfillmentRequest (first
 * order), 3 CreateFulfillment, then the second order's. The truth is read back through the Admin API.
 */
const THREE_PL = `gid://shopify/Location/${LOCATIONS.acme3pl}`;

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 200, seed: 11, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

const taken = new Set<string>();
async function twoShipments() {
  const s = scenario(sandbox);
  await s.set('fulfillment-location', THREE_PL);
  const orders = shippable(sandbox.data, 20, LOCATIONS.acme3pl)
    .filter((o) => !taken.has(o.id))
    .slice(0, 2);
  for (const o of orders) taken.add(o.id);
  expect(orders).toHaveLength(2);
  const path = join(s.dir, 'shipments.csv');
  writeFileSync(
    path,
    `order,sku,quantity,carrier,tracking_number,tracking_url\n${orders.map((o, i) => `${o.name},,,UPS,LOST${o.name.slice(1)}${i},`).join('\n')}\n`,
  );
  return { s, orders, path };
}

async function fulfillments(orderId: string): Promise<Json[]> {
  return (await merchant(sandbox).shipping(orderId)).fulfillments;
}

describe('dsync ship with lost answers', () => {
  it('an accepted request whose answer was lost: looks, finds it accepted, ships, and goes on with the file', async () => {
    const { s, orders, path } = await twoShipments();
    sandbox.setFaults('lost@2');
    const run = await s.run(['ship', '--file', path, '--json']);
    sandbox.setFaults(undefined);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).counts).toMatchObject({ created: 2, failed: 0 });
    for (const o of orders) expect(await fulfillments(o.id)).toHaveLength(1);
    s.cleanup();
  });

  it('a created fulfillment whose answer was lost is found by its tracking number, not created twice', async () => {
    const { s, orders, path } = await twoShipments();
    sandbox.setFaults('lost@3');
    const run = await s.run(['ship', '--file', path, '--json']);
    sandbox.setFaults(undefined);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const o of orders) expect(await fulfillments(o.id)).toHaveLength(1);
    s.cleanup();
  });

  it('when the store cannot be read after a lost answer, that shipment fails (exit 3), the rest ships, and a rerun completes it', async () => {
    const { s, orders, path } = await twoShipments();
    // The acceptance is applied and its answer lost; the look that follows fails five times.
    sandbox.setFaults('lost@2,500@3x5');
    const first = await s.run(['ship', '--file', path, '--json']);
    sandbox.setFaults(undefined);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const summary = JSON.parse(first.stdout);
    expect(summary.counts).toMatchObject({ created: 1, failed: 1 });
    expect(await fulfillments(orders[0]!.id)).toHaveLength(0);
    expect(await fulfillments(orders[1]!.id)).toHaveLength(1);

    const second = await s.run(['ship', '--file', path, '--json']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const o of orders) expect(await fulfillments(o.id)).toHaveLength(1);
    s.cleanup();
  });
});
