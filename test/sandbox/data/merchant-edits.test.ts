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

const LINE = 'id quantity editableQuantity editableQuantityBeforeChanges sku variant { id }';

const BEGIN = /* GraphQL */ `
  mutation Begin($id: ID!) {
    orderEditBegin(id: $id) {
      calculatedOrder { id lineItems(first: 20) { nodes { ${LINE} } } addedLineItems(first: 20) { nodes { ${LINE} } } }
      userErrors { field message }
    }
  }
`;

const SET_QUANTITY = /* GraphQL */ `
  mutation SetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) {
    orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) {
      calculatedLineItem { ${LINE} }
      calculatedOrder { id subtotalLineItemsQuantity }
      userErrors { field message }
    }
  }
`;

const ADD_VARIANT = /* GraphQL */ `
  mutation AddVariant($id: ID!, $variantId: ID!, $quantity: Int!, $locationId: ID, $allowDuplicates: Boolean) {
    orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity, locationId: $locationId, allowDuplicates: $allowDuplicates) {
      calculatedLineItem { ${LINE} }
      calculatedOrder { id addedLineItems(first: 20) { nodes { id quantity } } }
      userErrors { field message }
    }
  }
`;

const COMMIT = /* GraphQL */ `
  mutation Commit($id: ID!, $staffNote: String) {
    orderEditCommit(id: $id, notifyCustomer: false, staffNote: $staffNote) {
      order { id lineItems(first: 20) { nodes { sku quantity currentQuantity } } }
      userErrors { field message }
    }
  }
`;

const FULFILL = /* GraphQL */ `
  mutation Fulfill($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id } userErrors { field message } }
  }
`;

/** A paid order: 3 × TEE-BLK-S and 1 × NOTE-LINED at the warehouse. */
async function paidOrder(store: MerchantStore): Promise<Json> {
  const order = await createOrder(store, {
    financialStatus: 'PAID',
    lineItems: [
      { variantId: variantGid(store, 'TEE-BLK-S'), quantity: 3 },
      { variantId: variantGid(store, 'NOTE-LINED'), quantity: 1 },
    ],
  });
  return store.readOrder(order.id);
}

async function begin(store: MerchantStore, orderId: string): Promise<Json> {
  const data = await store.ok(BEGIN, { id: orderId });
  expect(data.orderEditBegin.userErrors).toEqual([]);
  return data.orderEditBegin.calculatedOrder;
}

function fulfillmentLines(order: Json): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const fo of order.fulfillmentOrders.nodes) {
    if (fo.status === 'CLOSED') continue;
    const where = fo.assignedLocation.location.id;
    out[where] = [
      ...(out[where] ?? []),
      ...fo.lineItems.nodes.map((l: Json): [number, number] => [l.totalQuantity, l.remainingQuantity]),
    ];
  }
  return out;
}

