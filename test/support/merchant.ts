import { createAdminApiClient } from '@shopify/admin-api-client';
import type { TestSandbox } from './sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: Admin API answers are inspected field by field
type Json = any;

/**
 * The merchant's side of a test store, through the Admin API with Shopify's own client, as the
 * merchant's apps would change it: every call fails the test on a GraphQL error or userErrors.
 */
export function merchant(sandbox: TestSandbox) {
  const client = createAdminApiClient({
    storeDomain: sandbox.shop,
    apiVersion: '2026-10',
    accessToken: sandbox.accessToken,
    customFetchApi: (url, init) =>
      fetch(String(url).replace(`https://${sandbox.shop}`, sandbox.origin), init as RequestInit),
  });
  async function call(query: string, variables: Record<string, unknown>, field: string): Promise<Json> {
    const { data, errors } = await client.request(query, { variables });
    if (errors) throw new Error(`${field}: ${JSON.stringify(errors)}`);
    const payload = (data as Json)[field];
    const userErrors = [...(payload?.userErrors ?? []), ...(payload?.orderCancelUserErrors ?? [])];
    if (userErrors.length > 0) throw new Error(`${field}: ${JSON.stringify(userErrors)}`);
    return payload;
  }

  return {
    call,
    /** An order with its lines and fulfillment orders. */
    async order(id: string): Promise<Json> {
      const { data, errors } = await client.request(
        `query Order($id: ID!) {
          order(id: $id) {
            id name createdAt cancelledAt displayFinancialStatus displayFulfillmentStatus
            lineItems(first: 20) { nodes { id quantity sku } }
            fulfillmentOrders(first: 5) {
              nodes {
                id status requestStatus
                assignedLocation { location { id } }
                lineItems(first: 20) { nodes { id remainingQuantity requiresShipping lineItem { id isGiftCard } } }
              }
            }
          }
        }`,
        { variables: { id } },
      );
      if (errors) throw new Error(JSON.stringify(errors));
      return (data as Json).order;
    },
    /** An order's fulfillments (tracking, notification, lines) and what is left on its fulfillment orders. */
    async shipping(id: string): Promise<Json> {
      const { data, errors } = await client.request(
        `query Shipping($id: ID!) {
          order(id: $id) {
            id name cancelledAt displayFulfillmentStatus
            fulfillments(first: 5) {
              id status
              trackingInfo(first: 3) { company number url }
              fulfillmentLineItems(first: 10) { nodes { quantity lineItem { sku } } }
            }
            fulfillmentOrders(first: 4) {
              nodes {
                id status requestStatus
                assignedLocation { location { id } }
                lineItems(first: 10) { nodes { id sku remainingQuantity totalQuantity } }
              }
            }
          }
        }`,
        { variables: { id } },
      );
      if (errors) throw new Error(JSON.stringify(errors));
      return (data as Json).order;
    },
    /** Every order of the store, with what decides whether it is to be shipped. */
    async allOrders(): Promise<Json[]> {
      const out: Json[] = [];
      let after: string | null = null;
      for (;;) {
        const { data, errors }: { data?: Json; errors?: unknown } = await client.request(
          `query All($after: String) {
            orders(first: 8, after: $after, query: "status:any") {
              nodes {
                id name createdAt cancelledAt displayFinancialStatus displayFulfillmentStatus
                fulfillmentOrders(first: 4) {
                  nodes {
                    id status requestStatus
                    assignedLocation { location { id } }
                    lineItems(first: 10) { nodes { id remainingQuantity requiresShipping lineItem { isGiftCard } } }
                  }
                }
              }
              pageInfo { hasNextPage endCursor }
            }
          }`,
          { variables: { after } },
        );
        if (errors) throw new Error(JSON.stringify(errors));
        out.push(...data.orders.nodes);
        if (!data.orders.pageInfo.hasNextPage) return out;
        after = data.orders.pageInfo.endCursor;
      }
    },
    async variants(): Promise<Json[]> {
      const { data, errors } = await client.request(
        `query V { productVariants(first: 50) { nodes { id sku product { isGiftCard } } } }`,
      );
      if (errors) throw new Error(JSON.stringify(errors));
      return (data as Json).productVariants.nodes;
    },
    /** Every level at a location: SKU, item id, available and on hand. */
    async levels(
      locationId: string,
    ): Promise<{ sku: string | null; itemId: string; available: number; onHand: number }[]> {
      const out: { sku: string | null; itemId: string; available: number; onHand: number }[] = [];
      let after: string | null = null;
      for (;;) {
        const { data, errors }: { data?: Json; errors?: unknown } = await client.request(
          `query Levels($id: ID!, $after: String) {
            location(id: $id) {
              inventoryLevels(first: 200, after: $after) {
                nodes { quantities(names: ["available", "on_hand"]) { name quantity } item { id sku } }
                pageInfo { hasNextPage endCursor }
              }
            }
          }`,
          { variables: { id: locationId, after } },
        );
        if (errors) throw new Error(JSON.stringify(errors));
        for (const node of data.location.inventoryLevels.nodes) {
          const q = (name: string) => node.quantities.find((x: Json) => x.name === name).quantity;
          out.push({
            sku: node.item.sku,
            itemId: node.item.id,
            available: q('available'),
            onHand: q('on_hand'),
          });
        }
        if (!data.location.inventoryLevels.pageInfo.hasNextPage) return out;
        after = data.location.inventoryLevels.pageInfo.endCursor;
      }
    },
    /** A stock change in the admin (a sale, a count): `available` moves by `delta`. */
    adjustInventory: (inventoryItemId: string, locationId: string, delta: number) =>
      call(
        `mutation A($input: InventoryAdjustQuantitiesInput!, $key: String!) {
          inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
            inventoryAdjustmentGroup { id } userErrors { field message }
          }
        }`,
        {
          input: {
            name: 'available',
            reason: 'correction',
            changes: [{ inventoryItemId, locationId, delta }],
          },
          key: crypto.randomUUID(),
        },
        'inventoryAdjustQuantities',
      ),
    createOrder: (order: Record<string, unknown>) =>
      call(
        `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id name } userErrors { field message } } }`,
        { order },
        'orderCreate',
      ),
    markAsPaid: (id: string) =>
      call(
        `mutation P($input: OrderMarkAsPaidInput!) { orderMarkAsPaid(input: $input) { order { id } userErrors { field message } } }`,
        { input: { id } },
        'orderMarkAsPaid',
      ),
    cancel: (orderId: string) =>
      call(
        `mutation X($orderId: ID!) {
          orderCancel(orderId: $orderId, reason: CUSTOMER, refund: true, restock: true) {
            job { id } orderCancelUserErrors { field message code } userErrors { field message }
          }
        }`,
        { orderId },
        'orderCancel',
      ),
    refundLines: (orderId: string, lines: { lineItemId: string; quantity: number }[]) =>
      call(
        `mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }`,
        { input: { orderId, refundLineItems: lines.map((l) => ({ ...l, restockType: 'CANCEL' })) } },
        'refundCreate',
      ),
    hold: (id: string) =>
      call(
        `mutation H($id: ID!, $hold: FulfillmentOrderHoldInput!) {
          fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { fulfillmentOrder { id status } userErrors { field message } }
        }`,
        { id, hold: { reason: 'OTHER', reasonNotes: 'customer asked to wait' } },
        'fulfillmentOrderHold',
      ),
    release: (id: string) =>
      call(
        `mutation L($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { fulfillmentOrder { id status } userErrors { field message } } }`,
        { id },
        'fulfillmentOrderReleaseHold',
      ),
    move: (id: string, newLocationId: string) =>
      call(
        `mutation M($id: ID!, $to: ID!) {
          fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id status } userErrors { field message } }
        }`,
        { id, to: newLocationId },
        'fulfillmentOrderMove',
      ),
    updateAddress: (id: string, address1: string) =>
      call(
        `mutation U($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { field message } } }`,
        {
          input: {
            id,
            shippingAddress: {
              firstName: 'Ada',
              lastName: 'Lovelace',
              address1,
              city: 'London',
              zip: 'N1 9GU',
              countryCode: 'GB',
            },
          },
        },
        'orderUpdate',
      ),
    /** Asks the fulfillment service at the fulfillment order's location to fulfil it. */
    submitFulfillmentRequest: (id: string, message = 'please ship') =>
      call(
        `mutation S($id: ID!, $message: String) {
          fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message) {
            submittedFulfillmentOrder { id requestStatus } userErrors { field message }
          }
        }`,
        { id, message },
        'fulfillmentOrderSubmitFulfillmentRequest',
      ),
    /** Asks the fulfillment service to give back work it accepted. */
    submitCancellationRequest: (id: string, message = 'customer changed their mind') =>
      call(
        `mutation C($id: ID!, $message: String) {
          fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {
            fulfillmentOrder { id requestStatus } userErrors { field message }
          }
        }`,
        { id, message },
        'fulfillmentOrderSubmitCancellationRequest',
      ),
    /** An order edit: set each named line's quantity, then commit. */
    async editQuantities(orderId: string, quantities: Map<string, number>): Promise<void> {
      const begun = await call(
        `mutation B($id: ID!) {
          orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 50) { nodes { id sku quantity } } } userErrors { field message } }
        }`,
        { id: orderId },
        'orderEditBegin',
      );
      const calculated = begun.calculatedOrder;
      const original = await this.order(orderId);
      for (const [lineItemId, quantity] of quantities) {
        // Calculated line items follow the order's lines one for one (same order, same SKU).
        const index = original.lineItems.nodes.findIndex((l: Json) => l.id === lineItemId);
        const calculatedLine = calculated.lineItems.nodes[index];
        await call(
          `mutation Q($id: ID!, $line: ID!, $quantity: Int!) {
            orderEditSetQuantity(id: $id, lineItemId: $line, quantity: $quantity, restock: true) {
              calculatedOrder { id } userErrors { field message }
            }
          }`,
          { id: calculated.id, line: calculatedLine.id, quantity },
          'orderEditSetQuantity',
        );
      }
      await call(
        `mutation E($id: ID!) { orderEditCommit(id: $id) { order { id } userErrors { field message } } }`,
        { id: calculated.id },
        'orderEditCommit',
      );
    },
  };
}
