import { type FragmentDefinitionNode, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualQueryCost, checkPageSizes, requestedQueryCost } from '../../../src/sandbox/graphql/cost.js';
import { buildSandboxSchema } from '../../../src/sandbox/graphql/schema.js';

const schema = buildSandboxSchema();

function input(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, operation, fragments, variables };
}

describe('requested query cost', () => {
  it.each([
    ['scalars on the shop', '{ shop { name currencyCode } }', 1],
    ['nested objects', '{ shop { plan { displayName } } }', 2],
    ['a list of objects', '{ shop { fulfillmentServices { handle location { id } } } }', 3],
    ['a connection of ids', '{ orders(first: 10) { nodes { id } } }', 12],
    ['edges instead of nodes', '{ orders(first: 10) { edges { cursor node { id } } } }', 12],
    [
      'edges and nodes together cost once',
      '{ orders(first: 10) { edges { node { id } } nodes { id } } }',
      12,
    ],
    [
      'pageInfo costs nothing',
      '{ orders(first: 10) { nodes { id } pageInfo { hasNextPage endCursor } } }',
      12,
    ],
    ['last counts like first', '{ orders(last: 7) { nodes { id } } }', 9],
    ['nested connection', '{ orders(first: 10) { nodes { lineItems(first: 5) { nodes { sku } } } } }', 82],
    [
      'money bags',
      '{ orders(first: 2) { nodes { totalPriceSet { shopMoney { amount } presentmentMoney { amount } } } } }',
      10,
    ],
    ['two root fields add up', '{ shop { name } locations(first: 250) { nodes { id } } }', 253],
    ['aliases count separately', '{ a: shop { name } b: shop { name } }', 2],
    ['a null-able root object', '{ order(id: "gid://shopify/Order/1") { id } }', 1],
    [
      'fragments are expanded',
      'query { orders(first: 3) { nodes { ...O } } } fragment O on Order { id customer { id } }',
      8,
    ],
    [
      'an interface costs its most expensive branch',
      '{ node(id: "x") { id ... on Order { customer { id } } ... on Location { address { city } fulfillmentService { handle } } } }',
      3,
    ],
    [
      'nodes(ids:) costs per id',
      '{ nodes(ids: ["a", "b", "c"]) { id ... on Order { customer { id } } } }',
      6,
    ],
    [
      'a mutation costs 10',
      'mutation { bulkOperationCancel(id: "x") { bulkOperation { id } userErrors { message } } }',
      10,
    ],
    [
      'two mutation fields cost 20',
      'mutation { a: bulkOperationCancel(id: "x") { userErrors { message } } b: bulkOperationCancel(id: "y") { userErrors { message } } }',
      20,
    ],
  ])('%s', (_label, query, cost) => {
    expect(requestedQueryCost(input(query))).toBe(cost);
  });

  it('reads page sizes from variables', () => {
    const query = 'query Q($n: Int!) { orders(first: $n) { nodes { id } } }';
    expect(requestedQueryCost(input(query, { n: 100 }))).toBe(102);
    expect(requestedQueryCost(input(query, { n: 1 }))).toBe(3);
  });
});

