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

/** What one request() call carries from attempt to attempt. */
interface Call {
  op: Operation<unknown, unknown>;
  vars: unknown;
  signal: AbortSignal | undefined;
  /** Whether resending is safe: a query, or a mutation carrying an idempotency key. */
  retryable: boolean;
  token: string;
  refreshed: boolean;
  attempts: number;
  transientRetries: number;
  throttleWaits: number;
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

  /**
   * One request, attempt after attempt until Shopify answers with data or the failure is final:
   * pace under the bucket, send, then let each kind of answer decide between waiting and retrying
   * or throwing its typed error.
   */
  async function request<TData, TVariables>(
    operation: Operation<TData, TVariables>,
    variables?: TVariables,
    requestOptions: RequestOptions = {},
  ): Promise<GraphQLResult<TData>> {
    const call = await startCall(operation as Operation<unknown, unknown>, variables, requestOptions);
    for (;;) {
      throwIfAborted(call.signal);
      const sent = await sendPaced(call);
      if (sent.kind === 'failed') {
        await afterNetworkFailure(call, sent.error);
        continue;
      }
      const { raw, envelope } = sent;
      if ((await afterHttpStatus(call, raw, envelope)) === 'retry') continue;
      const body = graphQLBody(call, raw, envelope);
      if ((await afterGraphQLErrors(call, raw, body)) === 'retry') continue;
      return resultOf(operation, raw, body);
    }
  }

  /** The variables to send (with the idempotency key, if the mutation declares one) and the token. */
  async function startCall(
    op: Operation<unknown, unknown>,
    variables: unknown,
    requestOptions: RequestOptions,
  ): Promise<Call> {
    let idempotencyKey = requestOptions.idempotencyKey;
    let vars: unknown = variables ?? {};
    if (op.kind === 'mutation' && declaresIdempotencyKey(op)) {
      // The same key on every attempt: Shopify applies the mutation at most once.
      idempotencyKey ??= newKey();
      vars = { ...(vars as Record<string, unknown>), idempotencyKey };
    }
    const token = await options.tokens.getToken();
    remember(token);
    return {
      op,
      vars,
      signal: combineSignals(options.signal, requestOptions.signal),
      retryable: op.kind === 'query' || idempotencyKey !== undefined,
      token,
      refreshed: false,
      attempts: 0,
      transientRetries: 0,
      throttleWaits: 0,
    };
  }

  /**
   * Waits for room in the bucket, sends one attempt and feeds the answer's cost back to the gate.
   * The slot is released only after that, so the next pacing decision sees this answer's bucket.
   */
  async function sendPaced(
    call: Call,
  ): Promise<
    | { kind: 'answered'; raw: RawResponse; envelope: Envelope | undefined }
    | { kind: 'failed'; error: unknown }
  > {
    const { op, vars, signal } = call;
    const slot = await gate
      .acquire(op.name, signal, requestUnits(vars), (ms) => options.onWait?.({ ms, reason: 'rate_limit' }))
      .catch((error: unknown) => {
        throw toInterrupted(error, signal);
      });
    if (slot.waited > 0) log(`http … paced ${op.name} by ${slot.waited}ms to stay under the API rate limit`);
    call.attempts++;
    let raw: RawResponse;
    try {
      raw = await send(op, vars, call.token, call.attempts, signal);
    } catch (error) {
      slot.release();
      return { kind: 'failed', error };
    }
    const envelope = parseEnvelope(raw.text);
    if (envelope?.cost) {
      gate.observe(
        op.name,
        envelope.cost.requestedQueryCost,
        envelope.cost.throttleStatus,
        requestUnits(vars),
      );
    }
    slot.release();
    return { kind: 'answered', raw, envelope };
  }

  /** A request that got no answer: retried when transient, else a typed failure naming the origin. */
  async function afterNetworkFailure(call: Call, error: unknown): Promise<void> {
    if (call.signal?.aborted) throw new InterruptedError();
    const failure: NetworkFailure | undefined = classifyNetworkError(error);
    if (!failure) throw error;
    log(`http ✗ ${call.op.name}: ${failure.reason} (${failure.code})`);
    if (!failure.transient) {
      throw new ShopifyUnavailableError(call.op.name, `${failure.reason} for ${options.origin}`, {
        attempts: call.attempts,
        retryable: true,
        cause: error,
        hint: `check the store name (--store ${options.shop}) and your network connection`,
      });
    }
    await retryTransient(call, `${failure.reason} (${options.origin})`, {
      notSent: failure.notSent,
      cause: error,
      hint:
        failure.code === 'ECONNREFUSED' && isLoopback(options.origin)
          ? `nothing answers at ${options.origin}: start it with \`dsync sandbox\`, or unset DSYNC_API_ORIGIN`
          : undefined,
    });
  }

