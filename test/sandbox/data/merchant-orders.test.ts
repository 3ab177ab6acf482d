import { describe, expect, it } from 'vitest';
import { LOCATION_IDS } from '../../../src/sandbox/data/index.js';
import { CREATE_ORDER, createOrder, merchantSetup, variantGid } from './merchant-support.js';
import { scopesWithout } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL results are checked field by field
type Json = any;

const UPDATE = /* GraphQL */ `
  mutation Update($input: OrderInput!) {
    orderUpdate(input: $input) { order { id note tags email shippingAddress { address1 city } } userErrors { field message } }
  }
`;

const MARK_PAID = /* GraphQL */ `
  mutation MarkPaid($input: OrderMarkAsPaidInput!) {
    orderMarkAsPaid(input: $input) {
      order { id displayFinancialStatus totalOutstandingSet { shopMoney { amount } } }
      userErrors { field message }
    }
  }
`;

const CANCEL = /* GraphQL */ `
  mutation Cancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $staffNote: String) {
    orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, staffNote: $staffNote) {
      job { id done }
      orderCancelUserErrors { field message code }
      userErrors { field message }
    }
  }
`;

const REFUND = /* GraphQL */ `
  mutation Refund($input: RefundInput!) {
    refundCreate(input: $input) {
      refund { id totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) { nodes { quantity restockType } } }
      order { id displayFinancialStatus }
      userErrors { field message }
    }
  }
`;

const FULFILL = /* GraphQL */ `
  mutation Fulfill($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status } userErrors { field message } }
  }
`;

