import { type ExecutionResult, graphql } from 'graphql';
import type { SandboxRequestContext } from '../../../src/sandbox/context.js';
import {
  type BulkTiming,
  createResolvers,
  createSandboxData,
  INSTANT_BULK_TIMING,
  type SandboxData,
} from '../../../src/sandbox/data/index.js';
import { attachResolvers, buildSandboxSchema } from '../../../src/sandbox/graphql/schema.js';
import { ALL_SANDBOX_SCOPES } from '../../../src/sandbox/scopes.js';

export const NOW = new Date('2026-11-20T12:00:00Z');
export const SHOP = 'acme-test.myshopify.com';

// Results are checked field by field in tests; a loose type keeps those assertions readable.
// biome-ignore lint/suspicious/noExplicitAny: test-only JSON access
type Json = any;

/**
 * A seeded store and a function running GraphQL against it in-process (the served schema).
 * Bulk operations finish at once unless `bulk` asks for Shopify-like timing.
 */
export function setup(opts: { orders?: number; seed?: number; bulk?: Partial<BulkTiming> } = {}) {
  const data: SandboxData = createSandboxData({
    orders: opts.orders ?? 200,
    seed: opts.seed ?? 7,
    now: NOW,
    shop: SHOP,
    bulk: { ...INSTANT_BULK_TIMING, ...opts.bulk },
  });
  data.setNow(NOW);
  const schema = attachResolvers(buildSandboxSchema(), createResolvers(data));
  const run = async (
    source: string,
    variableValues: Record<string, unknown> = {},
    ctx: Partial<SandboxRequestContext> = {},
    operationName?: string,
  ): Promise<ExecutionResult & { data?: Json }> => {
    const contextValue: SandboxRequestContext = {
      shop: SHOP,
      scopes: new Set(ALL_SANDBOX_SCOPES),
      now: NOW,
      origin: 'http://127.0.0.1:9',
      requestId: 'test',
      apiVersion: '2026-10',
      accessToken: 'shpat_test',
      ...ctx,
    };
    return graphql({ schema, source, variableValues, contextValue, operationName }) as Promise<
      ExecutionResult & { data?: Json }
    >;
  };
  return { data, schema, run };
}

/** Scopes without one entry (and its write twin). */
export function scopesWithout(...drop: string[]): Set<string> {
  const out = new Set(ALL_SANDBOX_SCOPES);
  for (const d of drop) {
    out.delete(d);
    out.delete(d.replace(/^read_/, 'write_'));
  }
  return out;
}
