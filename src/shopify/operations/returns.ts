import { z } from 'zod';
import { codedUserErrorsSchema } from '../user-errors.js';
import { defineOperation } from '../operation.js';

/**
 * Returns operations (`dsync returns …`). ReturnOrders reads a page of orders that have returns,
 * each with the fulfillments' locations (which items left the fulfillment location), its returns,
 * their line items (reason, customer note), reverse fulfillment orders (what is coming back and
 * what was disposed of) and reverse deliveries (tracking), in one request.
 *
 * Requested cost (objects 1, a connection 2 + first × node), per order:
 *   1 + fulfillments 3 × (1 + location 1 + fulfillmentLineItems (2 + 10 × 1)) = 43
 *     + returns (2 + 3 × (1 + returnLineItems (2 + 10 × 3)
 *                         + reverseFulfillmentOrders (2 + 2 × (1 + lineItems (2 + 8 × 4)
 *                                                             + reverseDeliveries (2 + 2 × 3)))))
 *   = 1 + 43 + 2 + 3 × (1 + 32 + 2 + 2 × 43) = 409,
 * so a page holds RETURN_ORDERS_PER_PAGE = 2 orders (820 with the page's own 2). A return with
 * more line items, reverse fulfillment orders or deliveries than that is read again on its own
 * with ReturnDetail.
 */
export const RETURN_ORDERS_PER_PAGE = 2;

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const more = z.object({ hasNextPage: z.boolean() });

const disposition = z.object({
  type: z.string(),
  quantity: z.number().int(),
  location: z.object({ id: z.string() }).nullable(),
});

const rfoLine = z.object({
  id: z.string(),
  totalQuantity: z.number().int(),
  fulfillmentLineItem: z.object({ id: z.string() }).nullable(),
  dispositions: z.array(disposition),
});
export type RawReverseFulfillmentOrderLine = z.infer<typeof rfoLine>;

const tracking = z.object({
  carrierName: z.string().nullable(),
  number: z.string().nullable(),
  url: z.string().nullable(),
});

const reverseDelivery = z.object({
  id: z.string(),
  deliverable: z.object({ tracking: tracking.nullable().optional() }).passthrough().nullable(),
});

const reverseFulfillmentOrder = z.object({
  id: z.string(),
  status: z.string(),
  lineItems: z.object({ nodes: z.array(rfoLine), pageInfo: more }),
  reverseDeliveries: z.object({ nodes: z.array(reverseDelivery), pageInfo: more }),
});
export type RawReverseFulfillmentOrder = z.infer<typeof reverseFulfillmentOrder>;

const returnLine = z.object({
  id: z.string(),
  quantity: z.number().int(),
  returnReason: z.string(),
  returnReasonNote: z.string().nullable(),
  customerNote: z.string().nullable(),
  fulfillmentLineItem: z
    .object({ id: z.string(), lineItem: z.object({ sku: z.string().nullable() }) })
    .nullable()
    .optional(),
});

const rawReturn = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  totalQuantity: z.number().int(),
  returnLineItems: z.object({ nodes: z.array(returnLine), pageInfo: more }),
  reverseFulfillmentOrders: z.object({ nodes: z.array(reverseFulfillmentOrder), pageInfo: more }),
});
export type RawReturn = z.infer<typeof rawReturn>;

const fulfillment = z.object({
  location: z.object({ id: z.string() }).nullable(),
  fulfillmentLineItems: z.object({ nodes: z.array(z.object({ id: z.string() })), pageInfo: more }),
});

const returnOrder = z.object({
  id: z.string(),
  name: z.string(),
  updatedAt: z.string(),
  returnStatus: z.string(),
  fulfillments: z.array(fulfillment),
  returns: z.object({ nodes: z.array(rawReturn), pageInfo: more }),
});
export type RawReturnOrder = z.infer<typeof returnOrder>;

const returnOrders = z.object({
  orders: z.object({ nodes: z.array(returnOrder), pageInfo }),
});
export type ReturnOrdersData = z.infer<typeof returnOrders>;

