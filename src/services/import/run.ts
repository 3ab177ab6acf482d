import type { Clock } from '../../core/clock.js';
import type { CrashHook } from '../../core/crash-points.js';
import type { Ledger, LedgerOrder, OrderRef } from '../../core/ledger/ledger.js';
import type { AdminClient } from '../../shopify/types.js';
import { chooseMode } from './choose-mode.js';
import {
  type CostMeter,
  type NeedsDetail,
  newCostMeter,
  type OrderBatch,
  pagedOrders,
  type ReadContext,
} from './fetch.js';
import { assess, buildEvent, isFollowed, type Step, transition } from './lifecycle.js';
import type { EventType, OrderEvent } from './order-document.js';
import { parseRawOrder, type RawOrder, rawOrderSummarySchema } from './raw-order.js';
import type { SelectionSettings, SkipReason } from './select.js';
import type { Delivery, Sink } from './sinks.js';
import { type ImportWindow, newOrderFilters, nextCheckpoint, searchQuery } from './window.js';

/**
 * The import as a pipeline, one job per step:
 *
 *   read (the window's orders by page or bulk, then the orders that failed before, by id)
 *     → decide (lifecycle.ts: assess + transition, pure)
 *       → deliver (the sink, with its concurrency; a fatal sink failure stops the run)
 *         → record (the ledger, then the checkpoint).
 */

export const CHECKPOINT_KEY = 'checkpoint';
/**
 * Runs in a row an order may fail before it stops holding the checkpoint back: it is then left
 * as `error` in the ledger, read again by id on every run, and the checkpoint moves on.
 */
export const MAX_FAILED_RUNS = 3;
/** Orders per by-id search (`id:1 OR id:2 …`). */
const IDS_PER_SEARCH = 50;

export interface ImportProgress {
  processed: number;
  /** Known total (from ordersCount / bulk objectCount), if any. */
  total: number | undefined;
  delivered: number;
  errors: number;
  phase: 'counting' | 'fetching' | 'bulk-waiting' | 'done';
  detail?: string;
}

/**
 * Yields complete orders for a search through a bulk operation (see bulk.ts), reading in full
 * (OrdersDetail) the orders `needsDetail` picks.
 */
export type BulkSource = (
  read: ReadContext,
  request: { search: string; createdAfter: Date },
  report: (progress: { objectCount?: number; status?: string }) => void,
) => AsyncIterable<OrderBatch>;

export interface ImportEnv {
  shop: string;
  client: AdminClient;
  ledger: Ledger;
  clock: Clock;
  signal: AbortSignal;
  sink: Sink;
  selection: SelectionSettings;
  bulk?: BulkSource;
  onProgress?: (progress: ImportProgress) => void;
  /** Named points for crash tests (Deps.crashAt). */
  crashAt?: CrashHook;
}

export interface ImportRequest {
  window: ImportWindow;
  mode: 'auto' | 'bulk' | 'paging';
  dryRun: boolean;
}

export interface ImportError {
  orderId: string;
  name: string;
  message: string;
  /** Runs in a row that failed on this order; at MAX_FAILED_RUNS it no longer holds the checkpoint. */
  failures: number;
}

