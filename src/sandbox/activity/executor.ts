import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  validate,
} from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import { SCHEMA_VERSION } from '../graphql/versions.js';
import { ALL_SANDBOX_SCOPES } from '../scopes.js';
import { ACTIVITY_OPERATIONS, type ActivityOperationName } from './operations.js';

/** The merchant in the admin may do anything an app on the store may. */
const MERCHANT_SCOPES: ReadonlySet<string> = new Set(ALL_SANDBOX_SCOPES);

/** Stands in for an access token where resolvers key per-app state on one. */
export const MERCHANT_TOKEN = 'sandbox-merchant';

export interface OperationResult<T> {
  data: T | null;
  /** GraphQL errors (not userErrors): the operation did not run as asked. */
  errors: string[];
}

export interface ActivityExecutor {
  run<T>(name: ActivityOperationName, variables?: Record<string, unknown>): Promise<OperationResult<T>>;
}

export class ActivityOperationsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActivityOperationsError';
  }
}

export interface ExecutorOptions {
  schema: GraphQLSchema;
  shop: string;
  /** The store clock, stamped on each request's context. */
  now: () => Date;
  /** The sandbox's origin (for URLs resolvers hand out). */
  origin?: () => string;
  /** A resolver threw something other than a GraphQL error: a bug in the sandbox. */
  onInternalError?: (error: Error) => void;
}

/**
 * Runs the activity's operations in-process against the sandbox's own schema and resolvers, as
 * the merchant: every scope, no throttle, no HTTP. Every document is parsed and validated once,
 * here; one the schema cannot run is a bug and throws ActivityOperationsError naming it.
 */
export function createActivityExecutor(options: ExecutorOptions): ActivityExecutor {
  const documents = new Map<ActivityOperationName, DocumentNode>();
  const problems: string[] = [];
  for (const [name, source] of Object.entries(ACTIVITY_OPERATIONS) as [ActivityOperationName, string][]) {
    const document = parse(source);
    const errors = validate(options.schema, document);
    if (errors.length > 0 || !getOperationAST(document, name)) {
      problems.push(`${name}: ${errors.map((e) => e.message).join('; ') || 'no such operation'}`);
      continue;
    }
    documents.set(name, document);
  }
  if (problems.length > 0) {
    throw new ActivityOperationsError(
      `the sandbox schema cannot run the live store's operations: ${problems.join(' | ')}`,
    );
  }

  let requests = 0;
  return {
    async run<T>(name: ActivityOperationName, variables: Record<string, unknown> = {}) {
      const document = documents.get(name) as DocumentNode;
      requests++;
      const contextValue: SandboxRequestContext = {
        shop: options.shop,
        scopes: MERCHANT_SCOPES,
        now: options.now(),
        origin: options.origin?.() ?? '',
        requestId: `activity-${requests}`,
        apiVersion: SCHEMA_VERSION,
        accessToken: MERCHANT_TOKEN,
      };
      const result = await execute({
        schema: options.schema,
        document,
        operationName: name,
        variableValues: variables,
        contextValue,
      });
      for (const error of result.errors ?? []) {
        const original = error.originalError;
        if (original && !(original instanceof GraphQLError)) options.onInternalError?.(original);
      }
      return {
        data: (result.data as T | null | undefined) ?? null,
        errors: (result.errors ?? []).map((e) => e.message),
      };
    },
  };
}
