import { randomUUID } from 'node:crypto';
import { type Dispatcher, request as undiciRequest } from 'undici';
import type { Clock } from '../core/clock.js';
import { InterruptedError } from '../core/errors.js';
import { redactHeaders, redactString, redactValue } from '../core/redact.js';
import { VERSION } from '../version.js';
import { type Envelope, parseEnvelope, requiredScopes } from './envelope.js';
import {
  ForbiddenError,
  MissingScopeError,
  QueryCostExceededError,
  type ShopifyApiError,
  ShopifyGraphQLError,
  ShopifyUnavailableError,
  ShopNotFoundError,
  StoreUnavailableError,
  ThrottleExhaustedError,
  TokenInvalidError,
  UnexpectedResponseError,
} from './errors.js';
import { declaresIdempotencyKey } from './operation.js';
import { paginateConnection } from './paginate.js';
import { backoffDelayMs, classifyNetworkError, type NetworkFailure } from './retry.js';
import { ThrottleGate, requestUnits, retryAfterMs, throttledDelayMs } from './throttle.js';
import type {
  AdminClient,
  Connection,
  GraphQLResult,
  Operation,
  RequestOptions,
  ThrottleStatus,
  TokenProvider,
} from './types.js';

export interface AdminClientOptions {
  shop: string;
  /** `https://{shop}`, or the sandbox's loopback origin. */
  origin: string;
  apiVersion: string;
  dispatcher: Dispatcher;
  clock: Clock;
  tokens: TokenProvider;
  /** --debug lines, already redacted. */
  log?: (line: string) => void;
  signal?: AbortSignal;
  userAgent?: string;
  /** Retries of transient failures (5xx, resets, timeouts). Default 4. */
  maxRetries?: number;
  /** How many THROTTLED/429 answers one request may wait out. Default 10. */
  maxThrottleWaits?: number;
  /** Randomness for backoff jitter, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Makes idempotency keys for mutations declaring `$idempotencyKey`. Default crypto.randomUUID. */
  newIdempotencyKey?: () => string;
  /**
   * Told before each wait: pacing under the rate limit, a THROTTLED/429 answer, or a retry after
   * a transient failure (progress lines say what the run is waiting for).
   */
  onWait?: (wait: { ms: number; reason: 'rate_limit' | 'retry' }) => void;
}

/** What a client knows about the store's API budget (for `doctor` and progress lines). */
export interface AdminClientWithStatus extends AdminClient {
  readonly throttleStatus: ThrottleStatus | undefined;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  requestId: string | undefined;
}

const DEFAULT_MAX_RETRIES = 4;
const DEFAULT_MAX_THROTTLE_WAITS = 10;

/**
 * The Admin GraphQL client: undici transport, pacing against the cost bucket, THROTTLED and 429
 * waits, bounded retries with backoff and jitter, and typed failures carrying Shopify's request id.
 */