describe('order edits', () => {
  it('stage changes on a calculated order and change nothing until committed', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const edit = await begin(store, order.id);
    expect(edit.lineItems.nodes.map((l: Json) => [l.sku, l.quantity, l.editableQuantity])).toEqual([
      ['TEE-BLK-S', 3, 3],
      ['NOTE-LINED', 1, 1],
    ]);
    const tee = edit.lineItems.nodes[0];
    const set = await store.ok(SET_QUANTITY, { id: edit.id, lineItemId: tee.id, quantity: 1, restock: true });
    expect(set.orderEditSetQuantity.userErrors).toEqual([]);
    expect(set.orderEditSetQuantity.calculatedLineItem).toMatchObject({
      quantity: 1,
      editableQuantityBeforeChanges: 3,
    });
    const added = await store.ok(ADD_VARIANT, {
      id: edit.id,
      variantId: variantGid(store, 'CAP-TRAIL'),
      quantity: 2,
    });
    expect(added.orderEditAddVariant.userErrors).toEqual([]);
    expect(added.orderEditAddVariant.calculatedOrder.addedLineItems.nodes).toEqual([
      { id: added.orderEditAddVariant.calculatedLineItem.id, quantity: 2 },
    ]);

    const untouched = await store.readOrder(order.id);
    expect(untouched.updatedAt).toBe(order.updatedAt);
    expect(untouched.lineItems.nodes.map((l: Json) => l.currentQuantity)).toEqual([3, 1]);
    expect(fulfillmentLines(untouched)).toEqual(fulfillmentLines(order));
  });

  it('on commit, changes the lines and rebuilds the fulfillment orders; the new balance is due', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const edit = await begin(store, order.id);
    const [tee, note] = edit.lineItems.nodes;
    await store.ok(SET_QUANTITY, { id: edit.id, lineItemId: tee.id, quantity: 1 });
    await store.ok(SET_QUANTITY, { id: edit.id, lineItemId: note.id, quantity: 0 });
    await store.ok(ADD_VARIANT, { id: edit.id, variantId: variantGid(store, 'HOOD-GRY-M'), quantity: 2 });
    await store.ok(ADD_VARIANT, {
      id: edit.id,
      variantId: variantGid(store, 'BOTTLE-1000'),
      quantity: 1,
      locationId: locationGid(LOCATION_IDS.store),
    });
    const committed = await store.ok(COMMIT, { id: edit.id, staffNote: 'customer called' });
    expect(committed.orderEditCommit.userErrors).toEqual([]);
    expect(committed.orderEditCommit.order.lineItems.nodes).toEqual([
      { sku: 'TEE-BLK-S', quantity: 3, currentQuantity: 1 },
      { sku: 'NOTE-LINED', quantity: 1, currentQuantity: 0 },
      { sku: 'HOOD-GRY-M', quantity: 2, currentQuantity: 2 },
      { sku: 'BOTTLE-1000', quantity: 1, currentQuantity: 1 },
    ]);
    const read = await store.readOrder(order.id);
    // The notebook leaves; the hoodies join the open warehouse fulfillment order; the bottle gets
    // a new one at the store.
    expect(fulfillmentLines(read)).toEqual({
      [locationGid(LOCATION_IDS.warehouse)]: [
        [1, 1],
        [2, 2],
      ],
      [locationGid(LOCATION_IDS.store)]: [[1, 1]],
    });
    expect(read.displayFinancialStatus).toBe('PARTIALLY_PAID');
    expect(Number(read.totalOutstandingSet.shopMoney.amount)).toBeGreaterThan(0);
    expect(await store.changedOrders()).toEqual([order.id]);
  });

  it('refuses a quantity below what is fulfilled, an unknown edit, an empty commit and a cancelled order', async () => {
    const store = merchantSetup({ orders: 30 });
    const order = await paidOrder(store);
    const fo = order.fulfillmentOrders.nodes[0];
    const shipped = await store.ok(FULFILL, {
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: fo.id,
            fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 2 }],
          },
        ],
      },
    });
    expect(shipped.fulfillmentCreate.userErrors).toEqual([]);
    const edit = await begin(store, order.id);
    const tee = edit.lineItems.nodes[0];
    expect(tee).toMatchObject({ quantity: 3, editableQuantity: 1 });
    const below = await store.ok(SET_QUANTITY, { id: edit.id, lineItemId: tee.id, quantity: 1 });
    expect(below.orderEditSetQuantity.calculatedOrder).toBeNull();
    expect(below.orderEditSetQuantity.userErrors[0].field).toEqual(['quantity']);

    const empty = await store.ok(COMMIT, { id: edit.id });
    expect(empty.orderEditCommit.userErrors).toEqual([
      { field: ['id'], message: 'There must be at least one change to be made.' },
    ]);
    const unknown = await store.ok(SET_QUANTITY, {
      id: 'gid://shopify/CalculatedOrder/1',
      lineItemId: tee.id,
      quantity: 2,
    });
    expect(unknown.orderEditSetQuantity.userErrors).toEqual([
      { field: ['id'], message: 'The calculated order does not exist.' },
    ]);
    const duplicate = await store.ok(ADD_VARIANT, {
      id: edit.id,
      variantId: variantGid(store, 'TEE-BLK-S'),
      quantity: 1,
    });
    expect(duplicate.orderEditAddVariant.userErrors).toEqual([
      { field: ['id'], message: "The Classic Tee was not added because it's already on the order." },
    ]);

    const cancelled = store.data.orders.find((o) => o.cancelledAt !== null)!;
    const refused = await store.ok(BEGIN, { id: `gid://shopify/Order/${cancelled.id}` });
    expect(refused.orderEditBegin).toEqual({
      calculatedOrder: null,
      userErrors: [{ field: null, message: 'The order cannot be edited.' }],
    });
  });

  it('a committed edit cannot be committed again', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const edit = await begin(store, order.id);
    await store.ok(SET_QUANTITY, { id: edit.id, lineItemId: edit.lineItems.nodes[0].id, quantity: 2 });
    expect((await store.ok(COMMIT, { id: edit.id })).orderEditCommit.userErrors).toEqual([]);
    const again = await store.ok(COMMIT, { id: edit.id });
    expect(again.orderEditCommit.userErrors).toEqual([
      { field: ['id'], message: 'The calculated order does not exist.' },
    ]);
    expect((await store.readOrder(order.id)).lineItems.nodes[0].currentQuantity).toBe(2);
  });

  it('needs write_order_edits', async () => {
    const store = merchantSetup({ orders: 5 });
    const order = await paidOrder(store);
    const result = await store.run(BEGIN, { id: order.id }, { scopes: scopesWithout('write_order_edits') });
    expect(result.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
  });
});
