import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  BulkTimingError,
  createDataRoutes,
  DEFAULT_BULK_TIMING,
  INSTANT_BULK_TIMING,
  resolveBulkTiming,
} from '../../../src/sandbox/data/index.js';
import { NOW, scopesWithout, setup } from './support.js';

const RUN = /* GraphQL */ `
  mutation($q: String!, $g: Boolean) {
    bulkOperationRunQuery(query: $q, groupObjects: $g) {
      bulkOperation { id status url }
      userErrors { field message code }
    }
  }
`;
const POLL = /* GraphQL */ `
  query($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt }
  }
`;

type Env = ReturnType<typeof setup>;

async function start(
  env: Env,
  query: string,
  extra: { groupObjects?: boolean; ctx?: Parameters<Env['run']>[2] } = {},
) {
  const r = await env.run(RUN, { q: query, g: extra.groupObjects ?? null }, extra.ctx);
  expect(r.errors).toBeUndefined();
  return r.data.bulkOperationRunQuery as {
    bulkOperation: { id: string; status: string } | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

async function settle(env: Env, id: string, ctx?: Parameters<Env['run']>[2]) {
  for (let i = 0; i < 2000; i++) {
    const r = await env.run(POLL, { id }, ctx);
    const op = r.data.bulkOperation;
    if (!['CREATED', 'RUNNING', 'CANCELING'].includes(op.status)) return op;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('bulk operation did not finish');
}

/** Cancels every unfinished operation (those waiting out a long start-up delay). */
async function cancelAll(env: Env) {
  for (const op of env.data.bulkOperations.values()) {
    if (op.status !== 'CREATED' && op.status !== 'RUNNING') continue;
    await env.run(`mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`, {
      id: `gid://shopify/BulkOperation/${op.id}`,
    });
  }
}

function fileOf(env: Env, gid: string): { [key: string]: unknown }[] {
  const op = env.data.bulkOperations.get(Number(gid.split('/').pop()));
  const text = readFileSync(op!.filePath!, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const ORDERS_WITH_LINES = `{
  orders(query: "status:open") {
    edges { node { id name displayFulfillmentStatus totalPriceSet { shopMoney { amount currencyCode } }
      lineItems { edges { node { id sku quantity } } }
    } }
  }
}`;

describe('bulk operations', () => {
  it('writes parents first, then children with __parentId (ungrouped by default on 2026-10)', async () => {
    const env = setup({ orders: 60 });
    const started = await start(env, ORDERS_WITH_LINES);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation?.status).toBe('CREATED');
    const done = await settle(env, started.bulkOperation!.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.url).toBe(`http://127.0.0.1:9/sandbox/bulk/${done.id.split('/').pop()}.jsonl`);
    const lines = fileOf(env, done.id);
    const open = env.data.orders.filter((o) => o.cancelledAt === null && o.closedAt === null);
    const parents = lines.filter((l) => !('__parentId' in l));
    const children = lines.filter((l) => '__parentId' in l);
    expect(parents).toHaveLength(open.length);
    expect(children).toHaveLength(open.reduce((n, o) => n + o.lineItems.length, 0));
    expect(done.objectCount).toBe(String(lines.length));
    expect(done.rootObjectCount).toBe(String(open.length));
    expect(Number(done.fileSize)).toBe(
      readFileSync(env.data.bulkOperations.get(Number(done.id.split('/').pop()))!.filePath!).length,
    );
    // Parent objects carry no nested connection; money bags stay nested objects.
    expect(parents[0]).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/),
      name: expect.stringMatching(/^#\d+$/),
      displayFulfillmentStatus: expect.any(String),
      totalPriceSet: { shopMoney: { amount: expect.stringMatching(/^\d+\.\d{1,2}$/), currencyCode: 'USD' } },
    });
    // Every child comes after its parent.
    const position = new Map(lines.map((l, i) => [l.id as string, i]));
    lines.forEach((l, i) => {
      if ('__parentId' in l) expect(position.get(l.__parentId as string)!).toBeLessThan(i);
    });
    expect(Object.keys(children[0]!)).toEqual(['id', 'sku', 'quantity', '__parentId']);
  });

  it('puts each parent directly before its children with groupObjects: true, two connection levels', async () => {
    const env = setup({ orders: 30 });
    const q = `{ orders { nodes { id fulfillmentOrders { nodes { id status assignedLocation { location { id } } } } lineItems { nodes { id } } } } }`;
    const started = await start(env, q, { groupObjects: true });
    const done = await settle(env, started.bulkOperation!.id);
    expect(done.status).toBe('COMPLETED');
    const lines = fileOf(env, done.id);
    let currentOrder: string | null = null;
    let children = 0;
    for (const l of lines) {
      const id = l.id as string;
      if (id.includes('/Order/')) {
        currentOrder = id;
        expect(l.__parentId).toBeUndefined();
      } else {
        expect(l.__parentId).toBe(currentOrder);
        children++;
      }
      if (id.includes('/FulfillmentOrder/')) {
        expect(l.assignedLocation).toEqual({
          location: { id: expect.stringMatching(/^gid:\/\/shopify\/Location\//) },
        });
      }
    }
    const expected = env.data.orders.reduce(
      (n, o) => n + o.lineItems.length + o.fulfillmentOrderIds.length,
      0,
    );
    expect(children).toBe(expected);
  });

  it.each([
    ['{ shop { name } }', /at least one connection/],
    ['{ nodes(ids: ["gid://shopify/Order/1"]) { id } }', /node and nodes fields can't be used/],
    ['{ orders { edges { node { id } } } shop { name } }', /exactly one top-level field/],
    ['{ orders { edges { node { id nope } } } }', /Cannot query field "nope"/],
    [
      '{ orders { nodes { id fulfillmentOrders { nodes { id lineItems { nodes { id } } } } } } }',
      /nesting depth greater than 2/,
    ],
    [
      '{ orders { nodes { a: lineItems { nodes { id } } b: lineItems { nodes { id } } c: lineItems { nodes { id } } d: lineItems { nodes { id } } e: lineItems { nodes { id } } } } }',
      /more than 5 connections/,
    ],
    ['mutation { bulkOperationCancel(id: "x") { userErrors { message } } }', /one query operation/],
    ['{ orders', /Syntax Error/],
  ])('refuses %s', async (query, message) => {
    const env = setup({ orders: 1 });
    const r = await start(env, query);
    expect(r.bulkOperation).toBeNull();
    expect(r.userErrors[0]).toMatchObject({ field: ['query'], code: 'INVALID' });
    expect(r.userErrors[0]!.message).toMatch(message);
  });

  it.each([
    ['2025-10', 1],
    ['2026-01', 5],
    ['2026-10', 5],
  ])(
    'on %s an app runs at most %i bulk queries at once; the next gets OPERATION_IN_PROGRESS',
    async (apiVersion, limit) => {
      // Operations waiting in Shopify's queue (CREATED) count as in progress.
      const env = setup({ orders: 5, bulk: { startupMs: 60_000 } });
      const ctx = { apiVersion };
      const q = '{ orders { edges { node { id } } } }';
      const ids: string[] = [];
      for (let i = 0; i < limit; i++) {
        const r = await start(env, q, { ctx });
        expect(r.userErrors).toEqual([]);
        expect(r.bulkOperation?.status).toBe('CREATED');
        ids.push(r.bulkOperation!.id);
      }
      const refused = await start(env, q, { ctx });
      expect(refused.bulkOperation).toBeNull();
      expect(refused.userErrors).toEqual([
        {
          field: null,
          code: 'OPERATION_IN_PROGRESS',
          message: `A bulk query operation for this app and shop is already in progress: ${ids.join(', ')}.`,
        },
      ]);
      // Another app has its own allowance.
      expect((await start(env, q, { ctx: { ...ctx, accessToken: 'other-app' } })).userErrors).toEqual([]);
      // A finished operation frees its place.
      await env.run(`mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`, {
        id: ids[0],
      });
      expect((await settle(env, ids[0]!)).status).toBe('CANCELED');
      expect((await start(env, q, { ctx })).userErrors).toEqual([]);
      await cancelAll(env);
    },
  );

  it('counts every running query of the app: one running from 2026-10 blocks a 2025-10 request', async () => {
    const env = setup({ orders: 5 });
    env.data.holdBulkOperations();
    const q = '{ orders { edges { node { id } } } }';
    expect((await start(env, q)).userErrors).toEqual([]);
    const old = await start(env, q, { ctx: { apiVersion: '2025-10' } });
    expect(old.userErrors[0]?.code).toBe('OPERATION_IN_PROGRESS');
    expect((await start(env, q, { ctx: { apiVersion: '2026-01' } })).userErrors).toEqual([]);
    env.data.releaseBulkOperations();
  });

  it('stays RUNNING while held, completes when released; cancel moves through CANCELING to CANCELED', async () => {
    const env = setup({ orders: 5 });
    env.data.holdBulkOperations();
    const a = await start(env, '{ orders { edges { node { id } } } }');
    const b = await start(env, '{ orders { edges { node { id } } } }');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await env.run(POLL, { id: a.bulkOperation!.id })).data.bulkOperation.status).toBe('RUNNING');
    const cancel = await env.run(
      `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`,
      {
        id: b.bulkOperation!.id,
      },
    );
    expect(cancel.data.bulkOperationCancel.bulkOperation.status).toBe('CANCELING');
    expect((await settle(env, b.bulkOperation!.id)).status).toBe('CANCELED');
    env.data.releaseBulkOperations();
    const done = await settle(env, a.bulkOperation!.id);
    expect(done.status).toBe('COMPLETED');
    const current = await env.run(`{ currentBulkOperation { id status } }`);
    expect(current.data.currentBulkOperation.id).toBe(b.bulkOperation!.id);
  });

  it('fails after N objects on request, keeping the partial file as partialDataUrl', async () => {
    const env = setup({ orders: 40 });
    env.data.failNextBulkOperationAfter(7);
    const started = await start(env, '{ orders { edges { node { id name } } } }');
    const failed = await settle(env, started.bulkOperation!.id);
    expect(failed).toMatchObject({
      status: 'FAILED',
      errorCode: 'INTERNAL_SERVER_ERROR',
      url: null,
      objectCount: '7',
    });
    expect(failed.partialDataUrl).toMatch(/\/sandbox\/bulk\/\d+\.jsonl$/);
    expect(fileOf(env, failed.id)).toHaveLength(7);
    // Only the next one fails.
    const next = await settle(
      env,
      (await start(env, '{ orders { edges { node { id } } } }')).bulkOperation!.id,
    );
    expect(next.status).toBe('COMPLETED');
  });

  it('fails with ACCESS_DENIED when the token cannot read the root', async () => {
    const env = setup({ orders: 3 });
    const ctx = { scopes: scopesWithout('read_orders') };
    const started = await start(env, '{ orders { edges { node { id } } } }', { ctx });
    const done = await settle(env, started.bulkOperation!.id, ctx);
    expect(done).toMatchObject({ status: 'FAILED', errorCode: 'ACCESS_DENIED' });
  });

  it('completes with no url when nothing matches', async () => {
    const env = setup({ orders: 3 });
    const started = await start(env, '{ orders(query: "name:#9999") { edges { node { id } } } }');
    const done = await settle(env, started.bulkOperation!.id);
    expect(done).toMatchObject({ status: 'COMPLETED', objectCount: '0', url: null });
  });

  it('streams 100,000 orders without blocking the event loop, and serves the file over HTTP', async () => {
    const env = setup({ orders: 100_000 });
    const started = await start(
      env,
      '{ orders { edges { node { id name updatedAt lineItems { edges { node { id sku quantity } } } } } } }',
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const done = await settle(env, started.bulkOperation!.id);
    clearInterval(timer);
    expect(done.status).toBe('COMPLETED');
    expect(Number(done.rootObjectCount)).toBe(100_000);
    expect(ticks).toBeGreaterThan(5);

    const routes = createDataRoutes(env.data);
    const server = createServer((req, res) => {
      void routes(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const path = new URL(done.url).pathname;
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(done.fileSize);
      const text = await res.text();
      expect(text.split('\n').filter(Boolean)).toHaveLength(Number(done.objectCount));
      expect((await fetch(`http://127.0.0.1:${port}/sandbox/bulk/123.jsonl`)).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    void NOW;
  }, 180_000);
});

describe('bulk operation timing (real time)', () => {
  const LINES = '{ orders { edges { node { id lineItems { edges { node { id } } } } } } }';

  it('stays CREATED for the start-up delay, then RUNNING while objectCount grows at the rate, then COMPLETED', async () => {
    const startupMs = 300;
    const objectsPerSecond = 400;
    const env = setup({ orders: 40, bulk: { startupMs, objectsPerSecond } });
    const total = env.data.orders.length + env.data.orders.reduce((n, o) => n + o.lineItems.length, 0);
    const t0 = Date.now();
    const started = await start(env, LINES);
    const samples: { at: number; status: string; objects: number; roots: number }[] = [];
    let done: { status: string; objectCount: string } | undefined;
    while (!done && Date.now() - t0 < 20_000) {
      const op = (await env.run(POLL, { id: started.bulkOperation!.id })).data.bulkOperation;
      const sample = {
        at: Date.now() - t0,
        status: op.status,
        objects: Number(op.objectCount),
        roots: Number(op.rootObjectCount),
      };
      samples.push(sample);
      if (op.status === 'COMPLETED') done = op;
      else await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(done?.objectCount).toBe(String(total));
    const finishedAt = samples.at(-1)!.at;
    // Never sooner than the queue wait plus the objects at the rate.
    expect(finishedAt).toBeGreaterThanOrEqual(startupMs + (total / objectsPerSecond) * 1000 - 5);
    // Nothing runs before the start-up delay is over.
    for (const s of samples.filter((x) => x.at < startupMs))
      expect(s).toMatchObject({ status: 'CREATED', objects: 0 });
    // Polling sees the count grow, never faster than the rate allows (plus one slice of ~50 ms).
    const running = samples.filter((x) => x.status === 'RUNNING');
    expect(running.some((x) => x.objects > 0 && x.objects < total)).toBe(true);
    for (const x of running) {
      expect(x.objects).toBeLessThanOrEqual(
        ((x.at - startupMs) / 1000) * objectsPerSecond + objectsPerSecond / 20,
      );
      expect(x.roots).toBeLessThanOrEqual(x.objects);
    }
    const counts = samples.map((x) => x.objects);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  }, 30_000);

  it('a cancellation while CREATED ends the operation without running it', async () => {
    const env = setup({ orders: 5, bulk: { startupMs: 60_000 } });
    const started = await start(env, LINES);
    const t0 = Date.now();
    await env.run(`mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`, {
      id: started.bulkOperation!.id,
    });
    const done = await settle(env, started.bulkOperation!.id);
    expect(done).toMatchObject({ status: 'CANCELED', objectCount: '0', url: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(
      env.data.bulkOperations.get(Number(started.bulkOperation!.id.split('/').pop()))?.filePath,
    ).toBeNull();
  });

  it('a cancellation while RUNNING stops the file where it was', async () => {
    const env = setup({ orders: 60, bulk: { startupMs: 0, objectsPerSecond: 50 } });
    const started = await start(env, LINES);
    const id = started.bulkOperation!.id;
    for (let i = 0; i < 200; i++) {
      const op = (await env.run(POLL, { id })).data.bulkOperation;
      if (Number(op.objectCount) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await env.run(`mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`, { id });
    const done = await settle(env, id);
    expect(done.status).toBe('CANCELED');
    expect(Number(done.objectCount)).toBeGreaterThan(0);
    expect(Number(done.objectCount)).toBeLessThan(60);
  });

  it.each([
    [{}, DEFAULT_BULK_TIMING],
    [{ startupMs: 0, objectsPerSecond: Number.POSITIVE_INFINITY }, INSTANT_BULK_TIMING],
    [{ objectsPerSecond: 50 }, { startupMs: DEFAULT_BULK_TIMING.startupMs, objectsPerSecond: 50 }],
  ])('resolveBulkTiming(%o)', (overrides, expected) => {
    expect(resolveBulkTiming(overrides)).toEqual(expected);
  });

  it.each([
    { startupMs: -1 },
    { startupMs: Number.NaN },
    { startupMs: Number.POSITIVE_INFINITY },
    { objectsPerSecond: 0 },
    { objectsPerSecond: -5 },
    { objectsPerSecond: Number.NaN },
  ])('refuses %o', (overrides) => {
    expect(() => resolveBulkTiming(overrides)).toThrow(BulkTimingError);
    expect(() => setup({ orders: 1, bulk: overrides })).toThrow(BulkTimingError);
  });
});

describe('bulk fulfillmentOrders root', () => {
  const FIELDS = 'id status requestStatus orderId assignedLocation { location { id } }';
  const LINE_FIELDS = 'id sku totalQuantity remainingQuantity';
  const PAGED = /* GraphQL */ `
    query($after: String, $q: String, $c: Boolean) {
      fulfillmentOrders(first: 40, after: $after, query: $q, includeClosed: $c) {
        pageInfo { hasNextPage endCursor }
        nodes { ${FIELDS} lineItems(first: 50) { nodes { ${LINE_FIELDS} } } }
      }
    }
  `;

  type Line = { [key: string]: unknown };

  /** Every page of the normal query: fulfillment orders (without lineItems) and their lines by id. */
  async function paged(env: Env, args: { q?: string; c?: boolean }, ctx?: Parameters<Env['run']>[2]) {
    const orders: Line[] = [];
    const lines = new Map<string, Line[]>();
    let after: string | null = null;
    do {
      const r = await env.run(PAGED, { after, q: args.q ?? null, c: args.c ?? null }, ctx);
      expect(r.errors).toBeUndefined();
      const page = r.data.fulfillmentOrders;
      for (const { lineItems, ...fo } of page.nodes) {
        orders.push(fo);
        lines.set(fo.id, lineItems.nodes);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return { orders, lines };
  }

  /** The same from the bulk JSONL: parents in order, children grouped by __parentId. */
  function fromFile(rows: Line[]) {
    const orders = rows.filter((r) => !('__parentId' in r));
    const lines = new Map<string, Line[]>(orders.map((o) => [o.id as string, []]));
    for (const r of rows.filter((x) => '__parentId' in x)) {
      const { __parentId, ...line } = r;
      lines.get(__parentId as string)?.push(line);
    }
    return { orders, lines };
  }

  async function viaBulk(env: Env, args: string, ctx?: Parameters<Env['run']>[2]) {
    const query = `{ fulfillmentOrders${args} { edges { node { ${FIELDS} lineItems { edges { node { ${LINE_FIELDS} } } } } } } }`;
    const started = await start(env, query, { ctx });
    expect(started.userErrors).toEqual([]);
    const done = await settle(env, started.bulkOperation!.id, ctx);
    return { done, rows: done.url ? fileOf(env, done.id) : [] };
  }

  it.each([
    ['', {}],
    ['(includeClosed: true)', { c: true }],
    ['(query: "status:open")', { q: 'status:open' }],
    ['(query: "status:closed", includeClosed: true)', { q: 'status:closed', c: true }],
  ])(
    'fulfillmentOrders%s: the JSONL holds what the paged query returns (ids, statuses, lines)',
    async (args, pagedArgs) => {
      const env = setup({ orders: 120 });
      const { done, rows } = await viaBulk(env, args);
      expect(done.status).toBe('COMPLETED');
      const expected = await paged(env, pagedArgs);
      expect(expected.orders.length).toBeGreaterThan(0);
      const got = fromFile(rows);
      expect(got.orders).toEqual(expected.orders);
      expect(got.lines).toEqual(expected.lines);
      expect(done.rootObjectCount).toBe(String(expected.orders.length));
      expect(Number(done.objectCount)).toBe(rows.length);
    },
  );

  it('includeClosed adds the closed ones, as in the paged query', async () => {
    const env = setup({ orders: 120 });
    const open = fromFile((await viaBulk(env, '')).rows).orders;
    const all = fromFile((await viaBulk(env, '(includeClosed: true)')).rows).orders;
    expect(all.length).toBeGreaterThan(open.length);
    expect(open.every((fo) => fo.status !== 'CLOSED' && fo.status !== 'CANCELLED')).toBe(true);
    expect(all.some((fo) => fo.status === 'CLOSED')).toBe(true);
  });

  it.each([
    [
      'merchant-managed scope only',
      scopesWithout('read_third_party_fulfillment_orders', 'read_assigned_fulfillment_orders'),
    ],
    ['third-party scopes only', scopesWithout('read_merchant_managed_fulfillment_orders')],
    ['without read_all_orders (60 days)', scopesWithout('read_all_orders')],
  ])('shows what the paged query shows to a token with %s', async (_name, scopes) => {
    const env = setup({ orders: 120 });
    const ctx = { scopes };
    const everything = fromFile((await viaBulk(env, '(includeClosed: true)')).rows).orders;
    const { done, rows } = await viaBulk(env, '(includeClosed: true)', ctx);
    expect(done.status).toBe('COMPLETED');
    const expected = await paged(env, { c: true }, ctx);
    expect(fromFile(rows).orders).toEqual(expected.orders);
    expect(expected.orders.length).toBeLessThan(everything.length);
  });

  it('fails with ACCESS_DENIED without any fulfillment-order read scope', async () => {
    const env = setup({ orders: 3 });
    const ctx = {
      scopes: scopesWithout(
        'read_merchant_managed_fulfillment_orders',
        'read_third_party_fulfillment_orders',
        'read_assigned_fulfillment_orders',
      ),
    };
    const paged = await env.run('{ fulfillmentOrders(first: 1) { nodes { id } } }', {}, ctx);
    expect(paged.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
    const { done } = await viaBulk(env, '', ctx);
    expect(done).toMatchObject({ status: 'FAILED', errorCode: 'ACCESS_DENIED' });
  });
});

describe('bulk @skip / @include', () => {
  it('leaves out skipped fields and connections, keeps included ones', async () => {
    const env = setup({ orders: 10 });
    const started = await start(
      env,
      `{ orders { edges { node {
        id name @skip(if: true) email @include(if: true)
        lineItems @include(if: false) { edges { node { id } } }
        ... on Order @skip(if: true) { note }
      } } } }`,
    );
    const done = await settle(env, started.bulkOperation!.id);
    const rows = fileOf(env, done.id);
    expect(rows).toHaveLength(env.data.orders.length);
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'email']);
  });
});

describe('bulk operation ownership', () => {
  it('belongs to the app: a refreshed token of the same app sees it, another app does not', async () => {
    const env = setup({ orders: 5 });
    env.data.holdBulkOperations();
    const first = { accessToken: 'shpat_old', clientId: 'app-1' };
    const started = await start(env, '{ orders { edges { node { id } } } }', { ctx: first });
    const refreshed = await env.run(
      `{ currentBulkOperation { id status } }`,
      {},
      { accessToken: 'shpat_new', clientId: 'app-1' },
    );
    expect(refreshed.data.currentBulkOperation.id).toBe(started.bulkOperation!.id);
    const other = await env.run(
      `{ currentBulkOperation { id } }`,
      {},
      { accessToken: 'shpat_x', clientId: 'app-2' },
    );
    expect(other.data.currentBulkOperation).toBeNull();
    env.data.releaseBulkOperations();
  });
});
