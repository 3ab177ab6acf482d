import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDataRoutes } from '../../../src/sandbox/data/index.js';
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

  it('allows 5 concurrent operations per app on 2026-01+, one before', async () => {
    const env = setup({ orders: 5 });
    env.data.holdBulkOperations();
    const q = '{ orders { edges { node { id } } } }';
    for (let i = 0; i < 5; i++) expect((await start(env, q)).userErrors).toEqual([]);
    const sixth = await start(env, q);
    expect(sixth.userErrors[0]).toMatchObject({ code: 'OPERATION_IN_PROGRESS' });
    expect(sixth.userErrors[0]!.message).toMatch(/already in progress/);
    const old = await start(env, q, { ctx: { apiVersion: '2025-10', accessToken: 'other-app' } });
    expect(old.userErrors).toEqual([]);
    const oldSecond = await start(env, q, { ctx: { apiVersion: '2025-10', accessToken: 'other-app' } });
    expect(oldSecond.userErrors[0]?.code).toBe('OPERATION_IN_PROGRESS');
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
