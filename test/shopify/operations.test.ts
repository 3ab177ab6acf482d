import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/shopify/types.js';
import { ADMIN_SDL } from '../../src/sandbox/schema/admin-sdl.js';
import { REPO_ROOT } from '../support/cli.js';

/**
 * Every named operation dsync sends is checked against the Admin API schema (the pruned 2026-10
 * SDL derived from Shopify's introspection), so a typo or a removed field fails here rather than
 * at a user's store.
 */
const DIR = join(REPO_ROOT, 'src', 'shopify', 'operations');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const schema = buildSchema(ADMIN_SDL);

function isOperation(value: unknown): value is Operation<unknown, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    (v.kind === 'query' || v.kind === 'mutation') &&
    typeof v.document === 'string'
  );
}

function taggedDocuments(source: string): string[] {
  return [...source.matchAll(/\/\*\s*GraphQL\s*\*\/\s*`([^`]*)`/g)].map((m) => m[1] ?? '');
}

describe.each(files)('operations/%s', (file) => {
  it('declares operations that are named, tagged /* GraphQL */ and valid against the Admin schema', async () => {
    const module = (await import(join(DIR, file))) as Record<string, unknown>;
    const operations = Object.entries(module).filter(
      (entry): entry is [string, Operation<unknown, unknown>] => isOperation(entry[1]),
    );
    expect(operations.length).toBeGreaterThan(0);
    const tagged = taggedDocuments(readFileSync(join(DIR, file), 'utf8'));
    for (const [exportName, operation] of operations) {
      const where = `${file}: ${exportName}`;
      expect(tagged, `${where} must be a /* GraphQL */ template literal`).toContain(operation.document);
      const document = parse(operation.document);
      const definitions = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(definitions, `${where} holds exactly one operation`).toHaveLength(1);
      const [definition] = definitions;
      expect(definition?.name?.value, where).toBe(operation.name);
      expect(definition?.operation, where).toBe(operation.kind);
      const errors = validate(schema, document).map((e) => e.message);
      expect(errors, where).toEqual([]);
    }
  });
});

it('operation names are unique across areas (the client keys its cost estimates by name)', async () => {
  const names: string[] = [];
  for (const file of files) {
    const module = (await import(join(DIR, file))) as Record<string, unknown>;
    for (const value of Object.values(module)) if (isOperation(value)) names.push(value.name);
  }
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
});