export interface ImportSummary {
  shop: string;
  dryRun: boolean;
  mode: 'paging' | 'bulk';
  /** Expected seconds of each way to read, when the count allowed an estimate. */
  estimate: { pagingSeconds: number; bulkSeconds: number } | null;
  window: { updatedSince: string | null; updatedUntil: string | null; createdAfter: string; source: string };
  fetched: number;
  created: number;
  updated: number;
  cancelled: number;
  onHold: number;
  withdrawn: number;
  released: number;
  cancellationRequested: number;
  unchanged: number;
  shipped: number;
  skipped: Partial<Record<SkipReason, number>>;
  skippedTotal: number;
  errors: ImportError[];
  /** Orders left as `error` in the ledger after this run (each run exits 3 while there are any). */
  unresolved: number;
  /** Orders the warehouse holds, followed whatever the window. */
  followed: number;
  checkpoint: string | null;
  /** Why the checkpoint did not move although orders were read, when that is the case. */
  checkpointNote: string | null;
  /** Set when the sink stopped the run (stdout closed, webhook receiver down). */
  stopped: string | null;
  /**
   * The fulfillment service's requests answered after delivery (accept-fulfillment-requests);
   * null when the run does not answer them (no service named, the setting off, a dry run).
   */
  fulfillmentRequests: {
    accepted: number;
    waiting: number;
    failures: { orderName: string; fulfillmentOrderId: string; message: string }[];
  } | null;
  requests: number;
  requestedCost: number;
  actualCost: number;
  durationMs: number;
}

/** Events delivered by a summary, by type. */
export function deliveredCount(summary: ImportSummary): number {
  return (
    summary.created +
    summary.updated +
    summary.cancelled +
    summary.onHold +
    summary.withdrawn +
    summary.released +
    summary.cancellationRequested
  );
}

type EventCounter =
  | 'created'
  | 'updated'
  | 'cancelled'
  | 'onHold'
  | 'withdrawn'
  | 'released'
  | 'cancellationRequested';

const COUNTER: Record<EventType, EventCounter> = {
  'order.created': 'created',
  'order.updated': 'updated',
  'order.cancelled': 'cancelled',
  'order.on_hold': 'onHold',
  'order.withdrawn': 'withdrawn',
  'order.released': 'released',
  'order.cancellation_requested': 'cancellationRequested',
};

/** One order of a batch, decided. */
type Decided =
  | { kind: 'invalid'; ref: OrderRef; message: string }
  | { kind: 'decided'; order: RawOrder; previous: LedgerOrder | undefined; step: Step; event?: OrderEvent };

/** The state of one run: counters, cost, and what the checkpoint may move to. */
class ImportRun {
  readonly summary: ImportSummary;
  readonly meter: CostMeter = newCostMeter();
  readonly startedAt: Date;
  total: number | undefined;
  /** Newest updatedAt of the window's orders fully handled. */
  private newestHandled: string | undefined;
  /** Oldest updatedAt of an order the next run must read again (a failure that still holds the checkpoint). */
  private firstHeld: string | undefined;
  private readonly seen = new Set<string>();

  constructor(
    readonly env: ImportEnv,
    readonly request: ImportRequest,
    mode: 'paging' | 'bulk',
    /** What the ledger held when the run started. */
    recorded: { followed: number; checkpoint: string | undefined },
  ) {
    this.startedAt = env.clock.now();
    this.summary = {
      shop: env.shop,
      dryRun: request.dryRun,
      mode,
      estimate: null,
      window: {
        updatedSince: request.window.updatedSince?.toISOString() ?? null,
        updatedUntil: request.window.updatedUntil?.toISOString() ?? null,
        createdAfter: request.window.createdAfter.toISOString(),
        source: request.window.source,
      },
      fetched: 0,
      created: 0,
      updated: 0,
      cancelled: 0,
      onHold: 0,
      withdrawn: 0,
      released: 0,
      cancellationRequested: 0,
      unchanged: 0,
      shipped: 0,
      skipped: {},
      skippedTotal: 0,
      errors: [],
      unresolved: 0,
      followed: recorded.followed,
      checkpoint: recorded.checkpoint ?? null,
      checkpointNote: null,
      stopped: null,
      fulfillmentRequests: null,
      requests: 0,
      requestedCost: 0,
      actualCost: 0,
      durationMs: 0,
    };
  }

  /** Whether the order was already handled this run (read by the window and again by id). */
  firstTime(orderId: string): boolean {
    if (this.seen.has(orderId)) return false;
    this.seen.add(orderId);
    return true;
  }

