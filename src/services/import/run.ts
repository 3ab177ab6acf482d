import type { Clock } from '../../core/clock.js';
import type { Ledger, OrderRef } from '../../core/ledger/ledger.js';
import type { AdminClient } from '../../shopify/types.js';
import { OrdersCount } from '../../shopify/operations/orders.js';
import { type CostMeter, type NeedsDetail, newCostMeter, type OrderBatch, pagedOrders } from './fetch.js';
import { parseRawOrder, type RawOrder, type RawOrderSummary, requireDetail } from './raw-order.js';
import {
  buildEvent,
  type DeliveredState,
  decide,
  needsDocument,
  normalizeOrder,
  type SelectionSettings,
  type SkipReason,
  selectLines,
  selectOrder,
} from './select.js';
import type { Sink } from './sinks.js';
import { type ImportWindow, nextCheckpoint, searchQuery } from './window.js';

/** Above this many matching orders, the default mode switches from paging to a bulk operation. */
export const BULK_THRESHOLD = 2000;

export const CHECKPOINT_KEY = 'checkpoint';

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
  search: string,
  meter: CostMeter,
  needsDetail: NeedsDetail,
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
}

export interface ImportSummary {
  shop: string;
  dryRun: boolean;
  mode: 'paging' | 'bulk';
  window: { updatedSince: string | null; updatedUntil: string | null; createdAfter: string; source: string };
  fetched: number;
  created: number;
  updated: number;
  cancelled: number;
  unchanged: number;
  shipped: number;
  skipped: Partial<Record<SkipReason, number>>;
  skippedTotal: number;
  errors: ImportError[];
  checkpoint: string | null;
  requests: number;
  requestedCost: number;
  actualCost: number;
  durationMs: number;
}

function refOf(order: { id: string; name: string; updatedAt: string }): OrderRef {
  return { orderId: order.id, name: order.name, updatedAt: order.updatedAt };
}

function deliveredState(ledger: Ledger, orderId: string): DeliveredState | undefined {
  const previous = ledger.get(orderId);
  return previous
    ? { deliveredHash: previous.deliveredHash, cancelledDelivered: previous.cancelledDelivered }
    : undefined;
}

async function chooseMode(
  env: ImportEnv,
  request: ImportRequest,
  search: string,
  meter: CostMeter,
): Promise<{ mode: 'paging' | 'bulk'; total: number | undefined }> {
  if (request.mode === 'bulk') return { mode: 'bulk', total: undefined };
  try {
    env.onProgress?.({ processed: 0, total: undefined, delivered: 0, errors: 0, phase: 'counting' });
    const result = await env.client.request(
      OrdersCount,
      { query: search, limit: BULK_THRESHOLD + 1 },
      { signal: env.signal },
    );
    meter.requests += 1;
    if (result.cost) {
      meter.requestedCost += result.cost.requestedQueryCost;
      meter.actualCost += result.cost.actualQueryCost ?? result.cost.requestedQueryCost;
    }
    const total = result.data.ordersCount?.count;
    const large = total !== undefined && total > BULK_THRESHOLD;
    if (request.mode === 'auto' && large && env.bulk) return { mode: 'bulk', total };
    return { mode: 'paging', total: large ? undefined : total };
  } catch (error) {
    if (env.signal.aborted) throw error;
    // Counting is an optimisation; paging always works.
    return { mode: 'paging', total: undefined };
  }
}

/**
 * The import: fetch the window's orders (paging or bulk), decide each one against the settings
 * and the ledger, deliver the events to the sink, record every outcome, and move the checkpoint
 * only past what the sink accepted.
 */