describe('@skip and @include', () => {
  // A money bag read in one currency, chosen by a variable (as dsync reads it).
  const MONEY = `query Q($local: Boolean!) {
    orders(first: 2) { nodes { totalPriceSet { ...Money } } }
  }
  fragment Money on MoneyBag {
    shopMoney @skip(if: $local) { amount currencyCode }
    presentmentMoney @include(if: $local) { amount currencyCode }
  }`;

  it.each([true, false])('a skipped field costs nothing (local: %s)', (local) => {
    // 2 + 2 × (1 node + 1 totalPriceSet + 1 for the one money object kept)
    expect(requestedQueryCost(input(MONEY, { local }))).toBe(8);
  });

  it.each([
    [
      'a literal @include(if: false) connection',
      '{ shop { name } orders(first: 10) @include(if: false) { nodes { id } } }',
      {},
      1,
    ],
    [
      'a literal @skip(if: false) keeps the field',
      '{ shop { name } orders(first: 10) @skip(if: false) { nodes { id } } }',
      {},
      13,
    ],
    [
      'a skipped fragment spread',
      'query { orders(first: 3) { nodes { ...O @skip(if: true) } } } fragment O on Order { customer { id } }',
      {},
      5,
    ],
    [
      'an inline fragment left out by a variable',
      'query Q($c: Boolean!) { orders(first: 3) { nodes { id ... @include(if: $c) { customer { id } } } } }',
      { c: false },
      5,
    ],
    [
      'an inline fragment kept by a variable',
      'query Q($c: Boolean!) { orders(first: 3) { nodes { id ... @include(if: $c) { customer { id } } } } }',
      { c: true },
      8,
    ],
    [
      'a skipped nested connection',
      'query Q($s: Boolean!) { orders(first: 10) { nodes { lineItems(first: 5) @skip(if: $s) { nodes { sku } } } } }',
      { s: true },
      12,
    ],
    [
      'a skipped branch of an interface',
      '{ node(id: "x") { id ... on Location @skip(if: true) { address { city } fulfillmentService { handle } } ... on Order { customer { id } } } }',
      {},
      2,
    ],
  ])('%s', (_label, query, variables, cost) => {
    expect(requestedQueryCost(input(query, variables))).toBe(cost);
  });

  it('the actual cost counts only the money object returned', () => {
    const data = {
      orders: {
        nodes: [
          { totalPriceSet: { presentmentMoney: { amount: '1.00', currencyCode: 'EUR' } } },
          { totalPriceSet: { presentmentMoney: { amount: '2.00', currencyCode: 'EUR' } } },
        ],
      },
    };
    expect(actualQueryCost(input(MONEY, { local: true }), data)).toBe(8);
  });
});

describe('actual query cost', () => {
  it.each([
    [
      'full page',
      '{ orders(first: 3) { nodes { id } } }',
      { orders: { nodes: [{ id: 1 }, { id: 2 }, { id: 3 }] } },
      5,
    ],
    ['short page', '{ orders(first: 50) { nodes { id } } }', { orders: { nodes: [{ id: 1 }] } }, 3],
    ['empty page', '{ orders(first: 50) { edges { node { id } } } }', { orders: { edges: [] } }, 2],
    [
      'nested pages as returned',
      '{ orders(first: 5) { nodes { lineItems(first: 5) { nodes { sku } } } } }',
      {
        orders: {
          nodes: [{ lineItems: { nodes: [{ sku: 'a' }, { sku: 'b' }] } }, { lineItems: { nodes: [] } }],
        },
      },
      2 + (1 + 2 + 2) + (1 + 2),
    ],
    ['a null object costs nothing', '{ order(id: "x") { id customer { id } } }', { order: null }, 0],
    [
      'interface branches as returned',
      '{ node(id: "x") { id ... on Order { customer { id } } ... on Location { address { city } } } }',
      { node: { id: 'x', customer: { id: 'c' } } },
      2,
    ],
  ])('%s', (_label, query, data, cost) => {
    expect(actualQueryCost(input(query), data)).toBe(cost);
  });

  it('charges a mutation 10 whatever it returned', () => {
    const q = 'mutation { bulkOperationCancel(id: "x") { userErrors { message } } }';
    expect(actualQueryCost(input(q), { bulkOperationCancel: { userErrors: [] } })).toBe(10);
  });
});

describe('page sizes', () => {
  it.each([
    ['first 250 is fine', '{ orders(first: 250) { nodes { id } } }', []],
    ['first 251 is too large', '{ orders(first: 251) { nodes { id } } }', ['too_large:first:251:orders']],
    ['last 300 is too large', '{ orders(last: 300) { nodes { id } } }', ['too_large:last:300:orders']],
    [
      'nested, with an alias',
      '{ orders(first: 1) { nodes { items: lineItems(first: 500) { nodes { id } } } } }',
      ['too_large:first:500:orders.nodes.items'],
    ],
    ['neither first nor last', '{ locations { nodes { id } } }', ['missing:-:-:locations']],
    [
      'an input array of 251',
      `{ nodes(ids: [${Array.from({ length: 251 }, (_, i) => `"${i}"`).join(',')}]) { id } }`,
      ['input_too_large:ids:251:nodes'],
    ],
    [
      'an input array of 250',
      `{ nodes(ids: [${Array.from({ length: 250 }, (_, i) => `"${i}"`).join(',')}]) { id } }`,
      [],
    ],
  ])('%s', (_label, query, expected) => {
    const problems = checkPageSizes(input(query)).map(
      (p) => `${p.kind}:${p.argument ?? '-'}:${p.value ?? '-'}:${p.path.join('.')}`,
    );
    expect(problems).toEqual(expected);
  });
});
