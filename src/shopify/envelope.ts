import { z } from 'zod';
import type { QueryCost } from './types.js';

/** The GraphQL response envelope, validated before anything reads it. */
const GraphQLErrorSchema = z.object({
  message: z.string().catch('(no message)'),
  extensions: z
    .object({
      code: z.string().optional().catch(undefined),
      requiredAccess: z.string().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const ThrottleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});

const CostSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: ThrottleStatusSchema,
});

const EnvelopeSchema = z.object({
  data: z.unknown().optional(),
  // Shopify answers some failures (401, 404) with `errors` as a plain string or object.
  errors: z.union([z.array(GraphQLErrorSchema), z.string(), z.record(z.string(), z.unknown())]).optional(),
  extensions: z.object({ cost: z.unknown().optional() }).optional().catch(undefined),
});

export interface GraphQLErrorItem {
  message: string;
  code: string | undefined;
  requiredAccess: string | undefined;
}

export interface Envelope {
  data: unknown;
  errors: GraphQLErrorItem[];
  cost: QueryCost | undefined;
}

/** Parses a response body; undefined when it is not a GraphQL envelope at all. */
export function parseEnvelope(text: string): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = EnvelopeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { data, errors, extensions } = parsed.data;
  const cost = CostSchema.safeParse(extensions?.cost);
  return {
    data,
    errors: normalizeErrors(errors),
    cost: cost.success
      ? {
          requestedQueryCost: cost.data.requestedQueryCost,
          actualQueryCost: cost.data.actualQueryCost ?? null,
          throttleStatus: cost.data.throttleStatus,
        }
      : undefined,
  };
}

function normalizeErrors(errors: z.infer<typeof EnvelopeSchema>['errors']): GraphQLErrorItem[] {
  if (errors === undefined) return [];
  if (typeof errors === 'string') return [{ message: errors, code: undefined, requiredAccess: undefined }];
  if (!Array.isArray(errors)) {
    return Object.entries(errors).map(([key, value]) => ({
      message: `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
      code: undefined,
      requiredAccess: undefined,
    }));
  }
  return errors.map((error) => ({
    message: error.message,
    code: error.extensions?.code,
    requiredAccess: error.extensions?.requiredAccess,
  }));
}

const SCOPE_PATTERN = /\b((?:unauthenticated_)?(?:read|write)_[a-z_]+)\b/g;

/** Scopes named by an ACCESS_DENIED error (`requiredAccess`, else the message), de-duplicated. */
export function requiredScopes(error: GraphQLErrorItem): string[] {
  const found = new Set<string>();
  for (const text of [error.requiredAccess, error.message]) {
    if (!text) continue;
    for (const match of text.matchAll(SCOPE_PATTERN)) if (match[1]) found.add(match[1]);
    if (found.size > 0) break;
  }
  return [...found];
}
