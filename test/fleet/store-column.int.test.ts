import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxData } from '../../src/sandbox/index.js';
import { LOCATIONS } from '../import/helpers.js';
import { runCli, tempConfigDir } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: results are inspected field by field
type Json = any;

/**
 * Warehouse files holding several merchants (a `store` column): `ship`, `inventory push` and
 * `returns receive` apply each store's rows to that store, and refuse by line the rows of a store
 * that is not configured. Run as the built CLI against one sandbox serving three stores, two of
 * them logged in; what happened is read back per store through its Admin API.
 */
const THREE_PL = `gid://shopify/Location/${LOCATIONS.acme3pl}`;
const WAREHOUSE = `gid://shopify/Location/${LOCATIONS.warehouse}`;

let sandbox: TestSandbox;
let a: string;
let b: string;
let unconfigured: string;
let setup: { dir: string; cleanup: () => void; env: Record<string, string> };

beforeAll(async () => {
  sandbox = await startTestSandbox({ shops: 3, orders: 60, seed: 7, plan: 'plus' });
  const [first, second, third] = sandbox.shops.map((s) => s.shop) as [string, string, string];
  // Stores are reported in the order `dsync stores list` gives them (by name).
  [a, b] = [first, second].sort() as [string, string];
  unconfigured = third;
  const config = tempConfigDir('dsync-store-column-');
  const env = { DSYNC_API_ORIGIN: sandbox.origin, DSYNC_CONFIG_DIR: config.dir, DSYNC_KEYCHAIN: 'off' };
  for (const shop of [a, b]) {
    const token = sandbox.shops.find((s) => s.shop === shop)?.accessToken;
    const login = await runCli(['auth', 'login', '--with-token', '--store', shop], { env, input: token });
    expect(login.code, login.stderr).toBe(0);
  }
  setup = { ...config, env };
});
afterAll(async () => {
  setup?.cleanup();
  await sandbox?.stop();
});

const run = (args: string[]) => runCli(args, { env: setup.env, timeoutMs: 60_000 });

async function setLocation(location: string) {
  for (const shop of [a, b]) {
    const set = await run(['config', 'set', 'fulfillment-location', location, '--store', shop]);
    expect(set.code, set.stderr).toBe(0);
  }
}

function file(name: string, text: string): string {
  const path = join(setup.dir, name);
  writeFileSync(path, text);
  return path;
}

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, '');
const dataOf = (shop: string) => sandbox.shops.find((s) => s.shop === shop)?.data as SandboxData;

/** An open order with an untouched, submitted fulfillment order at the 3PL. */
function shippable(data: SandboxData, skip: Set<string>): { id: string; name: string } {
  for (const order of data.orders) {
    if (order.cancelledAt !== null || skip.has(order.name)) continue;
    const fos = data.fulfillmentOrdersOf(order);
    const fo = fos.find((f) => f.locationId === LOCATIONS.acme3pl);
    if (fo?.status !== 'OPEN' || fo.requestStatus !== 'SUBMITTED') continue;
    if (fo.lineItems.some((l) => l.remainingQuantity !== l.totalQuantity)) continue;
    return { id: `gid://shopify/Order/${order.id}`, name: order.name };
  }
  throw new Error('no shippable order in the seed');
}

const trackingOf = async (shop: string, orderId: string): Promise<string[]> =>
  ((await merchant(sandbox, shop).shipping(orderId)).fulfillments as Json[])
    .flatMap((f) => f.trackingInfo.map((t: Json) => t.number))
    .sort();

