import type { Deps } from '../../core/deps.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import type { AdminClient } from '../../shopify/types.js';
import { makeSink } from '../import/index.js';
import type { OutputFormat, Sink, SinkEvent } from '../import/sinks.js';
import { CHECKPOINT_OVERLAP_MS, nextCheckpoint, SIXTY_DAYS_MS, type SinceOption } from '../import/window.js';
import { withReturnsContext } from './context.js';
import { buildReturnEvent, returnDocument, returnTransition } from './lifecycle.js';
import { returnStatusFilter } from './list.js';
import { type ReadReturn, readReturnsOf } from './read.js';
import { type ReturnEventType, returnRefOf } from './return-document.js';

/** Where the next `dsync returns import` starts (the order import keeps its own). */
export const RETURNS_CHECKPOINT_KEY = 'returns.checkpoint';

/** Orders per `id:` search when following returns the warehouse expects. */
const FOLLOW_IDS_PER_QUERY = 50;

export interface ReturnsImportOptions {
  since: SinceOption;
  out: string | undefined;
  webhook: string | undefined;
  format: OutputFormat;
  dryRun: boolean;
  note?: (message: string) => void;
}

export interface ReturnsImportEvent {
  id: string;
  type: ReturnEventType;
  returnId: string;
  name: string;
  order: string;
}

export interface ReturnsImportSummary {
  shop: string;
  locationId: string;
  sink: 'stdout' | 'out' | 'webhook';
  dryRun: boolean;
  since: string | null;
  checkpoint: string | null;
  counts: {
    read: number;
    delivered: number;
    opened: number;
    updated: number;
    cancelled: number;
    closed: number;
    skipped: number;
    failed: number;
  };
  events: ReturnsImportEvent[];
  failures: { name: string; returnId: string; message: string }[];
  /** Set when the sink stopped taking events (stdout closed, webhook receiver down). */
  stopped: string | null;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Every order return status but no_return: an order whose returns may have changed. */
const ANY_RETURN = ['return_requested', 'in_progress', 'returned', 'inspection_complete', 'return_failed'];

/**
 * The searches of a run: orders with returns updated since `since` (on a first run, the last 60
 * days), then the orders of the returns the warehouse expects that the first search did not meet
 * (a cancelled return may leave its order with no return status at all). A first run looks at
 * every return status, not only returns under way: a return the warehouse already received
 * (`dsync returns receive`) leaves its order `inspection_complete` while the return is still open,
 * and it must still reach the warehouse once. Returns closed or cancelled before the first run are
 * skipped by the lifecycle, not by the search.
 */
export function returnsSearch(since: Date | undefined, now: Date): string {
  const from = since ?? new Date(now.getTime() - SIXTY_DAYS_MS);
  return `updated_at:>='${iso(from)}' ${returnStatusFilter(ANY_RETURN)}`;
}

export function followSearches(orderIds: readonly string[], since: Date | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < orderIds.length; i += FOLLOW_IDS_PER_QUERY) {
    const ids = orderIds.slice(i, i + FOLLOW_IDS_PER_QUERY).map((id) => `id:${id.split('/').pop()}`);
    const any = ids.length === 1 ? (ids[0] as string) : `(${ids.join(' OR ')})`;
    out.push(since ? `updated_at:>='${iso(since)}' ${any}` : any);
  }
  return out;
}