  hold(updatedAt: string | undefined): void {
    if (updatedAt && (this.firstHeld === undefined || updatedAt < this.firstHeld)) this.firstHeld = updatedAt;
  }

  handled(updatedAt: unknown): void {
    if (typeof updatedAt === 'string' && (this.newestHandled === undefined || updatedAt > this.newestHandled))
      this.newestHandled = updatedAt;
  }

  progress(phase: ImportProgress['phase'], detail?: string): void {
    this.env.onProgress?.({
      processed: this.summary.fetched,
      total: this.total,
      delivered: deliveredCount(this.summary),
      errors: this.summary.errors.length,
      phase,
      ...(detail ? { detail } : {}),
    });
  }

  async saveCheckpoint(): Promise<void> {
    if (this.request.dryRun) return;
    if (!this.request.window.advancesCheckpoint) {
      this.summary.checkpointNote = this.summary.checkpoint
        ? `--since starts after the checkpoint (${this.summary.checkpoint}): the time between was not read, so the checkpoint stays`
        : 'no checkpoint yet and --since was given: the checkpoint stays unset until a run reads from accept-orders-after';
      return;
    }
    const next = nextCheckpoint({
      previous: this.summary.checkpoint ?? undefined,
      newestHandled: this.newestHandled,
      firstFailed: this.firstHeld,
      runStartedAt: this.startedAt,
    });
    if (next !== undefined && next !== this.summary.checkpoint) {
      this.env.crashAt?.('import.checkpoint');
      await this.env.ledger.setMeta(CHECKPOINT_KEY, next);
      this.summary.checkpoint = next;
    }
  }
}

function refOf(order: { id: string; name: string; updatedAt: string }): OrderRef {
  return { orderId: order.id, name: order.name, updatedAt: order.updatedAt };
}

function refOfUnparsed(value: unknown): OrderRef & { known: boolean } {
  const fields = (value ?? {}) as { id?: unknown; name?: unknown; updatedAt?: unknown };
  const id = typeof fields.id === 'string' ? fields.id : 'unknown';
  return {
    orderId: id,
    name: typeof fields.name === 'string' ? fields.name : id,
    updatedAt: typeof fields.updatedAt === 'string' ? fields.updatedAt : '',
    known: id !== 'unknown',
  };
}

// ---- decide ----------------------------------------------------------------------------------

/**
 * Whether an order, as read with its order-level fields, must be read in full: the lifecycle
 * says so (`read_detail`). One rule decides both what to read and what to send.
 */
function needsDetailFor(env: ImportEnv): NeedsDetail {
  return async (root) => {
    const summary = rawOrderSummarySchema.safeParse({ ...root, fulfillmentOrders: [] });
    if (!summary.success) return false;
    const previous = await env.ledger.get(summary.data.id);
    if (seenAsIs(previous, summary.data.updatedAt)) return false;
    return (
      assess(summary.data, env.shop, env.selection, isFollowed(previous?.warehouse ?? 'none')).kind ===
      'read_detail'
    );
  };
}

/**
 * Whether the ledger already holds the outcome for the order as read: same updatedAt as last
 * seen, and nothing failed on it. Shopify stamps every change, so such an order (met again in the
 * checkpoint's overlap) has nothing new and needs neither a full read nor a decision.
 */
function seenAsIs(previous: LedgerOrder | undefined, updatedAt: unknown): boolean {
  return previous !== undefined && previous.status !== 'error' && previous.orderUpdatedAt === updatedAt;
}

