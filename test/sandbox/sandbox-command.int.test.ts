import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli } from '../support/cli.js';

// biome-ignore lint/suspicious/noExplicitAny: response documents are inspected field by field
type Json = any;

interface Started {
  shop: string;
  origin: string;
  port: number;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  scopes: string[];
  plan: string;
  bulk: { startupMs: number; objectsPerSecond: number | null };
  env: { DSYNC_API_ORIGIN: string; DSYNC_STORE: string };
}

interface SandboxProcess {
  child: ChildProcessWithoutNullStreams;
  started: Started;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Runs `dsync sandbox --json …` as a process and waits for its JSON line. */
function spawnSandbox(args: string[]): Promise<SandboxProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('DSYNC_') || key === 'CI') delete env[key];
  const child = spawn(process.execPath, [CLI_PATH, 'sandbox', '--json', ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start\n${stderr}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        try {
          const started = JSON.parse(stdout.slice(0, newline)) as Started;
          resolve({ child, started, stdout: () => stdout, stderr: () => stderr, exit });
        } catch (error) {
          reject(error);
        }
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code} before starting\n${stderr}`));
    });
  });
}

/** Shopify's own client, with https://{shop} rewritten to the sandbox origin. */
function shopifyClient(started: Started, accessToken = started.accessToken) {
  return createAdminApiClient({
    storeDomain: started.shop,
    apiVersion: '2026-10',
    accessToken,
    customFetchApi: (url, init) =>
      fetch(String(url).replace(`https://${started.shop}`, started.origin), init as RequestInit),
  });
}

