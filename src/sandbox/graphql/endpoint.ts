import {
  type DocumentNode,
  execute,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  parse,
  validate,
} from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import {
  actualQueryCost,
  checkPageSizes,
  MAX_PAGE_SIZE,
  MAX_QUERY_COST,
  requestedQueryCost,
} from './cost.js';
import {
  type CostExtension,
  formatError,
  INVALID_TOKEN_BODY,
  inputTooLargeError,
  MISSING_QUERY_BODY,
  maxCostExceededError,
  NOT_FOUND_BODY,
  pageSizeMissingError,
  pageSizeTooLargeError,
  statusBody,
  throttledError,
} from './errors.js';
import type { DrawnFault, FaultPlan, FaultTicket, RequestShape } from './faults.js';
import type { Throttle } from './throttle.js';
import { resolveApiVersion } from './versions.js';

/** What the endpoint needs to know about an access token. */
export type TokenCheck =
  | { ok: true; scopes: ReadonlySet<string>; clientId: string }
  | { ok: false; reason: string };

export interface GraphQLEndpointOptions {
  schema: GraphQLSchema;
  shop: string;
  lookupToken(accessToken: string): TokenCheck;
  throttle: Throttle;
  faults?: FaultPlan;
  /** The sandbox clock (handed to resolvers). */
  now: () => Date;
  origin: () => string;
  maxQueryCost?: number;
  /** Called with errors resolvers threw that were not GraphQLErrors (bugs). */
  onInternalError?: (error: Error, requestId: string) => void;
  /** A `revoke` fault: every token of this app is revoked. */
  revokeClient?: (clientId: string) => void;
  /** A bulk fault for the bulk query this request is about to start. */
  onBulkFault?: (fault: { kind: 'bulk-failed'; objects: number } | { kind: 'bulk-stuck' }) => void;
  /** Waits for `slow` faults (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
}

export interface GraphQLRequest {
  /** The `{version}` path segment. */
  version: string;
  accessToken: string | undefined;
  contentType: string | undefined;
  body: string;
  requestId: string;
}

export type GraphQLAnswer =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'reset' };

const NO_SHAPE: RequestShape = { mutation: false, bulkQuery: false };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function respond(status: number, body: unknown, headers: Record<string, string> = {}): GraphQLAnswer {
  return { kind: 'response', status, headers: { ...JSON_HEADERS, ...headers }, body };
}

interface ParsedBody {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

function parseBody(contentType: string | undefined, body: string): ParsedBody | 'invalid_json' | 'missing' {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/graphql') {
    return body.trim() === '' ? 'missing' : { query: body, variables: {}, operationName: undefined };
  }
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return 'invalid_json';
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return 'missing';
  const record = json as Record<string, unknown>;
  if (typeof record.query !== 'string' || record.query.trim() === '') return 'missing';
  let rawVariables = record.variables;
  if (typeof rawVariables === 'string' && rawVariables.trim() !== '') {
    // Some clients send the variables as a JSON string.
    try {
      rawVariables = JSON.parse(rawVariables);
    } catch {
      return 'invalid_json';
    }
  }
  const variables =
    rawVariables !== null && typeof rawVariables === 'object' && !Array.isArray(rawVariables)
      ? (rawVariables as Record<string, unknown>)
      : {};
  return {
    query: record.query,
    variables,
    operationName: typeof record.operationName === 'string' ? record.operationName : undefined,
  };
}

/**
 * `POST /admin/api/{version}/graphql.json`, as Shopify answers it: token check, version
 * resolution, parse and validation errors, page-size and cost limits, the per-token leaky bucket,
 * execution, and `extensions.cost` on every GraphQL response.
 */
export class GraphQLEndpoint {
  private readonly maxCost: number;

  constructor(private readonly options: GraphQLEndpointOptions) {
    this.maxCost = options.maxQueryCost ?? MAX_QUERY_COST;
  }

  /** Replaces the fault plan (undefined: no faults from now on). */
  setFaults(plan: FaultPlan | undefined): void {
    this.options.faults = plan;
  }

  /** This request's place in the fault plan, if there is one (call once per request). */
  nextFault(): FaultTicket | undefined {
    return this.options.faults?.ticket();
  }

