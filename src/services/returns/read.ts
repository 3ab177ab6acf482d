import {
  OrderReturnIds,
  type RawReturn,
  ReturnDetail,
  ReturnOrders,
} from '../../shopify/operations/returns.js';
import type { AdminClient } from '../../shopify/types.js';
import { isTruncated, type ReturnOrderContext } from './lifecycle.js';

/** A return as read from the store, with the order it belongs to. */
export interface ReadReturn {
  raw: RawReturn;
  order: ReturnOrderContext & { returnStatus: string };
}

/** One return in full, by id; undefined when the store has no such return. */
export async function readReturn(
  client: AdminClient,
  id: string,
  signal?: AbortSignal,
): Promise<ReadReturn | undefined> {
  const { data } = await client.request(ReturnDetail, { id }, { signal });
  if (!data.return) return undefined;
  const { order, ...raw } = data.return;
  return { raw, order };
}

/**
 * Every return of the orders matching `query`, page by page: the returns a page holds whole come
 * from it, the others (more lines, reverse fulfillment orders or returns than a page reads) are
 * read again on their own.
 */
export async function* readReturnsOf(
  client: AdminClient,
  query: string,
  signal?: AbortSignal,
): AsyncGenerator<ReadReturn, void, undefined> {
  const orders = client.paginate(ReturnOrders, { query }, (data) => data.orders, { signal });
  for await (const order of orders) {
    const context = {
      id: order.id,
      name: order.name,
      updatedAt: order.updatedAt,
      returnStatus: order.returnStatus,
      fulfillments: order.fulfillments,
    };
    const fulfillmentsCut =
      order.fulfillments.length >= 3 ||
      order.fulfillments.some((f) => f.fulfillmentLineItems.pageInfo.hasNextPage);
    const ids = order.returns.pageInfo.hasNextPage
      ? ((await client.request(OrderReturnIds, { id: order.id }, { signal })).data.order?.returns.nodes.map(
          (n) => n.id,
        ) ?? [])
      : order.returns.nodes.map((r) => r.id);
    for (const id of ids) {
      const raw = order.returns.nodes.find((r) => r.id === id);
      if (raw && !isTruncated(raw) && !fulfillmentsCut) {
        yield { raw, order: context };
        continue;
      }
      const full = await readReturn(client, id, signal);
      if (full) yield full;
    }
  }
}

/** `#1001-R1` → `#1001`: the order a return's name belongs to (Shopify names returns `<order>-R<n>`). */
export function orderNameOfReturn(name: string): string | undefined {
  const match = /^#?(.+)-R\d+$/i.exec(name.trim());
  return match ? `#${match[1]}` : undefined;
}

/** A return named as a file or a user names it: `#1001-R1`, `1001-R1`, a gid or a numeric id. */
export async function findReturn(
  client: AdminClient,
  ref: string,
  known: string | undefined,
  signal?: AbortSignal,
): Promise<ReadReturn | undefined> {
  const text = ref.trim();
  if (known) return readReturn(client, known, signal);
  if (text.startsWith('gid://shopify/Return/')) return readReturn(client, text, signal);
  if (/^\d+$/.test(text)) return readReturn(client, `gid://shopify/Return/${text}`, signal);
  const orderName = orderNameOfReturn(text);
  if (!orderName) return undefined;
  const wanted = text.startsWith('#') ? text : `#${text}`;
  for await (const found of readReturnsOf(client, `name:${orderName}`, signal)) {
    if (found.raw.name === wanted || found.raw.name === text) return found;
  }
  return undefined;
}