  /**
   * Any HTTP status but 200: 401 refreshes the token once, 429 and 5xx wait and retry, the rest
   * throw their typed error. Returns undefined for a 200, whose body is read next.
   */
  async function afterHttpStatus(
    call: Call,
    raw: RawResponse,
    envelope: Envelope | undefined,
  ): Promise<'retry' | undefined> {
    const { op } = call;
    const { status, requestId } = raw;
    if (status === 401) {
      if (await refreshTokenOnce(call)) return 'retry';
      throw new TokenInvalidError(options.shop, requestId, options.tokens.renewHint);
    }
    if (status === 402 || status === 423) throw new StoreUnavailableError(options.shop, status, requestId);
    if (status === 403) throw new ForbiddenError(options.shop, op.name, requestId);
    if (status === 404) throw new ShopNotFoundError(options.shop, options.apiVersion, requestId);
    if (status === 429) {
      countThrottleWait(call, requestId);
      const wait =
        retryAfterMs(header(raw.headers, 'retry-after'), now()) ??
        throttledDelayMs(
          envelope?.cost?.requestedQueryCost ?? gate.estimate(op.name, requestUnits(call.vars)),
          envelope?.cost?.throttleStatus,
        );
      await waitFor(
        call,
        wait,
        `429 Too Many Requests (wait ${call.throttleWaits} of ${maxThrottleWaits})`,
        'rate_limit',
      );
      return 'retry';
    }
    if (status >= 500) {
      await retryTransient(call, `Shopify answered HTTP ${status}`, {
        requestId,
        status,
        retryAfter: status === 503 ? retryAfterMs(header(raw.headers, 'retry-after'), now()) : undefined,
      });
      return 'retry';
    }
    if (status !== 200) {
      throw new UnexpectedResponseError(op.name, `HTTP ${status}${firstMessage(envelope)}`, {
        requestId,
        status,
      });
    }
    return undefined;
  }

  /** A 200's body as a GraphQL envelope, or the typed failure when it is not one. */
  function graphQLBody(call: Call, raw: RawResponse, envelope: Envelope | undefined): Envelope {
    if (envelope) return envelope;
    throw new UnexpectedResponseError(call.op.name, 'the body is not a GraphQL JSON response', {
      requestId: raw.requestId,
      status: raw.status,
    });
  }

  /** A fresh token after a 401, at most once per request, when the token provider can refresh. */
  async function refreshTokenOnce(call: Call): Promise<boolean> {
    if (call.refreshed || !options.tokens.refreshAfterUnauthorized) return false;
    call.refreshed = true;
    log(`http … ${call.op.name}: 401 Unauthorized, refreshing the access token once`);
    const fresh = await options.tokens.refreshAfterUnauthorized();
    if (fresh === undefined || fresh === '') return false;
    call.token = fresh;
    remember(fresh);
    return true;
  }

  /**
   * GraphQL errors in a 200: THROTTLED waits for the bucket, INTERNAL_SERVER_ERROR is retried as
   * transient, anything else throws. Returns undefined when there are none.
   */
  async function afterGraphQLErrors(
    call: Call,
    raw: RawResponse,
    envelope: Envelope,
  ): Promise<'retry' | undefined> {
    if (envelope.errors.length === 0) return undefined;
    const { op } = call;
    const { status, requestId } = raw;
    if (envelope.errors.some((error) => error.code === 'THROTTLED')) {
      countThrottleWait(call, requestId);
      const wait = throttledDelayMs(
        envelope.cost?.requestedQueryCost ?? gate.estimate(op.name, requestUnits(call.vars)),
        envelope.cost?.throttleStatus ?? gate.status?.status,
      );
      await waitFor(
        call,
        wait,
        `THROTTLED (wait ${call.throttleWaits} of ${maxThrottleWaits})`,
        'rate_limit',
      );
      return 'retry';
    }
    const internal = envelope.errors.find((error) => error.code === 'INTERNAL_SERVER_ERROR');
    if (internal) {
      await retryTransient(call, `Shopify reported an internal error (${truncate(internal.message, 120)})`, {
        requestId,
        status,
      });
      return 'retry';
    }
    throw graphQLFailure(op.name, envelope, requestId);
  }

  async function waitFor(
    call: Call,
    ms: number,
    why: string,
    reason: 'rate_limit' | 'retry' = 'retry',
  ): Promise<void> {
    log(`http … waiting ${ms}ms before retrying ${call.op.name}: ${why}`);
    options.onWait?.({ ms, reason });
    await sleep(ms, call.signal);
  }

  /** Waits before retrying a transient failure, or throws the final error once retries are spent. */
  async function retryTransient(
    call: Call,
    reason: string,
    opts: {
      requestId?: string;
      status?: number;
      notSent?: boolean;
      cause?: unknown;
      retryAfter?: number;
      hint?: string;
    },
  ): Promise<void> {
    // A mutation without an idempotency key is resent only when it certainly never left.
    const mayRetry = call.retryable || opts.notSent === true;
    if (!mayRetry || call.transientRetries >= maxRetries) {
      throw new ShopifyUnavailableError(call.op.name, reason, {
        requestId: opts.requestId,
        status: opts.status,
        attempts: call.attempts,
        retryable: mayRetry,
        cause: opts.cause,
        hint: opts.hint,
      });
    }
    call.transientRetries++;
    const delay = opts.retryAfter ?? backoffDelayMs(call.transientRetries, random);
    await waitFor(call, delay, `${reason} (retry ${call.transientRetries} of ${maxRetries})`);
  }

  /** Counts one THROTTLED/429 wait, or throws once the request has waited out its share. */
  function countThrottleWait(call: Call, requestId: string | undefined): void {
    if (call.throttleWaits >= maxThrottleWaits)
      throw new ThrottleExhaustedError(call.op.name, call.throttleWaits, requestId);
    call.throttleWaits++;
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

/** The data of an answer without errors, checked against the operation's schema. */
function resultOf<TData>(
  operation: Operation<TData, unknown>,
  raw: RawResponse,
  envelope: Envelope,
): GraphQLResult<TData> {
  if (envelope.data === undefined || envelope.data === null) {
    throw new UnexpectedResponseError(operation.name, 'no data in the response', {
      requestId: raw.requestId,
      status: raw.status,
    });
  }
  return {
    data: parseData(operation, envelope.data, raw.requestId),
    cost: envelope.cost,
    requestId: raw.requestId,
  };
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
