import type { GraphQLResolveInfo } from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import { parseGid } from './gid.js';

/**
 * Reading a mutation's input as GraphQL hands it to a resolver: loosely typed values turned into
 * plain ones, so the rules below the resolvers see records, never `unknown`.
 */

export type Args = Record<string, unknown>;
export type Input = Record<string, unknown>;
export type Resolver = (
  parent: unknown,
  args: Args,
  ctx: SandboxRequestContext,
  info: GraphQLResolveInfo,
) => unknown;

export function obj(value: unknown): Input {
  return value !== null && typeof value === 'object' ? (value as Input) : {};
}

export function list(value: unknown): Input[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A gid of `type` as its number: null when absent, -1 when given but not such an id. */
export function idOf(value: unknown, type: string): number | null {
  if (value === null || value === undefined) return null;
  return parseGid(value, type) ?? -1;
}
