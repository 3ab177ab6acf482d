import { describe, expect, it } from 'vitest';
import {
  GraphQLEndpoint,
  type GraphQLRequest,
  type TokenCheck,
} from '../../../src/sandbox/graphql/endpoint.js';
import { FaultPlan, parseFaultSpec } from '../../../src/sandbox/graphql/faults.js';
import { attachResolvers, buildSandboxSchema } from '../../../src/sandbox/graphql/schema.js';
import { planLimits, Throttle } from '../../../src/sandbox/graphql/throttle.js';
import { standInResolvers } from './stand-in.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected field by field
type Body = Record<string, any>;

const ALL = new Set(['read_orders', 'read_locations']);

function setup(opts: { faults?: string; maximumAvailable?: number; scopes?: Set<string> } = {}) {
  let clock = 1_000_000;
  const errors: Error[] = [];
  const tokens: Record<string, TokenCheck> = {
    good: { ok: true, scopes: opts.scopes ?? ALL, clientId: 'app' },
    other: { ok: true, scopes: ALL, clientId: 'app' },
    expired: { ok: false, reason: 'expired' },
  };
  const endpoint = new GraphQLEndpoint({
    schema: attachResolvers(buildSandboxSchema(), standInResolvers()),
    shop: 'stand-in.myshopify.com',
    lookupToken: (t) => tokens[t] ?? { ok: false, reason: 'unknown' },
    throttle: new Throttle(planLimits('standard', opts.maximumAvailable), () => clock),
    faults: new FaultPlan(parseFaultSpec(opts.faults)),
    now: () => new Date('2026-11-20T00:00:00Z'),
    origin: () => 'http://127.0.0.1:1',
    onInternalError: (e) => errors.push(e),
  });
  const send = async (body: unknown, overrides: Partial<GraphQLRequest> = {}) => {
    const answer = await endpoint.handle(
      {
        version: '2026-10',
        accessToken: 'good',
        contentType: 'application/json',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        requestId: 'req-1',
        ...overrides,
      },
      endpoint.nextFault(),
    );
    if (answer.kind !== 'response')
      return { status: 0, headers: {} as Record<string, string>, body: { reset: true } as Body };
    return { ...answer, body: answer.body as Body };
  };
  return { send, errors, advance: (ms: number) => (clock += ms) };
}

const ORDERS = `query Orders($first: Int!) {
  orders(first: $first) { nodes { id name lineItems(first: 5) { nodes { id sku } } } pageInfo { hasNextPage } }
}`;

