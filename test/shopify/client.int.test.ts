import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { InterruptedError } from '../../src/core/errors.js';
import { createBulkResultFetcher, runBulkQuery } from '../../src/shopify/bulk.js';
import type { JsonObject } from '../../src/shopify/bulk-jsonl.js';
import { type AdminClientOptions, createAdminClient } from '../../src/shopify/client.js';
import { BulkOperationError } from '../../src/shopify/errors.js';
import { defineOperation } from '../../src/shopify/operation.js';
import type { Connection } from '../../src/shopify/types.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * The client against the sandbox store over real HTTP: the two sides implement Shopify's rules
 * (cost, throttling, faults, bulk JSONL) independently, and meet here.
 */

interface OrderRow {
  id: string;
  name: string;
  lineItems: Connection<{ id: string; sku: string | null }>;
}
const IntOrdersPage = defineOperation<
  { orders: Connection<OrderRow> },
  { first: number; lines: number; after?: string | null }
>(
  'IntOrdersPage',
  'query',
  /* GraphQL */ `query IntOrdersPage($first: Int!, $lines: Int!, $after: String) {
    orders(first: $first, after: $after, sortKey: ID) {
      nodes { id name lineItems(first: $lines) { nodes { id sku } pageInfo { hasNextPage endCursor } } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
);

const BULK_QUERY = `{ orders(sortKey: ID) { edges { node { id name lineItems { edges { node { id sku } } } } } } }`;

const agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function clientFor(sandbox: TestSandbox, lines: string[], overrides: Partial<AdminClientOptions> = {}) {
  const dispatcher = new Agent();
  agents.push(dispatcher);
  return createAdminClient({
    shop: sandbox.shop,
    origin: sandbox.origin,
    apiVersion: '2026-10',
    dispatcher,
    clock: systemClock,
    tokens: { getToken: async () => sandbox.accessToken },
    log: (line) => lines.push(line),
    random: () => 0.1,
    ...overrides,
  });
}

describe('throttling against a small bucket', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ orders: 40, maximumAvailable: 400 });
  });
  afterAll(() => sandbox.stop());

  it('paces many sequential and concurrent requests so that none fails', async () => {
    const lines: string[] = [];
    const waits: { ms: number; reason: string }[] = [];
    const client = clientFor(sandbox, lines, { onWait: (wait) => waits.push(wait) });
    const first = await client.request(IntOrdersPage, { first: 20, lines: 5 });
    const cost = first.cost?.requestedQueryCost ?? 0;
    // A page costs well over a third of the bucket, so a burst must be paced.
    expect(cost).toBeGreaterThan(130);
    expect(cost).toBeLessThan(400);
    for (let i = 0; i < 6; i++) {
      const result = await client.request(IntOrdersPage, { first: 20, lines: 5 });
      expect(result.data.orders.nodes).toHaveLength(20);
    }
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => client.request(IntOrdersPage, { first: 20, lines: 5 })),
    );
    expect(concurrent.every((r) => r.data.orders.nodes.length === 20)).toBe(true);
    const log = lines.join('\n');
    expect(log).toContain('paced IntOrdersPage');
    // Each pacing wait is announced before it starts (progress lines say so).
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((w) => w.reason === 'rate_limit' && w.ms > 0)).toBe(true);
    // The bucket is ours alone, so pacing alone keeps every request under it.
    expect(lines.filter((line) => line.includes('THROTTLED'))).toEqual([]);
    expect(log).not.toContain(sandbox.accessToken);
  });
});

describe('faults', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({
      orders: 5,
      faults: '500@1,reset@2,429@3:retry-after=1,throttled@4,503@5',
    });
  });
  afterAll(() => sandbox.stop());

  it('rides out 5xx, a reset, 429 and THROTTLED without surfacing them', async () => {
    const lines: string[] = [];
    const result = await clientFor(sandbox, lines).request(IntOrdersPage, { first: 2, lines: 1 });
    expect(result.data.orders.nodes).toHaveLength(2);
    expect(result.requestId).toBeTruthy();
    const log = lines.join('\n');
    expect(log).toContain('HTTP 500');
    expect(log).toContain('429 Too Many Requests');
    expect(log).toContain('THROTTLED');
    expect(log).toContain('HTTP 503');
  });
});

describe('pagination and bulk agree', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ orders: 30 });
  });
  afterAll(() => sandbox.stop());

  const summary = (id: string, name: string, lines: { id: string; sku: string | null }[]) => ({
    id,
    name,
    lines: lines.map((l) => `${l.id}:${l.sku}`),
  });

  async function paged(sandbox: TestSandbox) {
    const out = [];
    const client = clientFor(sandbox, []);
    for await (const order of client.paginate(IntOrdersPage, { first: 7, lines: 50 }, (d) => d.orders)) {
      expect(order.lineItems.pageInfo.hasNextPage).toBe(false);
      out.push(summary(order.id, order.name, order.lineItems.nodes));
    }
    return out;
  }

  function bulkSummary(root: JsonObject) {
    const edges = (root.lineItems as { edges: { node: { id: string; sku: string | null } }[] }).edges;
    return summary(
      root.id as string,
      root.name as string,
      edges.map((e) => e.node),
    );
  }

  it('pages through every order, and a bulk query returns the same orders and line items', async () => {
    const viaPages = await paged(sandbox);
    expect(viaPages).toHaveLength(30);
    const client = clientFor(sandbox, []);
    const ids: string[] = [];
    const viaBulk = [];
    for await (const root of runBulkQuery(client, createBulkResultFetcher(agents[0] as Agent), {
      query: BULK_QUERY,
      clock: systemClock,
      pollIntervalMs: 50,
      onStarted: (id) => void ids.push(id),
    })) {
      viaBulk.push(bulkSummary(root));
    }
    expect(ids).toHaveLength(1);
    expect(viaBulk).toEqual(viaPages);
  });

  it('salvages the complete orders of a failed bulk query and says how many', async () => {
    sandbox.data.failNextBulkOperationAfter(12);
    const client = clientFor(sandbox, []);
    const got: JsonObject[] = [];
    let failure: unknown;
    try {
      for await (const root of runBulkQuery(client, createBulkResultFetcher(agents[0] as Agent), {
        query: BULK_QUERY,
        clock: systemClock,
        pollIntervalMs: 50,
      })) {
        got.push(root);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(BulkOperationError);
    const error = failure as BulkOperationError;
    expect(error.partial).toBe(true);
    expect(error.objectsYielded).toBe(got.length);
    expect(got.length).toBeGreaterThan(0);
    // Every salvaged order is complete: exactly as paging shows it.
    const viaPages = await paged(sandbox);
    expect(got.map(bulkSummary)).toEqual(viaPages.slice(0, got.length));
  });

  it('resumes a running bulk query by id after an interruption instead of starting another', async () => {
    sandbox.data.holdBulkOperations();
    const controller = new AbortController();
    let startedId: string | undefined;
    const client = clientFor(sandbox, []);
    const fetcher = createBulkResultFetcher(agents[0] as Agent);
    const first = runBulkQuery(client, fetcher, {
      query: BULK_QUERY,
      clock: systemClock,
      pollIntervalMs: 50,
      signal: controller.signal,
      onStarted: (id) => {
        startedId = id;
        controller.abort();
      },
    });
    await expect(first.next()).rejects.toBeInstanceOf(InterruptedError);
    expect(startedId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    const before = sandbox.data.bulkOperations.size;
    sandbox.data.releaseBulkOperations();
    const roots: JsonObject[] = [];
    for await (const root of runBulkQuery(client, fetcher, {
      query: BULK_QUERY,
      clock: systemClock,
      pollIntervalMs: 50,
      resumeId: startedId,
    })) {
      roots.push(root);
    }
    expect(roots).toHaveLength(30);
    expect(sandbox.data.bulkOperations.size).toBe(before);
  });
});
