import type { Deps } from '../../core/deps.js';
import type { LedgerOrder } from '../../core/ledger/ledger.js';
import { newCostMeter } from './fetch.js';
import { type ImportOptions, makeSink, withImportContext } from './index.js';
import { resendEvent, type WithdrawReason } from './lifecycle.js';
import { EVENT_TYPES, type EventType } from './order-document.js';
import { parseRawOrder, requireDetail } from './raw-order.js';
import { readByIds } from './run.js';
import { normalizeOrder, selectLines } from './select.js';
import type { Sink } from './sinks.js';

/**
 * `dsync orders resend <order>…` and `dsync import --replay --since 7d`: a warehouse that lost
 * what it received gets the current documents again, under the event ids it first received (so
 * an Idempotency-Key still deduplicates what it did keep). Recorded in the ledger as `resent`;
 * the checkpoint does not move and no order's state changes.
 */
export interface ResendOptions extends Pick<ImportOptions, 'out' | 'webhook' | 'format' | 'note'> {
  /** Orders by name, number or gid; or */
  orders?: string[];
  /** every order with an event delivered since then. */
  since?: Date;
}

export interface ResendResult {
  shop: string;
  sink: Sink['kind'];
  resent: { orderId: string; name: string; type: string; eventId: string }[];
  errors: { order: string; message: string }[];
  stopped: string | null;
}

function isEventType(value: string | null): value is EventType {
  return value !== null && (EVENT_TYPES as readonly string[]).includes(value);
}

export async function resendOrders(deps: Deps, options: ResendOptions): Promise<ResendResult> {
  return withImportContext(deps, { dryRun: false, note: options.note }, async (context) => {
    const { store, ledger, selection } = context;
    const result: ResendResult = { shop: store.shop, sink: 'stdout', resent: [], errors: [], stopped: null };
    const chosen: LedgerOrder[] = [];
    if (options.since) chosen.push(...(await ledger.deliveredSince(options.since)));
    for (const ref of options.orders ?? []) {
      const found = await ledger.find(ref);
      if (!found) result.errors.push({ order: ref, message: `not in the ledger of ${store.shop}` });
      else if (!isEventType(found.lastEvent) || !found.lastEventId)
        result.errors.push({ order: found.name, message: 'nothing was delivered for this order yet' });
      else chosen.push(found);
    }
    const byId = new Map(chosen.map((order) => [order.orderId, order]));
    const sink = await makeSink(deps, store.shop, {
      dryRun: false,
      note: options.note,
      out: options.out,
      webhook: options.webhook,
      format: options.format,
    });
    result.sink = sink.kind;
    const seen = new Set<string>();
    try {
      const read = {
        client: store.client,
        meter: newCostMeter(),
        needsDetail: async () => true,
        local: selection.useLocalCurrency,
        signal: deps.signal,
      };
      for await (const batch of readByIds(read, [...byId.keys()])) {
        for (const value of batch.orders) {
          const parsed = parseRawOrder(value);
          if (!parsed.ok) {
            result.errors.push({
              order: String((value as { name?: unknown }).name ?? '?'),
              message: parsed.message,
            });
            continue;
          }
          const order = parsed.order;
          const recorded = byId.get(order.id);
          if (!recorded || !isEventType(recorded.lastEvent) || !recorded.lastEventId || seen.has(order.id))
            continue;
          seen.add(order.id);
          const document = normalizeOrder(
            requireDetail(order),
            store.shop,
            selectLines(order, selection),
            selection.useLocalCurrency,
          );
          const event = resendEvent(
            {
              type: recorded.lastEvent,
              id: recorded.lastEventId,
              reason:
                recorded.lastEvent === 'order.withdrawn'
                  ? (recorded.warehouseReason as WithdrawReason | null)
                  : null,
            },
            document,
          );
          const delivery = await sink.deliver(event);
          if (delivery.ok) {
            await ledger.recordResent(
              { orderId: order.id, name: order.name, updatedAt: order.updatedAt },
              event.id,
              deps.clock.now(),
            );
            result.resent.push({ orderId: order.id, name: order.name, type: event.type, eventId: event.id });
          } else {
            result.errors.push({ order: order.name, message: delivery.message });
            if (delivery.fatal) {
              result.stopped = delivery.message;
              break;
            }
          }
        }
        if (result.stopped) break;
      }
    } catch (error) {
      await sink.abort((error as Error).message);
      throw error;
    }
    if (result.stopped) await sink.abort(result.stopped);
    else await sink.finish();
    for (const order of byId.values()) {
      if (!seen.has(order.orderId) && !result.stopped)
        result.errors.push({ order: order.name, message: 'Shopify no longer returns this order' });
    }
    return result;
  });
}