async function decideOne(env: ImportEnv, value: unknown): Promise<Decided> {
  const ref = refOfUnparsed(value);
  const previous = ref.known ? await env.ledger.get(ref.orderId) : undefined;
  if (seenAsIs(previous, (value as { updatedAt?: unknown })?.updatedAt)) {
    const parsed = rawOrderSummarySchema.safeParse({ ...(value as object), fulfillmentOrders: [] });
    if (parsed.success) return { kind: 'decided', order: parsed.data, previous, step: { kind: 'none' } };
  }
  const followed = isFollowed(previous?.warehouse ?? 'none');
  const parsed = parseRawOrder(
    value,
    (summary) => assess(summary, env.shop, env.selection, followed).kind === 'read_detail',
  );
  if (!parsed.ok) return { kind: 'invalid', ref: refOfUnparsed(value), message: parsed.message };
  const order = parsed.order;
  try {
    const now = assess(order, env.shop, env.selection, followed);
    const step = transition(
      previous
        ? {
            state: previous.warehouse,
            deliveredHash: previous.deliveredHash,
            deliveredLines: previous.deliveredLines,
          }
        : undefined,
      now,
    );
    if (step.kind !== 'emit') return { kind: 'decided', order, previous, step };
    const event = buildEvent(step.type, step.document, { hash: step.hash, reason: step.reason });
    return { kind: 'decided', order, previous, step, event };
  } catch (error) {
    return { kind: 'invalid', ref: refOf(order), message: (error as Error).message };
  }
}

// ---- deliver ---------------------------------------------------------------------------------

/**
 * Hands the batch's events to the sink, `concurrency` at a time, in order. After a fatal failure
 * nothing more is handed over: those events stay undelivered (and unrecorded).
 */
async function deliverAll(env: ImportEnv, decided: Decided[]): Promise<Map<Decided, Delivery>> {
  const { sink } = env;
  const results = new Map<Decided, Delivery>();
  const queue = decided.filter((d) => d.kind === 'decided' && d.event !== undefined);
  let fatal = false;
  const worker = async () => {
    for (let next = queue.shift(); next && !fatal; next = queue.shift()) {
      const event = (next as { event: OrderEvent }).event;
      const result = await sink.deliver(event);
      results.set(next, result);
      if (result.ok) env.crashAt?.('import.delivered');
      if (!result.ok && result.fatal) fatal = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, sink.concurrency) }, worker));
  return results;
}

// ---- record ----------------------------------------------------------------------------------

async function recordFailure(run: ImportRun, ref: OrderRef, message: string): Promise<void> {
  const { env, request, summary } = run;
  const failures =
    request.dryRun || ref.orderId === 'unknown'
      ? 1
      : await env.ledger.recordFailure(ref, message, env.clock.now());
  summary.errors.push({ orderId: ref.orderId, name: ref.name, message, failures });
  // Until it has failed MAX_FAILED_RUNS runs in a row, the next run reads it again by the window.
  if (failures < MAX_FAILED_RUNS) run.hold(ref.updatedAt || undefined);
}

async function recordSkip(
  run: ImportRun,
  order: RawOrder,
  previous: LedgerOrder | undefined,
  reason: SkipReason,
  detail: string,
): Promise<void> {
  const { env, request, summary } = run;
  // The same skip seen again (the checkpoint overlap) is not news.
  if (
    previous?.status === 'skipped' &&
    previous.reason === reason &&
    previous.orderUpdatedAt === order.updatedAt
  ) {
    summary.unchanged += 1;
    return;
  }
  summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
  summary.skippedTotal += 1;
  if (!request.dryRun) await env.ledger.recordSkip(refOf(order), reason, detail, env.clock.now());
}