describe('orderCreate', () => {
  it('creates an order numbered after the last, routed to the warehouse, and searchable by updated_at', async () => {
    const store = merchantSetup({ orders: 30 });
    const last = store.data.orders[store.data.orders.length - 1]!;
    const order = await createOrder(store, {
      email: 'buyer@example.com',
      tags: ['api', 'vip'],
      note: 'leave at the door',
      financialStatus: 'PAID',
      presentmentCurrency: 'EUR',
      shippingAddress: {
        firstName: 'Ada',
        lastName: 'L',
        address1: '1 Main St',
        city: 'Berlin',
        zip: '10115',
        countryCode: 'DE',
      },
      lineItems: [
        { variantId: variantGid(store, 'TEE-BLK-M'), quantity: 2 },
        { title: 'Gift wrap', quantity: 1, priceSet: { shopMoney: { amount: '3.50', currencyCode: 'USD' } } },
      ],
    });
    expect(order.name).toBe(`#${last.number + 1}`);
    expect(order.displayFinancialStatus).toBe('PAID');
    expect(order.displayFulfillmentStatus).toBe('UNFULFILLED');
    expect(order.presentmentCurrencyCode).toBe('EUR');
    expect(order.totalPriceSet.presentmentMoney.currencyCode).toBe('EUR');
    expect(order.lineItems.nodes.map((l: Json) => [l.sku, l.quantity, l.title])).toEqual([
      ['TEE-BLK-M', 2, 'Classic Tee'],
      [null, 1, 'Gift wrap'],
    ]);
    expect(order.fulfillmentOrders.nodes).toEqual([
      {
        id: expect.any(String),
        status: 'OPEN',
        requestStatus: 'UNSUBMITTED',
        assignedLocation: { location: { id: `gid://shopify/Location/${LOCATION_IDS.warehouse}` } },
        lineItems: {
          nodes: [
            { id: expect.any(String), totalQuantity: 2 },
            { id: expect.any(String), totalQuantity: 1 },
          ],
        },
      },
    ]);
    expect(await store.changedOrders()).toEqual([order.id]);
    const read = await store.readOrder(order.id);
    expect(read.shippingAddress).toEqual({
      address1: '1 Main St',
      city: 'Berlin',
      zip: '10115',
      countryCodeV2: 'DE',
    });
    expect(read.totalOutstandingSet.shopMoney.amount).toBe('0.0');
  });

  it("sends a line a fulfillment service stocks to the service's location, with the request submitted", async () => {
    const store = merchantSetup({ orders: 10 });
    const order = await createOrder(store, {
      lineItems: [
        { variantId: variantGid(store, 'HOOD-GRY-L'), quantity: 1, fulfillmentService: 'acme-3pl' },
        { variantId: variantGid(store, 'CAP-TRAIL'), quantity: 1 },
      ],
    });
    const byLocation = Object.fromEntries(
      order.fulfillmentOrders.nodes.map((fo: Json) => [fo.assignedLocation.location.id, fo.requestStatus]),
    );
    expect(byLocation).toEqual({
      [`gid://shopify/Location/${LOCATION_IDS.acme3pl}`]: 'SUBMITTED',
      [`gid://shopify/Location/${LOCATION_IDS.warehouse}`]: 'UNSUBMITTED',
    });
    expect(order.displayFinancialStatus).toBe('PENDING');
  });

  it('takes stock from available to committed when asked to decrement inventory', async () => {
    const store = merchantSetup({ orders: 5 });
    const variant = [...store.data.variants.values()].find((v) => v.sku === 'BOTTLE-750')!;
    const level = store.data.level(variant.inventoryItemId, LOCATION_IDS.warehouse)!;
    const before = { available: level.available, committed: level.committed };
    await createOrder(
      store,
      { lineItems: [{ variantId: variantGid(store, 'BOTTLE-750'), quantity: 3 }] },
      { inventoryBehaviour: 'DECREMENT_IGNORING_POLICY' },
    );
    const read = await store.ok(
      `query($id: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: "gid://shopify/Location/${LOCATION_IDS.warehouse}") { quantities(names: ["available", "committed"]) { name quantity } } } }`,
      { id: `gid://shopify/InventoryItem/${variant.inventoryItemId}` },
    );
    expect(read.inventoryItem.inventoryLevel.quantities).toEqual([
      { name: 'available', quantity: before.available - 3 },
      { name: 'committed', quantity: before.committed + 3 },
    ]);
  });

  it('refuses unknown variants, empty quantities and custom lines without a title', async () => {
    const store = merchantSetup({ orders: 5 });
    const data = await store.ok(CREATE_ORDER, {
      order: {
        lineItems: [
          { variantId: 'gid://shopify/ProductVariant/1', quantity: 1 },
          { variantId: variantGid(store, 'TEE-BLK-M'), quantity: 0 },
          { quantity: 1, priceSet: { shopMoney: { amount: '1.00', currencyCode: 'USD' } } },
        ],
      },
    });
    expect(data.orderCreate.order).toBeNull();
    expect(data.orderCreate.userErrors.map((e: Json) => e.field)).toEqual([
      ['order', 'lineItems', '0', 'variantId'],
      ['order', 'lineItems', '1', 'quantity'],
      ['order', 'lineItems'],
    ]);
    expect(store.data.orders).toHaveLength(5);
  });

  it('needs write_orders', async () => {
    const store = merchantSetup({ orders: 5 });
    const result = await store.run(
      CREATE_ORDER,
      { order: { lineItems: [{ variantId: variantGid(store, 'TEE-BLK-M'), quantity: 1 }] } },
      { scopes: scopesWithout('write_orders') },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
    expect(store.data.orders).toHaveLength(5);
  });
});

describe('orderUpdate', () => {
  it('changes note, tags, email and shipping address, and bumps updatedAt', async () => {
    const store = merchantSetup({ orders: 30 });
    const target = store.data.orders.find((o) => o.cancelledAt === null)!;
    const id = `gid://shopify/Order/${target.id}`;
    const data = await store.ok(UPDATE, {
      input: {
        id,
        note: 'call first',
        tags: ['rush', 'rush', 'gift'],
        email: 'new@example.com',
        shippingAddress: {
          firstName: 'B',
          lastName: 'C',
          address1: '9 Side St',
          city: 'Austin',
          zip: '78701',
          countryCode: 'US',
        },
      },
    });
    expect(data.orderUpdate.userErrors).toEqual([]);
    expect(data.orderUpdate.order).toEqual({
      id,
      note: 'call first',
      tags: ['rush', 'gift'],
      email: 'new@example.com',
      shippingAddress: { address1: '9 Side St', city: 'Austin' },
    });
    expect(await store.changedOrders()).toEqual([id]);
  });

  it("keeps a cancelled order's shipping address but still takes a note", async () => {
    const store = merchantSetup({ orders: 30 });
    const cancelled = store.data.orders.find((o) => o.cancelledAt !== null)!;
    const id = `gid://shopify/Order/${cancelled.id}`;
    const refused = await store.ok(UPDATE, {
      input: { id, shippingAddress: { address1: '1 Elsewhere', city: 'Reno', countryCode: 'US' } },
    });
    expect(refused.orderUpdate.order).toBeNull();
    expect(refused.orderUpdate.userErrors[0].field).toEqual(['shippingAddress']);
    const noted = await store.ok(UPDATE, { input: { id, note: 'refund issued by phone' } });
    expect(noted.orderUpdate.userErrors).toEqual([]);
    expect((await store.readOrder(id)).note).toBe('refund issued by phone');
  });

  it('answers an unknown order with a userError', async () => {
    const store = merchantSetup({ orders: 5 });
    const data = await store.ok(UPDATE, { input: { id: 'gid://shopify/Order/1', note: 'x' } });
    expect(data.orderUpdate.userErrors).toEqual([{ field: ['id'], message: 'Order does not exist' }]);
  });
});

describe('orderMarkAsPaid', () => {
  it('turns a pending order paid with nothing outstanding', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await createOrder(store, {
      lineItems: [{ variantId: variantGid(store, 'MUG-CLASSIC'), quantity: 2 }],
    });
    expect(order.displayFinancialStatus).toBe('PENDING');
    const before = await store.readOrder(order.id);
    expect(Number(before.totalOutstandingSet.shopMoney.amount)).toBeGreaterThan(0);
    const data = await store.ok(MARK_PAID, { input: { id: order.id } });
    expect(data.orderMarkAsPaid.userErrors).toEqual([]);
    expect(data.orderMarkAsPaid.order.displayFinancialStatus).toBe('PAID');
    expect(data.orderMarkAsPaid.order.totalOutstandingSet.shopMoney.amount).toBe('0.0');
    expect((await store.readOrder(order.id)).totalReceivedSet.shopMoney.amount).toBe(
      before.totalPriceSet.shopMoney.amount,
    );
  });

  it('refuses an order that is already paid', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await createOrder(store, {
      financialStatus: 'PAID',
      lineItems: [{ variantId: variantGid(store, 'MUG-CLASSIC'), quantity: 1 }],
    });
    const data = await store.ok(MARK_PAID, { input: { id: order.id } });
    expect(data.orderMarkAsPaid.userErrors).toEqual([
      { field: ['id'], message: 'Order cannot be marked as paid.' },
    ]);
    expect(data.orderMarkAsPaid.order.displayFinancialStatus).toBe('PAID');
    expect(await store.changedOrders()).toEqual([order.id]); // created, not changed again
  });
});

