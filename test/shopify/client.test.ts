import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InterruptedError } from '../../src/core/errors.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { type AdminClientOptions, createAdminClient } from '../../src/shopify/client.js';
import {
  ForbiddenError,
  MissingScopeError,
  QueryCostExceededError,
  ShopifyGraphQLError,
  ShopifyUnavailableError,
  ShopNotFoundError,
  StoreUnavailableError,
  ThrottleExhaustedError,
  TokenInvalidError,
} from '../../src/shopify/errors.js';
import { defineOperation } from '../../src/shopify/operation.js';
import type { TokenProvider } from '../../src/shopify/types.js';
import { FakeClock, FakeShopify, ok, throttled } from './support/fake-shopify.js';

const SHOP = 'acme.myshopify.com';
const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

interface ShopData {
  shop: { name: string };
}
const ShopName = defineOperation<ShopData, Record<string, never>>(
  'ShopName',
  'query',
  /* GraphQL */ `query ShopName { shop { name } }`,
);
const OrdersPage = defineOperation<
  { orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { first: number; after?: string | null }
>(
  'OrdersPage',
  'query',
  /* GraphQL */ `query OrdersPage($first: Int!, $after: String) {
    orders(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
  }`,
);
const TagsAdd = defineOperation<
  { tagsAdd: { userErrors: { field: string[] | null; message: string }[] } },
  { id: string; tags: string[] }
>(
  'TagsAdd',
  'mutation',
  /* GraphQL */ `mutation TagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
  }`,
);
const SetQuantities = defineOperation<
  { inventorySetQuantities: { userErrors: { message: string }[] } },
  { input: unknown; idempotencyKey?: string }
>(
  'SetQuantities',
  'mutation',
  /* GraphQL */ `mutation SetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) { userErrors { message } }
  }`,
);

let server: FakeShopify;
let clock: FakeClock;
let lines: string[];

beforeEach(async () => {
  server = await new FakeShopify().start();
  clock = new FakeClock();
  lines = [];
});

afterEach(async () => {
  await server.stop();
});

function tokens(overrides: Partial<TokenProvider> = {}): TokenProvider {
  return { getToken: async () => TOKEN, ...overrides };
}

function client(overrides: Partial<AdminClientOptions> = {}) {
  return createAdminClient({
    shop: SHOP,
    origin: server.origin,
    apiVersion: '2026-10',
    dispatcher: server.dispatcher,
    clock,
    tokens: tokens(),
    random: () => 0.5,
    log: (line) => lines.push(line),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
}

describe('transport', () => {
  it('POSTs the named operation to the versioned endpoint with the token and returns data, cost and request id', async () => {
    server.reply({
      headers: { 'x-request-id': 'req-1' },
      body: ok({ shop: { name: 'Acme' } }, { requested: 3 }),
    });
    const result = await client().request(ShopName);
    expect(result.data).toEqual({ shop: { name: 'Acme' } });
    expect(result.requestId).toBe('req-1');
    expect(result.cost?.requestedQueryCost).toBe(3);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/admin/api/2026-10/graphql.json');
    expect(sent?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.accept).toBe('application/json');
    expect(sent?.headers['user-agent']).toMatch(/^dsync\/\d+\.\d+\.\d+/);
    expect(sent?.json?.operationName).toBe('ShopName');
    expect(sent?.json?.query).toBe(ShopName.document);
    server.verify();
  });

  it('honours an overridden API version', async () => {
    server.reply({ path: '/admin/api/2026-01/graphql.json', body: ok({ shop: { name: 'Acme' } }) });
    await client({ apiVersion: '2026-01' }).request(ShopName);
    server.verify();
    expect(lines.join('\n')).not.toContain('served Admin API');
  });

  it('notes in the debug log when Shopify serves another API version than requested', async () => {
    server.reply({ headers: { 'x-shopify-api-version': '2025-10' }, body: ok({ shop: { name: 'Acme' } }) });
    await client({ apiVersion: '2025-01' }).request(ShopName);
    expect(lines.join('\n')).toContain('served Admin API 2025-10, not the requested 2025-01');
  });

  it('returns userErrors as data instead of throwing', async () => {
    server.reply({
      body: ok({ tagsAdd: { userErrors: [{ field: ['id'], message: 'Order does not exist' }] } }),
    });
    const result = await client().request(TagsAdd, { id: 'gid://shopify/Order/1', tags: ['x'] });
    expect(result.data.tagsAdd.userErrors).toEqual([{ field: ['id'], message: 'Order does not exist' }]);
  });
});

describe('response validation', () => {
  const Checked = defineOperation<ShopData, Record<string, never>>(
    'Checked',
    'query',
    /* GraphQL */ `query Checked { shop { name } }`,
    { parse: (data) => z.object({ shop: z.object({ name: z.string() }) }).parse(data) },
  );

  it('returns data that passes the operation’s parse', async () => {
    server.reply({ body: ok({ shop: { name: 'Acme', extra: 1 } }) });
    const result = await client().request(Checked);
    expect(result.data).toEqual({ shop: { name: 'Acme' } });
  });

  it('fails with the bad field and request id when the data does not match', async () => {
    server.reply({ headers: { 'x-request-id': 'bad-1' }, body: ok({ shop: { name: 42 } }) });
    const error = await failure(client().request(Checked));
    expect(error.message).toContain('shop.name');
    expect(error.message).toContain('bad-1');
    expect((error as { code?: string }).code).toBe('unexpected_response');
  });
});

describe('throttling', () => {
  it('paces the next request when the bucket is too low for the cost last seen', async () => {
    server.reply(
      { body: ok({ shop: { name: 'Acme' } }, { requested: 300, available: 100, rate: 50 }) },
      { body: ok({ shop: { name: 'Acme' } }, { requested: 300, available: 1700 }) },
    );
    const c = client();
    await c.request(ShopName);
    expect(clock.sleeps).toEqual([]);
    await c.request(ShopName);
    // 100 available, 300 needed, 50/s: 4 s.
    expect(clock.sleeps).toEqual([4000]);
    server.verify();
  });

  it('does not pace when time has refilled the bucket', async () => {
    server.reply(
      { body: ok({ shop: { name: 'Acme' } }, { requested: 300, available: 100, rate: 50 }) },
      { body: ok({ shop: { name: 'Acme' } }) },
    );
    const c = client();
    await c.request(ShopName);
    clock.advance(5000);
    await c.request(ShopName);
    expect(clock.sleeps).toEqual([]);
  });

  it('paces concurrent requests so both fit the bucket', async () => {
    server.reply(
      { body: ok({ shop: { name: 'A' } }, { requested: 100, available: 150, rate: 100 }) },
      { body: ok({ shop: { name: 'B' } }, { requested: 100, available: 50, rate: 100 }) },
      { body: ok({ shop: { name: 'C' } }, { requested: 100, available: 50, rate: 100 }) },
    );
    const c = client();
    await c.request(ShopName);
    const both = await Promise.all([c.request(ShopName), c.request(ShopName)]);
    expect(both).toHaveLength(2);
    // 150 available: the first fits, the second waits for 50 more points (0.5 s).
    expect(clock.sleeps).toEqual([500]);
    server.verify();
  });

  it('waits the computed time after THROTTLED and retries without surfacing it', async () => {
    server.reply(
      { body: throttled(500, 100, 50) },
      { headers: { 'x-request-id': 'after' }, body: ok({ shop: { name: 'Acme' } }) },
    );
    const result = await client().request(ShopName);
    expect(result.data.shop.name).toBe('Acme');
    expect(result.requestId).toBe('after');
    // (500 - 100) / 50 = 8 s
    expect(clock.sleeps).toEqual([8000]);
    expect(server.requests).toHaveLength(2);
    server.verify();
  });

  it('honours Retry-After on HTTP 429', async () => {
    server.reply(
      { status: 429, headers: { 'retry-after': '2' }, body: '' },
      { body: ok({ shop: { name: 'Acme' } }) },
    );
    const result = await client().request(ShopName);
    expect(result.data.shop.name).toBe('Acme');
    expect(clock.sleeps).toEqual([2000]);
    server.verify();
  });

  it('retries a mutation after THROTTLED even without an idempotency key (it never ran)', async () => {
    server.reply({ body: throttled(10, 0, 100) }, { body: ok({ tagsAdd: { userErrors: [] } }) });
    await client().request(TagsAdd, { id: 'gid://shopify/Order/1', tags: ['a'] });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up with a clear error after too many throttle waits', async () => {
    server.reply(
      { headers: { 'x-request-id': 't1' }, body: throttled(100, 0) },
      { headers: { 'x-request-id': 't2' }, body: throttled(100, 0) },
      { headers: { 'x-request-id': 't3' }, body: throttled(100, 0) },
    );
    const error = await failure(client({ maxThrottleWaits: 2 }).request(ShopName));
    expect(error).toBeInstanceOf(ThrottleExhaustedError);
    expect(error.message).toContain('ShopName');
    expect(error.message).toContain('t3');
    expect(clock.sleeps).toHaveLength(2);
    server.verify();
  });
});

describe('transient failures', () => {
  it('retries a query after 5xx with jittered backoff, then succeeds', async () => {
    server.reply(
      { status: 502, body: 'bad gateway' },
      { status: 503, body: '' },
      { body: ok({ shop: { name: 'Acme' } }) },
    );
    const result = await client().request(ShopName);
    expect(result.data.shop.name).toBe('Acme');
    // random 0.5 × 500 ms, then 0.5 × 1000 ms
    expect(clock.sleeps).toEqual([250, 500]);
    server.verify();
  });

  it('retries a query after a socket hang-up', async () => {
    server.reply({ hangUp: true }, { body: ok({ shop: { name: 'Acme' } }) });
    const result = await client().request(ShopName);
    expect(result.data.shop.name).toBe('Acme');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a query after a timeout', async () => {
    const impatient = new Agent({ headersTimeout: 100 });
    server.reply(
      { delayMs: 2500, body: ok({ shop: { name: 'Late' } }) },
      { body: ok({ shop: { name: 'Acme' } }) },
    );
    try {
      const result = await client({ dispatcher: impatient }).request(ShopName);
      expect(result.data.shop.name).toBe('Acme');
      expect(lines.join('\n')).toContain('timed out');
    } finally {
      await impatient.destroy();
    }
  });

  it('retries a query when Shopify reports INTERNAL_SERVER_ERROR in a 200', async () => {
    server.reply(
      {
        body: {
          errors: [
            {
              message: 'Internal error. Looks like something went wrong on our end.',
              extensions: { code: 'INTERNAL_SERVER_ERROR' },
            },
          ],
        },
      },
      { body: ok({ shop: { name: 'Acme' } }) },
    );
    const result = await client().request(ShopName);
    expect(result.data.shop.name).toBe('Acme');
    expect(server.requests).toHaveLength(2);
  });

  it('stops after the bounded retries with the request id of the last answer', async () => {
    server.reply(
      ...[1, 2, 3].map((n) => ({ status: 500, headers: { 'x-request-id': `r${n}` }, body: 'oops' })),
    );
    const error = await failure(client({ maxRetries: 2 }).request(ShopName));
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('r3');
    expect((error as ShopifyUnavailableError).details).toMatchObject({ requestId: 'r3', status: 500 });
    server.verify();
  });

  it('does not retry a mutation without an idempotency key', async () => {
    server.reply({ status: 503, headers: { 'x-request-id': 'm1' }, body: '' });
    const error = await failure(client().request(TagsAdd, { id: 'gid://shopify/Order/1', tags: ['a'] }));
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.message).toContain('not retried');
    expect(error.message).toContain('m1');
    expect(server.requests).toHaveLength(1);
    server.verify();
  });

  it('retries a mutation given an idempotency key, sending the same key again', async () => {
    server.reply(
      { status: 503, body: '' },
      { hangUp: true },
      { body: ok({ inventorySetQuantities: { userErrors: [] } }) },
    );
    await client().request(SetQuantities, { input: { name: 'available' } }, { idempotencyKey: 'key-123' });
    const keys = server.requests.map((r) => r.json?.variables?.idempotencyKey);
    expect(keys).toEqual(['key-123', 'key-123', 'key-123']);
    server.verify();
  });

  it('makes one idempotency key for a mutation declaring $idempotencyKey and reuses it on retry', async () => {
    server.reply({ status: 500, body: '' }, { body: ok({ inventorySetQuantities: { userErrors: [] } }) });
    let n = 0;
    await client({ newIdempotencyKey: () => `generated-${++n}` }).request(SetQuantities, { input: {} });
    const keys = server.requests.map((r) => r.json?.variables?.idempotencyKey);
    expect(keys).toEqual(['generated-1', 'generated-1']);
  });

  it('reports a refused connection after retrying', async () => {
    const origin = server.origin;
    await server.stop();
    const c = createAdminClient({
      shop: SHOP,
      origin,
      apiVersion: '2026-10',
      dispatcher: new FakeShopify().dispatcher,
      clock,
      tokens: tokens(),
      random: () => 0,
      maxRetries: 1,
    });
    const error = await failure(c.request(ShopName));
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.message).toContain(`connection refused (${origin})`);
    expect((error as ShopifyUnavailableError).hint).toContain('dsync sandbox');
    server = await new FakeShopify().start();
  });
});

describe('typed failures', () => {
  it('refreshes the token once after 401 and retries with the new one', async () => {
    let refreshes = 0;
    server.reply(
      { status: 401, body: { errors: '[API] Invalid API key or access token' } },
      { body: ok({ shop: { name: 'Acme' } }) },
    );
    const c = client({
      tokens: tokens({
        refreshAfterUnauthorized: async () => {
          refreshes++;
          return 'shpat_fresh000000000000000000000000';
        },
      }),
    });
    const result = await c.request(ShopName);
    expect(result.data.shop.name).toBe('Acme');
    expect(refreshes).toBe(1);
    expect(server.requests.map((r) => r.headers['x-shopify-access-token'])).toEqual([
      TOKEN,
      'shpat_fresh000000000000000000000000',
    ]);
  });

  it('turns a second 401 into token_invalid (exit 4) with the login hint and request id', async () => {
    let refreshes = 0;
    server.reply(
      { status: 401, body: { errors: 'Invalid' } },
      { status: 401, headers: { 'x-request-id': 'auth-2' }, body: { errors: 'Invalid' } },
    );
    const error = await failure(
      client({
        tokens: tokens({
          refreshAfterUnauthorized: async () => {
            refreshes++;
            return 'shpat_other';
          },
        }),
      }).request(ShopName),
    );
    expect(error).toBeInstanceOf(TokenInvalidError);
    const auth = error as TokenInvalidError;
    expect(auth.code).toBe('token_invalid');
    expect(auth.exitCode).toBe(ExitCode.auth);
    expect(auth.message).toContain(`the access token for ${SHOP} is no longer valid`);
    expect(auth.message).toContain('auth-2');
    expect(auth.hint).toBe(`dsync auth login --store ${SHOP}`);
    expect(refreshes).toBe(1);
    server.verify();
  });

  it('fails at once on 401 when the token cannot be refreshed', async () => {
    server.reply({ status: 401, body: { errors: 'Invalid' } });
    const error = await failure(client().request(ShopName));
    expect(error).toBeInstanceOf(TokenInvalidError);
    server.verify();
  });

  it('names the missing scope on ACCESS_DENIED (exit 4)', async () => {
    server.reply({
      headers: { 'x-request-id': 'denied-1' },
      body: {
        data: null,
        errors: [
          {
            message: 'Access denied for orders field. Required access: `read_orders` access scope.',
            extensions: { code: 'ACCESS_DENIED', requiredAccess: '`read_orders` access scope.' },
          },
        ],
      },
    });
    const error = await failure(client().request(ShopName));
    expect(error).toBeInstanceOf(MissingScopeError);
    const denied = error as MissingScopeError;
    expect(denied.code).toBe('missing_scope');
    expect(denied.exitCode).toBe(ExitCode.auth);
    expect(denied.requiredScopes).toEqual(['read_orders']);
    expect(denied.message).toContain('read_orders');
    expect(denied.message).toContain('denied-1');
    expect(denied.hint).toBe(
      `grant read_orders to the app, then run \`dsync auth login --store ${SHOP}\` (see \`dsync auth status\`)`,
    );
  });

  it('finds the scope in the message when requiredAccess is absent', async () => {
    server.reply({
      body: {
        errors: [
          {
            message: 'Access denied for locations field. Required access: `read_locations` access scope.',
            extensions: { code: 'ACCESS_DENIED' },
          },
        ],
      },
    });
    const error = (await failure(client().request(ShopName))) as MissingScopeError;
    expect(error.requiredScopes).toEqual(['read_locations']);
  });

  it.each([
    [402, 'store_frozen', /frozen/],
    [423, 'store_locked', /locked/],
  ])('maps HTTP %i to %s', async (status, code, message) => {
    server.reply({
      status,
      headers: { 'x-request-id': `s-${status}` },
      body: { errors: 'Unavailable Shop' },
    });
    const error = await failure(client().request(ShopName));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`s-${status}`);
    expect((error as StoreUnavailableError).details).toMatchObject({ requestId: `s-${status}`, status });
    server.verify();
  });

  it('maps 403 to forbidden (exit 4) and 404 to a store/version problem (exit 2)', async () => {
    server.reply({ status: 403, body: '' }, { status: 404, body: { errors: 'Not Found' } });
    const forbidden = await failure(client().request(ShopName));
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect((forbidden as ForbiddenError).exitCode).toBe(ExitCode.auth);
    const missing = await failure(client({ apiVersion: '2019-01' }).request(ShopName));
    expect(missing).toBeInstanceOf(ShopNotFoundError);
    expect((missing as ShopNotFoundError).exitCode).toBe(ExitCode.usage);
    expect(missing.message).toContain('2019-01');
    expect((missing as ShopNotFoundError).hint).toMatch(/--store.*api-version/);
  });

  it('surfaces other GraphQL errors with their messages and request id', async () => {
    server.reply({
      headers: { 'x-request-id': 'gql-1' },
      body: { errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'" }, { message: 'second' }] },
    });
    const error = await failure(client().request(ShopName));
    expect(error).toBeInstanceOf(ShopifyGraphQLError);
    expect((error as ShopifyGraphQLError).messages).toEqual([
      "Field 'nope' doesn't exist on type 'Shop'",
      'second',
    ]);
    expect(error.message).toContain('gql-1');
    expect(error.message).toContain('ShopName');
  });

  it('reports MAX_COST_EXCEEDED as a bug naming the operation', async () => {
    server.reply({
      body: {
        errors: [
          {
            message: 'Query cost is 2502, which exceeds the single query max cost limit (1000).',
            extensions: { code: 'MAX_COST_EXCEEDED', cost: 2502, maxCost: 1000 },
          },
        ],
      },
    });
    const error = await failure(client().request(ShopName));
    expect(error).toBeInstanceOf(QueryCostExceededError);
    expect(error.message).toMatch(/^bug: operation ShopName/);
    expect(error.message).toContain('2502');
  });

  it('stops at once when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    server.reply(() => {
      controller.abort();
      return { body: throttled(100, 0) };
    });
    const error = await failure(client({ signal: controller.signal }).request(ShopName));
    expect(error).toBeInstanceOf(InterruptedError);
    server.verify();
  });
});

