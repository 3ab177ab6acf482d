import type { Deps } from '../../core/deps.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { createBulkResultFetcher, runBulkQuery } from '../../shopify/bulk.js';
import { BulkOperationError } from '../../shopify/errors.js';
import { fulfillmentOrdersBulkQuery, ordersBulkQuery } from '../../shopify/operations/orders.js';
import type { AdminClient } from '../../shopify/types.js';
import { completeBatch, meteredClient, type OrderBatch, pagedOrders, type ReadContext } from './fetch.js';
import type { BulkSource } from './run.js';

export const BULK_META_KEY = 'bulk_operation';
/** A saved bulk operation older than this is not resumed (Shopify keeps results for 7 days). */
const RESUME_MAX_AGE_MS = 24 * 3_600_000;
const BATCH_SIZE = 250;

interface SavedBulk {
  id: string;
  search: string;
  startedAt: string;
}

/** The search without its created_at bound (a rolling accept-orders-after moves between runs). */
function updatedPart(search: string): string {
  return search
    .split(' ')
    .filter((part) => !part.startsWith('created_at:'))
    .join(' ');
}

export async function readSavedBulk(ledger: Pick<Ledger, 'getMeta'>): Promise<SavedBulk | undefined> {
  const text = await ledger.getMeta(BULK_META_KEY);
  if (!text) return undefined;
  try {
    const saved = JSON.parse(text) as SavedBulk;
    return typeof saved.id === 'string' && typeof saved.search === 'string' ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** A bulk export's lines arrive as `{ edges: [{ node }] }` or `{ nodes }`: the list either way. */
function nodesOf(connection: unknown): JsonObject[] {
  const value = connection as { nodes?: JsonObject[]; edges?: { node: JsonObject }[] } | undefined;
  return value?.nodes ?? value?.edges?.map((edge) => edge.node) ?? [];
}

type JsonObject = Record<string, unknown>;

/**
 * The open fulfillment orders (with their lines) updated since `since`, grouped by order id, from
 * one bulk operation. Every fulfillment order of an order created since then is in it: a
 * fulfillment order is created with its order and only changes after. Undefined when the export
 * fails: the caller then reads fulfillment orders with normal queries.
 */
async function openFulfillmentOrders(
  client: AdminClient,
  fetcher: ReturnType<typeof createBulkResultFetcher>,
  deps: Pick<Deps, 'clock' | 'signal'>,
  since: Date,
  options: {
    pollIntervalMs?: number;
    timeoutMs?: number;
    log?: (line: string) => void;
    note?: (message: string) => void;
  },
): Promise<Map<string, JsonObject[]> | undefined> {
  const byOrder = new Map<string, JsonObject[]>();
  try {
    const search = `updated_at:>='${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
    for await (const fo of runBulkQuery(client, fetcher, {
      query: fulfillmentOrdersBulkQuery(search),
      clock: deps.clock,
      signal: deps.signal,
      pollIntervalMs: options.pollIntervalMs,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      log: options.log,
    })) {
      const orderId = String(fo.orderId);
      const list = byOrder.get(orderId) ?? [];
      list.push({
        id: fo.id,
        status: fo.status,
        requestStatus: fo.requestStatus,
        assignedLocation: fo.assignedLocation,
        lineItems: nodesOf(fo.lineItems),
      });
      byOrder.set(orderId, list);
    }
    return byOrder;
  } catch (error) {
    if (deps.signal.aborted) throw error;
    options.note?.(
      `the fulfillment-order bulk export failed (${(error as Error).message}); reading fulfillment orders with queries instead`,
    );
    return undefined;
  }
}

/**
 * Completes a batch of orders from the orders export: an order that needs its document and was
 * created since the fulfillment-order export's start takes its fulfillment orders from it (none
 * there: none open); every other one that needs it is read with OrdersDetail.
 */
async function completeFromExports(
  read: ReadContext,
  roots: JsonObject[],
  fulfillmentOrders: Map<string, JsonObject[]> | undefined,
  since: Date,
): Promise<OrderBatch> {
  if (!fulfillmentOrders) return completeBatch(read, roots);
  const covered = (root: JsonObject) =>
    typeof root.createdAt === 'string' && Date.parse(root.createdAt) >= since.getTime();
  const rest = await completeBatch(
    read,
    roots.filter((root) => !covered(root)),
  );
  const completed = new Map(rest.orders.map((order) => [(order as JsonObject).id, order]));
  const orders: unknown[] = [];
  for (const root of roots) {
    if (!covered(root)) orders.push(completed.get(root.id));
    else if (await read.needsDetail(root))
      orders.push({ ...root, fulfillmentOrders: fulfillmentOrders.get(String(root.id)) ?? [] });
    else orders.push({ ...root, fulfillmentOrders: [] });
  }
  return { orders };
}

/**
 * Orders through bulk operations, which spend no query cost: the window's orders (every
 * order-level field) and, at the same time, the open fulfillment orders with their lines, joined
 * by order id. Resumes the orders export saved in the ledger when it is for the same window,
 * saves a new one's id as soon as it exists, and streams it in batches of 250. When the orders
 * export FAILS it yields what its partial data holds, then pages through the window (orders
 * already delivered are recognised by the ledger and not sent twice).
 */
export function bulkSource(
  bulkClient: AdminClient,
  ledger: Ledger,
  deps: Pick<Deps, 'clock' | 'signal' | 'dispatcher' | 'global' | 'stderr'> & Partial<Pick<Deps, 'crashAt'>>,
  options: {
    pollIntervalMs?: number;
    /** Give up on an export that has not finished after this long (default 3 h), then page. */
    timeoutMs?: number;
    note?: (message: string) => void;
    persist?: boolean;
  } = {},
): BulkSource {
  return async function* (read: ReadContext, request, report): AsyncGenerator<OrderBatch> {
    const { search, createdAfter } = request;
    // Bulk operations spend no query cost, but their starts and polls are requests of the run.
    const client = meteredClient(bulkClient, read.meter);
    const now = deps.clock.now();
    const saved = await readSavedBulk(ledger);
    const resumeId =
      saved &&
      updatedPart(saved.search) === updatedPart(search) &&
      now.getTime() - Date.parse(saved.startedAt) < RESUME_MAX_AGE_MS
        ? saved.id
        : undefined;
    if (resumeId) options.note?.(`resuming bulk operation ${resumeId} from the previous run`);
    const log = deps.global.debug ? (line: string) => deps.stderr.write(`[debug] ${line}\n`) : undefined;
    const fetcher = createBulkResultFetcher(await deps.dispatcher(), log);
    // The fulfillment-order export starts once the orders export runs (or is resumed), so both
    // run at once (Shopify runs up to five per app from 2026-01).
    let exported: Promise<Map<string, JsonObject[]> | undefined> | undefined;
    const startExport = () => {
      exported ??= openFulfillmentOrders(client, fetcher, deps, createdAfter, {
        pollIntervalMs: options.pollIntervalMs,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        log,
        note: options.note,
      });
    };
    if (resumeId) startExport();
    const complete = async (batch: JsonObject[]) =>
      completeFromExports(read, batch, await (exported ?? Promise.resolve(undefined)), createdAfter);
    let batch: JsonObject[] = [];
    try {
      const roots = runBulkQuery(client, fetcher, {
        query: ordersBulkQuery(search),
        resumeId,
        clock: deps.clock,
        signal: deps.signal,
        pollIntervalMs: options.pollIntervalMs,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        log,
        onStarted: async (id) => {
          startExport();
          if (options.persist === false) return;
          await ledger.setMeta(
            BULK_META_KEY,
            JSON.stringify({ id, search, startedAt: deps.clock.now().toISOString() }),
          );
        },
        onStatus: (update) => {
          report({
            status:
              update.phase === 'waiting'
                ? 'waiting for another bulk operation to finish'
                : update.phase === 'polling'
                  ? `bulk operation ${String(update.status ?? '').toLowerCase()} (${update.objectCount} objects)`
                  : update.phase === 'downloading'
                    ? 'reading bulk results'
                    : update.phase,
          });
        },
      });
      for await (const root of roots) {
        deps.crashAt?.('import.bulk-line');
        batch.push(root);
        if (batch.length >= BATCH_SIZE) {
          yield await complete(batch);
          batch = [];
        }
      }
      if (batch.length > 0) yield await complete(batch);
      batch = [];
    } catch (error) {
      if (!(error instanceof BulkOperationError) || error.code === 'bulk_rejected' || deps.signal.aborted)
        throw error;
      if (batch.length > 0) yield await complete(batch);
      batch = [];
      options.note?.(
        `${error.message}; paging through the window instead${error.objectsYielded > 0 ? ' (orders already delivered are not sent again)' : ''}`,
      );
      if (options.persist !== false) await ledger.setMeta(BULK_META_KEY, undefined);
      yield* pagedOrders(read, search);
      return;
    }
    if (options.persist !== false) await ledger.setMeta(BULK_META_KEY, undefined);
  };
}