describe('orderCancel', () => {
  it('cancels and closes the order, refunds a paid one and closes its open fulfillment orders', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await createOrder(store, {
      financialStatus: 'PAID',
      lineItems: [{ variantId: variantGid(store, 'SOCK-WOOL-SM'), quantity: 2 }],
    });
    const data = await store.ok(CANCEL, {
      orderId: order.id,
      reason: 'CUSTOMER',
      refund: true,
      restock: true,
    });
    expect(data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(data.orderCancel.job).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Job\//),
      done: true,
    });
    const read = await store.readOrder(order.id);
    expect(read.cancelledAt).not.toBeNull();
    expect(read.cancelReason).toBe('CUSTOMER');
    expect(read.closed).toBe(true);
    expect(read.displayFinancialStatus).toBe('REFUNDED');
    expect(read.totalRefundedSet.shopMoney.amount).toBe(read.totalPriceSet.shopMoney.amount);
    expect(read.fulfillmentOrders.nodes.map((fo: Json) => fo.status)).toEqual(['CLOSED']);
    expect(read.lineItems.nodes.map((l: Json) => l.currentQuantity)).toEqual([0]);
  });

  it('voids an unpaid order and keeps a paid one paid without refund', async () => {
    const store = merchantSetup({ orders: 5 });
    const pending = await createOrder(store, {
      lineItems: [{ variantId: variantGid(store, 'CAP-TRAIL'), quantity: 1 }],
    });
    const paid = await createOrder(store, {
      financialStatus: 'PAID',
      lineItems: [{ variantId: variantGid(store, 'CAP-TRAIL'), quantity: 1 }],
    });
    await store.ok(CANCEL, { orderId: pending.id, reason: 'DECLINED', refund: false, restock: false });
    await store.ok(CANCEL, { orderId: paid.id, reason: 'STAFF', refund: false, restock: false });
    expect((await store.readOrder(pending.id)).displayFinancialStatus).toBe('VOIDED');
    expect((await store.readOrder(paid.id)).displayFinancialStatus).toBe('PAID');
  });

  it('asks the fulfillment service to cancel work it accepted instead of closing it', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await createOrder(store, {
      financialStatus: 'PAID',
      lineItems: [
        { variantId: variantGid(store, 'HOOD-NVY-L'), quantity: 1, fulfillmentService: 'acme-3pl' },
      ],
    });
    const foId = order.fulfillmentOrders.nodes[0].id;
    const accepted = await store.ok(
      `mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id) { userErrors { message } } }`,
      { id: foId },
    );
    expect(accepted.fulfillmentOrderAcceptFulfillmentRequest.userErrors).toEqual([]);
    await store.ok(CANCEL, {
      orderId: order.id,
      reason: 'CUSTOMER',
      refund: true,
      restock: true,
      staffNote: 'changed mind',
    });
    const fo = (await store.readOrder(order.id)).fulfillmentOrders.nodes[0];
    expect([fo.status, fo.requestStatus]).toEqual(['IN_PROGRESS', 'CANCELLATION_REQUESTED']);
    expect(fo.merchantRequests.nodes.at(-1)).toEqual({
      kind: 'CANCELLATION_REQUEST',
      message: 'changed mind',
      requestOptions: {},
    });
  });

  it("refuses a fulfilled order and an already cancelled one with Shopify's codes", async () => {
    const store = merchantSetup({ orders: 5 });
    const fulfilled = await createOrder(store, {
      financialStatus: 'PAID',
      lineItems: [{ variantId: variantGid(store, 'NOTE-DOT'), quantity: 1 }],
    });
    const shipped = await store.ok(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fulfilled.fulfillmentOrders.nodes[0].id }],
      },
    });
    expect(shipped.fulfillmentCreate.userErrors).toEqual([]);
    const refusedFulfilled = await store.ok(CANCEL, {
      orderId: fulfilled.id,
      reason: 'CUSTOMER',
      refund: true,
      restock: true,
    });
    expect(refusedFulfilled.orderCancel.job).toBeNull();
    expect(refusedFulfilled.orderCancel.orderCancelUserErrors).toEqual([
      {
        field: ['orderId'],
        message: 'Cannot cancel an order that has outstanding fulfillments',
        code: 'INVALID',
      },
    ]);
    expect((await store.readOrder(fulfilled.id)).cancelledAt).toBeNull();

    const other = await createOrder(store, {
      lineItems: [{ variantId: variantGid(store, 'NOTE-DOT'), quantity: 1 }],
    });
    await store.ok(CANCEL, { orderId: other.id, reason: 'OTHER', refund: false, restock: false });
    const again = await store.ok(CANCEL, {
      orderId: other.id,
      reason: 'OTHER',
      refund: false,
      restock: false,
    });
    expect(again.orderCancel.orderCancelUserErrors).toEqual([
      {
        field: ['orderId'],
        message: 'Cannot cancel an order that has already been canceled',
        code: 'INVALID',
      },
    ]);
    expect(again.orderCancel.userErrors).toEqual([
      { field: ['orderId'], message: 'Cannot cancel an order that has already been canceled' },
    ]);
    const missing = await store.ok(CANCEL, {
      orderId: 'gid://shopify/Order/1',
      reason: 'OTHER',
      refund: false,
      restock: false,
    });
    expect(missing.orderCancel.orderCancelUserErrors[0].code).toBe('NOT_FOUND');
  });
});

