import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: response documents are inspected field by field
type Json = any;

/** Shopify's own client, as a merchant's app would use it, with https://{shop} sent to the sandbox. */
function adminClient(sandbox: TestSandbox, accessToken = sandbox.accessToken) {
  return createAdminApiClient({
    storeDomain: sandbox.shop,
    apiVersion: '2026-10',
    accessToken,
    customFetchApi: (url, init) =>
      fetch(String(url).replace(`https://${sandbox.shop}`, sandbox.origin), init as RequestInit),
  });
}

const VARIANT_BY_SKU = `#graphql
  query VariantBySku($query: String!) {
    productVariants(first: 1, query: $query) { nodes { id sku inventoryItem { id } } }
  }`;

const LOCATIONS = `#graphql
  query Locations { locations(first: 20, includeLegacy: true) { nodes { id name isFulfillmentService } } }`;

const ORDER = `#graphql
  query Order($id: ID!) {
    order(id: $id) {
      id name updatedAt cancelledAt closed displayFinancialStatus displayFulfillmentStatus note
      shippingAddress { address1 city }
      totalRefundedSet { shopMoney { amount } }
      lineItems(first: 20) { nodes { id sku quantity currentQuantity } }
      fulfillmentOrders(first: 20) {
        nodes {
          id status requestStatus
          assignedLocation { location { id } }
          lineItems(first: 20) { nodes { id totalQuantity remainingQuantity } }
        }
      }
    }
  }`;

const ORDER_CREATE = `#graphql
  mutation OrderCreate($order: OrderCreateOrderInput!) {
    orderCreate(order: $order) { order { id name } userErrors { field message code } }
  }`;

