import { describe, expect, it } from 'vitest';
import {
  analyzeBulkQuery,
  BulkReassembler,
  type JsonObject,
  splitLines,
} from '../../src/shopify/bulk-jsonl.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  yield* parts;
}

describe('splitLines', () => {
  it('splits across chunk boundaries, keeps multi-byte characters whole and yields a last unterminated line', async () => {
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\r\n\n{"c":3}', 'utf8');
    // Cut inside the two-byte é and inside the second line.
    const lines = await collect(
      splitLines(chunks(bytes.subarray(0, 7), bytes.subarray(7, 14), bytes.subarray(14))),
    );
    expect(lines).toEqual(['{"a":"é"}', '{"b":2}', '{"c":3}']);
  });
});

const ORDERS_QUERY = /* GraphQL */ `{
  orders(query: "updated_at:>2026-01-01") {
    edges { node {
      id name
      customer { id displayName }
      lineItems { edges { node { id sku quantity } } }
      fulfillmentOrders { edges { node {
        id status
        lineItems { edges { node { id remainingQuantity } } }
      } } }
    } }
  }
}`;

function reassemble(query: string, lines: JsonObject[], grouped = true): JsonObject[] {
  const r = new BulkReassembler(analyzeBulkQuery(query), grouped);
  const out: JsonObject[] = [];
  for (const line of lines) out.push(...r.push(line));
  out.push(...r.finish());
  return out;
}

describe('analyzeBulkQuery', () => {
  it('finds nested connections and the keys each node selects', () => {
    const shape = analyzeBulkQuery(ORDERS_QUERY);
    expect([...(shape?.keys ?? [])]).toEqual(['id', 'name', 'customer']);
    expect(shape?.connections.map((c) => [c.path.join('.'), c.style])).toEqual([
      ['lineItems', 'edges'],
      ['fulfillmentOrders', 'edges'],
    ]);
    expect(shape?.connections[1]?.node.connections.map((c) => c.path.join('.'))).toEqual(['lineItems']);
  });

  it('understands `nodes`, aliases and fragments', () => {
    const shape = analyzeBulkQuery(/* GraphQL */ `
      query { products { nodes { ...P items: variants { nodes { id } } } } }
      fragment P on Product { id title }`);
    expect([...(shape?.keys ?? [])]).toEqual(['id', 'title']);
    expect(shape?.connections.map((c) => [c.path.join('.'), c.style])).toEqual([['items', 'nodes']]);
  });
});