describe('a file with a store column', () => {
  it('ship: each store ships its own rows; an unconfigured or empty store is refused by line, the rest ship', async () => {
    await setLocation(THREE_PL);
    const orderA = shippable(dataOf(a), new Set());
    const orderB = shippable(dataOf(b), new Set());
    // The same order name in the other store, which must not be touched by this store's row.
    const twinInB = dataOf(b).orders.find((o) => o.name === orderA.name);
    const path = file(
      'shipments.csv',
      [
        'store,order,sku,quantity,carrier,tracking_number,tracking_url',
        `${handle(a)},${orderA.name},,,UPS,1ZSTOREA,`,
        `${b},${orderB.name},,,UPS,1ZSTOREB,`,
        `${handle(unconfigured)},${orderA.name},,,UPS,1ZNOWHERE,`,
        `,${orderA.name},,,UPS,1ZEMPTY,`,
        `${handle(a)},#999999,,,UPS,1ZMISSING,`,
        '',
      ].join('\n'),
    );
    const result = await run(['ship', '--file', path, '--json']);
    expect(result.code, result.stderr).toBe(3);
    const report: Json[] = JSON.parse(result.stdout);
    expect(report.map((r) => [r.shop, r.exitCode])).toEqual([
      [a, 3],
      [b, 0],
      [null, 3],
    ]);
    const [ra, rb, none] = report;
    expect(ra.result.counts).toMatchObject({ created: 1, failed: 1, rowErrors: 1 });
    // A store's own row errors keep the file's line numbers.
    expect(ra.result.rowErrors.map((e: Json) => e.line)).toEqual([6]);
    expect(rb.result.counts).toMatchObject({ created: 1, failed: 0, rowErrors: 0 });
    expect(none.result.rowErrors.map((e: Json) => [e.line, e.field])).toEqual([
      [4, 'store'],
      [5, 'store'],
    ]);
    expect(none.result.rowErrors[0].message).toBe(
      `store ${unconfigured} is not configured; configured: ${[a, b].sort().join(', ')} — run \`dsync auth login --store ${unconfigured}\``,
    );

    expect(await trackingOf(a, orderA.id)).toEqual(['1ZSTOREA']);
    expect(await trackingOf(b, orderB.id)).toEqual(['1ZSTOREB']);
    if (twinInB && `gid://shopify/Order/${twinInB.id}` !== orderB.id)
      expect(await trackingOf(b, `gid://shopify/Order/${twinInB.id}`)).toEqual([]);
    expect(
      await trackingOf(unconfigured, `gid://shopify/Order/${dataOf(unconfigured).orders[0]?.id}`),
    ).not.toContain('1ZNOWHERE');

    // Not a terminal: one line per store, the refused rows by line on stderr; nothing twice.
    const again = await run(['ship', '--file', path]);
    expect(again.code).toBe(3);
    const lines = again.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([a, b, '(unassigned)']);
    expect(lines[1]).toMatch(/ ok exit=0 1 shipment from 1 row: 0 created, 1 already applied/);
    expect(again.stderr).toContain(`${path}:4: store: store ${unconfigured} is not configured`);
    expect(again.stderr).toContain(`${path}:5: store: is empty`);
    expect(await trackingOf(a, orderA.id)).toEqual(['1ZSTOREA']);
    expect(await trackingOf(b, orderB.id)).toEqual(['1ZSTOREB']);
  });

  it('inventory push: each store gets its own levels; with --store, empty cells mean that store', async () => {
    await setLocation(THREE_PL);
    const levels = async (shop: string) =>
      new Map(
        (await merchant(sandbox, shop).levels(THREE_PL)).map((l) => [l.sku, l.available] as [string, number]),
      );
    const path = file(
      'stock.csv',
      `store,sku,quantity\n${a},TEE-BLK-S,17\n${handle(b)},TEE-BLK-S,29\n${b},TEE-BLK-M,31\n`,
    );
    const result = await run(['inventory', 'push', '--file', path, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report: Json[] = JSON.parse(result.stdout);
    expect(report.map((r) => [r.shop, r.exitCode, r.result.rows])).toEqual([
      [a, 0, 1],
      [b, 0, 2],
    ]);
    const [la, lb] = [await levels(a), await levels(b)];
    expect([la.get('TEE-BLK-S'), lb.get('TEE-BLK-S'), lb.get('TEE-BLK-M')]).toEqual([17, 29, 31]);

    // One store's token cannot serve a file naming several stores.
    const token = await runCli(['inventory', 'push', '--file', path, '--json'], {
      env: { ...setup.env, DSYNC_ACCESS_TOKEN: sandbox.accessToken },
    });
    expect(token.code).toBe(2);
    expect(token.stdout).toContain('DSYNC_ACCESS_TOKEN');

    const explicit = file('stock-explicit.csv', `store,sku,quantity\n,TEE-BLK-S,5\n${b},TEE-BLK-M,6\n`);
    const one = await run(['inventory', 'push', '--file', explicit, '--store', a, '--json']);
    expect(one.code, one.stderr).toBe(3);
    const summary = JSON.parse(one.stdout);
    expect(summary.problems.map((p: Json) => [p.line, p.field])).toEqual([[3, 'store']]);
    expect((await levels(a)).get('TEE-BLK-S')).toBe(5);
    expect((await levels(b)).get('TEE-BLK-M')).toBe(31);
  });

  it('returns receive: one return per store, each disposed in its own store', async () => {
    await setLocation(WAREHOUSE);
    const opened: Record<string, Json> = {};
    for (const shop of [a, b]) {
      const data = dataOf(shop);
      const order = data.addOrder({ lines: [{ sku: 'TEE-BLK-M', quantity: 2 }] });
      const shipped = data.fulfillOrder(order.id);
      if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
      const store = merchant(sandbox, shop);
      const orderId = `gid://shopify/Order/${order.id}`;
      const lines = await store.shippedLines(orderId);
      opened[shop] = await store.createReturn(
        orderId,
        lines.map((l: Json) => ({
          fulfillmentLineItemId: l.fulfillmentLineItemId,
          quantity: l.quantity,
          returnReason: 'SIZE_TOO_SMALL',
          returnReasonNote: '',
        })),
      );
    }
    const path = file(
      'received.csv',
      `store,return,sku,quantity,disposition\n${a},${opened[a].name},TEE-BLK-M,2,restocked\n${handle(b)},${opened[b].name},TEE-BLK-M,1,not_restocked\n${b},${opened[b].name},TEE-BLK-M,1,missing\n`,
    );
    const result = await run(['returns', 'receive', '--file', path, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report: Json[] = JSON.parse(result.stdout);
    expect(report.map((r) => [r.shop, r.exitCode, r.result.counts.disposed])).toEqual([
      [a, 0, 1],
      [b, 0, 2],
    ]);
    const dispositions = async (shop: string) => {
      const ret = await merchant(sandbox, shop).readReturn(opened[shop].id);
      return (ret.reverseFulfillmentOrders.nodes as Json[])
        .flatMap((rfo) => rfo.lineItems.nodes as Json[])
        .flatMap((line) => (line.dispositions as Json[]).map((d) => `${d.type} ${d.quantity}`))
        .sort();
    };
    expect(await dispositions(a)).toEqual(['RESTOCKED 2']);
    expect(await dispositions(b)).toEqual(['MISSING 1', 'NOT_RESTOCKED 1']);
  });
});
