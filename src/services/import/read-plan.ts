/**
 * Paging or a bulk operation, by which is expected to finish first (pure: the numbers come in).
 *
 * Paging is bound by Shopify's throttle: the points a read spends beyond what the bucket holds
 * refill at the plan's restore rate. A bulk operation spends no points but waits in Shopify's
 * queue and then processes objects at its own pace. Neither figure is published by Shopify for bulk
 * operations, so BULK_QUEUE_SECONDS and BULK_OBJECTS_PER_SECOND are assumptions, kept on the slow
 * side so that bulk is chosen only where it clearly wins.
 */

/** Actual points one order costs when paged: its deciding fields, and its document when it needs one. */
export const PAGING_POINTS_PER_ORDER = 28;
/** Orders read in full per request (OrdersDetail), and the round trip each request costs. */
const DETAIL_ORDERS_PER_REQUEST = 7;
const REQUEST_SECONDS = 0.15;
/** Assumed: from the start of a bulk operation to its first object. */
export const BULK_QUEUE_SECONDS = 10;
/** Assumed: objects a bulk operation writes per second. */
export const BULK_OBJECTS_PER_SECOND = 500;
/** Objects per order in the fulfillment-order export: its open fulfillment orders and their lines. */
const EXPORT_OBJECTS_PER_ORDER = 4;

export interface ReadPlanInput {
  /** Orders the search matches (ordersCount). */
  orders: number;
  /**
   * Orders whose fulfillment orders the bulk export holds (the open orders of the window, whatever
   * the search's filters); the search's own count when not known.
   */
  exportOrders?: number;
  /** The bucket as the last response left it. */
  available: number;
  restoreRate: number;
}

export interface ReadPlan {
  mode: 'paging' | 'bulk';
  pagingSeconds: number;
  bulkSeconds: number;
}

export function estimatePagingSeconds(input: ReadPlanInput): number {
  const points = input.orders * PAGING_POINTS_PER_ORDER;
  const waiting = Math.max(0, points - input.available) / Math.max(1, input.restoreRate);
  const requests = Math.ceil(input.orders / 250) + Math.ceil(input.orders / DETAIL_ORDERS_PER_REQUEST);
  return waiting + requests * REQUEST_SECONDS;
}

export function estimateBulkSeconds(input: Pick<ReadPlanInput, 'orders' | 'exportOrders'>): number {
  const objects = input.orders + (input.exportOrders ?? input.orders) * EXPORT_OBJECTS_PER_ORDER;
  return BULK_QUEUE_SECONDS + objects / BULK_OBJECTS_PER_SECOND;
}

export function chooseReadPlan(input: ReadPlanInput): ReadPlan {
  const pagingSeconds = estimatePagingSeconds(input);
  const bulkSeconds = estimateBulkSeconds(input);
  return { mode: bulkSeconds < pagingSeconds ? 'bulk' : 'paging', pagingSeconds, bulkSeconds };
}
