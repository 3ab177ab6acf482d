import { OrdersCount } from '../../shopify/operations/orders.js';
import type { ThrottleStatus } from '../../shopify/types.js';
import { type CostMeter, count } from './fetch.js';
import { chooseReadPlan, type ReadPlan } from './read-plan.js';
import type { ImportEnv, ImportRequest } from './run.js';

/** How a run reads the window: it counts the orders first, then bets on paging or bulk. */

/** ordersCount answers exactly up to this many; a window this large is read in bulk anyway. */
const COUNT_LIMIT = 10_000;

export interface ModeChoice {
  mode: 'paging' | 'bulk';
  /** Orders the search matches, when the count is exact (progress shows it as the total). */
  total: number | undefined;
  plan: ReadPlan | undefined;
}

const PAGING_UNCOUNTED: ModeChoice = { mode: 'paging', total: undefined, plan: undefined };

/**
 * Paging or bulk: forced by the flags, else whichever read-plan.ts expects to finish first for the
 * number of orders the search matches and the bucket the count request left.
 */
export async function chooseMode(
  env: ImportEnv,
  request: ImportRequest,
  search: string,
  meter: CostMeter,
): Promise<ModeChoice> {
  if (request.mode === 'bulk') return { mode: 'bulk', total: undefined, plan: undefined };
  try {
    env.onProgress?.({ processed: 0, total: undefined, delivered: 0, errors: 0, phase: 'counting' });
    const matching = await countOrders(env, search, meter);
    if (matching.count === undefined) return PAGING_UNCOUNTED;
    let plan = chooseReadPlan({ orders: matching.count, ...bucketOf(matching.throttle) });
    if (plan.mode === 'bulk' && request.mode === 'auto') {
      plan = await planWithExportSize(env, request, meter, matching.count, matching.throttle);
    }
    const mode = request.mode === 'auto' && plan.mode === 'bulk' && env.bulk ? 'bulk' : 'paging';
    return { mode, total: matching.exact ? matching.count : undefined, plan };
  } catch (error) {
    if (env.signal.aborted) throw error;
    // Counting is an optimisation; paging always works.
    return PAGING_UNCOUNTED;
  }
}

/** One ordersCount request, counted in `meter`, with the bucket its response left. */
async function countOrders(
  env: ImportEnv,
  query: string,
  meter: CostMeter,
): Promise<{ count: number | undefined; exact: boolean; throttle: ThrottleStatus | undefined }> {
  const result = await env.client.request(OrdersCount, { query, limit: COUNT_LIMIT }, { signal: env.signal });
  const counted = count(meter, result).ordersCount;
  return {
    count: counted?.count,
    exact: counted?.precision === 'EXACT',
    throttle: result.cost?.throttleStatus,
  };
}

function bucketOf(throttle: ThrottleStatus | undefined): { available: number; restoreRate: number } {
  return { available: throttle?.currentlyAvailable ?? 0, restoreRate: throttle?.restoreRate ?? 50 };
}

/**
 * The plan again, with the size of the fulfillment-order export: that export holds every open
 * order of the window, whatever the search filters, so count those too before betting on bulk.
 */
async function planWithExportSize(
  env: ImportEnv,
  request: ImportRequest,
  meter: CostMeter,
  orders: number,
  throttle: ThrottleStatus | undefined,
): Promise<ReadPlan> {
  const open = await countOrders(
    env,
    `created_at:>='${request.window.createdAfter.toISOString()}' status:open`,
    meter,
  );
  return chooseReadPlan({
    orders,
    exportOrders: open.count ?? orders,
    ...bucketOf(open.throttle ?? throttle),
  });
}