  private sleep(ms: number): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async handle(request: GraphQLRequest, ticket?: FaultTicket): Promise<GraphQLAnswer> {
    const { options } = this;
    const version = resolveApiVersion(request.version, options.now());
    if (version === undefined) return respond(404, NOT_FOUND_BODY);
    const versionHeader = { 'x-shopify-api-version': version };
    const failWith = (fault: DrawnFault): GraphQLAnswer | undefined => {
      if (fault.kind === 'reset' || fault.kind === 'applied-reset') return { kind: 'reset' };
      if (fault.kind === 'status' || fault.kind === 'applied-status') {
        const headers: Record<string, string> = { ...versionHeader };
        if (fault.kind === 'status' && fault.retryAfterSeconds !== undefined)
          headers['retry-after'] = fault.retryAfterSeconds.toFixed(1);
        return respond(fault.status, statusBody(fault.status), headers);
      }
      return undefined;
    };

    // A rule naming this request applies whatever the request is; the mix is drawn once its
    // shape (query or mutation) is known.
    const fixed = ticket?.rule && options.faults ? options.faults.resolve(ticket, NO_SHAPE) : undefined;
    let fault: DrawnFault | undefined = fixed === 'revoke' ? undefined : fixed;
    if (fault?.kind === 'slow') await this.sleep(fault.delayMs);
    const early = fault && fault.kind !== 'applied-reset' ? failWith(fault) : undefined;
    if (early) return early;

    const token = request.accessToken?.trim();
    if (fixed === 'revoke' && token) {
      const owner = options.lookupToken(token);
      if (owner.ok) options.revokeClient?.(owner.clientId);
    }
    const check = token ? options.lookupToken(token) : undefined;
    if (!token || !check?.ok) return respond(401, INVALID_TOKEN_BODY, versionHeader);

    const parsed = parseBody(request.contentType, request.body);
    if (parsed === 'invalid_json') {
      return respond(400, { errors: 'Invalid JSON in request body' }, versionHeader);
    }
    if (parsed === 'missing') return respond(400, MISSING_QUERY_BODY, versionHeader);

    const bucket = options.throttle.bucket(token);
    const costOf = (requested: number, actual: number | null): CostExtension => ({
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: bucket.status(options.throttle.now()),
    });
    const graphqlErrors = (errors: GraphQLFormattedError[], requested = 0, actual: number | null = 0) =>
      respond(200, { errors, extensions: { cost: costOf(requested, actual) } }, versionHeader);

    const throttled = () => graphqlErrors([throttledError()], 0, null);
    if (fault?.kind === 'throttled') return throttled();

    let document: DocumentNode;
    try {
      document = parse(parsed.query);
    } catch (error) {
      if (error instanceof GraphQLError) return graphqlErrors([formatError(error, request.requestId)]);
      throw error;
    }
    const validationErrors = validate(options.schema, document);
    if (validationErrors.length > 0) {
      return graphqlErrors(validationErrors.map((e) => formatError(e, request.requestId)));
    }
    const operation = getOperationAST(document, parsed.operationName);
    if (!operation) {
      const message = parsed.operationName
        ? `No operation named "${parsed.operationName}"`
        : 'An operation name is required';
      return graphqlErrors([{ message }]);
    }
    if (operation.operation === 'subscription') {
      return graphqlErrors([{ message: 'Subscriptions are not supported' }]);
    }
    const shape: RequestShape = {
      mutation: operation.operation === 'mutation',
      bulkQuery:
        operation.operation === 'mutation' &&
        operation.selectionSet.selections.some(
          (s) => s.kind === Kind.FIELD && s.name.value === 'bulkOperationRunQuery',
        ),
    };
    if (ticket && !ticket.rule && options.faults) {
      const drawn = options.faults.resolve(ticket, shape);
      fault = drawn === 'revoke' ? undefined : drawn;
      if (fault?.kind === 'slow') await this.sleep(fault.delayMs);
      if (fault?.kind === 'throttled') return throttled();
      const lost = fault?.kind === 'status' || fault?.kind === 'reset' ? failWith(fault) : undefined;
      if (lost) return lost;
      if (fault?.kind === 'bulk-failed') options.onBulkFault?.(fault);
    }
    if (shape.bulkQuery && options.faults) {
      const bulkFault = options.faults.nextBulk();
      if (bulkFault) options.onBulkFault?.(bulkFault);
    }
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const def of document.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
    }
    // Costs read variables as execution will (defaults applied); invalid ones fail in execution.
    const coerced = getVariableValues(options.schema, operation.variableDefinitions ?? [], parsed.variables);
    const variables = coerced.coerced ?? parsed.variables;
    const costInput = { schema: options.schema, operation, fragments, variables };

    // Limits are checked before anything is charged.
    const pageProblems = checkPageSizes(costInput);
    if (pageProblems.length > 0) {
      return graphqlErrors(
        pageProblems.map((p) => {
          const locations = p.node.loc
            ? [{ line: p.node.loc.startToken.line, column: p.node.loc.startToken.column }]
            : undefined;
          if (p.kind === 'input_too_large') {
            return inputTooLargeError({
              size: p.value ?? 0,
              max: MAX_PAGE_SIZE,
              argument: p.argument ?? '',
              path: p.path,
              ...(locations ? { locations } : {}),
            });
          }
          return p.kind === 'missing'
            ? pageSizeMissingError({ path: p.path, ...(locations ? { locations } : {}) })
            : pageSizeTooLargeError({
                field: p.field,
                argument: p.argument ?? 'first',
                value: p.value ?? 0,
                max: MAX_PAGE_SIZE,
                path: p.path,
                ...(locations ? { locations } : {}),
              });
        }),
      );
    }
    const requested = requestedQueryCost(costInput);
    if (requested > this.maxCost) {
      return graphqlErrors([maxCostExceededError(requested, this.maxCost)], requested, null);
    }
    if (!bucket.charge(requested, options.throttle.now())) {
      return graphqlErrors([throttledError()], requested, null);
    }

    const context: SandboxRequestContext = {
      shop: options.shop,
      scopes: check.scopes,
      now: options.now(),
      origin: options.origin(),
      requestId: request.requestId,
      apiVersion: version,
      accessToken: token,
      clientId: check.clientId,
    };
    let result: Awaited<ReturnType<typeof execute>>;
    try {
      result = await execute({
        schema: options.schema,
        document,
        variableValues: parsed.variables,
        operationName: parsed.operationName,
        contextValue: context,
      });
    } catch (error) {
      bucket.refund(requested, options.throttle.now());
      throw error;
    }
    const actual = result.data ? Math.min(requested, actualQueryCost(costInput, result.data)) : 0;
    bucket.refund(requested - actual, options.throttle.now());
    const body: Record<string, unknown> = {};
    if (result.errors && result.errors.length > 0) {
      body.errors = result.errors.map((e) =>
        formatError(e, request.requestId, (internal) =>
          options.onInternalError?.(internal, request.requestId),
        ),
      );
    }
    if (result.data !== undefined) body.data = result.data;
    body.extensions = { cost: costOf(requested, actual) };
    // The mutation was applied; its answer is lost on the way back.
    if (fault?.kind === 'applied-reset' || fault?.kind === 'applied-status') return failWith(fault)!;
    return respond(200, body, versionHeader);
  }
}