describe('BulkReassembler', () => {
  const lines: JsonObject[] = [
    {
      id: 'gid://shopify/Order/1',
      name: '#1001',
      customer: { id: 'gid://shopify/Customer/9', displayName: 'Ann' },
    },
    { id: 'gid://shopify/LineItem/11', sku: 'A', quantity: 1, __parentId: 'gid://shopify/Order/1' },
    { id: 'gid://shopify/LineItem/12', sku: 'B', quantity: 2, __parentId: 'gid://shopify/Order/1' },
    { id: 'gid://shopify/FulfillmentOrder/21', status: 'OPEN', __parentId: 'gid://shopify/Order/1' },
    {
      id: 'gid://shopify/FulfillmentOrderLineItem/31',
      remainingQuantity: 1,
      __parentId: 'gid://shopify/FulfillmentOrder/21',
    },
    {
      id: 'gid://shopify/FulfillmentOrderLineItem/32',
      remainingQuantity: 2,
      __parentId: 'gid://shopify/FulfillmentOrder/21',
    },
    { id: 'gid://shopify/Order/2', name: '#1002', customer: null },
    { id: 'gid://shopify/LineItem/13', sku: 'C', quantity: 5, __parentId: 'gid://shopify/Order/2' },
  ];

  it('puts children and grandchildren under their parents in the shape the query selected', () => {
    const [first, second, ...rest] = reassemble(ORDERS_QUERY, lines);
    expect(rest).toEqual([]);
    expect(first).toEqual({
      id: 'gid://shopify/Order/1',
      name: '#1001',
      customer: { id: 'gid://shopify/Customer/9', displayName: 'Ann' },
      lineItems: {
        edges: [
          { node: { id: 'gid://shopify/LineItem/11', sku: 'A', quantity: 1 } },
          { node: { id: 'gid://shopify/LineItem/12', sku: 'B', quantity: 2 } },
        ],
      },
      fulfillmentOrders: {
        edges: [
          {
            node: {
              id: 'gid://shopify/FulfillmentOrder/21',
              status: 'OPEN',
              lineItems: {
                edges: [
                  { node: { id: 'gid://shopify/FulfillmentOrderLineItem/31', remainingQuantity: 1 } },
                  { node: { id: 'gid://shopify/FulfillmentOrderLineItem/32', remainingQuantity: 2 } },
                ],
              },
            },
          },
        ],
      },
    });
    // No fulfillment orders: an empty connection, as a paged query would return.
    expect(second).toMatchObject({ name: '#1002', customer: null, fulfillmentOrders: { edges: [] } });
    expect(second?.lineItems).toEqual({
      edges: [{ node: { id: 'gid://shopify/LineItem/13', sku: 'C', quantity: 5 } }],
    });
  });

  it('emits a root only when the next root starts (grouped)', () => {
    const r = new BulkReassembler(analyzeBulkQuery(ORDERS_QUERY), true);
    const emitted = lines.map((line) => r.push(line).map((o) => o.name));
    expect(emitted).toEqual([[], [], [], [], [], [], ['#1001'], []]);
    expect(r.finish().map((o) => o.name)).toEqual(['#1002']);
  });

  it('reassembles ungrouped files where children come later, holding roots to the end', () => {
    const shuffled = [
      lines[0],
      lines[6],
      lines[3],
      lines[7],
      lines[1],
      lines[4],
      lines[2],
      lines[5],
    ] as JsonObject[];
    const r = new BulkReassembler(analyzeBulkQuery(ORDERS_QUERY), false);
    for (const line of shuffled) expect(r.push(line)).toEqual([]);
    const out = r.finish();
    expect(out.map((o) => o.name)).toEqual(['#1001', '#1002']);
    expect(out).toEqual(reassemble(ORDERS_QUERY, lines));
  });

  it('refuses a grouped file whose child does not follow its parent', () => {
    const r = new BulkReassembler(analyzeBulkQuery(ORDERS_QUERY), true);
    r.push(lines[0] as JsonObject);
    r.push(lines[6] as JsonObject);
    expect(() => r.push(lines[1] as JsonObject)).toThrow(/not the object before it/);
  });

  it('emits every root of a flat query at once', () => {
    const r = new BulkReassembler(analyzeBulkQuery('{ products { edges { node { id title } } } }'), false);
    expect(r.push({ id: 'gid://shopify/Product/1', title: 'Hat' })).toEqual([
      { id: 'gid://shopify/Product/1', title: 'Hat' },
    ]);
    expect(r.finish()).toEqual([]);
  });

  it('tells same-shaped connections apart by the gid type', () => {
    const query = '{ orders { nodes { id lineItems { nodes { id } } fulfillmentOrders { nodes { id } } } } }';
    const out = reassemble(query, [
      { id: 'gid://shopify/Order/1' },
      { id: 'gid://shopify/FulfillmentOrder/2', __parentId: 'gid://shopify/Order/1' },
      { id: 'gid://shopify/LineItem/3', __parentId: 'gid://shopify/Order/1' },
    ]);
    expect(out).toEqual([
      {
        id: 'gid://shopify/Order/1',
        lineItems: { nodes: [{ id: 'gid://shopify/LineItem/3' }] },
        fulfillmentOrders: { nodes: [{ id: 'gid://shopify/FulfillmentOrder/2' }] },
      },
    ]);
  });
});

describe('splitLines on a large stream', () => {
  it('handles many lines per chunk and lines spanning many chunks', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i })).join('\n');
    const long = 'x'.repeat(100_000);
    const text = `${many}\n${long}\n{"end":true}\n`;
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += 8192) parts.push(text.slice(i, i + 8192));
    const lines = await collect(splitLines(chunks(...parts)));
    expect(lines).toHaveLength(5002);
    expect(lines[4999]).toBe('{"i":4999}');
    expect(lines[5000]).toBe(long);
    expect(lines[5001]).toBe('{"end":true}');
  });
});