describe('changes to seeded orders', () => {
  it('an incremental sync by updated_at finds exactly the seeded orders the merchant changed', async () => {
    const store = merchantSetup({ orders: 60 });
    const unfulfilled = (o: (typeof store.data.orders)[number]) =>
      o.cancelledAt === null && o.fulfillmentIds.length === 0;
    const pending = store.data.orders.find((o) => unfulfilled(o) && o.financialStatus === 'PENDING')!;
    const toCancel = store.data.orders.find((o) => unfulfilled(o) && o !== pending)!;
    const paidId = `gid://shopify/Order/${pending.id}`;
    const cancelId = `gid://shopify/Order/${toCancel.id}`;
    expect(await store.changedOrders()).toEqual([]);

    const paid = await store.ok(MARK_PAID, { input: { id: paidId } });
    expect(paid.orderMarkAsPaid.userErrors).toEqual([]);
    const cancelled = await store.ok(CANCEL, {
      orderId: cancelId,
      reason: 'INVENTORY',
      refund: true,
      restock: true,
    });
    expect(cancelled.orderCancel.orderCancelUserErrors).toEqual([]);

    expect((await store.changedOrders()).sort()).toEqual([paidId, cancelId].sort());
    const read = await store.readOrder(cancelId);
    expect(read.cancelReason).toBe('INVENTORY');
    expect(
      read.fulfillmentOrders.nodes.every((fo: Json) => fo.status === 'CLOSED' || fo.status === 'IN_PROGRESS'),
    ).toBe(true);
  });
});