export function createAdminClient(options: AdminClientOptions): AdminClientWithStatus {
  const endpoint = `${options.origin.replace(/\/+$/, '')}/admin/api/${options.apiVersion}/graphql.json`;
  const gate = new ThrottleGate(options.clock);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxThrottleWaits = options.maxThrottleWaits ?? DEFAULT_MAX_THROTTLE_WAITS;
  const random = options.random ?? Math.random;
  const newKey = options.newIdempotencyKey ?? randomUUID;
  const userAgent = options.userAgent ?? `dsync/${VERSION}`;
  const knownSecrets: string[] = [];
  const now = () => options.clock.now().getTime();

  const log = (line: string) => {
    if (options.log) options.log(redactString(line, knownSecrets));
  };

  async function send(
    operation: Operation<unknown, unknown>,
    variables: unknown,
    token: string,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = {
      'x-shopify-access-token': token,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': userAgent,
    };
    if (options.log) {
      log(
        `http → POST ${endpoint} ${operation.name} attempt ${attempt} headers ${JSON.stringify(redactHeaders(headers))} variables ${truncate(JSON.stringify(redactValue(variables ?? {}, knownSecrets)), 400)}`,
      );
    }
    const started = now();
    const response = await undiciRequest(endpoint, {
      method: 'POST',
      dispatcher: options.dispatcher,
      headers,
      body: JSON.stringify({
        query: operation.document,
        variables: variables ?? {},
        operationName: operation.name,
      }),
      signal,
    });
    const text = await response.body.text();
    const requestId = header(response.headers, 'x-request-id');
    if (options.log) {
      const envelope = response.statusCode === 200 ? parseEnvelope(text) : undefined;
      log(
        `http ← ${response.statusCode} ${operation.name} ${now() - started}ms ${describeCost(envelope)}request-id ${requestId ?? '-'}`,
      );
      const served = header(response.headers, 'x-shopify-api-version');
      if (served && served !== options.apiVersion) {
        log(
          `http ! ${options.shop} served Admin API ${served}, not the requested ${options.apiVersion} (unsupported versions fall forward)`,
        );
      }
      if (response.statusCode !== 200 || (envelope && envelope.errors.length > 0)) {
        log(`http ← body ${truncate(redactString(text, knownSecrets), 600)}`);
      }
    }
    return { status: response.statusCode, headers: response.headers, text, requestId };
  }

  async function request<TData, TVariables>(
    operation: Operation<TData, TVariables>,
    variables?: TVariables,
    requestOptions: RequestOptions = {},
  ): Promise<GraphQLResult<TData>> {
    const op = operation as Operation<unknown, unknown>;
    const signal = combineSignals(options.signal, requestOptions.signal);
    let idempotencyKey = requestOptions.idempotencyKey;
    let vars: unknown = variables ?? {};
    if (op.kind === 'mutation' && declaresIdempotencyKey(op)) {
      // The same key on every attempt: Shopify applies the mutation at most once.
      idempotencyKey ??= newKey();
      vars = { ...(vars as Record<string, unknown>), idempotencyKey };
    }
    const retryable = op.kind === 'query' || idempotencyKey !== undefined;

    let token = await options.tokens.getToken();
    remember(token);
    let refreshed = false;
    let attempts = 0;
    let transientRetries = 0;
    let throttleWaits = 0;

    const waitFor = async (ms: number, why: string, reason: 'rate_limit' | 'retry' = 'retry') => {
      log(`http … waiting ${ms}ms before retrying ${op.name}: ${why}`);
      options.onWait?.({ ms, reason });
      await sleep(ms, signal);
    };

    /** Retries a transient failure, or throws the final error. */
    const retryTransient = async (
      reason: string,
      opts: {
        requestId?: string;
        status?: number;
        notSent?: boolean;
        cause?: unknown;
        retryAfter?: number;
        hint?: string;
      },
    ) => {
      const mayRetry = retryable || opts.notSent === true;
      if (!mayRetry || transientRetries >= maxRetries) {
        throw new ShopifyUnavailableError(op.name, reason, {
          requestId: opts.requestId,
          status: opts.status,
          attempts,
          retryable: mayRetry,
          cause: opts.cause,
          hint: opts.hint,
        });
      }
      transientRetries++;
      const delay = opts.retryAfter ?? backoffDelayMs(transientRetries, random);
      await waitFor(delay, `${reason} (retry ${transientRetries} of ${maxRetries})`);
    };

    for (;;) {
      throwIfAborted(signal);
      const slot = await gate
        .acquire(op.name, signal, requestUnits(vars), (ms) => options.onWait?.({ ms, reason: 'rate_limit' }))
        .catch((error: unknown) => {
          throw toInterrupted(error, signal);
        });
      if (slot.waited > 0)
        log(`http … paced ${op.name} by ${slot.waited}ms to stay under the API rate limit`);
      attempts++;
      let raw: RawResponse;
      try {
        raw = await send(op, vars, token, attempts, signal);
      } catch (error) {
        slot.release();
        if (signal?.aborted) throw new InterruptedError();
        const failure: NetworkFailure | undefined = classifyNetworkError(error);
        if (!failure) throw error;
        log(`http ✗ ${op.name}: ${failure.reason} (${failure.code})`);
        if (!failure.transient) {
          throw new ShopifyUnavailableError(op.name, `${failure.reason} for ${options.origin}`, {
            attempts,
            retryable: true,
            cause: error,
            hint: `check the store name (--store ${options.shop}) and your network connection`,
          });
        }
        await retryTransient(`${failure.reason} (${options.origin})`, {
          notSent: failure.notSent,
          cause: error,
          hint:
            failure.code === 'ECONNREFUSED' && isLoopback(options.origin)
              ? `nothing answers at ${options.origin}: start it with \`dsync sandbox\`, or unset DSYNC_API_ORIGIN`
              : undefined,
        });
        continue;
      }

      const { status, requestId } = raw;
      const envelope = parseEnvelope(raw.text);
      if (envelope?.cost) {
        gate.observe(
          op.name,
          envelope.cost.requestedQueryCost,
          envelope.cost.throttleStatus,
          requestUnits(vars),
        );
      }
      // Released only now, so the next pacing decision sees this response's bucket status.
      slot.release();

      if (status === 401) {
        if (!refreshed && options.tokens.refreshAfterUnauthorized) {
          refreshed = true;
          log(`http … ${op.name}: 401 Unauthorized, refreshing the access token once`);
          const fresh = await options.tokens.refreshAfterUnauthorized();
          if (fresh !== undefined && fresh !== '') {
            token = fresh;
            remember(token);
            continue;
          }
        }
        throw new TokenInvalidError(options.shop, requestId);
      }
      if (status === 402 || status === 423) throw new StoreUnavailableError(options.shop, status, requestId);
      if (status === 403) throw new ForbiddenError(options.shop, op.name, requestId);
      if (status === 404) throw new ShopNotFoundError(options.shop, options.apiVersion, requestId);
      if (status === 429) {
        throttleWaits = checkThrottleBudget(throttleWaits, op.name, requestId);
        const wait =
          retryAfterMs(header(raw.headers, 'retry-after'), now()) ??
          throttledDelayMs(
            envelope?.cost?.requestedQueryCost ?? gate.estimate(op.name, requestUnits(vars)),
            envelope?.cost?.throttleStatus,
          );
        await waitFor(
          wait,
          `429 Too Many Requests (wait ${throttleWaits} of ${maxThrottleWaits})`,
          'rate_limit',
        );
        continue;
      }
      if (status >= 500) {
        await retryTransient(`Shopify answered HTTP ${status}`, {
          requestId,
          status,
          retryAfter: status === 503 ? retryAfterMs(header(raw.headers, 'retry-after'), now()) : undefined,
        });
        continue;
      }
      if (status !== 200) {
        throw new UnexpectedResponseError(op.name, `HTTP ${status}${firstMessage(envelope)}`, {
          requestId,
          status,
        });
      }
      if (!envelope) {
        throw new UnexpectedResponseError(op.name, 'the body is not a GraphQL JSON response', {
          requestId,
          status,
        });
      }

      if (envelope.errors.length > 0) {
        if (envelope.errors.some((error) => error.code === 'THROTTLED')) {
          throttleWaits = checkThrottleBudget(throttleWaits, op.name, requestId);
          const wait = throttledDelayMs(
            envelope.cost?.requestedQueryCost ?? gate.estimate(op.name, requestUnits(vars)),
            envelope.cost?.throttleStatus ?? gate.status?.status,
          );
          await waitFor(wait, `THROTTLED (wait ${throttleWaits} of ${maxThrottleWaits})`, 'rate_limit');
          continue;
        }
        const internal = envelope.errors.find((error) => error.code === 'INTERNAL_SERVER_ERROR');
        if (internal) {
          await retryTransient(`Shopify reported an internal error (${truncate(internal.message, 120)})`, {
            requestId,
            status,
          });
          continue;
        }
        throw graphQLFailure(op.name, envelope, requestId);
      }
      if (envelope.data === undefined || envelope.data === null) {
        throw new UnexpectedResponseError(op.name, 'no data in the response', { requestId, status });
      }
      return { data: parseData(operation, envelope.data, requestId), cost: envelope.cost, requestId };
    }

    function checkThrottleBudget(waits: number, name: string, requestId: string | undefined): number {
      if (waits >= maxThrottleWaits) throw new ThrottleExhaustedError(name, waits, requestId);
      return waits + 1;
    }
  }

  function graphQLFailure(
    name: string,
    envelope: Envelope,
    requestId: string | undefined,
  ): ShopifyApiError | MissingScopeError {
    const denied = envelope.errors.find((error) => error.code === 'ACCESS_DENIED');
    if (denied) {
      return new MissingScopeError(
        options.shop,
        name,
        requiredScopes(denied),
        requestId,
        redactString(denied.message, knownSecrets),
      );
    }
    const tooCostly = envelope.errors.find((error) => error.code === 'MAX_COST_EXCEEDED');
    if (tooCostly) return new QueryCostExceededError(name, tooCostly.message, requestId);
    return new ShopifyGraphQLError(
      name,
      envelope.errors.map((error) => redactString(error.message, knownSecrets)),
      requestId,
      envelope.errors.flatMap((error) => (error.code ? [error.code] : [])),
    );
  }

  function remember(token: string) {
    if (token.length >= 4 && !knownSecrets.includes(token)) knownSecrets.push(token);
  }

  function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return options.clock.sleep(ms, signal).catch((error: unknown) => {
      throw toInterrupted(error, signal);
    });
  }

  const client: AdminClientWithStatus = {
    shop: options.shop,
    apiVersion: options.apiVersion,
    get throttleStatus() {
      return gate.status?.status;
    },
    request,
    paginate<TData, TVariables extends { after?: string | null }, TNode>(
      operation: Operation<TData, TVariables>,
      variables: Omit<TVariables, 'after'>,
      connection: (data: TData) => Connection<TNode>,
      requestOptions?: RequestOptions,
    ): AsyncIterable<TNode> {
      return paginateConnection(
        (after) => request(operation, { ...variables, after } as TVariables, requestOptions),
        connection,
        operation.name,
      );
    },
  };
  return client;
}

