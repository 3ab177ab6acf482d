import { describe, expect, it } from 'vitest';
import { LOCATION_IDS } from '../../../src/sandbox/data/index.js';
import {
  createOrder,
  locationGid,
  type MerchantStore,
  merchantSetup,
  variantGid,
} from './merchant-support.js';
import { scopesWithout } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL results are checked field by field
type Json = any;

const FO =
  'id status requestStatus assignedLocation { location { id } } lineItems(first: 10) { nodes { id totalQuantity remainingQuantity } }';

const HOLD = /* GraphQL */ `
  mutation Hold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
      fulfillmentHold { id handle reason reasonNotes displayReason }
      fulfillmentOrder { ${FO} }
      remainingFulfillmentOrder { ${FO} }
      userErrors { field message code }
    }
  }
`;

const RELEASE = /* GraphQL */ `
  mutation Release($id: ID!, $holdIds: [ID!]) {
    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
      fulfillmentOrder { ${FO} fulfillmentHolds { id } }
      userErrors { field message code }
    }
  }
`;

const MOVE = /* GraphQL */ `
  mutation Move($id: ID!, $newLocationId: ID!, $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
      movedFulfillmentOrder { ${FO} }
      originalFulfillmentOrder { ${FO} }
      remainingFulfillmentOrder { id }
      userErrors { field message }
    }
  }
`;

const SUBMIT = /* GraphQL */ `
  mutation Submit($id: ID!, $message: String, $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message, notifyCustomer: true, fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
      originalFulfillmentOrder { ${FO} }
      submittedFulfillmentOrder { ${FO} }
      unsubmittedFulfillmentOrder { ${FO} }
      userErrors { field message }
    }
  }
`;

const ACCEPT_REQUEST = /* GraphQL */ `
  mutation Accept($id: ID!) {
    fulfillmentOrderAcceptFulfillmentRequest(id: $id, message: "on it") { fulfillmentOrder { ${FO} } userErrors { field message } }
  }
`;

const SUBMIT_CANCELLATION = /* GraphQL */ `
  mutation SubmitCancellation($id: ID!, $message: String) {
    fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) { fulfillmentOrder { ${FO} } userErrors { field message } }
  }
`;

const ACCEPT_CANCELLATION = /* GraphQL */ `
  mutation AcceptCancellation($id: ID!) {
    fulfillmentOrderAcceptCancellationRequest(id: $id, message: "stopped") { fulfillmentOrder { ${FO} } userErrors { field message } }
  }
`;

const REJECT_CANCELLATION = /* GraphQL */ `
  mutation RejectCancellation($id: ID!) {
    fulfillmentOrderRejectCancellationRequest(id: $id, message: "already packed") { fulfillmentOrder { ${FO} } userErrors { field message } }
  }
`;

const ASSIGNED = /* GraphQL */ `
  query Assigned($status: FulfillmentOrderAssignmentStatus) {
    assignedFulfillmentOrders(first: 50, assignmentStatus: $status) {
      nodes { id merchantRequests(first: 5) { nodes { kind message } } }
    }
  }
`;

/** A paid order at the warehouse: 2 × TEE-BLK-L and 3 × SOCK-WOOL-LX on one fulfillment order. */
async function warehouseOrder(store: MerchantStore): Promise<Json> {
  const order = await createOrder(store, {
    financialStatus: 'PAID',
    lineItems: [
      { variantId: variantGid(store, 'TEE-BLK-L'), quantity: 2 },
      { variantId: variantGid(store, 'SOCK-WOOL-LX'), quantity: 3 },
    ],
  });
  return store.readOrder(order.id);
}

/** A paid order whose one fulfillment order the Acme 3PL service has been asked to fulfil. */
async function serviceOrder(store: MerchantStore): Promise<Json> {
  const order = await createOrder(store, {
    financialStatus: 'PAID',
    lineItems: [
      { variantId: variantGid(store, 'HOOD-GRY-M'), quantity: 1, fulfillmentService: 'acme-3pl' },
      { variantId: variantGid(store, 'CAP-TRAIL'), quantity: 2, fulfillmentService: 'acme-3pl' },
    ],
  });
  return store.readOrder(order.id);
}

