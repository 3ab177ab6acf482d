import { z } from 'zod';
import { userErrorsSchema } from '../user-errors.js';
import { defineOperation } from '../operation.js';

/**
 * Shipment operations (`dsync ship`). ShipmentOrders reads what deciding a shipment needs for
 * several orders at once: the fulfillment orders with their remaining lines and the tracking
 * numbers of the order's fulfillments (requested cost ≈ 1 + 77 + 40 per order, so batches of up to
 * 8 orders stay under Shopify's 1000-point limit; the actual cost of a one-location order is ~10).
 * Orders with more fulfillment orders or lines than that holds are completed with
 * ShipmentFulfillmentOrders / ShipmentFulfillmentOrderLines; the lines of a fulfillment whose
 * tracking number matches a shipment come from FulfillmentLines.
 */

/** Fulfillment orders and lines ShipmentOrders reads per order (more are paged). */
export const SHIPMENT_FULFILLMENT_ORDERS_PER_ORDER = 5;
export const SHIPMENT_LINES_PER_FULFILLMENT_ORDER = 10;
/** Orders per ShipmentOrders request: keeps the requested cost under 1000. */
export const SHIPMENT_ORDERS_PER_REQUEST = 8;

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

const foLine = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  remainingQuantity: z.number().int(),
  totalQuantity: z.number().int(),
  productTitle: z.string(),
  variantTitle: z.string().nullable(),
});
export type ShipmentFulfillmentOrderLine = z.infer<typeof foLine>;

const fulfillmentOrder = z.object({
  id: z.string(),
  status: z.string(),
  requestStatus: z.string(),
  assignedLocation: z.object({ location: z.object({ id: z.string(), name: z.string() }).nullable() }),
  lineItems: z.object({ nodes: z.array(foLine), pageInfo }),
});
export type ShipmentFulfillmentOrder = z.infer<typeof fulfillmentOrder>;

const shipmentOrder = z.object({
  id: z.string(),
  name: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  fulfillmentOrders: z.object({ nodes: z.array(fulfillmentOrder), pageInfo }),
  fulfillments: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      trackingInfo: z.array(z.object({ number: z.string().nullable() })),
    }),
  ),
});
export type ShipmentOrderNode = z.infer<typeof shipmentOrder>;

const shipmentOrders = z.object({ orders: z.object({ nodes: z.array(shipmentOrder) }) });
export type ShipmentOrdersData = z.infer<typeof shipmentOrders>;

/**
 * Orders by name or id (`name:#1001 OR id:5550001`): what a shipment is decided on. `status:any`
 * is not needed: an orders search without a status matches cancelled and closed orders too.
 */
export const ShipmentOrders = defineOperation<ShipmentOrdersData, { query: string; first: number }>(
  'ShipmentOrders',
  'query',
  /* GraphQL */ `
  query ShipmentOrders($query: String!, $first: Int!) {
    orders(first: $first, query: $query) {
      nodes {
        id
        name
        updatedAt
        cancelledAt
        displayFulfillmentStatus
        fulfillmentOrders(first: 5) {
          nodes {
            id
            status
            requestStatus
            assignedLocation { location { id name } }
            lineItems(first: 10) {
              nodes { id sku remainingQuantity totalQuantity productTitle variantTitle }
              pageInfo { hasNextPage endCursor }
            }
          }
          pageInfo { hasNextPage endCursor }
        }
        fulfillments(first: 10) {
          id
          status
          trackingInfo(first: 3) { number }
        }
      }
    }
  }
`,
  { parse: (data) => shipmentOrders.parse(data) },
);

const orderFulfillmentOrders = z.object({
  order: z
    .object({ id: z.string(), fulfillmentOrders: z.object({ nodes: z.array(fulfillmentOrder), pageInfo }) })
    .nullable(),
});

/** The fulfillment orders of one order, page by page (orders with more than ShipmentOrders reads). */
export const ShipmentFulfillmentOrders = defineOperation<
  z.infer<typeof orderFulfillmentOrders>,
  { id: string; after?: string | null }