/** Records one decided order. Returns false when the sink stopped the run before it. */
async function recordOne(run: ImportRun, item: Decided, delivery: Delivery | undefined): Promise<boolean> {
  const { env, request, summary } = run;
  if (item.kind === 'invalid') {
    await recordFailure(run, item.ref, item.message);
    return true;
  }
  const { order, previous, step } = item;
  const now = env.clock.now();
  switch (step.kind) {
    case 'emit': {
      if (!delivery || (!delivery.ok && delivery.fatal)) {
        // Never handed over, or the sink broke on it: the next run reads it again.
        run.hold(order.updatedAt);
        return false;
      }
      if (!delivery.ok) {
        await recordFailure(run, refOf(order), delivery.message);
        return true;
      }
      summary[COUNTER[step.type]] += 1;
      if (!request.dryRun && item.event) {
        await env.ledger.recordDelivered(
          refOf(order),
          {
            type: step.type,
            id: item.event.id,
            hash: step.hash,
            reason: step.reason,
            lines: step.document.lines.length,
          },
          step.state,
          now,
        );
      }
      return true;
    }
    case 'skip':
      await recordSkip(run, order, previous, step.reason, step.detail);
      return true;
    case 'settle':
      if (step.state === 'active') summary.unchanged += 1;
      else summary.shipped += 1;
      if (!request.dryRun) await env.ledger.recordSettled(refOf(order), step.state, step.detail, now);
      return true;
    case 'none':
      summary.unchanged += 1;
      if (!request.dryRun && previous) {
        // A failing order that now needs nothing is resolved; otherwise only note the updatedAt seen.
        if (previous.status === 'error') await env.ledger.recordResolved(refOf(order), now);
        else await env.ledger.touch(refOf(order));
      }
      return true;
  }
}

// ---- the pipeline ----------------------------------------------------------------------------

async function processBatch(run: ImportRun, batch: OrderBatch, fromWindow: boolean): Promise<void> {
  const { env, summary } = run;
  const decided: Decided[] = [];
  for (const value of batch.orders) {
    const ref = refOfUnparsed(value);
    if (ref.known && !run.firstTime(ref.orderId)) continue;
    summary.fetched += 1;
    decided.push(await decideOne(env, value));
  }
  const deliveries = await deliverAll(env, decided);
  let stopped = false;
  for (const item of decided) {
    if (stopped) {
      if (item.kind === 'decided') run.hold(item.order.updatedAt);
      continue;
    }
    const delivery = deliveries.get(item);
    if (!(await recordOne(run, item, delivery))) {
      stopped = true;
      const failure = delivery && !delivery.ok ? delivery.message : 'the sink stopped';
      summary.stopped ??= failure;
    } else env.crashAt?.('import.recorded');
  }
  if (fromWindow)
    for (const value of batch.orders) run.handled((value as { updatedAt?: unknown })?.updatedAt);
  run.progress('fetching');
}

/** What every read of a run shares. */
function readContext(run: ImportRun): ReadContext {
  const { env } = run;
  return {
    client: env.client,
    meter: run.meter,
    needsDetail: needsDetailFor(env),
    local: env.selection.useLocalCurrency,
    signal: env.signal,
  };
}

/** The window's orders: by page, or through a bulk operation. */
async function* readWindow(run: ImportRun, search: string): AsyncGenerator<OrderBatch> {
  const { env } = run;
  if (run.summary.mode === 'bulk' && env.bulk) {
    yield* env.bulk(readContext(run), { search, createdAfter: run.request.window.createdAfter }, (report) => {
      if (report.objectCount !== undefined) run.total = report.objectCount;
      run.progress('bulk-waiting', report.status);
    });
    return;
  }
  yield* pagedOrders(readContext(run), search);
}

/** Orders by id, whatever the window (`id:1 OR id:2 …`, oldest update first per search). */
export async function* readByIds(read: ReadContext, ids: readonly string[]): AsyncGenerator<OrderBatch> {
  for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
    const search = ids
      .slice(i, i + IDS_PER_SEARCH)
      .map((id) => `id:${id.slice(id.lastIndexOf('/') + 1)}`)
      .join(' OR ');
    yield* pagedOrders(read, search);
  }
}

/** Orders a previous run failed on, read again by id whatever the window. */
function readFailing(run: ImportRun, ids: string[]): AsyncGenerator<OrderBatch> {
  return readByIds(readContext(run), ids);
}

/**
 * The import: read the window's orders (paging or bulk) and the orders that failed before,
 * decide each against what the warehouse has, deliver the events, record every outcome, and move
 * the checkpoint only past what is settled.
 */