describe('fulfillmentOrderHold and fulfillmentOrderReleaseHold', () => {
  it('holds a fulfillment order, then releases it: the order shows ON_HOLD, then UNFULFILLED', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const foId = order.fulfillmentOrders.nodes[0].id;
    const held = await store.ok(HOLD, {
      id: foId,
      fulfillmentHold: { reason: 'INCORRECT_ADDRESS', reasonNotes: 'check the zip', handle: 'address-check' },
    });
    expect(held.fulfillmentOrderHold.userErrors).toEqual([]);
    expect(held.fulfillmentOrderHold.fulfillmentHold).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/FulfillmentHold\//),
      handle: 'address-check',
      reason: 'INCORRECT_ADDRESS',
      reasonNotes: 'check the zip',
      displayReason: 'Incorrect address',
    });
    expect(held.fulfillmentOrderHold.fulfillmentOrder.status).toBe('ON_HOLD');
    expect(held.fulfillmentOrderHold.remainingFulfillmentOrder).toBeNull();
    expect((await store.readOrder(order.id)).displayFulfillmentStatus).toBe('ON_HOLD');
    expect(await store.changedOrders()).toEqual([order.id]);

    const released = await store.ok(RELEASE, { id: foId });
    expect(released.fulfillmentOrderReleaseHold.userErrors).toEqual([]);
    expect(released.fulfillmentOrderReleaseHold.fulfillmentOrder).toMatchObject({
      status: 'OPEN',
      fulfillmentHolds: [],
    });
    expect((await store.readOrder(order.id)).displayFulfillmentStatus).toBe('UNFULFILLED');
  });

  it('holds only the lines given: the rest go on to a new open fulfillment order', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const fo = order.fulfillmentOrders.nodes[0];
    const [tee, socks] = fo.lineItems.nodes;
    const held = await store.ok(HOLD, {
      id: fo.id,
      fulfillmentHold: {
        reason: 'INVENTORY_OUT_OF_STOCK',
        fulfillmentOrderLineItems: [
          { id: tee.id, quantity: 2 },
          { id: socks.id, quantity: 1 },
        ],
      },
    });
    expect(held.fulfillmentOrderHold.userErrors).toEqual([]);
    const { fulfillmentOrder, remainingFulfillmentOrder } = held.fulfillmentOrderHold;
    expect(fulfillmentOrder.status).toBe('ON_HOLD');
    expect(fulfillmentOrder.lineItems.nodes.map((l: Json) => l.totalQuantity)).toEqual([2, 1]);
    expect(remainingFulfillmentOrder.status).toBe('OPEN');
    expect(remainingFulfillmentOrder.lineItems.nodes.map((l: Json) => l.totalQuantity)).toEqual([2]);
  });

  it('refuses holding a closed fulfillment order, one a fulfillment service has accepted, and too many units', async () => {
    const store = merchantSetup({ orders: 30 });
    const cancelled = store.data.orders.find((o) => o.cancelledAt !== null)!;
    const closedFo = `gid://shopify/FulfillmentOrder/${cancelled.fulfillmentOrderIds[0]}`;
    const closed = await store.ok(HOLD, { id: closedFo, fulfillmentHold: { reason: 'OTHER' } });
    expect(closed.fulfillmentOrderHold.fulfillmentOrder).toBeNull();
    expect(closed.fulfillmentOrderHold.userErrors).toEqual([
      { field: ['id'], message: expect.stringContaining('closed'), code: null },
    ]);

    const order = await serviceOrder(store);
    const foId = order.fulfillmentOrders.nodes[0].id;
    expect(
      (await store.ok(ACCEPT_REQUEST, { id: foId })).fulfillmentOrderAcceptFulfillmentRequest.userErrors,
    ).toEqual([]);
    const accepted = await store.ok(HOLD, { id: foId, fulfillmentHold: { reason: 'OTHER' } });
    expect(accepted.fulfillmentOrderHold.userErrors).toHaveLength(1);
    expect((await store.readOrder(order.id)).fulfillmentOrders.nodes[0].status).toBe('IN_PROGRESS');

    const open = await warehouseOrder(store);
    const fo = open.fulfillmentOrders.nodes[0];
    const tooMany = await store.ok(HOLD, {
      id: fo.id,
      fulfillmentHold: {
        reason: 'OTHER',
        fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 5 }],
      },
    });
    expect(tooMany.fulfillmentOrderHold.userErrors).toEqual([
      {
        field: ['fulfillmentHold', 'fulfillmentOrderLineItems', '0', 'quantity'],
        message: 'Invalid fulfillment order line item quantity requested.',
        code: 'INVALID_LINE_ITEM_QUANTITY',
      },
    ]);
  });

  it('refuses releasing a fulfillment order that is not on hold', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const data = await store.ok(RELEASE, { id: order.fulfillmentOrders.nodes[0].id });
    expect(data.fulfillmentOrderReleaseHold.userErrors).toEqual([
      { field: ['id'], message: 'The fulfillment order is not on hold.', code: null },
    ]);
  });

  it('needs a fulfillment-order write scope for the location', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const result = await store.run(
      HOLD,
      { id: order.fulfillmentOrders.nodes[0].id, fulfillmentHold: { reason: 'OTHER' } },
      { scopes: scopesWithout('write_merchant_managed_fulfillment_orders') },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
  });
});

