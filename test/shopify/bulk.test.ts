import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BulkStatusUpdate, createBulkResultFetcher, runBulkQuery } from '../../src/shopify/bulk.js';
import type { JsonObject } from '../../src/shopify/bulk-jsonl.js';
import { createAdminClient } from '../../src/shopify/client.js';
import { BulkOperationError } from '../../src/shopify/errors.js';
import type { BulkOperationFields } from '../../src/shopify/operations/bulk.js';
import { FakeClock, FakeShopify, ok, type ScriptedResponse } from './support/fake-shopify.js';

const QUERY = `{ orders { edges { node { id name lineItems { edges { node { id sku } } } } } } }`;
const ID = 'gid://shopify/BulkOperation/77';

let server: FakeShopify;
let clock: FakeClock;

beforeEach(async () => {
  server = await new FakeShopify().start();
  clock = new FakeClock();
});

afterEach(async () => {
  await server.stop();
});

function op(fields: Partial<BulkOperationFields>): BulkOperationFields {
  return {
    id: ID,
    status: 'RUNNING',
    errorCode: null,
    createdAt: '2026-11-26T12:00:00Z',
    completedAt: null,
    objectCount: '0',
    rootObjectCount: '0',
    fileSize: null,
    url: null,
    partialDataUrl: null,
    ...fields,
  };
}