describe('pagination', () => {
  it('walks every page, passing the end cursor as `after`', async () => {
    const page = (ids: string[], next: string | null) =>
      ok({
        orders: {
          nodes: ids.map((id) => ({ id })),
          pageInfo: { hasNextPage: next !== null, endCursor: next },
        },
      });
    server.reply({ body: page(['1', '2'], 'c1') }, { body: page(['3'], 'c2') }, { body: page(['4'], null) });
    const ids: string[] = [];
    for await (const node of client().paginate(OrdersPage, { first: 2 }, (data) => data.orders))
      ids.push(node.id);
    expect(ids).toEqual(['1', '2', '3', '4']);
    expect(server.requests.map((r) => r.json?.variables)).toEqual([
      { first: 2, after: null },
      { first: 2, after: 'c1' },
      { first: 2, after: 'c2' },
    ]);
    server.verify();
  });

  it('refuses a server that repeats a cursor instead of looping forever', async () => {
    const page = ok({ orders: { nodes: [{ id: '1' }], pageInfo: { hasNextPage: true, endCursor: 'same' } } });
    server.reply({ body: page }, { body: page });
    const run = async () => {
      for await (const _ of client().paginate(OrdersPage, { first: 1 }, (data) => data.orders)) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow(/returned twice/);
  });
});

describe('debug log', () => {
  it('logs one line per request and response with the request id, and never the token', async () => {
    server.reply(
      { status: 401, body: { errors: `bad token ${TOKEN}` } },
      {
        headers: { 'x-request-id': 'dbg-1' },
        body: ok({ shop: { name: 'Acme' } }, { requested: 7, actual: 5 }),
      },
    );
    await client({
      tokens: tokens({ refreshAfterUnauthorized: async () => 'shpat_second_token_value' }),
    }).request(ShopName);
    const text = lines.join('\n');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('shpat_second_token_value');
    expect(text).not.toContain('0123456789abcdef');
    expect(text).toContain(`POST ${server.origin}/admin/api/2026-10/graphql.json ShopName`);
    expect(text).toContain('← 200 ShopName');
    expect(text).toContain('cost 7/5');
    expect(text).toContain('request-id dbg-1');
    expect(text).toContain('refreshing the access token');
  });
});

describe('defineOperation', () => {
  it('refuses a name or kind that does not match the document', () => {
    expect(() => defineOperation('Shop', 'query', /* GraphQL */ `query ShopInfo { shop { name } }`)).toThrow(
      /ShopInfo/,
    );
    expect(() => defineOperation('Shop', 'mutation', /* GraphQL */ `query Shop { shop { name } }`)).toThrow(
      /query/,
    );
    expect(() => defineOperation('Shop', 'query', /* GraphQL */ `{ shop { name } }`)).toThrow(/must start/);
  });
});