>(
  'ShipmentFulfillmentOrders',
  'query',
  /* GraphQL */ `
  query ShipmentFulfillmentOrders($id: ID!, $after: String) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 10, after: $after) {
        nodes {
          id
          status
          requestStatus
          assignedLocation { location { id name } }
          lineItems(first: 50) {
            nodes { id sku remainingQuantity totalQuantity productTitle variantTitle }
            pageInfo { hasNextPage endCursor }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
  { parse: (data) => orderFulfillmentOrders.parse(data) },
);

const fulfillmentOrderLines = z.object({
  fulfillmentOrder: z
    .object({ id: z.string(), lineItems: z.object({ nodes: z.array(foLine), pageInfo }) })
    .nullable(),
});

/** The lines of one fulfillment order, page by page. */
export const ShipmentFulfillmentOrderLines = defineOperation<
  z.infer<typeof fulfillmentOrderLines>,
  { id: string; after?: string | null }
>(
  'ShipmentFulfillmentOrderLines',
  'query',
  /* GraphQL */ `
  query ShipmentFulfillmentOrderLines($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: 250, after: $after) {
        nodes { id sku remainingQuantity totalQuantity productTitle variantTitle }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
  { parse: (data) => fulfillmentOrderLines.parse(data) },
);

const fulfillmentLines = z.object({
  nodes: z.array(
    z
      .object({
        id: z.string(),
        fulfillmentLineItems: z.object({
          nodes: z.array(
            z.object({
              quantity: z.number().int().nullable(),
              lineItem: z.object({ sku: z.string().nullable() }),
            }),
          ),
        }),
      })
      .nullable(),
  ),
});
export type FulfillmentLinesData = z.infer<typeof fulfillmentLines>;

/** Fulfillments' lines by SKU (~103 requested per fulfillment: up to 9 per request). */
export const FULFILLMENTS_PER_LINES_REQUEST = 9;
export const FulfillmentLines = defineOperation<FulfillmentLinesData, { ids: string[] }>(
  'FulfillmentLines',
  'query',
  /* GraphQL */ `
  query FulfillmentLines($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Fulfillment {
        id
        fulfillmentLineItems(first: 50) {
          nodes { quantity lineItem { sku } }
        }
      }
    }
  }
`,
  {
    // Ids of other types come back as empty objects: keep only fulfillments.
    parse: (data) => {
      const raw = data as { nodes?: unknown[] };
      const nodes = (raw.nodes ?? []).map((n) =>
        n !== null && typeof n === 'object' && 'id' in n ? n : null,
      );
      return fulfillmentLines.parse({ nodes });
    },
  },
);

const userErrors = userErrorsSchema;
export type ShipmentUserError = z.infer<typeof userErrors>[number];

const createFulfillment = z.object({
  fulfillmentCreate: z
    .object({
      fulfillment: z
        .object({
          id: z.string(),
          status: z.string(),
          order: z.object({ id: z.string(), displayFulfillmentStatus: z.string() }),
        })
        .nullable(),
      userErrors,
    })
    .nullable(),
});
export type CreateFulfillmentData = z.infer<typeof createFulfillment>;

export interface CreateFulfillmentVariables {
  fulfillment: {
    lineItemsByFulfillmentOrder: {
      fulfillmentOrderId: string;
      fulfillmentOrderLineItems: { id: string; quantity: number }[];
    }[];
    trackingInfo: { company?: string | null; number: string; url?: string | null };
    notifyCustomer: boolean;
  };
}

/** One shipment: a fulfillment across fulfillment orders of one order, with its tracking. */
export const CreateFulfillment = defineOperation<CreateFulfillmentData, CreateFulfillmentVariables>(
  'CreateFulfillment',
  'mutation',
  /* GraphQL */ `
  mutation CreateFulfillment($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        status
        order { id displayFulfillmentStatus }
      }
      userErrors { field message }
    }
  }
`,
  { parse: (data) => createFulfillment.parse(data) },
);
