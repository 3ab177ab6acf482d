import type { Operation } from './types.js';

const OPERATION_HEADER = /^\s*(?:#[^\n]*\n\s*)*(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * Declares a named GraphQL operation. Operations live in `operations/<area>.ts`, one module per
 * area, and are never assembled from strings at the call site:
 *
 * ```ts
 * export const ShopInfo = defineOperation<ShopInfoData, Record<string, never>>('ShopInfo', 'query', /* GraphQL *\/ `
 *   query ShopInfo { shop { name } }`);
 * ```
 *
 * Pass `{ parse }` (e.g. a zod schema's `parse`) to have the client validate the response data.
 *
 * The `/* GraphQL *\/` comment before the template literal is required: the schema tooling finds
 * documents by it. The name and kind must match the document's own header; a mismatch is a bug
 * and fails as soon as the module is loaded.
 */
export function defineOperation<TData, TVariables = Record<string, unknown>>(
  name: string,
  kind: 'query' | 'mutation',
  document: string,
  options: { parse?: (data: unknown) => TData } = {},
): Operation<TData, TVariables> {
  const header = OPERATION_HEADER.exec(document);
  if (!header) {
    throw new Error(`operation ${name}: the document must start with "${kind} ${name}"`);
  }
  const [, docKind, docName] = header;
  if (docName !== name) {
    throw new Error(`operation ${name}: the document declares "${docName}", expected "${name}"`);
  }
  if (docKind !== kind) {
    throw new Error(`operation ${name}: declared as a ${kind} but the document is a ${docKind}`);
  }
  return Object.freeze(
    options.parse ? { name, kind, document, parse: options.parse } : { name, kind, document },
  );
}

/** True when the operation declares `$idempotencyKey` (for `@idempotent(key: $idempotencyKey)`). */
export function declaresIdempotencyKey(operation: Operation<unknown, unknown>): boolean {
  return /\$idempotencyKey\s*:/.test(operation.document);
}
