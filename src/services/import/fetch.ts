import {
  FulfillmentOrderLines,
  type FulfillmentOrderLineNode,
  type FulfillmentOrderNode,
  OrderFulfillmentOrders,
  ORDERS_DETAIL_BATCH,
  ORDERS_PAGE_SIZE,
  OrdersDetail,
  OrdersPage,
  type OrdersPageData,
  type OrderWithFulfillmentOrders,
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

export function count<T>(meter: CostMeter, result: GraphQLResult<T>): T {
  meter.requests += 1;
  if (result.cost) {
    meter.requestedCost += result.cost.requestedQueryCost;
    meter.actualCost += result.cost.actualQueryCost ?? result.cost.requestedQueryCost;
  }
  return result.data;
}

/**
 * The client with every request counted in `meter`: for reads that go through code of their own
 * (the bulk runner's mutation and polls), so a run's figures hold every request it made.
 */
export function meteredClient(client: AdminClient, meter: CostMeter): AdminClient {
  return {
    shop: client.shop,
    apiVersion: client.apiVersion,
    async request(operation, variables, options) {
      const result = await client.request(operation, variables, options);
      count(meter, result);
      return result;
    },
    paginate: (operation, variables, connection, options) =>
      client.paginate(operation, variables, connection, options),
  };
}

/** A batch of complete orders (every fulfillment order and line present), in the raw-order shape. */
export interface OrderBatch {
  orders: unknown[];
}

type JsonObject = Record<string, unknown>;

/**
 * Whether an order, as read with its order-level fields (unvalidated), must be read in full:
 * its detail fields, fulfillment orders and lines (see needsDocument in select.ts).
 */
export type NeedsDetail = (root: JsonObject) => Promise<boolean>;

/** What every read of a run shares: the client, the cost meter, and what to read in full. */
export interface ReadContext {
  client: AdminClient;
  meter: CostMeter;
  needsDetail: NeedsDetail;
  /** Money in the buyer's currency (use-local-currency): only that money is read. */
  local: boolean;
  signal?: AbortSignal;
}

async function allLines(
  client: AdminClient,
  meter: CostMeter,
  fo: FulfillmentOrderNode,
  local: boolean,
  signal: AbortSignal | undefined,
): Promise<FulfillmentOrderLineNode[]> {
  const lines = [...fo.lineItems.nodes];
  let pageInfo = fo.lineItems.pageInfo;
  while (pageInfo.hasNextPage && pageInfo.endCursor) {
    const data = count(
      meter,
      await client.request(
        FulfillmentOrderLines,
        { id: fo.id, after: pageInfo.endCursor, local },
        { signal },
      ),
    );
    if (!data.fulfillmentOrder) break;
    lines.push(...data.fulfillmentOrder.lineItems.nodes);
    pageInfo = data.fulfillmentOrder.lineItems.pageInfo;
  }
  return lines;
}

/**
 * Turns an order with its first fulfillment orders into the complete raw shape, fetching the
 * fulfillment orders and lines that did not fit (rare: most orders have one or two).
 */
export async function completeOrder(
  client: AdminClient,
  meter: CostMeter,
  order: OrderWithFulfillmentOrders,
  local: boolean,
  signal?: AbortSignal,
): Promise<JsonObject> {
  const fos: FulfillmentOrderNode[] = [...order.fulfillmentOrders.nodes];
  let pageInfo = order.fulfillmentOrders.pageInfo;
  while (pageInfo.hasNextPage && pageInfo.endCursor) {
    const data = count(
      meter,
      await client.request(
        OrderFulfillmentOrders,
        { id: order.id, after: pageInfo.endCursor, local },
        { signal },
      ),
    );
    if (!data.order) break;
    fos.push(...data.order.fulfillmentOrders.nodes);
    pageInfo = data.order.fulfillmentOrders.pageInfo;
  }
  const fulfillmentOrders = [];
  for (const fo of fos) {
    const lines = fo.lineItems.pageInfo.hasNextPage
      ? await allLines(client, meter, fo, local, signal)
      : fo.lineItems.nodes;
    fulfillmentOrders.push({
      id: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      assignedLocation: fo.assignedLocation,
      lineItems: lines,
    });
  }
  return { ...order, fulfillmentOrders };
}

/**
 * Reads orders in full, a batch of orders per OrdersDetail request: each order becomes
 * `{ ...root, ...detailFields }` with every fulfillment order and line. An order Shopify no longer
 * returns keeps its root fields and an empty list (validation then reports it as incomplete).
 */
export async function attachDetail(ctx: ReadContext, orders: JsonObject[]): Promise<JsonObject[]> {
  const { client, meter, signal } = ctx;
  const out: JsonObject[] = [];
  for (let i = 0; i < orders.length; i += ORDERS_DETAIL_BATCH) {
    const chunk = orders.slice(i, i + ORDERS_DETAIL_BATCH);
    const data = count(
      meter,
      await client.request(
        OrdersDetail,
        { ids: chunk.map((o) => String(o.id)), local: ctx.local },
        { signal },
      ),
    );
    const byId = new Map(data.nodes.filter((n) => n !== null).map((n) => [n.id, n]));
    for (const order of chunk) {
      const detail = byId.get(String(order.id));
      if (!detail?.fulfillmentOrders) {
        out.push({ ...order, fulfillmentOrders: [] });
        continue;
      }
      const withFos = { ...order, ...detail } as unknown as OrderWithFulfillmentOrders;
      out.push(await completeOrder(client, meter, withFos, ctx.local, signal));
    }
  }
  return out;
}

/**
 * Completes orders read with their order-level fields: the orders `needsDetail` picks are read in
 * full; the others are decided on order-level fields alone (cancelled, fulfilled, financial
 * status, window) and keep what they were read with, and an empty fulfillment-order list.
 */
export async function completeBatch(ctx: ReadContext, roots: JsonObject[]): Promise<OrderBatch> {
  const wanted: JsonObject[] = [];
  for (const root of roots) if (await ctx.needsDetail(root)) wanted.push(root);
  const detailed = new Map((await attachDetail(ctx, wanted)).map((order) => [order.id, order]));
  return { orders: roots.map((root) => detailed.get(root.id) ?? { ...root, fulfillmentOrders: [] }) };
}

/** Pages through the orders a search matches, oldest update first, completing each page. */
export async function* pagedOrders(ctx: ReadContext, search: string): AsyncGenerator<OrderBatch> {
  let after: string | null = null;
  for (;;) {
    const data: OrdersPageData = count(
      ctx.meter,
      await ctx.client.request(
        OrdersPage,
        { first: ORDERS_PAGE_SIZE, after, query: search },
        { signal: ctx.signal },
      ),
    );
    yield await completeBatch(ctx, data.orders.nodes as unknown as JsonObject[]);
    const { hasNextPage, endCursor } = data.orders.pageInfo;
    if (!hasNextPage || !endCursor || endCursor === after) return;
    after = endCursor;
  }
}
