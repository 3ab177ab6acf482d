import { z } from 'zod';
import { userErrorsSchema } from '../user-errors.js';
import { defineOperation } from '../operation.js';
import type { Connection } from '../types.js';

/**
 * A fulfillment service's queue: the fulfillment orders the merchant (or Shopify's routing)
 * asked it to fulfil, or asked it to give back, and its answers to them.
 */

export type AssignmentStatus = 'FULFILLMENT_REQUESTED' | 'CANCELLATION_REQUESTED' | 'FULFILLMENT_ACCEPTED';

export interface PendingRequestNode {
  id: string;
  status: string;
  requestStatus: string;
  updatedAt: string;
  order: { id: string; name: string; updatedAt: string; cancelledAt: string | null };
  assignedLocation: { name: string; location: { id: string } | null };
  lineItems: { nodes: { id: string; sku: string | null; productTitle: string; remainingQuantity: number }[] };
  merchantRequests: { nodes: { kind: string; message: string | null; sentAt: string }[] };
}

export interface PendingRequestsData {
  assignedFulfillmentOrders: Connection<PendingRequestNode>;
}
export interface PendingRequestsVariables {
  status: AssignmentStatus;
  locationIds?: string[] | null;
  after?: string | null;
}

/**
 * Pending requests with what a person answering them needs: the order, the lines, the
 * merchant's latest message. 25 a page keeps the requested cost near 750.
 */
export const PendingRequests = defineOperation<PendingRequestsData, PendingRequestsVariables>(
  'PendingRequests',
  'query',
  /* GraphQL */ `
  query PendingRequests($status: FulfillmentOrderAssignmentStatus!, $locationIds: [ID!], $after: String) {
    assignedFulfillmentOrders(first: 25, after: $after, assignmentStatus: $status, locationIds: $locationIds) {
      nodes {
        id
        status
        requestStatus
        updatedAt
        order { id name updatedAt cancelledAt }
        assignedLocation { name location { id } }
        lineItems(first: 20) {
          nodes { id sku productTitle remainingQuantity }
        }
        merchantRequests(first: 1, reverse: true) {
          nodes { kind message sentAt }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
);

export interface RequestedFulfillmentOrderNode {
  id: string;
  order: { id: string; name: string; updatedAt: string };
}
export interface RequestedFulfillmentOrdersData {
  assignedFulfillmentOrders: Connection<RequestedFulfillmentOrderNode>;
}
export interface RequestedFulfillmentOrdersVariables {
  locationIds: string[];
  after?: string | null;
}

/**
 * The fulfillment orders awaiting the service's answer, with only what deciding to accept
 * needs (the order and the version of it the import saw): 250 a page for about 500 points.
 */
export const RequestedFulfillmentOrders = defineOperation<
  RequestedFulfillmentOrdersData,
  RequestedFulfillmentOrdersVariables
>(
  'RequestedFulfillmentOrders',
  'query',
  /* GraphQL */ `
  query RequestedFulfillmentOrders($locationIds: [ID!], $after: String) {
    assignedFulfillmentOrders(
      first: 250
      after: $after
      assignmentStatus: FULFILLMENT_REQUESTED
      locationIds: $locationIds
    ) {
      nodes {
        id
        order { id name updatedAt }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
);

export interface OrderRequestsNode {
  id: string;
  name: string;
  updatedAt: string;
  cancelledAt: string | null;
  fulfillmentOrders: {
    nodes: {
      id: string;
      status: string;
      requestStatus: string;
      assignedLocation: { location: { id: string } | null };
    }[];
  };
}
export interface OrdersRequestsData {
  orders: Connection<OrderRequestsNode>;
}
export interface OrdersRequestsVariables {
  query: string;
}

/** Orders found by name or id (`name:#1001 OR id:123`), with the request status of each fulfillment order. */
export const OrdersRequests = defineOperation<OrdersRequestsData, OrdersRequestsVariables>(
  'OrdersRequests',
  'query',
  /* GraphQL */ `
  query OrdersRequests($query: String!) {
    orders(first: 25, query: $query) {
      nodes {
        id
        name
        updatedAt
        cancelledAt
        fulfillmentOrders(first: 10) {
          nodes {
            id
            status
            requestStatus
            assignedLocation { location { id } }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
);

const answered = z
  .object({
    fulfillmentOrder: z.object({ id: z.string(), status: z.string(), requestStatus: z.string() }).nullable(),
    userErrors: userErrorsSchema,
  })
  .nullable();

/** A fulfillment service's answer to a request: the fulfillment order afterwards, or why not. */
export type AnsweredFulfillmentOrder = z.infer<typeof answered>;

/** Each answer's payload sits under its own field; all four share the answered shape. */
function answerParser<F extends string>(field: F) {
  const schema = z.object({ [field]: answered } as Record<F, typeof answered>);
  return { parse: (data: unknown) => schema.parse(data) as Record<F, AnsweredFulfillmentOrder> };
}

/** A fulfillment service takes the work (before the import's delivery is answered, or shipping it). */
export const AcceptFulfillmentRequest = defineOperation<
  Record<'fulfillmentOrderAcceptFulfillmentRequest', AnsweredFulfillmentOrder>,
  { id: string; message?: string | null }
>(
  'AcceptFulfillmentRequest',
  'mutation',
  /* GraphQL */ `
  mutation AcceptFulfillmentRequest($id: ID!, $message: String) {
    fulfillmentOrderAcceptFulfillmentRequest(id: $id, message: $message) {
      fulfillmentOrder { id status requestStatus }
      userErrors { field message }
    }
  }
`,
  answerParser('fulfillmentOrderAcceptFulfillmentRequest'),
);

export const RejectFulfillmentRequest = defineOperation<
  Record<'fulfillmentOrderRejectFulfillmentRequest', AnsweredFulfillmentOrder>,
  { id: string; reason: string; message?: string | null }
>(
  'RejectFulfillmentRequest',
  'mutation',
  /* GraphQL */ `
  mutation RejectFulfillmentRequest($id: ID!, $reason: FulfillmentOrderRejectionReason!, $message: String) {
    fulfillmentOrderRejectFulfillmentRequest(id: $id, reason: $reason, message: $message) {
      fulfillmentOrder { id status requestStatus }
      userErrors { field message }
    }
  }
`,
  answerParser('fulfillmentOrderRejectFulfillmentRequest'),
);

export const AcceptCancellationRequest = defineOperation<
  Record<'fulfillmentOrderAcceptCancellationRequest', AnsweredFulfillmentOrder>,
  { id: string; message?: string | null }
>(
  'AcceptCancellationRequest',
  'mutation',
  /* GraphQL */ `
  mutation AcceptCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderAcceptCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder { id status requestStatus }
      userErrors { field message }
    }
  }
`,
  answerParser('fulfillmentOrderAcceptCancellationRequest'),
);

export const RejectCancellationRequest = defineOperation<
  Record<'fulfillmentOrderRejectCancellationRequest', AnsweredFulfillmentOrder>,
  { id: string; message?: string | null }
>(
  'RejectCancellationRequest',
  'mutation',
  /* GraphQL */ `
  mutation RejectCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderRejectCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder { id status requestStatus }
      userErrors { field message }
    }
  }
`,
  answerParser('fulfillmentOrderRejectCancellationRequest'),
);