/** Orders matching a search (`return_status:…`, `updated_at:…`, `id:…`) with their returns. */
export const ReturnOrders = defineOperation<ReturnOrdersData, { query: string; after?: string | null }>(
  'ReturnOrders',
  'query',
  /* GraphQL */ `
  query ReturnOrders($query: String!, $after: String) {
    orders(first: 2, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        updatedAt
        returnStatus
        fulfillments(first: 3) {
          location { id }
          fulfillmentLineItems(first: 10) { nodes { id } pageInfo { hasNextPage } }
        }
        returns(first: 3) {
          nodes {
            id
            name
            status
            totalQuantity
            returnLineItems(first: 10) {
              nodes {
                id
                quantity
                returnReason
                returnReasonNote
                customerNote
                ... on ReturnLineItem { fulfillmentLineItem { id lineItem { sku } } }
              }
              pageInfo { hasNextPage }
            }
            reverseFulfillmentOrders(first: 2) {
              nodes {
                id
                status
                lineItems(first: 8) {
                  nodes {
                    id
                    totalQuantity
                    fulfillmentLineItem { id }
                    dispositions { type quantity location { id } }
                  }
                  pageInfo { hasNextPage }
                }
                reverseDeliveries(first: 2) {
                  nodes {
                    id
                    deliverable {
                      ... on ReverseDeliveryShippingDeliverable { tracking { carrierName number url } }
                    }
                  }
                  pageInfo { hasNextPage }
                }
              }
              pageInfo { hasNextPage }
            }
          }
          pageInfo { hasNextPage }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
  { parse: (data) => returnOrders.parse(data) },
);

const returnDetail = z.object({
  return: rawReturn
    .extend({
      order: z.object({
        id: z.string(),
        name: z.string(),
        updatedAt: z.string(),
        returnStatus: z.string(),
        fulfillments: z.array(fulfillment),
      }),
    })
    .nullable(),
});
export type ReturnDetailData = z.infer<typeof returnDetail>;

/**
 * One return in full (larger pages than ReturnOrders), with its order's fulfillment locations.
 * Requested cost: 1 + order (1 + 10 × (1 + 1 + 2 + 20)) + returnLineItems (2 + 50 × 3)
 *   + reverseFulfillmentOrders (2 + 3 × (1 + (2 + 30 × 4) + (2 + 5 × 3))) = 1 + 241 + 152 + 422 = 816.
 */
export const ReturnDetail = defineOperation<ReturnDetailData, { id: string }>(
  'ReturnDetail',
  'query',
  /* GraphQL */ `
  query ReturnDetail($id: ID!) {
    return(id: $id) {
      id
      name
      status
      totalQuantity
      order {
        id
        name
        updatedAt
        returnStatus
        fulfillments(first: 10) {
          location { id }
          fulfillmentLineItems(first: 20) { nodes { id } pageInfo { hasNextPage } }
        }
      }
      returnLineItems(first: 50) {
        nodes {
          id
          quantity
          returnReason
          returnReasonNote
          customerNote
          ... on ReturnLineItem { fulfillmentLineItem { id lineItem { sku } } }
        }
        pageInfo { hasNextPage }
      }
      reverseFulfillmentOrders(first: 3) {
        nodes {
          id
          status
          lineItems(first: 30) {
            nodes {
              id
              totalQuantity
              fulfillmentLineItem { id }
              dispositions { type quantity location { id } }
            }
            pageInfo { hasNextPage }
          }
          reverseDeliveries(first: 5) {
            nodes {
              id
              deliverable {
                ... on ReverseDeliveryShippingDeliverable { tracking { carrierName number url } }
              }
            }
            pageInfo { hasNextPage }
          }
        }
        pageInfo { hasNextPage }
      }
    }
  }
`,
  { parse: (data) => returnDetail.parse(data) },
);

const disposeResult = z.object({
  reverseFulfillmentOrderDispose: z
    .object({
      reverseFulfillmentOrderLineItems: z.array(rfoLine).nullable(),
      userErrors: codedUserErrorsSchema,
    })
    .nullable(),
});
export type DisposeData = z.infer<typeof disposeResult>;

export interface DisposeInput {
  reverseFulfillmentOrderLineItemId: string;
  quantity: number;
  locationId: string;
  dispositionType: 'RESTOCKED' | 'NOT_RESTOCKED' | 'PROCESSING_REQUIRED' | 'MISSING';
}

/** Records what the warehouse did with returned units; RESTOCKED adds them to `available` at the location. */
export const DisposeReturnItems = defineOperation<DisposeData, { inputs: DisposeInput[] }>(
  'DisposeReturnItems',
  'mutation',
  /* GraphQL */ `
  mutation DisposeReturnItems($inputs: [ReverseFulfillmentOrderDisposeInput!]!) {
    reverseFulfillmentOrderDispose(dispositionInputs: $inputs) {
      reverseFulfillmentOrderLineItems {
        id
        totalQuantity
        fulfillmentLineItem { id lineItem { sku } }
        dispositions { type quantity location { id } }
      }
      userErrors { field message code }
    }
  }
`,
  { parse: (data) => disposeResult.parse(data) },
);

const orderReturnIds = z.object({
  order: z
    .object({ id: z.string(), returns: z.object({ nodes: z.array(z.object({ id: z.string() })) }) })
    .nullable(),
});

/** The ids of an order's returns, for orders with more returns than a ReturnOrders page holds. */
export const OrderReturnIds = defineOperation<z.infer<typeof orderReturnIds>, { id: string }>(
  'OrderReturnIds',
  'query',
  /* GraphQL */ `
  query OrderReturnIds($id: ID!) {
    order(id: $id) {
      id
      returns(first: 50) { nodes { id } }
    }
  }
`,
  { parse: (data) => orderReturnIds.parse(data) },
);