export async function runImport(env: ImportEnv, request: ImportRequest): Promise<ImportSummary> {
  const startedAt = env.clock.now();
  const meter = newCostMeter();
  const search = searchQuery(request.window);
  const { mode, total: counted } = await chooseMode(env, request, search, meter);
  if (mode === 'bulk' && !env.bulk) throw new Error('bulk operations are not available');

  const summary: ImportSummary = {
    shop: env.shop,
    dryRun: request.dryRun,
    mode,
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
    unchanged: 0,
    shipped: 0,
    skipped: {},
    skippedTotal: 0,
    errors: [],
    checkpoint: env.ledger.getMeta(CHECKPOINT_KEY) ?? null,
    requests: 0,
    requestedCost: 0,
    actualCost: 0,
    durationMs: 0,
  };
  let total = counted;
  let newestHandled: string | undefined;
  let firstFailed: string | undefined;
  const delivered = () => summary.created + summary.updated + summary.cancelled;
  const progress = (phase: ImportProgress['phase'], detail?: string) =>
    env.onProgress?.({
      processed: summary.fetched,
      total,
      delivered: delivered(),
      errors: summary.errors.length,
      phase,
      ...(detail ? { detail } : {}),
    });

  const skip = (
    order: RawOrder,
    previous: { status: string; reason: string | null; orderUpdatedAt: string | null } | undefined,
    reason: SkipReason,
    detail: string,
  ) => {
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
    if (!request.dryRun) env.ledger.recordSkip(refOf(order), reason, detail, env.clock.now());
  };

  // Which orders are read in full: decided on their order-level fields and the ledger, before
  // their batch is handled (the ledger then holds every earlier batch's outcome).
  const needsDetailOf = (order: RawOrderSummary) =>
    needsDocument(order, env.selection, deliveredState(env.ledger, order.id));
  const needsDetail: NeedsDetail = (root) =>
    typeof root.id === 'string' && needsDetailOf(root as unknown as RawOrderSummary);

  const handleBatch = async (batch: OrderBatch, advanceCheckpoint: boolean) => {
    // Decide every order of the batch first, then deliver with the sink's concurrency.
    const pending: { order: RawOrder; run: () => Promise<void> }[] = [];
    for (const value of batch.orders) {
      summary.fetched += 1;
      const parsed = parseRawOrder(value, needsDetailOf);
      if (!parsed.ok) {
        const id = String((value as { id?: unknown })?.id ?? 'unknown');
        const name = String((value as { name?: unknown })?.name ?? id);
        summary.errors.push({ orderId: id, name, message: parsed.message });
        const updatedAt = (value as { updatedAt?: unknown })?.updatedAt;
        if (typeof updatedAt === 'string' && (firstFailed === undefined || updatedAt < firstFailed))
          firstFailed = updatedAt;
        if (!request.dryRun && id !== 'unknown') {
          env.ledger.recordError(
            { orderId: id, name, updatedAt: typeof updatedAt === 'string' ? updatedAt : '' },
            parsed.message,
            env.clock.now(),
          );
        }
        continue;
      }
      const order = parsed.order;
      const previous = env.ledger.get(order.id);
      const selection = selectOrder(order, env.shop, env.selection);
      const decision = decide(
        selection,
        previous
          ? { deliveredHash: previous.deliveredHash, cancelledDelivered: previous.cancelledDelivered }
          : undefined,
      );
      if (decision.action === 'emit') {
        const document =
          selection.kind === 'accept'
            ? selection.document
            : normalizeOrder(
                requireDetail(order),
                env.shop,
                selectLines(order, env.selection),
                env.selection.useLocalCurrency,
              );
        const event = buildEvent(decision.type, decision.hash, document);
        pending.push({
          order,
          run: async () => {
            const result = await env.sink.deliver(event);
            if (result.ok) {
              if (decision.type === 'order.created') summary.created += 1;
              else if (decision.type === 'order.updated') summary.updated += 1;
              else summary.cancelled += 1;
              if (!request.dryRun)
                env.ledger.recordDelivered(
                  refOf(order),
                  { type: event.type, id: event.id, hash: decision.hash },
                  env.clock.now(),
                );
            } else {
              summary.errors.push({ orderId: order.id, name: order.name, message: result.message });
              if (firstFailed === undefined || order.updatedAt < firstFailed) firstFailed = order.updatedAt;
              if (!request.dryRun) env.ledger.recordError(refOf(order), result.message, env.clock.now());
            }
          },
        });
        continue;
      }
      // Nothing to send: record what the order is now.
      if (selection.kind === 'skip') {
        if (previous?.deliveredHash) summary.unchanged += 1;
        else skip(order, previous, selection.reason, selection.detail);
      } else if (selection.kind === 'fulfilled') {
        if (previous?.deliveredHash && !previous.cancelledDelivered) {
          summary.shipped += 1;
          if (!request.dryRun) {
            env.ledger.recordStatus(
              refOf(order),
              selection.partially ? 'partially_shipped' : 'shipped',
              `fulfillment status ${order.displayFulfillmentStatus.toLowerCase()}`,
              env.clock.now(),
            );
          }
        } else if (!previous?.deliveredHash) {
          skip(
            order,
            previous,
            'fulfillment_status',
            `already ${order.displayFulfillmentStatus.toLowerCase().replace(/_/g, ' ')}`,
          );
        } else summary.unchanged += 1;
      } else if (selection.kind === 'cancelled' && !previous?.deliveredHash) {
        skip(order, previous, 'cancelled', `cancelled at ${order.cancelledAt}`);
      } else {
        summary.unchanged += 1;
        if (!request.dryRun && previous) env.ledger.touch(refOf(order));
      }
    }
    const queue = [...pending];
    const workers = Array.from({ length: Math.max(1, env.sink.concurrency) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next.run();
    });
    await Promise.all(workers);
    for (const value of batch.orders) {
      const updatedAt = (value as { updatedAt?: unknown })?.updatedAt;
      if (typeof updatedAt === 'string' && (newestHandled === undefined || updatedAt > newestHandled))
        newestHandled = updatedAt;
    }
    if (advanceCheckpoint) saveCheckpoint();
    progress('fetching');
  };

  const saveCheckpoint = () => {
    if (!request.dryRun) {
      const next = nextCheckpoint({
        previous: summary.checkpoint ?? undefined,
        newestHandled,
        firstFailed,
        runStartedAt: startedAt,
      });
      if (next !== undefined && next !== summary.checkpoint) {
        env.ledger.setMeta(CHECKPOINT_KEY, next);
        summary.checkpoint = next;
      }
    }
  };

  progress('fetching');
  if (mode === 'bulk' && env.bulk) {
    // Bulk results are not guaranteed to come in updatedAt order: the checkpoint moves once
    // every order is handled. A crash before that resumes the same bulk operation by its id.
    const source = env.bulk(search, meter, needsDetail, (report) => {
      if (report.objectCount !== undefined) total = report.objectCount;
      progress('bulk-waiting', report.status);
    });
    for await (const batch of source) await handleBatch(batch, false);
    saveCheckpoint();
  } else {
    for await (const batch of pagedOrders(env.client, search, meter, needsDetail, env.signal))
      await handleBatch(batch, true);
  }
  await env.sink.finish();
  summary.requests = meter.requests;
  summary.requestedCost = meter.requestedCost;
  summary.actualCost = meter.actualCost;
  summary.durationMs = env.clock.now().getTime() - startedAt.getTime();
  progress('done');
  return summary;
}