describe('GraphQL endpoint', () => {
  it('executes a query and reports its cost', async () => {
    const { send } = setup();
    const res = await send({ query: ORDERS, variables: { first: 3 } });
    expect(res.status).toBe(200);
    expect(res.headers['x-shopify-api-version']).toBe('2026-10');
    expect(res.body.data.orders.nodes).toHaveLength(3);
    expect(res.body.data.orders.nodes[0].lineItems.nodes[1]).toEqual({
      id: 'gid://shopify/LineItem/2',
      sku: 'SKU-B',
    });
    // requested: 2 + 3 × (1 + (2 + 5 × 1)) = 26; actual: 2 + 3 × (1 + 2 + 2) = 17
    expect(res.body.extensions.cost).toEqual({
      requestedQueryCost: 26,
      actualQueryCost: 17,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1983, restoreRate: 100 },
    });
  });

  it.each([
    [{ local: true }, { presentmentMoney: { amount: '12.50' } }],
    [{ local: false }, { shopMoney: { amount: '10.0' } }],
    [{}, { shopMoney: { amount: '10.0' } }], // the variable's default
  ])('charges nothing for fields @skip/@include leave out (variables %o)', async (variables, money) => {
    const { send } = setup();
    const query = `query Money($local: Boolean = false) {
      order(id: "gid://shopify/Order/1") {
        totalPriceSet { shopMoney @skip(if: $local) { amount } presentmentMoney @include(if: $local) { amount } }
      }
    }`;
    const res = await send({ query, variables });
    expect(res.body.data.order.totalPriceSet).toEqual(money);
    // order 1 + totalPriceSet 1 + the one money object selected 1 (both would be 4)
    expect(res.body.extensions.cost).toMatchObject({ requestedQueryCost: 3, actualQueryCost: 3 });
  });

  it('serializes Money, Decimal and DateTime as Shopify does', async () => {
    const { send } = setup();
    const res = await send({
      query:
        '{ order(id: "gid://shopify/Order/1") { createdAt totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } } } }',
    });
    expect(res.body.data.order).toEqual({
      createdAt: '2026-10-01T12:00:00Z',
      totalPriceSet: {
        shopMoney: { amount: '10.0', currencyCode: 'EUR' },
        presentmentMoney: { amount: '12.50' },
      },
    });
  });

  it.each([
    ['missing', undefined],
    ['unknown', 'nope'],
    ['expired', 'expired'],
  ])('answers 401 with Shopify body for a %s token', async (_label, token) => {
    const { send } = setup();
    const res = await send({ query: '{ shop { name } }' }, { accessToken: token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
  });

  it.each([
    ['2026-10', 200, '2026-10'],
    ['2026-01', 200, '2026-01'],
    ['2027-01', 200, '2027-01'], // release candidate
    ['unstable', 200, 'unstable'],
    ['2024-04', 200, '2026-01'], // no longer supported: the oldest supported answers
    ['2026-05', 404, undefined],
    ['2031-01', 404, undefined],
    ['latest', 404, undefined],
  ])('version %s → %i (%s)', async (version, status, served) => {
    const { send } = setup();
    const res = await send({ query: '{ shop { name } }' }, { version });
    expect(res.status).toBe(status);
    expect(res.headers['x-shopify-api-version']).toBe(served);
  });

  it("hands resolvers the calling token and its app's client id", async () => {
    const { send } = setup();
    const res = await send({ query: '{ shop { email } }' });
    expect(res.body.data.shop.email).toBe('app@good');
  });

  it('accepts application/graphql bodies', async () => {
    const { send } = setup();
    const res = await send('{ shop { myshopifyDomain } }', { contentType: 'application/graphql' });
    expect(res.body.data.shop.myshopifyDomain).toBe('stand-in.myshopify.com');
  });

  it('answers 400 for a body without a query, or bad JSON', async () => {
    const { send } = setup();
    expect(await send({ variables: {} })).toMatchObject({
      status: 400,
      body: { errors: { query: 'Required parameter missing or invalid' } },
    });
    expect((await send('{"query": ')).status).toBe(400);
  });

  it('reports parse and validation errors with locations and a cost', async () => {
    const { send } = setup();
    const parse = await send({ query: '{ shop { name }' });
    expect(parse.status).toBe(200);
    expect(parse.body.errors[0].message).toMatch(/Syntax Error/);
    expect(parse.body.errors[0].locations).toEqual([{ line: 1, column: 16 }]);
    expect(parse.body.extensions.cost.requestedQueryCost).toBe(0);
    const unknown = await send({ query: '{ shop { name nope } }' });
    expect(unknown.body.errors).toEqual([
      {
        message: "Field 'nope' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 15 }],
        extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'nope' },
      },
    ]);
    expect(unknown.body.data).toBeUndefined();
  });

  it('refuses a query costing more than 1000 before running it', async () => {
    const { send } = setup();
    const res = await send({ query: ORDERS, variables: { first: 200 } });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions).toEqual({
      code: 'MAX_COST_EXCEEDED',
      cost: 1602,
      maxCost: 1000,
      documentation: 'https://shopify.dev/api/usage/limits#rate-limits',
    });
    expect(res.body.errors[0].message).toMatch(
      /^Query cost is 1602, which exceeds the single query max cost limit \(1000\)\./,
    );
    // Nothing was charged.
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });

  it('refuses page sizes above 250 and connections without first or last', async () => {
    const { send } = setup();
    const big = await send({ query: '{ orders(first: 251) { nodes { id } } }' });
    expect(big.body.data).toBeUndefined();
    expect(big.body.errors[0]).toMatchObject({
      path: ['orders'],
      extensions: { code: 'MAX_PAGE_SIZE_EXCEEDED', argumentName: 'first', value: 251, maxPageSize: 250 },
    });
    const none = await send({ query: '{ orders { nodes { id } } }' });
    expect(none.body.errors[0].message).toBe('you must provide one of first or last');
  });

  it('refuses an input array longer than 250 before running anything', async () => {
    const { send } = setup();
    const quantities = Array.from({ length: 251 }, (_, i) => ({
      inventoryItemId: `gid://shopify/InventoryItem/${i}`,
      locationId: 'gid://shopify/Location/1',
      quantity: 1,
      changeFromQuantity: null,
    }));
    const res = await send({
      query: `mutation Set($input: InventorySetQuantitiesInput!) {
        inventorySetQuantities(input: $input) @idempotent(key: "k1") { userErrors { message } } }`,
      variables: { input: { name: 'available', reason: 'correction', quantities } },
    });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      {
        message: 'The input array size of 251 is greater than the maximum allowed of 250.',
        locations: [{ line: 2, column: 9 }],
        path: ['inventorySetQuantities', 'input'],
        extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
      },
    ]);
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });

  it('throttles a token whose bucket is empty, and refills it over time', async () => {
    const { send, advance } = setup({ maximumAvailable: 100 });
    const query = '{ orders(first: 20) { nodes { id } } }'; // requested 22, actual 22
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await send({ query });
      statuses.push(res.body.errors?.[0]?.extensions?.code ?? 'ok');
    }
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'ok', 'THROTTLED', 'THROTTLED']);
    const throttled = await send({ query });
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [
        {
          message: 'Throttled',
          extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 22,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: 12, restoreRate: 100 },
        },
      },
    });
    // Another token has its own bucket.
    expect((await send({ query }, { accessToken: 'other' })).body.data).toBeDefined();
    advance(100); // +10 points
    expect((await send({ query })).body.data).toBeDefined();
  });

  it('refunds what a query did not use', async () => {
    const { send } = setup();
    const res = await send({
      query: '{ orders(first: 250, after: "gid://shopify/Order/298") { nodes { id } } }',
    });
    expect(res.body.extensions.cost).toMatchObject({ requestedQueryCost: 252, actualQueryCost: 4 });
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(1996);
  });

  it('keeps errors resolvers raise on purpose (ACCESS_DENIED) as they are', async () => {
    const { send } = setup({ scopes: new Set() });
    const res = await send({ query: '{ orders(first: 1) { nodes { id } } }' });
    expect(res.body.errors).toEqual([
      {
        message: 'Access denied for orders field. Required access: `read_orders` access scope.',
        locations: [{ line: 1, column: 3 }],
        path: ['orders'],
        extensions: {
          code: 'ACCESS_DENIED',
          documentation: 'https://shopify.dev/api/usage/access-scopes',
          requiredAccess: '`read_orders` access scope.',
        },
      },
    ]);
    expect(res.body.data).toBeNull();
  });

  it("turns a resolver's bug into Shopify's internal error with the request id", async () => {
    const { send, errors } = setup();
    const res = await send({ query: '{ locations(first: 5) { nodes { id } } }' });
    expect(res.body.errors[0]).toMatchObject({
      message:
        'Internal error. Looks like something went wrong on our end.\nRequest ID: req-1 (include this in support requests).',
      path: ['locations'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' },
    });
    expect(errors[0]?.message).toMatch(/boom/);
  });

  it('answers faults on the requests the spec names, and only those', async () => {
    const { send } = setup({ faults: '500@2,429@3:retry-after=1,throttled@4,reset@5' });
    const query = { query: '{ shop { name } }' };
    expect((await send(query)).status).toBe(200);
    expect(await send(query)).toMatchObject({ status: 500, body: { errors: 'Internal Server Error' } });
    const limited = await send(query);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1.0');
    expect((await send(query)).body.errors[0].extensions.code).toBe('THROTTLED');
    expect((await send(query)).body).toEqual({ reset: true });
    expect((await send(query)).status).toBe(200);
  });
});
