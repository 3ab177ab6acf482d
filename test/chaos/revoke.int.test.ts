import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SANDBOX_SCOPES } from '../../src/sandbox/index.js';
import { type Json, LOCATIONS, scenario } from '../import/helpers.js';
import { shippable } from '../support/chaos.js';
import { runCli } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * The app's token revoked in the middle of a run (the sandbox's `revoke@N`: from that request on,
 * Shopify's 401): the command stops with exit 4 and says to run `dsync auth login`, and leaves
 * nothing half-written; with a new token the next run finishes the work exactly once.
 */
const THREE_PL = `gid://shopify/Location/${LOCATIONS.acme3pl}`;

let sandbox: TestSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

/** A merchant's view through a token of its own (the sandbox's ready token is the one revoked). */
function freshMerchant(box: TestSandbox) {
  return merchant({ ...box, accessToken: box.issueToken([...ALL_SANDBOX_SCOPES]) });
}

describe('token revoked mid-run', () => {
  it('dsync import --out: exit 4, `dsync auth login`, only whole files; a new token finishes without duplicates', async () => {
    sandbox = await startTestSandbox({ orders: 120, seed: 5, plan: 'plus' });
    const s = scenario(sandbox);
    const out = join(s.dir, 'spool');
    sandbox.setFaults('revoke@4');
    const first = await runCli(['import', '--out', out, '--no-bulk'], { env: s.env, timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(4);
    expect(first.stderr).toContain('dsync auth login');
    const files = readdirSync(out);
    // Atomic files only: no temp file left, each one whole JSON.
    expect(files.filter((f) => f.startsWith('.') || f.endsWith('.tmp'))).toEqual([]);
    for (const f of files) expect(() => JSON.parse(readFileSync(join(out, f), 'utf8'))).not.toThrow();

    sandbox.setFaults(undefined);
    const token = sandbox.issueToken([...ALL_SANDBOX_SCOPES]);
    const env = { ...s.env, DSYNC_ACCESS_TOKEN: token };
    const second = await runCli(['import', '--out', out, '--no-bulk'], { env, timeoutMs: 120_000 });
    expect(second.code, second.stderr).toBe(0);
    const events: Json[] = readdirSync(out).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')));
    const created = events.filter((e) => e.type === 'order.created').map((e) => e.order.id);
    expect(created.length).toBeGreaterThan(files.length);
    expect(new Set(created).size).toBe(created.length);

    // The same store imported from a fresh ledger delivers the same orders.
    const clean = scenario(sandbox);
    const cleanOut = join(clean.dir, 'spool');
    const fresh = await runCli(['import', '--out', cleanOut, '--no-bulk'], {
      env: { ...clean.env, DSYNC_ACCESS_TOKEN: token },
      timeoutMs: 120_000,
    });
    expect(fresh.code, fresh.stderr).toBe(0);
    const cleanCreated = readdirSync(cleanOut).map(
      (f) => JSON.parse(readFileSync(join(cleanOut, f), 'utf8')).order.id,
    );
    expect([...created].sort()).toEqual([...cleanCreated].sort());
    s.cleanup();
    clean.cleanup();
  }, 300_000);

  it('dsync ship: exit 4 before the fulfillment, nothing created; with a new token each order gets exactly one', async () => {
    sandbox = await startTestSandbox({ orders: 200, seed: 11, plan: 'plus' });
    const s = scenario(sandbox);
    await s.set('fulfillment-location', THREE_PL);
    const orders = shippable(sandbox.data, 2, LOCATIONS.acme3pl);
    const path = join(s.dir, 'shipments.csv');
    writeFileSync(
      path,
      `order,sku,quantity,carrier,tracking_number,tracking_url\n${orders.map((o, i) => `${o.name},,,UPS,REVOKE${i},`).join('\n')}\n`,
    );
    // 1 ShipmentOrders, 2 AcceptFulfillmentRequest, 3 CreateFulfillment: the token goes at 3.
    sandbox.setFaults('revoke@3');
    const first = await runCli(['ship', '--file', path], { env: s.env });
    expect(first.code, first.stderr).toBe(4);
    expect(first.stderr).toContain('dsync auth login');
    sandbox.setFaults(undefined);
    const shop = freshMerchant(sandbox);
    for (const o of orders) expect((await shop.shipping(o.id)).fulfillments).toEqual([]);

    const env = { ...s.env, DSYNC_ACCESS_TOKEN: sandbox.issueToken([...ALL_SANDBOX_SCOPES]) };
    const second = await runCli(['ship', '--file', path, '--json'], { env });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const o of orders) expect((await shop.shipping(o.id)).fulfillments).toHaveLength(1);
    s.cleanup();
  }, 120_000);

  it('dsync inventory push: exit 4 before the write, the level untouched; with a new token it is set', async () => {
    sandbox = await startTestSandbox({ orders: 5, seed: 3 });
    const s = scenario(sandbox);
    await s.set('fulfillment-location', THREE_PL);
    const before =
      (await merchant(sandbox).levels(THREE_PL)).find((l) => l.sku === 'TEE-BLK-L')?.available ?? 0;
    const path = join(s.dir, 'stock.csv');
    writeFileSync(path, `sku,quantity\nTEE-BLK-L,${before + 9}\n`);
    // 1 LocationLevels, 2 InventorySetAvailable: the token goes at 2.
    sandbox.setFaults('revoke@2');
    const first = await runCli(['inventory', 'push', '--file', path], { env: s.env });
    sandbox.setFaults(undefined);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stderr).toContain('dsync auth login');
    // Every token the app had is revoked: the merchant reads with one issued afterwards.
    const shop = freshMerchant(sandbox);
    expect((await shop.levels(THREE_PL)).find((l) => l.sku === 'TEE-BLK-L')?.available).toBe(before);

    const env = { ...s.env, DSYNC_ACCESS_TOKEN: sandbox.issueToken([...ALL_SANDBOX_SCOPES]) };
    const second = await runCli(['inventory', 'push', '--file', path], { env });
    expect(second.code, second.stderr).toBe(0);
    expect((await shop.levels(THREE_PL)).find((l) => l.sku === 'TEE-BLK-L')?.available).toBe(before + 9);
    s.cleanup();
  }, 120_000);
});