const started = (fields: Partial<BulkOperationFields> = {}): ScriptedResponse => ({
  body: ok({
    bulkOperationRunQuery: { bulkOperation: op({ status: 'CREATED', ...fields }), userErrors: [] },
  }),
});
const polled = (fields: Partial<BulkOperationFields>): ScriptedResponse => ({
  body: ok({ bulkOperation: op(fields) }),
});
const jsonl = (path: string, lines: unknown[], tail = ''): ScriptedResponse => ({
  path,
  body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n${tail}`,
});

const FILE = [
  { id: 'gid://shopify/Order/1', name: '#1001' },
  { id: 'gid://shopify/LineItem/1', sku: 'A', __parentId: 'gid://shopify/Order/1' },
  { id: 'gid://shopify/LineItem/2', sku: 'B', __parentId: 'gid://shopify/Order/1' },
  { id: 'gid://shopify/Order/2', name: '#1002' },
  { id: 'gid://shopify/Order/3', name: '#1003' },
  { id: 'gid://shopify/LineItem/3', sku: 'C', __parentId: 'gid://shopify/Order/3' },
];

function setup() {
  const client = createAdminClient({
    shop: 'acme.myshopify.com',
    origin: server.origin,
    apiVersion: '2026-10',
    dispatcher: server.dispatcher,
    clock,
    tokens: { getToken: async () => 'shpat_test' },
    random: () => 0,
  });
  return { client, fetcher: createBulkResultFetcher(server.dispatcher) };
}

async function drain(iterable: AsyncIterable<JsonObject>, into: JsonObject[] = []): Promise<JsonObject[]> {
  for await (const item of iterable) into.push(item);
  return into;
}

describe('runBulkQuery', () => {
  it('starts, reports the id before polling, polls with backoff and streams reassembled roots', async () => {
    const events: string[] = [];
    server.reply(
      started(),
      polled({ status: 'RUNNING', objectCount: '3' }),
      polled({ status: 'COMPLETED', objectCount: '6', url: `${server.origin}/bulk/77.jsonl` }),
      jsonl('/bulk/77.jsonl', FILE),
    );
    const { client, fetcher } = setup();
    const statuses: BulkStatusUpdate[] = [];
    const roots = await drain(
      runBulkQuery(client, fetcher, {
        query: QUERY,
        clock,
        pollIntervalMs: 1000,
        onStarted: async (id) => {
          events.push(`started ${id} after ${server.requests.length} request(s)`);
        },
        onStatus: (s) => statuses.push(s),
      }),
    );
    expect(events).toEqual([`started ${ID} after 1 request(s)`]);
    expect(roots.map((r) => r.name)).toEqual(['#1001', '#1002', '#1003']);
    expect(roots[0]?.lineItems).toEqual({
      edges: [
        { node: { id: 'gid://shopify/LineItem/1', sku: 'A' } },
        { node: { id: 'gid://shopify/LineItem/2', sku: 'B' } },
      ],
    });
    expect(roots[1]?.lineItems).toEqual({ edges: [] });
    expect(clock.sleeps).toEqual([1000, 1500]);
    const run = server.requests[0]?.json;
    expect(run?.operationName).toBe('BulkOperationRunQuery');
    // Nested connections: grouped output so results stream one order at a time.
    expect(run?.variables).toMatchObject({ query: QUERY, groupObjects: true });
    expect(server.requests[3]?.headers['x-shopify-access-token']).toBeUndefined();
    expect(statuses.at(-1)).toMatchObject({ phase: 'done', id: ID, rootsYielded: 3 });
    server.verify();
  });

  it('waits while another bulk query is in progress, then starts', async () => {
    server.reply(
      {
        body: ok({
          bulkOperationRunQuery: {
            bulkOperation: null,
            userErrors: [
              {
                field: null,
                code: 'OPERATION_IN_PROGRESS',
                message:
                  'A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/1.',
              },
            ],
          },
        }),
      },
      started(),
      polled({ status: 'COMPLETED', url: null }),
    );
    const { client, fetcher } = setup();
    const phases: string[] = [];
    const roots = await drain(
      runBulkQuery(client, fetcher, {
        query: QUERY,
        clock,
        pollIntervalMs: 500,
        onStatus: (s) => phases.push(s.phase),
      }),
    );
    expect(roots).toEqual([]);
    expect(phases).toContain('waiting');
    expect(clock.sleeps).toEqual([500, 500]);
    server.verify();
  });

  it('completes with no file when nothing matched', async () => {
    server.reply(started({ status: 'COMPLETED', url: null }));
    const { client, fetcher } = setup();
    const iterator = runBulkQuery(client, fetcher, { query: QUERY, clock });
    const first = await iterator.next();
    expect(first).toEqual({ done: true, value: { id: ID, rootsYielded: 0, empty: true } });
    server.verify();
  });

  it('resumes an in-flight job by id instead of starting a new one', async () => {
    server.reply(
      (req) => {
        expect(req.json?.operationName).toBe('BulkOperationById');
        expect(req.json?.variables).toEqual({ id: ID });
        return polled({ status: 'RUNNING' });
      },
      polled({ status: 'COMPLETED', url: `${server.origin}/bulk/77.jsonl` }),
      jsonl('/bulk/77.jsonl', FILE),
    );
    const { client, fetcher } = setup();
    const startedIds: string[] = [];
    const roots = await drain(
      runBulkQuery(client, fetcher, {
        query: QUERY,
        clock,
        resumeId: ID,
        onStarted: (id) => void startedIds.push(id),
      }),
    );
    expect(roots).toHaveLength(3);
    expect(startedIds).toEqual([]);
    expect(server.requests.some((r) => r.json?.operationName === 'BulkOperationRunQuery')).toBe(false);
    server.verify();
  });

  it('starts a new job when the one to resume has expired', async () => {
    server.reply(
      polled({ status: 'EXPIRED' }),
      started({ id: 'gid://shopify/BulkOperation/78', status: 'COMPLETED' }),
    );
    const { client, fetcher } = setup();
    const startedIds: string[] = [];
    await drain(
      runBulkQuery(client, fetcher, {
        query: QUERY,
        clock,
        resumeId: ID,
        onStarted: (id) => void startedIds.push(id),
      }),
    );
    expect(startedIds).toEqual(['gid://shopify/BulkOperation/78']);
    server.verify();
  });

  it('salvages the complete roots of a FAILED job and then reports how far it got', async () => {
    server.reply(
      started(),
      polled({
        status: 'FAILED',
        errorCode: 'TIMEOUT',
        partialDataUrl: `${server.origin}/bulk/77-partial.jsonl`,
      }),
      // The file is cut off mid-line, and order 3's line items may be incomplete.
      jsonl('/bulk/77-partial.jsonl', FILE, '{"id":"gid://shopify/LineItem/4","sku":"D","__pare'),
    );
    const { client, fetcher } = setup();
    const roots: JsonObject[] = [];
    const error = await drain(runBulkQuery(client, fetcher, { query: QUERY, clock }), roots).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(roots.map((r) => r.name)).toEqual(['#1001', '#1002']);
    expect(error).toBeInstanceOf(BulkOperationError);
    const failure = error as BulkOperationError;
    expect(failure.code).toBe('bulk_failed');
    expect(failure.partial).toBe(true);
    expect(failure.objectsYielded).toBe(2);
    expect(failure.errorCode).toBe('TIMEOUT');
    expect(failure.message).toContain(ID);
    expect(failure.details).toMatchObject({ bulkOperationId: ID, objectsYielded: 2, partial: true });
    server.verify();
  });

  it.each([
    ['EXPIRED', 'bulk_expired'],
    ['CANCELED', 'bulk_canceled'],
  ] as const)('turns %s into %s', async (status, code) => {
    server.reply(started(), polled({ status }));
    const { client, fetcher } = setup();
    const error = await drain(runBulkQuery(client, fetcher, { query: QUERY, clock })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BulkOperationError);
    expect((error as BulkOperationError).code).toBe(code);
    server.verify();
  });

  it('asks for ungrouped output on request and still reassembles children that come later', async () => {
    const ungrouped = [FILE[0], FILE[3], FILE[4], FILE[1], FILE[5], FILE[2]];
    server.reply(
      started({ status: 'COMPLETED', url: `${server.origin}/bulk/77.jsonl` }),
      jsonl('/bulk/77.jsonl', ungrouped),
    );
    const { client, fetcher } = setup();
    const roots = await drain(runBulkQuery(client, fetcher, { query: QUERY, clock, groupObjects: false }));
    expect(server.requests[0]?.json?.variables).toMatchObject({ groupObjects: false });
    expect(roots.map((r) => r.name)).toEqual(['#1001', '#1002', '#1003']);
    expect(roots[0]?.lineItems).toEqual({
      edges: [
        { node: { id: 'gid://shopify/LineItem/1', sku: 'A' } },
        { node: { id: 'gid://shopify/LineItem/2', sku: 'B' } },
      ],
    });
  });

  it('does not ask Shopify to group a query without nested connections', async () => {
    server.reply(started({ status: 'COMPLETED', url: null }));
    const { client, fetcher } = setup();
    await drain(
      runBulkQuery(client, fetcher, { query: '{ products { edges { node { id title } } } }', clock }),
    );
    expect(server.requests[0]?.json?.variables).toMatchObject({ groupObjects: false });
  });

  it('refuses a bulk operation status it does not know instead of guessing', async () => {
    server.reply(started(), { body: ok({ bulkOperation: { ...op({}), status: 'PAUSED' } }) });
    const { client, fetcher } = setup();
    await expect(drain(runBulkQuery(client, fetcher, { query: QUERY, clock }))).rejects.toThrow(
      /bad bulk operation in the response: status/,
    );
  });

  it('reports an invalid bulk query as rejected with Shopify’s message', async () => {
    server.reply({
      body: ok({
        bulkOperationRunQuery: {
          bulkOperation: null,
          userErrors: [
            {
              field: ['query'],
              code: 'INVALID',
              message: 'Bulk queries must contain at least one connection.',
            },
          ],
        },
      }),
    });
    const { client, fetcher } = setup();
    await expect(drain(runBulkQuery(client, fetcher, { query: QUERY, clock }))).rejects.toThrow(
      /at least one connection/,
    );
  });

  it('reports an expired result file', async () => {
    server.reply(started({ status: 'COMPLETED', url: `${server.origin}/bulk/gone.jsonl` }), {
      path: '/bulk/gone.jsonl',
      status: 403,
      body: 'AccessDenied',
    });
    const { client, fetcher } = setup();
    const error = await drain(runBulkQuery(client, fetcher, { query: QUERY, clock })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as BulkOperationError).code).toBe('bulk_expired');
  });
});
