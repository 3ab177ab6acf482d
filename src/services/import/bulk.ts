import type { Deps } from '../../core/deps.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { createBulkResultFetcher, runBulkQuery } from '../../shopify/bulk.js';
import { BulkOperationError } from '../../shopify/errors.js';
import { ordersBulkQuery } from '../../shopify/operations/orders.js';
import type { AdminClient } from '../../shopify/types.js';
import { completeBatch, type OrderBatch, pagedOrders, type ReadContext } from './fetch.js';
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

export function readSavedBulk(ledger: Pick<Ledger, 'getMeta'>): SavedBulk | undefined {
  const text = ledger.getMeta(BULK_META_KEY);
  if (!text) return undefined;
  try {
    const saved = JSON.parse(text) as SavedBulk;
    return typeof saved.id === 'string' && typeof saved.search === 'string' ? saved : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Orders through a bulk operation: resumes the job saved in the ledger when it is for the same
 * window, saves a new job's id as soon as it exists, streams the JSONL (one order per line) in
 * batches of 250 (every order-level field: bulk has no cost limit), reads in full (OrdersDetail)
 * the orders `needsDetail` picks, and when the job FAILS
 * yields what its partial data holds, then pages through the window (orders already delivered
 * are recognised by the ledger and not sent twice).
 */
export function bulkSource(
  client: AdminClient,
  ledger: Ledger,
  deps: Pick<Deps, 'clock' | 'signal' | 'dispatcher' | 'global' | 'stderr'>,
  options: { pollIntervalMs?: number; note?: (message: string) => void; persist?: boolean } = {},
): BulkSource {
  return async function* (read: ReadContext, search, report): AsyncGenerator<OrderBatch> {
    const now = deps.clock.now();
    const saved = readSavedBulk(ledger);
    const resumeId =
      saved &&
      updatedPart(saved.search) === updatedPart(search) &&
      now.getTime() - Date.parse(saved.startedAt) < RESUME_MAX_AGE_MS
        ? saved.id
        : undefined;
    if (resumeId) options.note?.(`resuming bulk operation ${resumeId} from the previous run`);
    const log = deps.global.debug ? (line: string) => deps.stderr.write(`[debug] ${line}\n`) : undefined;
    const fetcher = createBulkResultFetcher(await deps.dispatcher(), log);
    let batch: Record<string, unknown>[] = [];
    try {
      const roots = runBulkQuery(client, fetcher, {
        query: ordersBulkQuery(search),
        resumeId,
        clock: deps.clock,
        signal: deps.signal,
        pollIntervalMs: options.pollIntervalMs,
        log,
        onStarted: (id) => {
          if (options.persist === false) return;
          ledger.setMeta(
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
        batch.push(root);
        if (batch.length >= BATCH_SIZE) {
          yield await completeBatch(read, batch);
          batch = [];
        }
      }
      if (batch.length > 0) yield await completeBatch(read, batch);
      batch = [];
    } catch (error) {
      if (!(error instanceof BulkOperationError) || error.code === 'bulk_rejected' || deps.signal.aborted)
        throw error;
      if (batch.length > 0) yield await completeBatch(read, batch);
      batch = [];
      options.note?.(
        `${error.message}; paging through the window instead${error.objectsYielded > 0 ? ' (orders already delivered are not sent again)' : ''}`,
      );
      if (options.persist !== false) ledger.setMeta(BULK_META_KEY, undefined);
      yield* pagedOrders(read, search);
      return;
    }
    if (options.persist !== false) ledger.setMeta(BULK_META_KEY, undefined);
  };
}