describe('the merchant side of the Admin API, over HTTP with Shopify’s client', () => {
  let sandbox: TestSandbox;
  let client: ReturnType<typeof adminClient>;
  /** The store's clock when the tests begin: every seeded order was last changed before it. */
  let startedAt: string;

  async function request(query: string, variables: Record<string, unknown> = {}): Promise<Json> {
    const res = await client.request(query, { variables });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res;
  }

  async function variant(sku: string): Promise<{ id: string; inventoryItem: { id: string } }> {
    const res = await request(VARIANT_BY_SKU, { query: `sku:${sku}` });
    return res.data.productVariants.nodes[0];
  }

  async function readOrder(id: string): Promise<Json> {
    return (await request(ORDER, { id })).data.order;
  }

  async function newOrder(order: Record<string, unknown>): Promise<Json> {
    const res = await request(ORDER_CREATE, { order });
    expect(res.data.orderCreate.userErrors).toEqual([]);
    return readOrder(res.data.orderCreate.order.id);
  }

  beforeAll(async () => {
    sandbox = await startTestSandbox({ orders: 40, seed: 3 });
    client = adminClient(sandbox);
    startedAt = new Date(sandbox.data.now()).toISOString();
  });
  afterAll(() => sandbox?.stop());

  it('creates, edits, holds, moves, requests, refunds and cancels orders; reads show every change', async () => {
    const tee = await variant('TEE-BLK-M');
    const mug = await variant('MUG-CLASSIC');
    const locations = (await request(LOCATIONS)).data.locations.nodes as Json[];
    const thirdParty = locations.find((l) => l.isFulfillmentService)!;

    // A paid order, as a sales channel would send it.
    const created = await client.request(ORDER_CREATE, {
      variables: {
        order: {
          financialStatus: 'PAID',
          email: 'buyer@example.com',
          shippingAddress: {
            firstName: 'Ada',
            lastName: 'L',
            address1: '1 Main St',
            city: 'Austin',
            zip: '78701',
            countryCode: 'US',
          },
          lineItems: [
            { variantId: tee.id, quantity: 3 },
            { variantId: mug.id, quantity: 1 },
          ],
        },
      },
    });
    expect(created.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    const orderId = created.data?.orderCreate.order.id as string;
    let order = await readOrder(orderId);
    expect(order.displayFinancialStatus).toBe('PAID');
    expect(order.fulfillmentOrders.nodes).toHaveLength(1);
    const fo = order.fulfillmentOrders.nodes[0];

    // The customer writes in: new address, then a hold while it is checked.
    const updated = await request(
      `#graphql
      mutation Update($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { field message } } }`,
      {
        input: {
          id: orderId,
          note: 'new address',
          shippingAddress: { address1: '2 Oak Ave', city: 'Denver', countryCode: 'US', zip: '80202' },
        },
      },
    );
    expect(updated.data.orderUpdate.userErrors).toEqual([]);
    const held = await request(
      `#graphql
      mutation Hold($id: ID!) {
        fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INCORRECT_ADDRESS }) {
          fulfillmentOrder { status } userErrors { field message code }
        }
      }`,
      { id: fo.id },
    );
    expect(held.data.fulfillmentOrderHold).toEqual({
      fulfillmentOrder: { status: 'ON_HOLD' },
      userErrors: [],
    });
    expect((await readOrder(orderId)).displayFulfillmentStatus).toBe('ON_HOLD');
    const released = await request(
      `#graphql
      mutation Release($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { fulfillmentOrder { status } userErrors { message } } }`,
      { id: fo.id },
    );
    expect(released.data.fulfillmentOrderReleaseHold.fulfillmentOrder.status).toBe('OPEN');

    // One tee less, by an order edit.
    const begun = await request(
      `#graphql
      mutation Begin($id: ID!) {
        orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 10) { nodes { id sku quantity } } } userErrors { message } }
      }`,
      { id: orderId },
    );
    const calculated = begun.data.orderEditBegin.calculatedOrder;
    const teeLine = calculated.lineItems.nodes.find((l: Json) => l.sku === 'TEE-BLK-M');
    const set = await request(
      `#graphql
      mutation Set($id: ID!, $lineItemId: ID!) {
        orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: 2, restock: true) { calculatedLineItem { quantity } userErrors { message } }
      }`,
      { id: calculated.id, lineItemId: teeLine.id },
    );
    expect(set.data.orderEditSetQuantity).toEqual({ calculatedLineItem: { quantity: 2 }, userErrors: [] });
    const committed = await request(
      `#graphql
      mutation Commit($id: ID!) { orderEditCommit(id: $id, notifyCustomer: false) { order { id } userErrors { message } } }`,
      { id: calculated.id },
    );
    expect(committed.data.orderEditCommit.userErrors).toEqual([]);

    // The warehouse is out: the work moves to the 3PL, and the merchant asks it to fulfil.
    const moved = await request(
      `#graphql
      mutation Move($id: ID!, $to: ID!) {
        fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id requestStatus } userErrors { field message } }
      }`,
      { id: fo.id, to: thirdParty.id },
    );
    expect(moved.data.fulfillmentOrderMove).toEqual({
      movedFulfillmentOrder: { id: fo.id, requestStatus: 'UNSUBMITTED' },
      userErrors: [],
    });
    const submitted = await request(
      `#graphql
      mutation Submit($id: ID!) {
        fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: "please ship", notifyCustomer: false) {
          submittedFulfillmentOrder { id requestStatus } userErrors { message }
        }
      }`,
      { id: fo.id },
    );
    expect(
      submitted.data.fulfillmentOrderSubmitFulfillmentRequest.submittedFulfillmentOrder.requestStatus,
    ).toBe('SUBMITTED');

    // The mug is refunded before it ships.
    order = await readOrder(orderId);
    const mugLine = order.lineItems.nodes.find((l: Json) => l.sku === 'MUG-CLASSIC');
    const refunded = await request(
      `#graphql
      mutation Refund($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }`,
      {
        input: {
          orderId,
          refundLineItems: [{ lineItemId: mugLine.id, quantity: 1, restockType: 'CANCEL' }],
          transactions: [{ orderId, kind: 'REFUND', gateway: 'manual', amount: '5.00' }],
        },
      },
    );
    expect(refunded.data.refundCreate.userErrors).toEqual([]);

    order = await readOrder(orderId);
    expect(order.note).toBe('new address');
    expect(order.shippingAddress).toEqual({ address1: '2 Oak Ave', city: 'Denver' });
    expect(order.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
    expect(order.totalRefundedSet.shopMoney.amount).toBe('5.0');
    expect(order.lineItems.nodes.map((l: Json) => [l.sku, l.quantity, l.currentQuantity])).toEqual([
      ['TEE-BLK-M', 3, 2],
      ['MUG-CLASSIC', 1, 0],
    ]);
    expect(order.fulfillmentOrders.nodes).toEqual([
      {
        id: fo.id,
        status: 'OPEN',
        requestStatus: 'SUBMITTED',
        assignedLocation: { location: { id: thirdParty.id } },
        lineItems: { nodes: [{ id: expect.any(String), totalQuantity: 2, remainingQuantity: 2 }] },
      },
    ]);

    // A second order is cancelled; the job answers, and the order reads cancelled.
    const other = await newOrder({ lineItems: [{ variantId: mug.id, quantity: 2 }] });
    const cancelled = await request(
      `#graphql
      mutation Cancel($id: ID!) {
        orderCancel(orderId: $id, reason: CUSTOMER, refund: false, restock: true) {
          job { id done } orderCancelUserErrors { field message code }
        }
      }`,
      { id: other.id },
    );
    expect(cancelled.data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(cancelled.data.orderCancel.job.id).toMatch(/^gid:\/\/shopify\/Job\//);
    const readCancelled = await readOrder(other.id);
    expect(readCancelled.cancelledAt).not.toBeNull();
    expect(readCancelled.closed).toBe(true);
    expect(readCancelled.displayFinancialStatus).toBe('VOIDED');
    const twice = await request(
      `#graphql
      mutation Cancel($id: ID!) {
        orderCancel(orderId: $id, reason: CUSTOMER, refund: false, restock: true) { job { id } orderCancelUserErrors { code message } }
      }`,
      { id: other.id },
    );
    expect(twice.data.orderCancel).toEqual({
      job: null,
      orderCancelUserErrors: [
        { code: 'INVALID', message: 'Cannot cancel an order that has already been canceled' },
      ],
    });

    // An incremental sync by updated_at sees both orders, and only those.
    const changed = await request(
      `#graphql
      query Changed($query: String!) { orders(first: 50, query: $query, sortKey: UPDATED_AT) { nodes { id } } }`,
      { query: `updated_at:>='${startedAt}'` },
    );
    expect(changed.data.orders.nodes.map((n: Json) => n.id).sort()).toEqual([orderId, other.id].sort());
  });

  it('adjusts stock with an idempotency key, and refuses the same key for another request', async () => {
    const bottle = await variant('BOTTLE-1000');
    const locations = (await request(LOCATIONS)).data.locations.nodes as Json[];
    const warehouse = locations.find((l) => l.name === 'Main Warehouse')!;
    const ADJUST = `#graphql
      mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
        inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
          inventoryAdjustmentGroup { id changes(quantityNames: ["available"]) { delta quantityAfterChange } }
          userErrors { field message code }
        }
      }`;
    const input = {
      name: 'available',
      reason: 'received',
      changes: [{ inventoryItemId: bottle.inventoryItem.id, locationId: warehouse.id, delta: 7 }],
    };
    const first = await request(ADJUST, { input, key: 'c0ffee00-0000-4000-8000-000000000001' });
    const again = await request(ADJUST, { input, key: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(again.data).toEqual(first.data);
    const level = await request(
      `#graphql
      query Level($id: ID!, $at: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: $at) { quantities(names: ["available"]) { quantity } } } }`,
      { id: bottle.inventoryItem.id, at: warehouse.id },
    );
    expect(level.data.inventoryItem.inventoryLevel.quantities[0].quantity).toBe(
      first.data.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes[0].quantityAfterChange,
    );
    const reused = await client.request(ADJUST, {
      variables: { input: { ...input, reason: 'correction' }, key: 'c0ffee00-0000-4000-8000-000000000001' },
    });
    expect(reused.errors?.graphQLErrors?.[0]?.message).toMatch(/already used with a different request/);
  });

  it("refuses a token without the merchant's scopes", async () => {
    const readOnly = adminClient(sandbox, sandbox.issueToken(['read_orders', 'read_products']));
    const res = await readOnly.request(
      `#graphql
      mutation MarkPaid($id: ID!) { orderMarkAsPaid(input: { id: $id }) { order { id } userErrors { message } } }`,
      { variables: { id: 'gid://shopify/Order/1' } },
    );
    const errors = res.errors?.graphQLErrors as Array<{ extensions?: { code?: string } }>;
    expect(errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
  });
});
