/**
 * The GraphQL the live store runs against its own Admin API: the reads a merchant makes to pick
 * what to change, and Shopify's merchant mutations. Parsed and validated against the sandbox's
 * schema once, when the activity starts.
 */

/** What the store sells and where: read once, when the activity starts. */
export const ACTIVITY_CATALOG = /* GraphQL */ `
  query ActivityCatalog {
    locations(first: 50, includeLegacy: true) {
      nodes { id name isActive fulfillsOnlineOrders isFulfillmentService }
    }
    productVariants(first: 250) {
      nodes {
        id
        sku
        product { isGiftCard }
        inventoryItem {
          id
          tracked
          inventoryLevels(first: 10) { nodes { location { id } } }
        }
      }
    }
  }
`;

/** The newest orders matching a search, with what a merchant looks at before changing one. */
export const ACTIVITY_ORDERS = /* GraphQL */ `
  query ActivityOrders($query: String!) {
    orders(first: 25, query: $query, sortKey: ID, reverse: true) {
      nodes {
        id
        name
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        shippingAddress { firstName lastName }
        lineItems(first: 50) {
          nodes {
            id
            sku
            quantity
            currentQuantity
            refundableQuantity
            unfulfilledQuantity
            discountedUnitPriceSet { shopMoney { amount currencyCode } }
          }
        }
        fulfillmentOrders(first: 20) {
          nodes {
            id
            status
            requestStatus
            assignedLocation { location { id } }
            lineItems(first: 50) { nodes { id sku remainingQuantity totalQuantity variant { id } } }
          }
        }
      }
    }
  }
`;

export const ACTIVITY_ORDER_CREATE = /* GraphQL */ `
  mutation ActivityOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order { id name displayFinancialStatus }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_UPDATE = /* GraphQL */ `
  mutation ActivityOrderUpdate($input: OrderInput!) {
    orderUpdate(input: $input) {
      order { id name }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_MARK_AS_PAID = /* GraphQL */ `
  mutation ActivityOrderMarkAsPaid($input: OrderMarkAsPaidInput!) {
    orderMarkAsPaid(input: $input) {
      order { id name displayFinancialStatus }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_CANCEL = /* GraphQL */ `
  mutation ActivityOrderCancel(
    $orderId: ID!
    $reason: OrderCancelReason!
    $refund: Boolean!
    $restock: Boolean!
    $staffNote: String
  ) {
    orderCancel(
      orderId: $orderId
      reason: $reason
      refund: $refund
      restock: $restock
      notifyCustomer: false
      staffNote: $staffNote
    ) {
      job { id done }
      orderCancelUserErrors { field message }
    }
  }
`;

export const ACTIVITY_REFUND_CREATE = /* GraphQL */ `
  mutation ActivityRefundCreate($input: RefundInput!) {
    refundCreate(input: $input) {
      refund { id }
      order { id name displayFinancialStatus }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_EDIT_BEGIN = /* GraphQL */ `
  mutation ActivityOrderEditBegin($id: ID!) {
    orderEditBegin(id: $id) {
      calculatedOrder {
        id
        lineItems(first: 50) { nodes { id quantity sku } }
      }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_EDIT_SET_QUANTITY = /* GraphQL */ `
  mutation ActivityOrderEditSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) {
    orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) {
      calculatedLineItem { id quantity }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_EDIT_ADD_VARIANT = /* GraphQL */ `
  mutation ActivityOrderEditAddVariant($id: ID!, $variantId: ID!, $quantity: Int!) {
    orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity, allowDuplicates: false) {
      calculatedLineItem { id quantity }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_ORDER_EDIT_COMMIT = /* GraphQL */ `
  mutation ActivityOrderEditCommit($id: ID!, $staffNote: String) {
    orderEditCommit(id: $id, notifyCustomer: false, staffNote: $staffNote) {
      order { id name }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_FULFILLMENT_ORDER_HOLD = /* GraphQL */ `
  mutation ActivityFulfillmentOrderHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
      fulfillmentOrder { id status }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_FULFILLMENT_ORDER_RELEASE_HOLD = /* GraphQL */ `
  mutation ActivityFulfillmentOrderReleaseHold($id: ID!) {
    fulfillmentOrderReleaseHold(id: $id) {
      fulfillmentOrder { id status }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_FULFILLMENT_ORDER_MOVE = /* GraphQL */ `
  mutation ActivityFulfillmentOrderMove($id: ID!, $newLocationId: ID!) {
    fulfillmentOrderMove(id: $id, newLocationId: $newLocationId) {
      movedFulfillmentOrder { id status assignedLocation { location { id } } }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_SUBMIT_FULFILLMENT_REQUEST = /* GraphQL */ `
  mutation ActivitySubmitFulfillmentRequest($id: ID!, $message: String) {
    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message, notifyCustomer: false) {
      submittedFulfillmentOrder { id status requestStatus }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_SUBMIT_CANCELLATION_REQUEST = /* GraphQL */ `
  mutation ActivitySubmitCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder { id status requestStatus }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_INVENTORY_ADJUST = /* GraphQL */ `
  mutation ActivityInventoryAdjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
      userErrors { field message }
    }
  }
`;

export const ACTIVITY_OPERATIONS = {
  ActivityCatalog: ACTIVITY_CATALOG,
  ActivityOrders: ACTIVITY_ORDERS,
  ActivityOrderCreate: ACTIVITY_ORDER_CREATE,
  ActivityOrderUpdate: ACTIVITY_ORDER_UPDATE,
  ActivityOrderMarkAsPaid: ACTIVITY_ORDER_MARK_AS_PAID,
  ActivityOrderCancel: ACTIVITY_ORDER_CANCEL,
  ActivityRefundCreate: ACTIVITY_REFUND_CREATE,
  ActivityOrderEditBegin: ACTIVITY_ORDER_EDIT_BEGIN,
  ActivityOrderEditSetQuantity: ACTIVITY_ORDER_EDIT_SET_QUANTITY,
  ActivityOrderEditAddVariant: ACTIVITY_ORDER_EDIT_ADD_VARIANT,
  ActivityOrderEditCommit: ACTIVITY_ORDER_EDIT_COMMIT,
  ActivityFulfillmentOrderHold: ACTIVITY_FULFILLMENT_ORDER_HOLD,
  ActivityFulfillmentOrderReleaseHold: ACTIVITY_FULFILLMENT_ORDER_RELEASE_HOLD,
  ActivityFulfillmentOrderMove: ACTIVITY_FULFILLMENT_ORDER_MOVE,
  ActivitySubmitFulfillmentRequest: ACTIVITY_SUBMIT_FULFILLMENT_REQUEST,
  ActivitySubmitCancellationRequest: ACTIVITY_SUBMIT_CANCELLATION_REQUEST,
  ActivityInventoryAdjust: ACTIVITY_INVENTORY_ADJUST,
} as const;

export type ActivityOperationName = keyof typeof ACTIVITY_OPERATIONS;
