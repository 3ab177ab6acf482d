import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { startTestSandbox, type TestSandbox, withSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: response documents are inspected field by field
type Json = any;

async function post(
  sandbox: TestSandbox,
  body: unknown,
  opts: { token?: string | null; version?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = opts.token === undefined ? sandbox.accessToken : opts.token;
  if (token !== null) headers['x-shopify-access-token'] = token;
  const res = await fetch(sandbox.graphqlUrl(opts.version), {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { res, json: (await res.json()) as Json };
}

describe('sandbox HTTP server', () => {
  let sandbox: TestSandbox;
  let clock = new Date('2026-11-20T12:00:00Z');
  const log: RequestLogEntry[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      orders: 30,
      now: () => clock,
      // GraphQL POSTs are counted: #1 is the unknown version below, #2–4 the queries after it.
      faults: 'reset@5,slow@6:ms=300',
      onRequest: (entry) => log.push(entry),
    });
  });
  afterAll(() => sandbox.stop());

  it('binds 127.0.0.1 and puts x-request-id on every response', async () => {
    expect(sandbox.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const responses = await Promise.all([
      fetch(`${sandbox.origin}/nowhere`),
      fetch(`${sandbox.origin}/admin/oauth/authorize`),
      fetch(sandbox.graphqlUrl('2099-01'), { method: 'POST', body: '{}' }),
      fetch(sandbox.graphqlUrl(), { method: 'GET' }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([404, 400, 404, 405]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves GraphQL with the ready token (requests 2–4)', async () => {
    const { res, json } = await post(sandbox, { query: '{ shop { myshopifyDomain } }' });
    expect(res.status).toBe(200);
    expect(json.data.shop.myshopifyDomain).toBe(sandbox.shop);
    expect(json.extensions.cost.requestedQueryCost).toBe(1);

    // A token without read_orders is refused the way Shopify refuses it, per field.
    const limited = sandbox.issueToken(['read_locations']);
    const denied = await post(
      sandbox,
      { query: '{ orders(first: 1) { nodes { id } } }' },
      { token: limited },
    );
    expect(denied.json.errors[0].extensions.code).toBe('ACCESS_DENIED');
    expect(denied.json.errors[0].path).toEqual(['orders']);

    // A bulk query is charged as one mutation, whatever it reads.
    const bulk = await post(sandbox, {
      query: `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id lineItems { edges { node { id } } } } } } }") {
        bulkOperation { id status } userErrors { field message } } }`,
    });
    expect(bulk.json.extensions.cost.requestedQueryCost).toBe(10);
    expect(bulk.json.data.bulkOperationRunQuery.userErrors).toEqual([]);
  });

  it('drops the connection on a reset fault (request 5) and answers late on a slow one (request 6)', async () => {
    await expect(post(sandbox, { query: '{ shop { name } }' })).rejects.toThrow();
    const started = performance.now();
    const { res } = await post(sandbox, { query: '{ shop { name } }' });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('refuses revoked and expired tokens with 401', async () => {
    const revoked = sandbox.issueToken(['read_orders']);
    sandbox.tokens.revoke(revoked);
    expect((await post(sandbox, { query: '{ shop { name } }' }, { token: revoked })).res.status).toBe(401);

    const expiring = sandbox.issueToken(['read_orders'], { expiring: true, ttlSeconds: 60 });
    expect((await post(sandbox, { query: '{ shop { name } }' }, { token: expiring })).res.status).toBe(200);
    clock = new Date(clock.getTime() + 61_000);
    const expired = await post(sandbox, { query: '{ shop { name } }' }, { token: expiring });
    expect(expired.res.status).toBe(401);
    expect(expired.json).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
    expect((await post(sandbox, { query: '{ shop { name } }' }, { token: null })).res.status).toBe(401);
  });

  it('logs each request without query strings, with its cost and error codes', async () => {
    await fetch(`${sandbox.origin}/admin/oauth/authorize?client_id=abc&state=secret-state`);
    await post(sandbox, { query: '{ orders(first: 300) { nodes { id } } }' });
    await new Promise((r) => setTimeout(r, 50));
    const paths = log.map((e) => e.path);
    expect(paths).toContain('/admin/oauth/authorize');
    expect(paths.join(' ')).not.toContain('secret-state');
    const graphql = log.filter((e) => e.method === 'POST' && e.path === '/admin/api/2026-10/graphql.json');
    expect(graphql.some((e) => e.status === 0)).toBe(true); // the reset
    expect(graphql[0]).toMatchObject({ method: 'POST', status: 200, cost: { requested: 1, actual: 1 } });
    expect(graphql.at(-1)).toMatchObject({ status: 200, codes: ['MAX_PAGE_SIZE_EXCEEDED'] });
  });
});

describe('startSandbox options', () => {
  it('uses the shop handle, plan and bucket size it is given', async () => {
    await withSandbox(
      { shopHandle: 'acme-test', plan: 'advanced', maximumAvailable: 50, orders: 3 },
      async (sb) => {
        expect(sb.shop).toBe('acme-test.myshopify.com');
        const env = sb.env();
        expect(env).toMatchObject({ DSYNC_API_ORIGIN: sb.origin, DSYNC_STORE: 'acme-test.myshopify.com' });
        expect(env.DSYNC_ACCESS_TOKEN).toBe(sb.accessToken);
        expect(sb.env({ accessToken: undefined }).DSYNC_ACCESS_TOKEN).toBeUndefined();
        const { json } = await post(sb, { query: '{ locations(first: 30) { nodes { id } } }' });
        expect(json.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 50, restoreRate: 200 });
        // More than the whole bucket holds: throttled however long one waits.
        const again = await post(sb, { query: '{ locations(first: 60) { nodes { id } } }' });
        expect(again.json.errors[0].extensions.code).toBe('THROTTLED');
      },
    );
  });

  it('refuses a bad fault spec before listening', async () => {
    await expect(withSandbox({ faults: 'nope' }, async () => undefined)).rejects.toThrow(
      /unknown kind "nope"/,
    );
  });
});
