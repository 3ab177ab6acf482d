import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

const QUERY = '{ shop { myshopifyDomain } orders(first: 5, sortKey: CREATED_AT) { nodes { name email } } }';

async function graphql(url: string, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query: QUERY }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: inspected field by field
  return { status: res.status, body: (await res.json()) as any };
}

describe('sandbox --shops', () => {
  let many: TestSandbox;
  let single: TestSandbox;
  beforeAll(async () => {
    [many, single] = await Promise.all([
      startTestSandbox({ shops: 3, orders: 8 }),
      startTestSandbox({ orders: 8 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([many?.stop(), single?.stop()]);
  });

  const url = (origin: string) => `${origin}/admin/api/2026-10/graphql.json`;

  it('names the stores {handle}, {handle}-2, {handle}-3', () => {
    expect(many.shops.map((s) => s.shop)).toEqual([
      'dsync-sandbox.myshopify.com',
      'dsync-sandbox-2.myshopify.com',
      'dsync-sandbox-3.myshopify.com',
    ]);
    expect(many.shops[0]?.accessToken).toBe(many.accessToken);
  });

  it('routes /shops/{shop}/… to that store, with its own data; the first is today’s store', async () => {
    const answers = await Promise.all(many.shops.map((s) => graphql(url(s.origin), s.accessToken)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.data.shop.myshopifyDomain)).toEqual(many.shops.map((s) => s.shop));
    const emails = answers.map((a) => JSON.stringify(a.body.data.orders.nodes));
    expect(new Set(emails).size).toBe(3);
    const unprefixed = await graphql(url(many.origin), many.accessToken);
    const alone = await graphql(url(single.origin), single.accessToken);
    expect(unprefixed.body.data).toEqual(answers[0]?.body.data);
    expect(alone.body.data.orders).toEqual(answers[0]?.body.data.orders);
  });

  it('refuses a token of one store at another, as Shopify does', async () => {
    const [a, b] = many.shops;
    if (!a || !b) throw new Error('two stores expected');
    const refused = await graphql(url(b.origin), a.accessToken);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).toContain('Invalid API key or access token');
  });

  it('answers 404 for a store it does not serve', async () => {
    const res = await graphql(url(`${many.origin}/shops/nobody.myshopify.com`), many.accessToken);
    expect(res.status).toBe(404);
  });

  it('keeps a throttle bucket per store', async () => {
    const fresh = await startTestSandbox({ shops: 2, orders: 8 });
    try {
      const [a, b] = fresh.shops;
      if (!a || !b) throw new Error('two stores expected');
      await Promise.all(Array.from({ length: 5 }, () => graphql(url(a.origin), a.accessToken)));
      const second = await graphql(url(b.origin), b.accessToken);
      const { throttleStatus, actualQueryCost } = second.body.extensions.cost;
      // Store b's bucket was full: a's five requests came out of a's bucket only.
      expect(throttleStatus.currentlyAvailable + actualQueryCost).toBe(throttleStatus.maximumAvailable);
    } finally {
      await fresh.stop();
    }
  });
});