function parseData<TData>(
  operation: Operation<TData, unknown>,
  data: unknown,
  requestId: string | undefined,
): TData {
  if (!operation.parse) return data as TData;
  try {
    return operation.parse(data);
  } catch (error) {
    const issue = (error as { issues?: { path?: PropertyKey[]; message?: string }[] }).issues?.[0];
    const reason = issue
      ? `${issue.path?.map(String).join('.') || '(root)'}: ${issue.message ?? 'invalid'}`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new UnexpectedResponseError(
      operation.name,
      `the data does not match what dsync expects (${reason})`,
      {
        requestId,
      },
    );
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function firstMessage(envelope: Envelope | undefined): string {
  const first = envelope?.errors[0]?.message;
  return first ? `: ${truncate(first, 200)}` : '';
}

function describeCost(envelope: Envelope | undefined): string {
  const cost = envelope?.cost;
  if (!cost) return '';
  const t = cost.throttleStatus;
  return `cost ${cost.requestedQueryCost}/${cost.actualQueryCost ?? '-'} throttle ${t.currentlyAvailable}/${t.maximumAvailable} +${t.restoreRate}/s `;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}

function isLoopback(origin: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

function toInterrupted(error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof InterruptedError) return error;
  if (signal?.aborted) return new InterruptedError();
  return error;
}
