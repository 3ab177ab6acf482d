import { randomUUID } from 'node:crypto';
import { type Dispatcher, request as undiciRequest } from 'undici';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { InterruptedError } from '../core/errors.js';
import { redactString } from '../core/redact.js';
import {
  analyzeBulkQuery,
  BulkFormatError,
  BulkReassembler,
  type JsonObject,
  splitLines,
} from './bulk-jsonl.js';
import { BulkOperationError, ShopifyUnavailableError, UnexpectedResponseError } from './errors.js';
import {
  BulkOperationById,
  BulkOperationCancel,
  type BulkOperationFields,
  BulkOperationRunQuery,
  type BulkOperationStatus,
} from './operations/bulk.js';
import { backoffDelayMs, classifyNetworkError } from './retry.js';
import type { AdminClient } from './types.js';

/** Downloads a bulk result file (`url` / `partialDataUrl`) as a stream of chunks. */
export type BulkResultFetcher = (
  url: string,
  signal?: AbortSignal,
) => Promise<AsyncIterable<Uint8Array | string>>;

export interface BulkStatusUpdate {
  /** `waiting`: another bulk query is in progress; `polling`: ours is running; `downloading`: reading results. */
  phase: 'starting' | 'waiting' | 'polling' | 'downloading' | 'done';
  id: string | undefined;
  status: BulkOperationStatus | undefined;
  objectCount: number;
  /** Root objects yielded so far. */
  rootsYielded: number;
}

export interface BulkQueryOptions {
  /** The bulk query (one root connection; nested connections up to two levels). */
  query: string;
  /**
   * Ask Shopify to put children directly after their parent. Default: true when the query has
   * nested connections (so results stream one root at a time), false otherwise. With false and
   * nested connections, every root is held until the end of the file.
   */
  groupObjects?: boolean;
  /** Resume this bulk operation (from a ledger) instead of starting a new one. */
  resumeId?: string;
  clock: Clock;
  /** First poll interval; grows ×1.5 up to `maxPollIntervalMs`. Default 1000. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** How long to wait for a free slot when Shopify says another bulk query is in progress. Default 30 min. */
  maxQueueWaitMs?: number;
  /** Give up on a job that has not finished after this long. Default 3 h. */
  timeoutMs?: number;
  /** Called as soon as the bulk operation's id is known, before polling: persist it to resume after a crash. */
  onStarted?: (id: string) => void | Promise<void>;
  onStatus?: (update: BulkStatusUpdate) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Randomness for the download retry jitter. */
  random?: () => number;
}

export interface BulkQuerySummary {
  id: string | undefined;
  rootsYielded: number;
  /** True when the job completed with no result file (nothing matched). */
  empty: boolean;
}

const BulkOperationSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['CREATED', 'RUNNING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED', 'EXPIRED']),
  errorCode: z.enum(['ACCESS_DENIED', 'INTERNAL_SERVER_ERROR', 'TIMEOUT']).nullable().catch(null),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  objectCount: z.union([z.string(), z.number()]).transform(String),
  rootObjectCount: z.union([z.string(), z.number()]).transform(String),
  fileSize: z
    .union([z.string(), z.number()])
    .nullable()
    .transform((v) => (v === null ? null : String(v))),
  url: z.string().nullable(),
  partialDataUrl: z.string().nullable(),
});