describe('refundCreate', () => {
  async function paidOrder(store: ReturnType<typeof merchantSetup>): Promise<Json> {
    const order = await createOrder(store, {
      financialStatus: 'PAID',
      lineItems: [
        { variantId: variantGid(store, 'TEE-WHT-M'), quantity: 3 },
        { variantId: variantGid(store, 'STICKER-PACK'), quantity: 1 },
      ],
    });
    return store.readOrder(order.id);
  }

  it('takes refunded unfulfilled units off the fulfillment order and refunds part of the money', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const tee = order.lineItems.nodes[0];
    const data = await store.ok(REFUND, {
      input: {
        orderId: order.id,
        note: 'one too many',
        refundLineItems: [{ lineItemId: tee.id, quantity: 1, restockType: 'CANCEL' }],
        transactions: [{ orderId: order.id, kind: 'REFUND', gateway: 'manual', amount: '10.00' }],
      },
    });
    expect(data.refundCreate.userErrors).toEqual([]);
    expect(data.refundCreate.refund.totalRefundedSet.shopMoney.amount).toBe('10.0');
    expect(data.refundCreate.order.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
    const read = await store.readOrder(order.id);
    expect(read.lineItems.nodes[0]).toMatchObject({ quantity: 3, currentQuantity: 2, refundableQuantity: 2 });
    expect(read.fulfillmentOrders.nodes[0].lineItems.nodes[0]).toMatchObject({
      totalQuantity: 2,
      remainingQuantity: 2,
    });
    expect(read.totalRefundedSet.shopMoney.amount).toBe('10.0');
    expect(read.refunds).toEqual([
      {
        id: expect.any(String),
        note: 'one too many',
        totalRefundedSet: { shopMoney: { amount: '10.0' } },
        refundLineItems: {
          nodes: [
            {
              quantity: 1,
              restockType: 'CANCEL',
              restocked: expect.any(Boolean),
              location: { id: `gid://shopify/Location/${LOCATION_IDS.warehouse}` },
              lineItem: { id: tee.id },
            },
          ],
        },
      },
    ]);
    expect(await store.changedOrders()).toEqual([order.id]);
  });

  it('refunds everything: REFUNDED, and the emptied fulfillment order closes', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const data = await store.ok(REFUND, {
      input: {
        orderId: order.id,
        refundLineItems: order.lineItems.nodes.map((l: Json) => ({ lineItemId: l.id, quantity: l.quantity })),
        shipping: { fullRefund: true },
        transactions: [
          {
            orderId: order.id,
            kind: 'REFUND',
            gateway: 'manual',
            amount: order.totalReceivedSet.shopMoney.amount,
          },
        ],
      },
    });
    expect(data.refundCreate.userErrors).toEqual([]);
    const read = await store.readOrder(order.id);
    expect(read.displayFinancialStatus).toBe('REFUNDED');
    expect(read.fulfillmentOrders.nodes.map((fo: Json) => fo.status)).toEqual(['CLOSED']);
    expect(read.currentTotalPriceSet.shopMoney.amount).toBe('0.0');
  });

  it('refuses refunding more units than are refundable, and more money than was received', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const sticker = order.lineItems.nodes[1];
    const tooMany = await store.ok(REFUND, {
      input: { orderId: order.id, refundLineItems: [{ lineItemId: sticker.id, quantity: 2 }] },
    });
    expect(tooMany.refundCreate.refund).toBeNull();
    expect(tooMany.refundCreate.userErrors).toEqual([
      {
        field: ['refundLineItems', '0', 'quantity'],
        message: 'Quantity cannot refund more items than were purchased',
      },
    ]);
    const tooMuch = await store.ok(REFUND, {
      input: {
        orderId: order.id,
        transactions: [{ orderId: order.id, kind: 'REFUND', gateway: 'manual', amount: '9999.00' }],
      },
    });
    expect(tooMuch.refundCreate.userErrors).toEqual([
      {
        field: null,
        message: `Refund amount $9999.00 is greater than net payment received $${Number(order.totalReceivedSet.shopMoney.amount).toFixed(2)}`,
      },
    ]);
    const read = await store.readOrder(order.id);
    expect(read.displayFinancialStatus).toBe('PAID');
    expect(read.refunds).toEqual([]);
  });
});
