import {
  FulfillmentOrderLines,
  type FulfillmentOrderLineNode,
  type FulfillmentOrderNode,
  OrderFulfillmentOrders,
  type OrderNode,
  ORDERS_PAGE_SIZE,
  ORDERS_DETAIL_BATCH,
  OrdersDetail,
  OrdersPage,
  type OrdersPageData,
} from '../../shopify/operations/orders.js';
import type { AdminClient, GraphQLResult } from '../../shopify/types.js';

/** Cost accounting across every request of a run. */
export interface CostMeter {
  requests: number;
  requestedCost: number;
  actualCost: number;
}

export function newCostMeter(): CostMeter {
  return { requests: 0, requestedCost: 0, actualCost: 0 };
}

function count<T>(meter: CostMeter, result: GraphQLResult<T>): T {
  meter.requests += 1;
  if (result.cost) {
    meter.requestedCost += result.cost.requestedQueryCost;
    meter.actualCost += result.cost.actualQueryCost ?? result.cost.requestedQueryCost;
  }
  return result.data;
}

/** A page of complete orders (every fulfillment order and line present), in the raw-order shape. */
export interface OrderBatch {
  orders: unknown[];
}

async function allLines(
  client: AdminClient,
  meter: CostMeter,
  fo: FulfillmentOrderNode,
  signal: AbortSignal | undefined,
): Promise<FulfillmentOrderLineNode[]> {
  const lines = [...fo.lineItems.nodes];
  let pageInfo = fo.lineItems.pageInfo;
  while (pageInfo.hasNextPage && pageInfo.endCursor) {
    const data = count(
      meter,
      await client.request(FulfillmentOrderLines, { id: fo.id, after: pageInfo.endCursor }, { signal }),
    );
    if (!data.fulfillmentOrder) break;
    lines.push(...data.fulfillmentOrder.lineItems.nodes);
    pageInfo = data.fulfillmentOrder.lineItems.pageInfo;
  }
  return lines;
}

/**
 * Turns a paged order into the complete raw shape, fetching the fulfillment orders and lines
 * that did not fit on the page (rare: most orders have one or two fulfillment orders).
 */
export async function completeOrder(
  client: AdminClient,
  meter: CostMeter,
  order: OrderNode,
  signal?: AbortSignal,
): Promise<unknown> {
  const fos: FulfillmentOrderNode[] = [...order.fulfillmentOrders.nodes];
  let pageInfo = order.fulfillmentOrders.pageInfo;
  while (pageInfo.hasNextPage && pageInfo.endCursor) {
    const data = count(
      meter,
      await client.request(OrderFulfillmentOrders, { id: order.id, after: pageInfo.endCursor }, { signal }),
    );
    if (!data.order) break;
    fos.push(...data.order.fulfillmentOrders.nodes);
    pageInfo = data.order.fulfillmentOrders.pageInfo;
  }
  const fulfillmentOrders = [];
  for (const fo of fos) {
    const lines = fo.lineItems.pageInfo.hasNextPage
      ? await allLines(client, meter, fo, signal)
      : fo.lineItems.nodes;
    fulfillmentOrders.push({
      id: fo.id,
      status: fo.status,
      assignedLocation: fo.assignedLocation,
      lineItems: lines,
    });
  }
  return { ...order, fulfillmentOrders };
}

/** Pages through the orders a search matches, oldest update first. */
export async function* pagedOrders(
  client: AdminClient,
  search: string,
  meter: CostMeter,
  signal?: AbortSignal,
): AsyncGenerator<OrderBatch> {
  let after: string | null = null;
  for (;;) {
    const data: OrdersPageData = count(
      meter,
      await client.request(OrdersPage, { first: ORDERS_PAGE_SIZE, after, query: search }, { signal }),
    );
    const orders: unknown[] = [];
    for (const node of data.orders.nodes) orders.push(await completeOrder(client, meter, node, signal));
    yield { orders };
    const { hasNextPage, endCursor } = data.orders.pageInfo;
    if (!hasNextPage || !endCursor || endCursor === after) return;
    after = endCursor;
  }
}

/**
 * Adds every fulfillment order and line to orders that came without them (bulk results), a
 * batch of orders per request. Orders Shopify no longer returns keep an empty list.
 */
export async function attachFulfillmentOrders(
  client: AdminClient,
  meter: CostMeter,
  orders: Record<string, unknown>[],
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < orders.length; i += ORDERS_DETAIL_BATCH) {
    const chunk = orders.slice(i, i + ORDERS_DETAIL_BATCH);
    const data = count(
      meter,
      await client.request(OrdersDetail, { ids: chunk.map((o) => String(o.id)) }, { signal }),
    );
    const byId = new Map(data.nodes.filter((n) => n !== null).map((n) => [n.id, n]));
    for (const order of chunk) {
      const detail = byId.get(String(order.id));
      if (!detail?.fulfillmentOrders) {
        out.push({ ...order, fulfillmentOrders: [] });
        continue;
      }
      out.push(
        (await completeOrder(
          client,
          meter,
          { ...(order as unknown as OrderNode), fulfillmentOrders: detail.fulfillmentOrders },
          signal,
        )) as Record<string, unknown>,
      );
    }
  }
  return out;
}
