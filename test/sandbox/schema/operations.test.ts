import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ADMIN_SDL } from '../../../src/sandbox/schema/admin-sdl.js';
import { REPO_ROOT } from '../../support/cli.js';

interface DeriveModule {
  extractOperations(source: string): string[];
}
// The same extraction the derive script uses.
const { extractOperations } = (await import(
  join(REPO_ROOT, 'scripts', 'derive-sandbox-schema.js')
)) as DeriveModule;

const schema = buildSchema(ADMIN_SDL);
const OPERATIONS_DIR = join(REPO_ROOT, 'src', 'shopify', 'operations');

const documents: [string, string][] = readdirSync(OPERATIONS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .flatMap((file) =>
    extractOperations(readFileSync(join(OPERATIONS_DIR, file), 'utf8')).map((body, i): [string, string] => [
      `${file} #${i + 1}`,
      body,
    ]),
  );

describe("dsync's operations against the sandbox schema", () => {
  it('finds operations to check', () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents)('%s validates (if not: npm run schema:derive)', (_name, body) => {
    const errors = validate(schema, parse(body)).map((e) => e.message);
    expect(errors).toEqual([]);
  });

  it('served.graphql validates too', () => {
    const served = readFileSync(join(REPO_ROOT, 'src', 'sandbox', 'schema', 'served.graphql'), 'utf8');
    expect(validate(schema, parse(served)).map((e) => e.message)).toEqual([]);
  });

  it('extracts `/* GraphQL */` template literals, and only those', () => {
    const source = [
      'export const A = /* GraphQL */ `query A { shop { name } }`;',
      'const notOne = `query B { shop { name } }`;',
      'export const C = /*GraphQL*/`mutation C { x }`;',
    ].join('\n');
    expect(extractOperations(source)).toEqual(['query A { shop { name } }', 'mutation C { x }']);
  });
});
