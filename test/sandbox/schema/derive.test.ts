import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  type DocumentNode,
  type FieldDefinitionNode,
  introspectionFromSchema,
  Kind,
  parse,
  print,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { ADMIN_SDL } from '../../../src/sandbox/schema/admin-sdl.js';
import { REPO_ROOT } from '../../support/cli.js';

interface DeriveModule {
  deriveSdl(introspection: unknown, sources: { name: string; body: string }[]): string;
}
// A plain-JS script (run by `npm run schema:derive`), loaded by path so it needs no typings.
const SCRIPT = join(REPO_ROOT, 'scripts', 'derive-sandbox-schema.js');
const { deriveSdl } = (await import(SCRIPT)) as DeriveModule;

const excerpt = JSON.parse(
  readFileSync(
    join(REPO_ROOT, 'test', 'sandbox', 'schema', 'fixtures', 'shopify-2025-01-excerpt.json'),
    'utf8',
  ),
) as { fields: Record<string, string>; types: Record<string, string> };

function definitions(sdl: string): Map<string, DocumentNode['definitions'][number]> {
  const map = new Map<string, DocumentNode['definitions'][number]>();
  for (const def of parse(sdl).definitions) if ('name' in def && def.name) map.set(def.name.value, def);
  return map;
}

describe('the derived 2026-10 schema', () => {
  const derived = definitions(ADMIN_SDL);

  it.each(Object.entries(excerpt.fields))('keeps %s exactly as Shopify defines it', (key, shopify) => {
    const [type, field] = key.split('.') as [string, string];
    const def = derived.get(type) as { fields?: readonly FieldDefinitionNode[] } | undefined;
    const node = def?.fields?.find((f) => f.name.value === field);
    expect(node, `${key} is missing from the derived schema`).toBeDefined();
    expect(print(node!)).toBe(shopify);
  });

  it.each(Object.entries(excerpt.types))('keeps %s whole, exactly as Shopify defines it', (name, shopify) => {
    const def = derived.get(name);
    expect(def, `${name} is missing from the derived schema`).toBeDefined();
    expect(print(def!)).toBe(shopify);
  });

  it('applies the 2026 amendments', () => {
    const sdl = ADMIN_SDL;
    expect(sdl).toMatch(/input InventoryQuantityInput \{[^}]*changeFromQuantity: Int\n/);
    expect(sdl).not.toMatch(/compareQuantity/i);
    expect(sdl).toContain('directive @idempotent(key: String!) on FIELD');
    expect(sdl).toMatch(/bulkOperationRunQuery\([^)]*groupObjects: Boolean[^)]*\)/);
    expect(sdl).toMatch(/\n {2}bulkOperation\(id: ID!\): BulkOperation\n/);
    expect(sdl).toMatch(/CHANGE_FROM_QUANTITY_STALE/);
  });

  it('is the same text in admin-2026-10.graphql and admin-sdl.ts', () => {
    const file = readFileSync(join(REPO_ROOT, 'src', 'sandbox', 'schema', 'admin-2026-10.graphql'), 'utf8');
    expect(file.replace(/^(#.*\n)+\n/, '').trimEnd()).toBe(ADMIN_SDL.trimEnd());
  });
});

// A miniature "Shopify" schema to exercise the pruning rules one by one.
const MINI = buildSchema(`
  schema { query: QueryRoot mutation: Mutation }
  interface Node { id: ID! }
  type QueryRoot {
    node(id: ID!): Node
    orders(first: Int, after: String, sortKey: OrderSortKeys = PROCESSED_AT, query: String): OrderConnection!
    unused: Unused
  }
  type Mutation {
    inventorySetQuantities(input: InventorySetQuantitiesInput!): Payload
    bulkOperationRunQuery(query: String!): Payload
    other(input: OtherInput): Payload
  }
  type Payload { userErrors: [UserError!]! bulkOperation: BulkOperation }
  type UserError { field: [String!] message: String! code: InventorySetQuantitiesUserErrorCode }
  type BulkOperation implements Node { id: ID! status: String! }
  type OrderConnection { nodes: [Order!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Order implements Node {
    id: ID!
    name: String!
    note: String
    fulfillableQuantity: Int! @deprecated(reason: "Use something else.")
    customer: Customer
  }
  type Location implements Node { id: ID! name: String! isActive: Boolean! }
  type Customer { id: ID! email: String }
  type Unused { x: Int }
  enum OrderSortKeys { PROCESSED_AT UPDATED_AT ID }
  enum InventorySetQuantitiesUserErrorCode { INVALID_NAME COMPARE_QUANTITY_STALE }
  input InventorySetQuantitiesInput { name: String! reason: String! quantities: [InventoryQuantityInput!]! ignoreCompareQuantity: Boolean }
  input InventoryQuantityInput { inventoryItemId: ID! quantity: Int! compareQuantity: Int }
  input OtherInput { a: Int }
`);
const MINI_INTROSPECTION = { data: introspectionFromSchema(MINI) };

const OPERATIONS = [
  {
    name: 'orders.ts',
    body: `query Orders($first: Int!) {
      orders(first: $first) { nodes { id name fulfillableQuantity } pageInfo { hasNextPage } }
      node(id: "x") { id ... on Location { name } }
    }`,
  },
  {
    name: 'inventory.ts',
    body: `mutation Set($input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) @idempotent(key: "k") { userErrors { field message code } }
    }`,
  },
];

describe('pruning by field', () => {
  const sdl = deriveSdl(MINI_INTROSPECTION, OPERATIONS);
  const defs = definitions(sdl);
  const fieldsOf = (name: string) =>
    ((defs.get(name) as { fields?: readonly { name: { value: string } }[] } | undefined)?.fields ?? []).map(
      (f) => f.name.value,
    );

  it('keeps only the selected fields, and the root fields selected', () => {
    expect(fieldsOf('QueryRoot')).toEqual(['node', 'orders']);
    expect(fieldsOf('Order')).toEqual(['id', 'name', 'fulfillableQuantity']);
    expect(fieldsOf('PageInfo')).toEqual(['hasNextPage']);
    expect(fieldsOf('Mutation')).toEqual(['inventorySetQuantities']);
    expect(defs.has('Unused')).toBe(false);
    expect(defs.has('Customer')).toBe(false);
    expect(defs.has('OtherInput')).toBe(false);
  });

  it('keeps a field selected on an interface on every kept implementation', () => {
    expect(fieldsOf('Node')).toEqual(['id']);
    expect(fieldsOf('Location')).toEqual(['id', 'name']);
    expect(sdl).toContain('type Order implements Node');
  });

  it('keeps arguments with their defaults, and deprecations', () => {
    expect(sdl).toContain(
      'orders(first: Int, after: String, sortKey: OrderSortKeys = PROCESSED_AT, query: String): OrderConnection!',
    );
    expect(sdl).toContain('fulfillableQuantity: Int! @deprecated(reason: "Use something else.")');
  });

  it('keeps enums and input objects whole', () => {
    expect(print(defs.get('OrderSortKeys')!)).toBe(
      'enum OrderSortKeys {\n  PROCESSED_AT\n  UPDATED_AT\n  ID\n}',
    );
    expect(fieldsOf('InventorySetQuantitiesInput')).toEqual(['name', 'reason', 'quantities']);
  });

  it('applies the 2026 amendments to what it keeps', () => {
    expect(fieldsOf('InventoryQuantityInput')).toEqual(['inventoryItemId', 'quantity', 'changeFromQuantity']);
    expect(sdl).toContain('directive @idempotent(key: String!) on FIELD');
    expect(print(defs.get('InventorySetQuantitiesUserErrorCode')!)).toContain('CHANGE_FROM_QUANTITY_STALE');
  });

  it('gives the same bytes every time', () => {
    expect(deriveSdl(MINI_INTROSPECTION, [...OPERATIONS].reverse())).toBe(sdl);
  });

  it('refuses an operation selecting a field Shopify does not have, naming the file', () => {
    expect(() =>
      deriveSdl(MINI_INTROSPECTION, [{ name: 'bad.ts', body: '{ orders(first: 1) { nodes { nope } } }' }]),
    ).toThrow(/bad\.ts: Order\.nope does not exist/);
  });

  it('produces a schema whose operations validate', () => {
    expect(() => buildSchema(sdl)).not.toThrow();
    expect(parse(sdl).definitions.some((d) => d.kind === Kind.SCHEMA_DEFINITION)).toBe(true);
  });
});