/** `dsync returns import`: read → decide → deliver → record, for every return that changed. */
export async function importReturns(
  deps: Deps,
  options: ReturnsImportOptions,
): Promise<ReturnsImportSummary> {
  return withReturnsContext(
    deps,
    { scopes: ['read_returns'], ledger: options.dryRun ? 'read' : 'write', command: 'returns import' },
    async ({ store, locationId, ledger }) => {
      const runStartedAt = deps.clock.now();
      const checkpoint = await ledger?.getMeta(RETURNS_CHECKPOINT_KEY);
      let since: Date | undefined;
      let advances = true;
      if (options.since.kind === 'at') {
        since = options.since.at;
        advances = checkpoint !== undefined && since.getTime() <= Date.parse(checkpoint);
      } else if (checkpoint) {
        since = new Date(Date.parse(checkpoint) - CHECKPOINT_OVERLAP_MS);
      } else {
        options.note?.('first run: reading the returns under way on orders updated in the last 60 days');
      }
      const sink = (await makeSink(deps, store.shop, options)) as Sink<SinkEvent>;
      const summary: ReturnsImportSummary = {
        shop: store.shop,
        locationId,
        sink: sink.kind,
        dryRun: options.dryRun,
        since: since?.toISOString() ?? null,
        checkpoint: checkpoint ?? null,
        counts: {
          read: 0,
          delivered: 0,
          opened: 0,
          updated: 0,
          cancelled: 0,
          closed: 0,
          skipped: 0,
          failed: 0,
        },
        events: [],
        failures: [],
        stopped: null,
      };
      let newest: string | undefined;
      let firstFailed: string | undefined;
      const seenOrders = new Set<string>();

      const handle = async (found: ReadReturn) => {
        summary.counts.read += 1;
        seenOrders.add(found.order.id);
        const document = returnDocument(found.raw, found.order, store.shop, locationId);
        const ref = returnRefOf(document);
        const recorded = await ledger?.getReturn(document.id);
        const step = returnTransition(
          recorded ? { state: recorded.warehouse, deliveredHash: recorded.deliveredHash } : undefined,
          document,
        );
        if (step.kind !== 'emit') {
          if (step.kind === 'skip') summary.counts.skipped += 1;
          if (!options.dryRun && (step.kind === 'skip' || recorded))
            await ledger?.recordReturnSeen(ref, deps.clock.now());
          if (!newest || document.updatedAt > newest) newest = document.updatedAt;
          return;
        }
        const event = buildReturnEvent(step.type, document, {
          hash: step.hash,
          reopened: recorded?.warehouse === 'closed',
        });
        const delivery = await sink.deliver(event);
        if (!delivery.ok) {
          summary.counts.failed += 1;
          summary.failures.push({ name: document.name, returnId: document.id, message: delivery.message });
          if (!firstFailed || document.updatedAt < firstFailed) firstFailed = document.updatedAt;
          if (!options.dryRun) await ledger?.noteReturn(ref, 'error', delivery.message, deps.clock.now());
          if (delivery.fatal) summary.stopped = delivery.message;
          return;
        }
        if (!options.dryRun)
          await ledger?.recordReturnDelivered(
            ref,
            { type: step.type, id: event.id, hash: step.hash },
            step.state,
            deps.clock.now(),
          );
        summary.counts.delivered += 1;
        summary.counts[step.type.slice('return.'.length) as 'opened' | 'updated' | 'cancelled' | 'closed'] +=
          1;
        summary.events.push({
          id: event.id,
          type: step.type,
          returnId: document.id,
          name: document.name,
          order: document.order.name,
        });
        if (!newest || document.updatedAt > newest) newest = document.updatedAt;
      };

      try {
        await walk(store.client, returnsSearch(since, runStartedAt), handle, summary, deps.signal);
        const followed = (await followedOrders(ledger)).filter((id) => !seenOrders.has(id));
        for (const query of followSearches(followed, since)) {
          if (summary.stopped) break;
          await walk(store.client, query, handle, summary, deps.signal);
        }
      } catch (error) {
        await sink.abort((error as Error).message);
        throw error;
      }
      if (summary.stopped) await sink.abort(summary.stopped);
      else await sink.finish();

      if (!options.dryRun && ledger && advances && !summary.stopped) {
        const next = nextCheckpoint({
          previous: checkpoint,
          newestHandled: newest,
          firstFailed,
          runStartedAt,
        });
        // A run that read nothing still read up to its start.
        const moved = next ?? (firstFailed ? checkpoint : runStartedAt.toISOString());
        if (moved) await ledger.setMeta(RETURNS_CHECKPOINT_KEY, moved);
        summary.checkpoint = moved ?? null;
      }
      return summary;
    },
  );
}

async function followedOrders(ledger: Ledger | null): Promise<string[]> {
  if (!ledger) return [];
  return [...new Set((await ledger.followedReturns()).map((r) => r.orderId))];
}

async function walk(
  client: AdminClient,
  query: string,
  handle: (found: ReadReturn) => Promise<void>,
  summary: ReturnsImportSummary,
  signal: AbortSignal,
): Promise<void> {
  for await (const found of readReturnsOf(client, query, signal)) {
    if (summary.stopped) return;
    await handle(found);
  }
}