const ORDERS_PAGE = `#graphql
  query OrdersPage($first: Int!, $after: String) {
    orders(first: $first, after: $after, sortKey: UPDATED_AT, query: "status:any") {
      nodes {
        id
        name
        updatedAt
        displayFinancialStatus
        displayFulfillmentStatus
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        lineItems(first: 20) { nodes { id sku quantity } }
        fulfillmentOrders(first: 5) {
          nodes { id status assignedLocation { location { id } } lineItems(first: 10) { nodes { id remainingQuantity lineItem { id } } } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('dsync sandbox (process)', () => {
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    sandbox = await spawnSandbox(['--port', '0', '--orders', '500']);
  });

  afterAll(async () => {
    if (sandbox && sandbox.child.exitCode === null) {
      sandbox.child.kill('SIGKILL');
      await sandbox.exit;
    }
  });

  it('prints exactly one JSON line with the origin, shop and credentials', () => {
    const { started } = sandbox;
    expect(started.shop).toBe('dsync-sandbox.myshopify.com');
    expect(started.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.origin).toBe(`http://127.0.0.1:${started.port}`);
    expect(started.accessToken).toMatch(/^shpat_/);
    expect(started.clientSecret).toMatch(/^shpss_/);
    expect(started.scopes).toEqual(
      expect.arrayContaining(['read_orders', 'read_all_orders', 'write_inventory']),
    );
    expect(started.env).toEqual({ DSYNC_API_ORIGIN: started.origin, DSYNC_STORE: started.shop });
    // Bulk operations take Shopify-like time unless told otherwise.
    expect(started.bulk).toEqual({ startupMs: 5000, objectsPerSecond: 500 });
    expect(sandbox.stdout().trim().split('\n')).toHaveLength(1);
  });

  it("answers Shopify's own client: shop, and a page of orders with line items and fulfillment orders", async () => {
    const client = shopifyClient(sandbox.started);
    const shop = await client.request(`#graphql
      query { shop { name myshopifyDomain currencyCode fulfillmentServices { handle serviceName } } }`);
    expect(shop.errors).toBeUndefined();
    expect(shop.data?.shop.myshopifyDomain).toBe('dsync-sandbox.myshopify.com');
    expect(shop.extensions?.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      actualQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: expect.any(Number) },
    });

    const page = await client.request(ORDERS_PAGE, { variables: { first: 5 } });
    expect(page.errors).toBeUndefined();
    const orders = page.data?.orders.nodes as Array<Record<string, Json>>;
    expect(orders).toHaveLength(5);
    expect(page.data?.orders.pageInfo.hasNextPage).toBe(true);
    for (const order of orders) {
      expect(order.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
      expect(order.totalPriceSet.shopMoney.amount).toMatch(/^\d+\.\d+$/);
      expect(order.lineItems.nodes.length).toBeGreaterThan(0);
    }
    expect(orders.some((o) => o.fulfillmentOrders.nodes.length > 0)).toBe(true);
    // One order: 1 + money bag 3 + line items (2 + 20) + fulfillment orders (2 + 5 × (1 +
    // assignedLocation.location 2 + line items (2 + 10 × 2))) = 153; the page: 2 + 5 × 153.
    const cost = page.extensions?.cost as { requestedQueryCost: number; actualQueryCost: number };
    expect(cost.requestedQueryCost).toBe(767);
    expect(cost.actualQueryCost).toBeLessThan(cost.requestedQueryCost);

    const next = await client.request(ORDERS_PAGE, {
      variables: { first: 5, after: page.data?.orders.pageInfo.endCursor },
    });
    const nextIds = ((next.data?.orders.nodes ?? []) as Array<{ id: string }>).map((o) => o.id);
    expect(nextIds).toHaveLength(5);
    expect(nextIds.some((id) => orders.some((o) => o.id === id))).toBe(false);
  });

  it('refuses a query over the single-query cost limit with MAX_COST_EXCEEDED', async () => {
    const client = shopifyClient(sandbox.started);
    const res = await client.request(`#graphql
      query { orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }`);
    expect(res.data).toBeUndefined();
    const errors = res.errors?.graphQLErrors as Array<{
      message: string;
      extensions: Record<string, unknown>;
    }>;
    expect(errors[0]?.extensions.code).toBe('MAX_COST_EXCEEDED');
    expect(errors[0]?.message).toMatch(
      /^Query cost is 63252, which exceeds the single query max cost limit \(1000\)/,
    );
  });

  it("answers 401 in Shopify's words for a token it never issued", async () => {
    const res = await fetch(`${sandbox.started.origin}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'shpat_not_a_real_token' },
      body: JSON.stringify({ query: '{ shop { name } }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toMatch(/\S/);
    expect(await res.json()).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
  });

  it('throttles a tight loop that drains the bucket', async () => {
    const client = shopifyClient(sandbox.started);
    // 2 + 249 × (1 + 2 + 1) = 998 points requested each time; the standard bucket holds 2000.
    const query = `#graphql
      query { orders(first: 249) { nodes { id lineItems(first: 1) { nodes { id } } } } }`;
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await client.request(query);
      const errors = res.errors?.graphQLErrors as Array<{ extensions?: { code?: string } }> | undefined;
      codes.push(errors?.[0]?.extensions?.code ?? 'ok');
      if (codes.at(-1) === 'THROTTLED') {
        expect(res.extensions?.cost).toMatchObject({ requestedQueryCost: 998, actualQueryCost: null });
        break;
      }
    }
    expect(codes[0]).toBe('ok');
    expect(codes).toContain('THROTTLED');
  });

  it('stops on SIGTERM with exit code 0', async () => {
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exit).toBe(0);
    expect(sandbox.stderr()).toMatch(/sandbox stopped/);
  });
});

describe('dsync sandbox (flags)', () => {
  it('refuses a bad fault spec as a usage error', async () => {
    const res = await runCli(['sandbox', '--json', '--port', '0', '--faults', '500@0'], {
      timeoutMs: 30_000,
    });
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout).error).toMatchObject({
      code: 'usage',
      message: expect.stringMatching(/--faults/),
    });
  });

  it.each([
    [['--bulk-rate', '0'], /--bulk-rate must be more than 0: <n>, <n>\/s or <n>\/min objects, or "instant"/],
    [['--bulk-startup', 'soon'], /--bulk-startup must be a delay up to an hour: <ms>, <n>ms or <n>s/],
  ])('refuses %j as a usage error naming the forms', async (flags, message) => {
    const res = await runCli(['sandbox', '--json', '--port', '0', ...flags], { timeoutMs: 30_000 });
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout).error).toMatchObject({
      code: 'usage',
      message: expect.stringMatching(message),
    });
  });

  it('documents the bulk timing and its defaults in --help', async () => {
    const res = await runCli(['sandbox', '--help'], { timeoutMs: 30_000 });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/--bulk-startup <ms>[\s\S]*\(default: "5000"\)/);
    expect(res.stdout).toMatch(/--bulk-rate <objects\/s>[\s\S]*\(default: "500"\)/);
    expect(res.stdout).toMatch(/defaults are conservative\s+assumptions/);
  });

  it('runs a bulk query at the timing the flags give: CREATED, RUNNING as objects arrive, COMPLETED', async () => {
    const sb = await spawnSandbox([
      '--port',
      '0',
      '--orders',
      '20',
      '--bulk-startup',
      '400',
      '--bulk-rate',
      '100/s',
    ]);
    try {
      expect(sb.started.bulk).toEqual({ startupMs: 400, objectsPerSecond: 100 });
      const post = async (query: string, variables: Record<string, unknown> = {}) => {
        const res = await fetch(`${sb.started.origin}/admin/api/2026-10/graphql.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': sb.started.accessToken },
          body: JSON.stringify({ query, variables }),
        });
        return ((await res.json()) as Json).data;
      };
      const run = await post(
        'mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id lineItems { edges { node { id } } } } } } }") { bulkOperation { id status } userErrors { message } } }',
      );
      const id = run.bulkOperationRunQuery.bulkOperation.id as string;
      const seen: { status: string; objectCount: string }[] = [];
      let op: Json;
      do {
        op = (await post('query($id: ID!) { bulkOperation(id: $id) { status objectCount url } }', { id }))
          .bulkOperation;
        seen.push(op);
        if (op.status !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 40));
      } while (op.status !== 'COMPLETED' && seen.length < 500);
      expect(seen[0]?.status).toBe('CREATED');
      const total = Number(op.objectCount);
      expect(total).toBeGreaterThan(20);
      expect(
        seen.some(
          (x) => x.status === 'RUNNING' && Number(x.objectCount) > 0 && Number(x.objectCount) < total,
        ),
      ).toBe(true);
      const file = await (await fetch(op.url)).text();
      expect(file.split('\n').filter(Boolean)).toHaveLength(total);
    } finally {
      sb.child.kill('SIGINT');
      expect(await sb.exit).toBe(0);
    }
  });

  it('refuses a port that is not a number', async () => {
    const res = await runCli(['sandbox', '--port', 'abc'], { timeoutMs: 30_000 });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--port must be a whole number/);
  });

  it('answers faults on the requests the spec names, with a bigger plan', async () => {
    const sb = await spawnSandbox([
      '--port',
      '0',
      '--orders',
      '5',
      '--plan',
      'plus',
      '--faults',
      '503@2:retry-after=1',
    ]);
    try {
      expect(sb.started.plan).toBe('plus');
      const post = () =>
        fetch(`${sb.started.origin}/admin/api/2026-10/graphql.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': sb.started.accessToken },
          body: JSON.stringify({ query: '{ shop { name } }' }),
        });
      const first = await post();
      expect(((await first.json()) as Json).extensions.cost.throttleStatus).toMatchObject({
        restoreRate: 1000,
        maximumAvailable: 20000,
      });
      const second = await post();
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1.0');
      expect((await post()).status).toBe(200);
    } finally {
      sb.child.kill('SIGINT');
      expect(await sb.exit).toBe(0);
    }
  });
});
