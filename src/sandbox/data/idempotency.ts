import { type GraphQLResolveInfo, GraphQLError, Kind } from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import { bulkOwner } from './bulk.js';
import type { SandboxData } from './store.js';

/** The `@idempotent(key:)` key on the current mutation field, when given. */
function idempotencyKey(info: GraphQLResolveInfo): string | null {
  for (const node of info.fieldNodes) {
    for (const d of node.directives ?? []) {
      if (d.name.value !== 'idempotent') continue;
      const arg = d.arguments?.find((a) => a.name.value === 'key');
      if (!arg) return null;
      if (arg.value.kind === Kind.STRING) return arg.value.value;
      if (arg.value.kind === Kind.VARIABLE) {
        const v = info.variableValues[arg.value.name.value];
        return typeof v === 'string' ? v : null;
      }
    }
  }
  return null;
}

/**
 * Runs an inventory mutation under Shopify's `@idempotent(key:)` rules: from 2026-04 the key is
 * required; a retry with the same key and the same request gets the first answer again without
 * changing anything twice; the same key with another request is refused. Keys belong to the app.
 */
export function runIdempotent(
  data: SandboxData,
  ctx: SandboxRequestContext,
  info: GraphQLResolveInfo,
  args: Record<string, unknown>,
  run: () => unknown,
): unknown {
  const key = idempotencyKey(info);
  if (key === null && info.schema.getDirective('idempotent') && ctx.apiVersion >= '2026-04') {
    throw new GraphQLError('The @idempotent directive is required for this mutation.', {
      extensions: { code: 'BAD_REQUEST' },
    });
  }
  if (key === null) return run();
  const fingerprint = JSON.stringify([info.fieldName, args]);
  const slot = `${bulkOwner(ctx)}:${key}`;
  const previous = data.idempotency.get(slot) as { fingerprint: string; result: unknown } | undefined;
  if (previous) {
    if (previous.fingerprint !== fingerprint) {
      throw new GraphQLError('The idempotency key was already used with a different request.', {
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    return previous.result;
  }
  const result = run();
  data.idempotency.set(slot, { fingerprint, result });
  return result;
}