describe('fulfillmentOrderMove', () => {
  it('moves a whole fulfillment order: the same one, now at the new location', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const fo = order.fulfillmentOrders.nodes[0];
    const data = await store.ok(MOVE, { id: fo.id, newLocationId: locationGid(LOCATION_IDS.acme3pl) });
    expect(data.fulfillmentOrderMove.userErrors).toEqual([]);
    const { movedFulfillmentOrder, originalFulfillmentOrder, remainingFulfillmentOrder } =
      data.fulfillmentOrderMove;
    expect(movedFulfillmentOrder.id).toBe(fo.id);
    expect(originalFulfillmentOrder.id).toBe(fo.id);
    expect(remainingFulfillmentOrder).toBeNull();
    expect(movedFulfillmentOrder).toMatchObject({
      status: 'OPEN',
      requestStatus: 'UNSUBMITTED',
      assignedLocation: { location: { id: locationGid(LOCATION_IDS.acme3pl) } },
    });
    expect(await store.changedOrders()).toEqual([order.id]);
  });

  it('moves some lines: they split off to a new fulfillment order, the rest stay', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const fo = order.fulfillmentOrders.nodes[0];
    const [tee, socks] = fo.lineItems.nodes;
    const data = await store.ok(MOVE, {
      id: fo.id,
      newLocationId: locationGid(LOCATION_IDS.acme3pl),
      fulfillmentOrderLineItems: [
        { id: tee.id, quantity: 2 },
        { id: socks.id, quantity: 1 },
      ],
    });
    expect(data.fulfillmentOrderMove.userErrors).toEqual([]);
    const { movedFulfillmentOrder, originalFulfillmentOrder } = data.fulfillmentOrderMove;
    expect(movedFulfillmentOrder.id).not.toBe(fo.id);
    expect(movedFulfillmentOrder.lineItems.nodes.map((l: Json) => l.totalQuantity)).toEqual([2, 1]);
    expect(originalFulfillmentOrder.assignedLocation.location.id).toBe(locationGid(LOCATION_IDS.warehouse));
    expect(originalFulfillmentOrder.lineItems.nodes.map((l: Json) => [l.id, l.totalQuantity])).toEqual([
      [socks.id, 2],
    ]);
  });

  it('refuses a closed fulfillment order, one submitted to a fulfillment service, and unknown or inactive locations', async () => {
    const store = merchantSetup({ orders: 30 });
    const cancelled = store.data.orders.find((o) => o.cancelledAt !== null)!;
    const closed = await store.ok(MOVE, {
      id: `gid://shopify/FulfillmentOrder/${cancelled.fulfillmentOrderIds[0]}`,
      newLocationId: locationGid(LOCATION_IDS.overflow),
    });
    expect(closed.fulfillmentOrderMove.userErrors).toEqual([
      { field: null, message: 'Cannot change location.' },
    ]);

    const submitted = await serviceOrder(store);
    const atService = await store.ok(MOVE, {
      id: submitted.fulfillmentOrders.nodes[0].id,
      newLocationId: locationGid(LOCATION_IDS.warehouse),
    });
    expect(atService.fulfillmentOrderMove.userErrors).toEqual([
      {
        field: null,
        message: 'Cannot move submitted fulfillment order that is at a 3PL fulfillment service.',
      },
    ]);

    const open = await warehouseOrder(store);
    const foId = open.fulfillmentOrders.nodes[0].id;
    const unknown = await store.ok(MOVE, { id: foId, newLocationId: 'gid://shopify/Location/999999999' });
    expect(unknown.fulfillmentOrderMove.userErrors).toEqual([
      { field: ['id'], message: 'Location not found.' },
    ]);
    const inactive = await store.ok(MOVE, { id: foId, newLocationId: locationGid(LOCATION_IDS.closed) });
    expect(inactive.fulfillmentOrderMove.userErrors).toHaveLength(1);
    expect(inactive.fulfillmentOrderMove.movedFulfillmentOrder).toBeNull();
    const read = await store.readOrder(open.id);
    expect(read.fulfillmentOrders.nodes.map((fo: Json) => fo.assignedLocation.location.id)).toEqual([
      locationGid(LOCATION_IDS.warehouse),
    ]);
  });
});

