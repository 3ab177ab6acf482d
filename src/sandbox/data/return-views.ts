import type { SandboxRequestContext } from '../context.js';
import { requireScope } from './access.js';
import { type ConnectionArgs, paginate, paginateList } from './connection.js';
import { gid, isoTime } from './gid.js';
import type {
  DispositionRecord,
  OrderRecord,
  ReturnRecord,
  ReverseDeliveryRecord,
  ReverseFulfillmentOrderLineItemRecord,
  ReverseFulfillmentOrderRecord,
} from './model.js';
import { compare, compileSearch, parseSearchQuery, type SearchFields } from './search.js';
import type { Views } from './views.js';

/**
 * GraphQL views of returns, reverse fulfillment orders and reverse deliveries (as views.ts builds
 * the others): fields that take arguments are `(args, context) => value` methods.
 */

type Args = Record<string, unknown>;
type Obj = Record<string, unknown>;

/** Scopes that read returns (Shopify also takes its marketplace twins). */
export const RETURNS_READ_SCOPES: readonly string[] = ['read_returns', 'read_marketplace_returns'];
export const RETURNS_WRITE_SCOPES: readonly string[] = ['write_returns', 'write_marketplace_returns'];

/** `order.returns(query:)`: `status:` and `id:` as Shopify documents them. */
const RETURN_SEARCH: SearchFields<ReturnRecord> = {
  fields: {
    status: (r, { value }) => r.status.toLowerCase() === value.toLowerCase(),
    id: (r, { op, value }) => {
      const v = value.replace(/^gid:\/\/shopify\/Return\//, '');
      return /^\d+$/.test(v) && compare(r.id, op, Number(v));
    },
  },
  text: (r, word) => r.name.toLowerCase().includes(word.toLowerCase()),
};

function fulfillmentLineItemView(views: Views, order: OrderRecord, fliId: number): Obj | null {
  for (const f of views.data.fulfillmentsOf(order)) {
    const l = f.lineItems.find((x) => x.id === fliId);
    if (!l) continue;
    const li = views.data.lineItem(order, l.lineItemId);
    return {
      __typename: 'FulfillmentLineItem',
      id: gid('FulfillmentLineItem', l.id),
      quantity: l.quantity,
      lineItem: li ? () => views.lineItem(order, li) : null,
    };
  }
  return null;
}

function dispositionView(views: Views, d: DispositionRecord): Obj {
  const location = d.locationId === null ? undefined : views.data.location(d.locationId);
  return {
    __typename: 'ReverseFulfillmentOrderDisposition',
    id: gid('ReverseFulfillmentOrderDisposition', d.id),
    type: d.type,
    quantity: d.quantity,
    location: location ? () => views.location(location) : null,
  };
}

export function returnView(views: Views, r: ReturnRecord): Obj {
  const order = views.data.ordersById.get(r.orderId);
  const bound = views.options.requireBound;
  return {
    __typename: 'Return',
    id: gid('Return', r.id),
    name: r.name,
    status: r.status,
    totalQuantity: r.lineItems.reduce((s, l) => s + l.quantity, 0),
    order: order ? () => views.order(order) : null,
    decline: r.decline ? { __typename: 'ReturnDecline', ...r.decline } : null,
    returnLineItems: (args: Args) =>
      paginateList(
        r.lineItems,
        args as ConnectionArgs,
        (l) => l.id,
        (l) => ({
          __typename: 'ReturnLineItem',
          id: gid('ReturnLineItem', l.id),
          quantity: l.quantity,
          refundableQuantity: l.quantity,
          refundedQuantity: 0,
          returnReason: l.returnReason,
          returnReasonNote: l.returnReasonNote,
          customerNote: l.customerNote,
          fulfillmentLineItem: () =>
            order ? fulfillmentLineItemView(views, order, l.fulfillmentLineItemId) : null,
        }),
        bound,
      ),
    reverseFulfillmentOrders: (args: Args) =>
      paginateList(
        r.reverseFulfillmentOrders,
        args as ConnectionArgs,
        (rfo) => rfo.id,
        (rfo) => reverseFulfillmentOrderView(views, rfo),
        bound,
      ),
  };
}

export function reverseFulfillmentOrderLineItemView(
  views: Views,
  order: OrderRecord | undefined,
  l: ReverseFulfillmentOrderLineItemRecord,
): Obj {
  return {
    __typename: 'ReverseFulfillmentOrderLineItem',
    id: gid('ReverseFulfillmentOrderLineItem', l.id),
    totalQuantity: l.totalQuantity,
    fulfillmentLineItem: () =>
      order ? fulfillmentLineItemView(views, order, l.fulfillmentLineItemId) : null,
    dispositions: l.dispositions.map((d) => dispositionView(views, d)),
  };
}

export function reverseFulfillmentOrderView(views: Views, rfo: ReverseFulfillmentOrderRecord): Obj {
  const order = views.data.ordersById.get(rfo.orderId);
  const bound = views.options.requireBound;
  return {
    __typename: 'ReverseFulfillmentOrder',
    id: gid('ReverseFulfillmentOrder', rfo.id),
    status: rfo.status,
    order: order ? () => views.order(order) : null,
    lineItems: (args: Args) =>
      paginateList(
        rfo.lineItems,
        args as ConnectionArgs,
        (l) => l.id,
        (l) => reverseFulfillmentOrderLineItemView(views, order, l),
        bound,
      ),
    reverseDeliveries: (args: Args) =>
      paginateList(
        rfo.deliveries,
        args as ConnectionArgs,
        (d) => d.id,
        (d) => reverseDeliveryView(views, rfo, d),
        bound,
      ),
  };
}

export function reverseDeliveryView(
  views: Views,
  rfo: ReverseFulfillmentOrderRecord,
  d: ReverseDeliveryRecord,
): Obj {
  return {
    __typename: 'ReverseDelivery',
    id: gid('ReverseDelivery', d.id),
    reverseFulfillmentOrder: () => reverseFulfillmentOrderView(views, rfo),
    deliverable: {
      __typename: 'ReverseDeliveryShippingDeliverable',
      tracking: d.tracking ? { __typename: 'ReverseDeliveryTrackingV2', ...d.tracking } : null,
      label: d.label
        ? {
            __typename: 'ReverseDeliveryLabelV2',
            createdAt: isoTime(d.label.createdAt),
            updatedAt: isoTime(d.label.updatedAt),
            publicFileUrl: d.label.fileUrl,
          }
        : null,
    },
    reverseDeliveryLineItems: (args: Args) =>
      paginateList(
        d.lineItems,
        args as ConnectionArgs,
        (l) => l.id,
        (l) => {
          const line = rfo.lineItems.find((x) => x.id === l.reverseFulfillmentOrderLineItemId);
          return {
            __typename: 'ReverseDeliveryLineItem',
            id: gid('ReverseDeliveryLineItem', l.id),
            quantity: l.quantity,
            reverseFulfillmentOrderLineItem: line
              ? reverseFulfillmentOrderLineItemView(views, views.data.ordersById.get(rfo.orderId), line)
              : null,
            dispositions: line ? line.dispositions.map((x) => dispositionView(views, x)) : [],
          };
        },
        views.options.requireBound,
      ),
  };
}

/** `Order.returns(first:, query:)`: needs a returns scope, as on Shopify. */
export function orderReturns(views: Views, order: OrderRecord) {
  return (args: Args, ctx: SandboxRequestContext) => {
    requireScope(ctx, 'returns', RETURNS_READ_SCOPES);
    const { test } = compileSearch(
      parseSearchQuery(typeof args.query === 'string' ? args.query : null),
      RETURN_SEARCH,
    );
    const list = views.data.returnRules.returnsOf(order).filter(test);
    return paginate(
      list,
      args as ConnectionArgs,
      { value: (r) => r.id, id: (r) => r.id },
      (r) => returnView(views, r),
      views.options.requireBound,
    );
  };
}
