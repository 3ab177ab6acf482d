import { createAdminApiClient } from '@shopify/admin-api-client';
import type { TestSandbox } from './sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: Admin API answers are inspected field by field
type Json = any;

/**
 * A return as the helpers answer it: lines, reverse fulfillment orders, deliveries, dispositions
 * (sized so eight of them stay under the single-query cost limit).
 */
const RETURN = /* GraphQL */ `
  fragment HelperReturn on Return {
    id name status totalQuantity
    order { id name returnStatus }
    decline { reason note }
    returnLineItems(first: 5) {
      nodes {
        id quantity returnReason returnReasonNote customerNote
        ... on ReturnLineItem { fulfillmentLineItem { id quantity lineItem { id sku } } }
      }
    }
    reverseFulfillmentOrders(first: 2) {
      nodes {
        id status
        lineItems(first: 5) { nodes { id totalQuantity dispositions { type quantity location { id } } } }
        reverseDeliveries(first: 1) {
          nodes {
            id
            deliverable {
              ... on ReverseDeliveryShippingDeliverable {
                tracking { number url carrierName }
                label { publicFileUrl }
              }
            }
            reverseDeliveryLineItems(first: 5) { nodes { quantity reverseFulfillmentOrderLineItem { id } } }
          }
        }
      }
    }
  }
`;

/** A line to return: a FulfillmentLineItem id and how many of its units (reason default UNWANTED). */
export interface ReturnLine {
  fulfillmentLineItemId: string;
  quantity: number;
  returnReason?: string;
  returnReasonNote?: string;
  /** Only for requestReturn (the customer's words). */
  customerNote?: string;
}

/** What the warehouse did with returned units (reverseFulfillmentOrderDispose). */
export interface Disposition {
  reverseFulfillmentOrderLineItemId: string;
  quantity: number;
  locationId: string | null;
  dispositionType: 'RESTOCKED' | 'PROCESSING_REQUIRED' | 'NOT_RESTOCKED' | 'MISSING';
}

/**
 * The merchant's side of a test store, through the Admin API with Shopify's own client, as the
 * merchant's apps would change it: every call fails the test on a GraphQL error or userErrors.
 */