describe('requests to a fulfillment service', () => {
  it('submits a fulfillment request for a fulfillment order moved to the service, with its message', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const fo = order.fulfillmentOrders.nodes[0];
    await store.ok(MOVE, { id: fo.id, newLocationId: locationGid(LOCATION_IDS.acme3pl) });
    const socks = fo.lineItems.nodes[1];
    const data = await store.ok(SUBMIT, {
      id: fo.id,
      message: 'ship the socks',
      fulfillmentOrderLineItems: [{ id: socks.id, quantity: 3 }],
    });
    expect(data.fulfillmentOrderSubmitFulfillmentRequest.userErrors).toEqual([]);
    const { submittedFulfillmentOrder, unsubmittedFulfillmentOrder } =
      data.fulfillmentOrderSubmitFulfillmentRequest;
    expect(submittedFulfillmentOrder).toMatchObject({ id: fo.id, requestStatus: 'SUBMITTED' });
    expect(submittedFulfillmentOrder.lineItems.nodes.map((l: Json) => l.totalQuantity)).toEqual([3]);
    expect(unsubmittedFulfillmentOrder).toMatchObject({ status: 'OPEN', requestStatus: 'UNSUBMITTED' });
    expect(unsubmittedFulfillmentOrder.lineItems.nodes.map((l: Json) => l.totalQuantity)).toEqual([2]);

    const requested = await store.ok(ASSIGNED, { status: 'FULFILLMENT_REQUESTED' });
    expect(requested.assignedFulfillmentOrders.nodes).toContainEqual({
      id: fo.id,
      merchantRequests: { nodes: [{ kind: 'FULFILLMENT_REQUEST', message: 'ship the socks' }] },
    });
  });

  it('refuses a request for a merchant-managed location and one already submitted', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await warehouseOrder(store);
    const merchant = await store.ok(SUBMIT, { id: order.fulfillmentOrders.nodes[0].id });
    expect(merchant.fulfillmentOrderSubmitFulfillmentRequest.userErrors).toHaveLength(1);
    const service = await serviceOrder(store);
    const again = await store.ok(SUBMIT, { id: service.fulfillmentOrders.nodes[0].id });
    expect(again.fulfillmentOrderSubmitFulfillmentRequest.userErrors).toEqual([
      {
        field: ['id'],
        message:
          'Cannot submit a fulfillment request for a fulfillment order with status OPEN and request status SUBMITTED.',
      },
    ]);
  });

  it('takes accepted work back: the service accepts the cancellation, the work reopens unsubmitted', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await serviceOrder(store);
    const foId = order.fulfillmentOrders.nodes[0].id;
    const early = await store.ok(SUBMIT_CANCELLATION, { id: foId });
    expect(early.fulfillmentOrderSubmitCancellationRequest.userErrors).toEqual([
      {
        field: ['id'],
        message: 'Cannot request cancellation for a fulfillment order with request status SUBMITTED.',
      },
    ]);
    await store.ok(ACCEPT_REQUEST, { id: foId });
    const asked = await store.ok(SUBMIT_CANCELLATION, { id: foId, message: 'customer changed the address' });
    expect(asked.fulfillmentOrderSubmitCancellationRequest.userErrors).toEqual([]);
    expect(asked.fulfillmentOrderSubmitCancellationRequest.fulfillmentOrder).toMatchObject({
      status: 'IN_PROGRESS',
      requestStatus: 'CANCELLATION_REQUESTED',
    });
    const queue = await store.ok(ASSIGNED, { status: 'CANCELLATION_REQUESTED' });
    expect(queue.assignedFulfillmentOrders.nodes.map((n: Json) => n.id)).toContain(foId);

    const accepted = await store.ok(ACCEPT_CANCELLATION, { id: foId });
    expect(accepted.fulfillmentOrderAcceptCancellationRequest.userErrors).toEqual([]);
    expect(accepted.fulfillmentOrderAcceptCancellationRequest.fulfillmentOrder).toMatchObject({
      status: 'CLOSED',
      requestStatus: 'CANCELLATION_ACCEPTED',
    });
    const read = await store.readOrder(order.id);
    const reopened = read.fulfillmentOrders.nodes.filter((fo: Json) => fo.status === 'OPEN');
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({
      requestStatus: 'UNSUBMITTED',
      assignedLocation: { location: { id: locationGid(LOCATION_IDS.acme3pl) } },
    });
    expect(reopened[0].lineItems.nodes.map((l: Json) => l.remainingQuantity)).toEqual([1, 2]);
    expect(read.displayFulfillmentStatus).toBe('UNFULFILLED');
  });

  it('a service that rejects a cancellation keeps the work in progress', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await serviceOrder(store);
    const foId = order.fulfillmentOrders.nodes[0].id;
    await store.ok(ACCEPT_REQUEST, { id: foId });
    await store.ok(SUBMIT_CANCELLATION, { id: foId });
    const rejected = await store.ok(REJECT_CANCELLATION, { id: foId });
    expect(rejected.fulfillmentOrderRejectCancellationRequest.userErrors).toEqual([]);
    expect(rejected.fulfillmentOrderRejectCancellationRequest.fulfillmentOrder).toMatchObject({
      status: 'IN_PROGRESS',
      requestStatus: 'CANCELLATION_REJECTED',
    });
    const twice = await store.ok(REJECT_CANCELLATION, { id: foId });
    expect(twice.fulfillmentOrderRejectCancellationRequest.userErrors).toEqual([
      {
        field: ['id'],
        message:
          'Cannot reject a cancellation request for a fulfillment order with request status CANCELLATION_REJECTED.',
      },
    ]);
    expect(await store.changedOrders()).toEqual([order.id]);
  });

  it('answers to cancellation requests need the fulfillment service scopes', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await serviceOrder(store);
    const result = await store.run(
      ACCEPT_CANCELLATION,
      { id: order.fulfillmentOrders.nodes[0].id },
      { scopes: scopesWithout('write_assigned_fulfillment_orders', 'write_third_party_fulfillment_orders') },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
  });
});
