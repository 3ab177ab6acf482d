import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_SCOPES } from '../../src/services/auth/scopes.js';
import { runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { AUTHORIZE_URL, freePort, startCli } from './cli-process.js';

/**
 * Least privilege: a login asks for the scopes of the features the settings turn on. What the
 * token holds is read back from the sandbox (currentAppInstallation), and what it cannot do is
 * the sandbox's ACCESS_DENIED, not a second copy of the rules.
 */
let sandbox: TestSandbox;
const config = tempConfigDir('dsync-scopes-');
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 3 });
});
afterAll(async () => {
  await sandbox?.stop();
  config.cleanup();
});

const env = () => ({
  ...sandbox.env({ accessToken: undefined, configDir: config.dir }),
  DSYNC_KEYCHAIN: 'off',
});

/** The browser flow; returns the scopes the authorize URL asked for. */
async function browserLogin(): Promise<string[]> {
  const port = await freePort();
  const cli = startCli(
    ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port)],
    {
      env: { ...env(), DSYNC_CLIENT_SECRET: sandbox.clientSecret },
    },
  );
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  await (await fetch(url ?? '')).text();
  const result = await cli.done;
  expect(result.code, result.stderr).toBe(0);
  return (new URL(url ?? '').searchParams.get('scope') ?? '').split(',');
}

/** The stored token, as a user's script would get it, and a GraphQL call with it. */
// biome-ignore lint/suspicious/noExplicitAny: GraphQL data, shape asserted by each use
async function admin(query: string): Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }> {
  const token = await runCli(['auth', 'token'], { env: env() });
  expect(token.code, token.stderr).toBe(0);
  const response = await fetch(sandbox.graphqlUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token.stdout.trim() },
    body: JSON.stringify({ query }),
  });
  return response.json() as never;
}

const grantedScopes = async () =>
  (
    (await admin('{ currentAppInstallation { accessScopes { handle } } }')).data.currentAppInstallation
      .accessScopes as {
      handle: string;
    }[]
  )
    .map((s) => s.handle)
    .sort();

const ADJUST = `mutation { inventoryAdjustQuantities(input: { reason: "correction", name: "available",
  changes: [{ delta: 1, inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1" }] }) {
  userErrors { message } } }`;

describe('login asks only for the scopes the settings use', () => {
  it('reads at first; writes once a fulfillment location is set; status names the feature and the command', async () => {
    // 1. No settings yet: reading only, and the store grants just that.
    const asked = await browserLogin();
    expect(asked).toEqual([...READ_SCOPES]);
    expect(asked.some((s) => s.startsWith('write_'))).toBe(false);
    expect(await grantedScopes()).toEqual([...READ_SCOPES].sort());
    const denied = await admin(ADJUST);
    expect(denied.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
    expect((await runCli(['auth', 'status'], { env: env() })).code).toBe(0);

    // 2. A fulfillment location turns on shipping, stock and returns: the token now falls short.
    const set = await runCli(['config', 'set', 'fulfillment-location', 'Acme 3PL'], { env: env() });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('stock (inventory push)');
    expect(set.stderr).toContain(`dsync auth login --store ${sandbox.shop}`);
    const status = await runCli(['auth', 'status', '--json'], { env: env() });
    expect(status.code).toBe(4);
    const store = JSON.parse(status.stdout).stores[0];
    expect(store.scopes).toEqual([...READ_SCOPES].sort());
    expect(store.missingScopes).toEqual([
      'write_merchant_managed_fulfillment_orders',
      'write_third_party_fulfillment_orders',
      'write_inventory',
      'write_returns',
    ]);
    const lacking = Object.fromEntries(
      store.features.map((f: { feature: string; missing: string[] }) => [f.feature, f.missing]),
    );
    expect(lacking).toEqual({
      read: [],
      shipping: ['write_merchant_managed_fulfillment_orders', 'write_third_party_fulfillment_orders'],
      stock: ['write_inventory'],
      returns: ['write_returns'],
    });
    expect(store.problem.hint).toContain(`dsync auth login --store ${sandbox.shop}`);
    const human = await runCli(['auth', 'status'], { env: env() });
    expect(human.code).toBe(4);
    expect(human.stdout).toContain(
      'stock (inventory push; on with fulfillment-location): missing write_inventory',
    );
    expect(human.stdout + human.stderr).toContain(`dsync auth login --store ${sandbox.shop}`);

    // 3. Logging in again asks for what the settings need; the store grants it.
    const again = await browserLogin();
    expect(again).toEqual([
      ...READ_SCOPES,
      'write_merchant_managed_fulfillment_orders',
      'write_third_party_fulfillment_orders',
      'write_inventory',
      'write_returns',
    ]);
    const granted = await grantedScopes();
    expect(granted).toContain('write_inventory');
    expect(granted).not.toContain('write_assigned_fulfillment_orders');
    const allowed = await admin(ADJUST);
    expect(allowed.errors?.[0]?.extensions?.code).not.toBe('ACCESS_DENIED');
    const ok = await runCli(['auth', 'status', '--json'], { env: env() });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).stores[0]).toMatchObject({ ok: true, missingScopes: [] });
  });
});