/** Validates a BulkOperation from a response: a status or field we do not know is refused, not guessed. */
function checked(
  value: unknown,
  operation: string,
  requestId: string | undefined,
): BulkOperationFields | null {
  if (value === null || value === undefined) return null;
  const parsed = BulkOperationSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnexpectedResponseError(
      operation,
      `bad bulk operation in the response: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      { requestId },
    );
  }
  return parsed.data;
}

const ACTIVE: ReadonlySet<BulkOperationStatus> = new Set(['CREATED', 'RUNNING', 'CANCELING']);

/**
 * Runs a bulk query and yields its root objects with their children reassembled, streaming the
 * result file line by line. Starts a new job, or resumes `resumeId`. On FAILED with partial data
 * it yields the complete roots the partial file holds and then throws a BulkOperationError
 * (`partial: true`, `objectsYielded`) so the caller can page through the rest; EXPIRED and
 * CANCELED throw BulkOperationError too.
 */
export async function* runBulkQuery(
  client: AdminClient,
  fetcher: BulkResultFetcher,
  options: BulkQueryOptions,
): AsyncGenerator<JsonObject, BulkQuerySummary, undefined> {
  const { signal } = options;
  const log = (line: string) => options.log?.(`bulk ${line}`);
  const shape = analyzeBulkQuery(options.query);
  const nested = (shape?.connections.length ?? 0) > 0;
  const grouped = options.groupObjects ?? nested;
  let rootsYielded = 0;
  const report = (phase: BulkStatusUpdate['phase'], op: BulkOperationFields | undefined) =>
    options.onStatus?.({
      phase,
      id: op?.id,
      status: op?.status,
      objectCount: Number(op?.objectCount ?? 0),
      rootsYielded,
    });

  let operation: BulkOperationFields | undefined;
  if (options.resumeId) {
    const lookup = await client.request(BulkOperationById, { id: options.resumeId }, { signal });
    const found = checked(lookup.data.bulkOperation, 'BulkOperationById', lookup.requestId);
    if (found && found.status !== 'CANCELED' && found.status !== 'EXPIRED') {
      log(`resuming ${found.id} (${found.status})`);
      operation = found;
    } else {
      log(
        `cannot resume ${options.resumeId} (${found ? found.status : 'not found'}); starting a new bulk query`,
      );
    }
  }
  if (!operation) {
    operation = await start(client, options, grouped, report, log);
    await options.onStarted?.(operation.id);
  }

  operation = await poll(client, operation, options, report, log);

  switch (operation.status) {
    case 'COMPLETED': {
      if (!operation.url) {
        report('done', operation);
        return { id: operation.id, rootsYielded, empty: true };
      }
      report('downloading', operation);
      for await (const root of download(operation.url, false)) {
        rootsYielded++;
        yield root;
      }
      report('done', operation);
      return { id: operation.id, rootsYielded, empty: false };
    }
    case 'FAILED': {
      if (operation.partialDataUrl) {
        report('downloading', operation);
        for await (const root of download(operation.partialDataUrl, true)) {
          rootsYielded++;
          yield root;
        }
      }
      throw new BulkOperationError(
        'bulk_failed',
        `bulk query ${operation.id} failed (${operation.errorCode ?? 'no error code'})${operation.partialDataUrl ? `; ${rootsYielded} complete objects were recovered from its partial data` : ''}`,
        {
          id: operation.id,
          status: operation.status,
          errorCode: operation.errorCode,
          objectsYielded: rootsYielded,
          partial: operation.partialDataUrl !== null,
          hint:
            operation.errorCode === 'ACCESS_DENIED'
              ? 'the token lacks a scope the bulk query needs; check `dsync auth status`'
              : operation.errorCode === 'TIMEOUT'
                ? 'the bulk query timed out at Shopify; use a shorter date range or rerun without --bulk'
                : 'rerun without --bulk to page through the results instead',
        },
      );
    }
    case 'EXPIRED':
      throw new BulkOperationError(
        'bulk_expired',
        `bulk query ${operation.id} expired before its results were read`,
        {
          id: operation.id,
          status: operation.status,
          hint: 'rerun to start a new bulk query (results are kept by Shopify for 7 days)',
        },
      );
    default:
      throw new BulkOperationError('bulk_canceled', `bulk query ${operation.id} was canceled`, {
        id: operation.id,
        status: operation.status,
        hint: 'rerun to start a new bulk query, or rerun without --bulk',
      });
  }

  async function* download(url: string, partial: boolean): AsyncGenerator<JsonObject, void, undefined> {
    const id = operation?.id;
    const reassembler = new BulkReassembler(shape, grouped);
    let lineNumber = 0;
    let pendingLine: string | undefined;
    try {
      const body = await fetchWithRetry(fetcher, url, options, log);
      for await (const line of splitLines(body)) {
        throwIfAborted(signal);
        // A partial file may end in a cut-off line: parse each line only once the next one arrives.
        if (partial) {
          const previous = pendingLine;
          pendingLine = line;
          if (previous === undefined) continue;
          yield* feed(previous, ++lineNumber);
        } else yield* feed(line, ++lineNumber);
      }
      if (partial && pendingLine !== undefined) {
        try {
          JSON.parse(pendingLine);
          yield* feed(pendingLine, ++lineNumber);
        } catch {
          log(`ignoring the cut-off last line of the partial result of ${id}`);
        }
      }
      // In a partial file the roots still held may miss children, so they are not yielded
      // (a flat query's roots are always complete).
      const remaining = reassembler.finish();
      if (!partial || !nested) yield* remaining;
    } catch (error) {
      if (error instanceof BulkOperationError || error instanceof InterruptedError) throw error;
      if (signal?.aborted) throw new InterruptedError();
      if (error instanceof BulkFormatError) {
        throw new UnexpectedResponseError('bulk result', `${error.message} (line ${lineNumber})`);
      }
      const network = classifyNetworkError(error);
      throw new BulkOperationError(
        'bulk_failed',
        `reading the results of bulk query ${id} failed after ${rootsYielded} objects: ${network?.reason ?? (error instanceof Error ? error.message : String(error))}`,
        { id, status: operation?.status, objectsYielded: rootsYielded, partial: rootsYielded > 0 },
      );
    }

    function* feed(line: string, n: number): Generator<JsonObject, void, undefined> {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new BulkFormatError(`line ${n} is not JSON`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new BulkFormatError(`line ${n} is not a JSON object`);
      }
      yield* reassembler.push(parsed as JsonObject);
    }
  }
}

async function start(
  client: AdminClient,
  options: BulkQueryOptions,
  grouped: boolean,
  report: (phase: BulkStatusUpdate['phase'], op: BulkOperationFields | undefined) => void,
  log: (line: string) => void,
): Promise<BulkOperationFields> {
  const { clock, signal } = options;
  const startedAt = clock.now().getTime();
  const maxQueueWaitMs = options.maxQueueWaitMs ?? 30 * 60_000;
  let interval = options.pollIntervalMs ?? 1000;
  // Starting a read-only bulk query twice is harmless, so a lost response may be retried.
  const idempotencyKey = randomUUID();
  report('starting', undefined);
  for (;;) {
    const result = await client.request(
      BulkOperationRunQuery,
      { query: options.query, groupObjects: grouped },
      { signal, idempotencyKey },
    );
    const payload = result.data.bulkOperationRunQuery;
    const errors = payload?.userErrors ?? [];
    const busy = errors.find(
      (e) => e.code === 'OPERATION_IN_PROGRESS' || /already in progress/i.test(e.message),
    );
    if (busy) {
      if (clock.now().getTime() - startedAt >= maxQueueWaitMs) {
        throw new BulkOperationError(
          'bulk_busy',
          `another bulk query has been running on this store for over ${Math.round(maxQueueWaitMs / 60_000)} minutes: ${busy.message}`,
          {
            requestId: result.requestId,
            hint: 'wait for it to finish (or cancel it in the app that started it), or rerun without --bulk',
          },
        );
      }
      log(`another bulk query is in progress; waiting ${interval}ms (${busy.message})`);
      report('waiting', undefined);
      await sleep(clock, interval, signal);
      interval = Math.min(options.maxPollIntervalMs ?? 30_000, Math.round(interval * 1.5));
      continue;
    }
    if (errors.length > 0) {
      throw new BulkOperationError(
        'bulk_rejected',
        `Shopify rejected the bulk query: ${errors.map((e) => `${e.field?.join('.') ?? ''} ${e.message}`.trim()).join('; ')}`,
        { requestId: result.requestId, hint: 'this is a bug in dsync; rerun without --bulk and report it' },
      );
    }
    const created = checked(payload?.bulkOperation, 'BulkOperationRunQuery', result.requestId);
    if (!created) {
      throw new UnexpectedResponseError('BulkOperationRunQuery', 'no bulk operation and no user errors', {
        requestId: result.requestId,
      });
    }
    log(`started ${created.id} (${created.status})`);
    return created;
  }
}

async function poll(
  client: AdminClient,
  initial: BulkOperationFields,
  options: BulkQueryOptions,
  report: (phase: BulkStatusUpdate['phase'], op: BulkOperationFields | undefined) => void,
  log: (line: string) => void,
): Promise<BulkOperationFields> {
  const { clock, signal } = options;
  const startedAt = clock.now().getTime();
  const timeoutMs = options.timeoutMs ?? 3 * 60 * 60_000;
  let interval = options.pollIntervalMs ?? 1000;
  let operation = initial;
  report('polling', operation);
  while (ACTIVE.has(operation.status)) {
    if (clock.now().getTime() - startedAt >= timeoutMs) {
      await cancelQuietly(client, operation.id, log, signal);
      throw new BulkOperationError(
        'bulk_failed',
        `bulk query ${operation.id} has not finished after ${timeoutMs < 60_000 ? `${Math.round(timeoutMs / 1000)} seconds` : `${Math.round(timeoutMs / 60_000)} minutes`} (${operation.status}, ${operation.objectCount} objects so far)`,
        {
          id: operation.id,
          status: operation.status,
          hint: 'it was cancelled; rerun without --bulk, or with a longer --bulk-timeout',
        },
      );
    }
    await sleep(clock, interval, signal);
    interval = Math.min(options.maxPollIntervalMs ?? 30_000, Math.round(interval * 1.5));
    const result = await client.request(BulkOperationById, { id: operation.id }, { signal });
    const next = checked(result.data.bulkOperation, 'BulkOperationById', result.requestId);
    if (!next) {
      throw new UnexpectedResponseError('BulkOperationById', `bulk operation ${operation.id} is gone`, {
        requestId: result.requestId,
      });
    }
    if (next.status !== operation.status) log(`${next.id}: ${operation.status} → ${next.status}`);
    operation = next;
    report('polling', operation);
  }
  return operation;
}

/**
 * Cancels an operation dsync stopped waiting for (it would go on holding one of the app's bulk
 * slots). Best effort: the caller's failure is what the user needs to hear about, not this one's.
 */
async function cancelQuietly(
  client: AdminClient,
  id: string,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    const result = await client.request(BulkOperationCancel, { id }, { signal });
    const errors = result.data.bulkOperationCancel?.userErrors ?? [];
    log(
      errors.length > 0 ? `cancelling ${id}: ${errors.map((e) => e.message).join('; ')}` : `cancelled ${id}`,
    );
  } catch (error) {
    log(`cancelling ${id} failed: ${(error as Error).message}`);
  }
}

async function fetchWithRetry(
  fetcher: BulkResultFetcher,
  url: string,
  options: BulkQueryOptions,
  log: (line: string) => void,
): Promise<AsyncIterable<Uint8Array | string>> {
  const attempts = 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetcher(url, options.signal);
    } catch (error) {
      const network = classifyNetworkError(error);
      const transient =
        network?.transient || (error instanceof ShopifyUnavailableError && error.status !== undefined);
      if (!transient || attempt >= attempts || options.signal?.aborted) throw error;
      const delay = backoffDelayMs(attempt, options.random ?? Math.random);
      log(
        `downloading the result failed (${network?.reason ?? (error as Error).message}); retrying in ${delay}ms`,
      );
      await sleep(options.clock, delay, options.signal);
    }
  }
}

/**
 * The default fetcher: a GET over the given dispatcher, streamed. The URL is pre-signed by
 * Shopify, so no access token is sent with it.
 */
export function createBulkResultFetcher(
  dispatcher: Dispatcher,
  log?: (line: string) => void,
): BulkResultFetcher {
  return async (url, signal) => {
    log?.(`http → GET ${redactString(url.replace(/\?.*$/, '?…'))} (bulk result)`);
    const response = await undiciRequest(url, { method: 'GET', dispatcher, signal });
    log?.(`http ← ${response.statusCode} bulk result`);
    if (response.statusCode === 200) return response.body;
    await response.body.dump().catch(() => undefined);
    if (response.statusCode >= 500) {
      throw new ShopifyUnavailableError('bulk result download', `HTTP ${response.statusCode}`, {
        status: response.statusCode,
        attempts: 1,
        retryable: true,
      });
    }
    throw new BulkOperationError(
      'bulk_expired',
      `the bulk result file is no longer available (HTTP ${response.statusCode})`,
      { hint: 'rerun to start a new bulk query (result files are kept for 7 days)' },
    );
  };
}

function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return clock.sleep(ms, signal).catch((error: unknown) => {
    if (signal?.aborted) throw new InterruptedError();
    throw error;
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}