export async function runImport(given: ImportEnv, request: ImportRequest): Promise<ImportSummary> {
  const env = judgedFromWindowStart(given, request);
  const following = (await env.ledger.followedCount()) > 0;
  const search = searchQuery(request.window, { following, filters: newOrderFilters(env.selection) });
  const run = await startRun(env, request, search);
  const failing = await env.ledger.failingIds();

  run.progress('fetching');
  await readAndRecord(run, search, failing);
  await run.saveCheckpoint();
  await endOutput(run);
  return finalSummary(run);
}

/**
 * New orders are judged against the window's effective start (accept-orders-after, or the 60-day
 * floor), which the search no longer enforces once orders are followed.
 */
function judgedFromWindowStart(given: ImportEnv, request: ImportRequest): ImportEnv {
  return { ...given, selection: { ...given.selection, acceptOrdersAfter: request.window.createdAfter } };
}

/** Chooses how to read (counting the search first), then starts the run's clock and counters. */
async function startRun(env: ImportEnv, request: ImportRequest, search: string): Promise<ImportRun> {
  const meter = newCostMeter();
  const { mode, total, plan } = await chooseMode(env, request, search, meter);
  if (mode === 'bulk' && !env.bulk) throw new Error('bulk operations are not available');
  const run = new ImportRun(env, request, mode, {
    followed: await env.ledger.followedCount(),
    checkpoint: await env.ledger.getMeta(CHECKPOINT_KEY),
  });
  if (plan) {
    run.summary.estimate = {
      pagingSeconds: Math.round(plan.pagingSeconds * 10) / 10,
      bulkSeconds: Math.round(plan.bulkSeconds * 10) / 10,
    };
  }
  // The count requests belong to the run's figures.
  Object.assign(run.meter, meter);
  run.total = total;
  return run;
}

/**
 * Reads the window, then the orders that failed before (by id), processing batch by batch until
 * the end or until the sink stops the run. A read that throws ends the output before rethrowing.
 */
async function readAndRecord(run: ImportRun, search: string, failing: string[]): Promise<void> {
  try {
    // Bulk results are not guaranteed to come in updatedAt order: the checkpoint moves once every
    // order is handled (a crash before that resumes the same bulk operation by its id). Pages come
    // oldest update first, so the checkpoint moves after each.
    for await (const batch of readWindow(run, search)) {
      await processBatch(run, batch, true);
      if (run.summary.stopped !== null) break;
      if (run.summary.mode === 'paging') await run.saveCheckpoint();
    }
    if (run.summary.stopped === null) {
      for await (const batch of readFailing(run, failing)) {
        await processBatch(run, batch, false);
        if (run.summary.stopped !== null) break;
      }
    }
  } catch (error) {
    // Whatever was delivered is recorded; leave the output a whole document if it can be.
    await run.env.sink.abort((error as Error).message);
    throw error;
  }
}

/** Finishes the sink's output, or aborts it with the reason the run stopped. */
async function endOutput(run: ImportRun): Promise<void> {
  const { env, summary } = run;
  if (summary.stopped === null) {
    await env.sink.finish();
    return;
  }
  const end = await env.sink.abort(summary.stopped);
  if (!end.complete && end.message) summary.stopped = `${summary.stopped}; ${end.message}`;
}

/** The figures known only at the end: what is left failing and followed, cost and duration. */
async function finalSummary(run: ImportRun): Promise<ImportSummary> {
  const { env, request, summary } = run;
  summary.unresolved = request.dryRun ? summary.errors.length : (await env.ledger.failingIds()).length;
  summary.followed = await env.ledger.followedCount();
  summary.requests = run.meter.requests;
  summary.requestedCost = run.meter.requestedCost;
  summary.actualCost = run.meter.actualCost;
  summary.durationMs = env.clock.now().getTime() - run.startedAt.getTime();
  run.progress('done');
  return summary;
}