export function merchant(sandbox: TestSandbox, shop: string = sandbox.shop) {
  // A sandbox with several stores (`shops: N`) serves each under `{origin}/shops/{shop}`.
  const store = sandbox.shops.find((s) => s.shop === shop);
  if (!store) throw new Error(`the sandbox serves no store ${shop}`);
  const client = createAdminApiClient({
    storeDomain: store.shop,
    apiVersion: '2026-10',
    // The first store's token is the sandbox's own, which a test may replace ({ ...sandbox, accessToken }).
    accessToken: shop === sandbox.shop ? sandbox.accessToken : store.accessToken,
    customFetchApi: (url, init) =>
      fetch(String(url).replace(`https://${store.shop}`, store.origin), init as RequestInit),
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
    // ---- returns ------------------------------------------------------------------------------

    /** The units an order shipped, one row per FulfillmentLineItem (what a return can take back). */
    async shippedLines(
      orderId: string,
    ): Promise<
      { fulfillmentLineItemId: string; quantity: number; sku: string | null; locationId: string }[]
    > {
      const { data, errors } = await client.request(
        `query Shipped($id: ID!) {
          order(id: $id) {
            fulfillments(first: 10) {
              status location { id }
              fulfillmentLineItems(first: 40) { nodes { id quantity lineItem { sku } } }
            }
          }
        }`,
        { variables: { id: orderId } },
      );
      if (errors) throw new Error(JSON.stringify(errors));
      return (data as Json).order.fulfillments
        .filter((f: Json) => f.status === 'SUCCESS')
        .flatMap((f: Json) =>
          f.fulfillmentLineItems.nodes.map((l: Json) => ({
            fulfillmentLineItemId: l.id,
            quantity: l.quantity,
            sku: l.lineItem.sku,
            locationId: f.location.id,
          })),
        );
    },
    /** returnCreate: an OPEN return with its reverse fulfillment order. */
    createReturn: async (orderId: string, lines: ReturnLine[]): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation R($returnInput: ReturnInput!) {
            returnCreate(returnInput: $returnInput) { return { ...HelperReturn } userErrors { field message code } }
          }`,
          {
            returnInput: {
              orderId,
              returnLineItems: lines.map((l) => ({
                fulfillmentLineItemId: l.fulfillmentLineItemId,
                quantity: l.quantity,
                returnReason: l.returnReason ?? 'UNWANTED',
                returnReasonNote: l.returnReasonNote ?? '',
              })),
            },
          },
          'returnCreate',
        )
      ).return,
    /** returnRequest: a customer's REQUESTED return, awaiting approval. */
    requestReturn: async (orderId: string, lines: ReturnLine[]): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation R($input: ReturnRequestInput!) {
            returnRequest(input: $input) { return { ...HelperReturn } userErrors { field message code } }
          }`,
          {
            input: {
              orderId,
              returnLineItems: lines.map((l) => ({
                fulfillmentLineItemId: l.fulfillmentLineItemId,
                quantity: l.quantity,
                returnReason: l.returnReason ?? 'UNWANTED',
                customerNote: l.customerNote ?? null,
              })),
            },
          },
          'returnRequest',
        )
      ).return,
    approveReturn: async (id: string): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation A($input: ReturnApproveRequestInput!) {
            returnApproveRequest(input: $input) { return { ...HelperReturn } userErrors { field message code } }
          }`,
          { input: { id } },
          'returnApproveRequest',
        )
      ).return,
    declineReturn: async (
      id: string,
      declineReason = 'OTHER',
      declineNote: string | null = null,
    ): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation D($input: ReturnDeclineRequestInput!) {
            returnDeclineRequest(input: $input) { return { ...HelperReturn } userErrors { field message code } }
          }`,
          { input: { id, declineReason, declineNote } },
          'returnDeclineRequest',
        )
      ).return,
    cancelReturn: async (id: string): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation C($id: ID!) { returnCancel(id: $id) { return { ...HelperReturn } userErrors { field message code } } }`,
          { id },
          'returnCancel',
        )
      ).return,
    closeReturn: async (id: string): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation C($id: ID!) { returnClose(id: $id) { return { ...HelperReturn } userErrors { field message code } } }`,
          { id },
          'returnClose',
        )
      ).return,
    reopenReturn: async (id: string): Promise<Json> =>
      (
        await call(
          `${RETURN} mutation O($id: ID!) { returnReopen(id: $id) { return { ...HelperReturn } userErrors { field message code } } }`,
          { id },
          'returnReopen',
        )
      ).return,
    /**
     * reverseDeliveryCreateWithShipping: the units travel back with this tracking (no lines =
     * every line of the reverse fulfillment order, whole).
     */
    addReverseDelivery: async (
      reverseFulfillmentOrderId: string,
      options: {
        number?: string;
        url?: string;
        labelUrl?: string;
        lines?: { reverseFulfillmentOrderLineItemId: string; quantity: number }[];
      } = {},
    ): Promise<Json> =>
      (
        await call(
          `mutation V($rfo: ID!, $lines: [ReverseDeliveryLineItemInput!]!, $tracking: ReverseDeliveryTrackingInput, $label: ReverseDeliveryLabelInput) {
            reverseDeliveryCreateWithShipping(reverseFulfillmentOrderId: $rfo, reverseDeliveryLineItems: $lines, trackingInput: $tracking, labelInput: $label) {
              reverseDelivery {
                id
                deliverable { ... on ReverseDeliveryShippingDeliverable { tracking { number url carrierName } label { publicFileUrl } } }
                reverseDeliveryLineItems(first: 50) { nodes { quantity reverseFulfillmentOrderLineItem { id } } }
              }
              userErrors { field message code }
            }
          }`,
          {
            rfo: reverseFulfillmentOrderId,
            lines: options.lines ?? [],
            tracking: { number: options.number ?? '1Z999AA10123456784', url: options.url ?? null },
            label: options.labelUrl ? { fileUrl: options.labelUrl } : null,
          },
          'reverseDeliveryCreateWithShipping',
        )
      ).reverseDelivery,
    /** reverseFulfillmentOrderDispose, as the warehouse answers (fails the test on userErrors). */
    disposeReturn: async (dispositions: Disposition[]): Promise<Json> =>
      (
        await call(
          `mutation X($inputs: [ReverseFulfillmentOrderDisposeInput!]!) {
            reverseFulfillmentOrderDispose(dispositionInputs: $inputs) {
              reverseFulfillmentOrderLineItems { id totalQuantity dispositions { type quantity location { id } } }
              userErrors { field message code }
            }
          }`,
          { inputs: dispositions },
          'reverseFulfillmentOrderDispose',
        )
      ).reverseFulfillmentOrderLineItems,
    /** A return by id (null when unknown). */
    async readReturn(id: string): Promise<Json> {
      const { data, errors } = await client.request(
        `${RETURN} query R($id: ID!) { return(id: $id) { ...HelperReturn } }`,
        {
          variables: { id },
        },
      );
      if (errors) throw new Error(JSON.stringify(errors));
      return (data as Json).return;
    },
    /** An order's return status and its returns (up to 8). */
    async orderReturns(
      orderId: string,
    ): Promise<{ id: string; updatedAt: string; returnStatus: string; returns: Json[] }> {
      const { data, errors } = await client.request(
        `${RETURN} query O($id: ID!) {
          order(id: $id) { id updatedAt returnStatus returns(first: 8) { nodes { ...HelperReturn } } }
        }`,
        { variables: { id: orderId } },
      );
      if (errors) throw new Error(JSON.stringify(errors));
      const order = (data as Json).order;
      return {
        id: order.id,
        updatedAt: order.updatedAt,
        returnStatus: order.returnStatus,
        returns: order.returns.nodes,
      };
    },
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

/**
 * A new order shipped from the store's fulfillment location, and an OPEN return of `lines`
 * (sku → units) on it, opened through the Admin API as a returns app would.
 */
export async function openShippedReturn(
  sandbox: TestSandbox,
  lines: Record<string, number>,
  options: { note?: string; tracking?: string } = {},
): Promise<Json> {
  const order = sandbox.data.addOrder({
    lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
  });
  const shipped = sandbox.data.fulfillOrder(order.id);
  if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
  const orderId = `gid://shopify/Order/${order.id}`;
  const shop = merchant(sandbox);
  const shippedLines = await shop.shippedLines(orderId);
  const created = await shop.createReturn(
    orderId,
    shippedLines.map((l) => ({
      fulfillmentLineItemId: l.fulfillmentLineItemId,
      quantity: l.quantity,
      returnReason: 'SIZE_TOO_SMALL',
      returnReasonNote: options.note ?? '',
    })),
  );
  if (options.tracking) {
    await shop.addReverseDelivery(created.reverseFulfillmentOrders.nodes[0].id, { number: options.tracking });
  }
  return created;
}
