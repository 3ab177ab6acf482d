import {
  buildSchema,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  isScalarType,
} from 'graphql';
import type { ResolverMap } from '../context.js';
import { ADMIN_SDL } from '../schema/admin-sdl.js';
import { SHOPIFY_SCALARS } from './scalars.js';

/**
 * The sandbox's executable schema: the derived 2026-10 SDL with Shopify's scalars. Built fresh
 * for each sandbox, because resolvers are attached to the schema's field objects.
 */
export function buildSandboxSchema(sdl: string = ADMIN_SDL): GraphQLSchema {
  const schema = buildSchema(sdl);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || type.name.startsWith('__')) continue;
    const impl = SHOPIFY_SCALARS[type.name];
    if (!impl) continue;
    type.serialize = impl.serialize;
    type.parseValue = impl.parseValue;
    type.parseLiteral = impl.parseLiteral;
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type) && !type.resolveType) type.resolveType = defaultResolveType;
  }
  return schema;
}

/**
 * An abstract type's runtime type: the value's `__typename`, else the type in its Shopify gid
 * (`gid://shopify/Order/1` → `Order`).
 */
function defaultResolveType(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.__typename === 'string') return record.__typename;
  if (typeof record.id === 'string') {
    const match = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(record.id);
    if (match) return match[1];
  }
  return undefined;
}

export class ResolverMapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolverMapError';
  }
}

/**
 * Attaches a `{ Type: { field: resolve } }` map to the schema. `__resolveType` on an interface
 * or union and `__isTypeOf` on an object are honoured. A resolver for a type or field the schema
 * lacks is an error naming the fix (add it to served.graphql and rerun `npm run schema:derive`).
 */
export function attachResolvers(schema: GraphQLSchema, map: ResolverMap): GraphQLSchema {
  const problems: string[] = [];
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName);
    if (!type) {
      problems.push(`type ${typeName}`);
      continue;
    }
    for (const [fieldName, resolve] of Object.entries(fields)) {
      if (fieldName === '__resolveType' && isAbstractType(type)) {
        type.resolveType = resolve as unknown as typeof type.resolveType;
        continue;
      }
      if (fieldName === '__isTypeOf' && isObjectType(type)) {
        type.isTypeOf = resolve as unknown as typeof type.isTypeOf;
        continue;
      }
      if (!isObjectType(type) && !isInterfaceType(type)) {
        problems.push(`${typeName}.${fieldName} (${typeName} has no fields)`);
        continue;
      }
      const field = type.getFields()[fieldName];
      if (!field) {
        problems.push(`${typeName}.${fieldName}`);
        continue;
      }
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  if (problems.length > 0) {
    throw new ResolverMapError(
      `resolvers given for what the sandbox schema lacks: ${problems.join(', ')}. ` +
        'Select them in src/sandbox/schema/served.graphql and run `npm run schema:derive`.',
    );
  }
  return schema;
}
