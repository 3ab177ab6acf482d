import { describe, expect, it } from 'vitest';
import type { FulfillmentRecord, ReturnRecord } from '../../../src/sandbox/data/model.js';
import { carrierOf, orderReturnStatus, returnableQuantities } from '../../../src/sandbox/data/returns.js';
import { LOCATION_IDS } from '../../../src/sandbox/data/seed.js';
import { locationGid, merchantSetup, type MerchantStore } from './merchant-support.js';
import { scopesWithout, setup } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL results are checked field by field
type Json = any;

// ---- the pure rules -------------------------------------------------------------------------------

function ret(status: ReturnRecord['status'], lines: [total: number, disposed: number][] = []): ReturnRecord {
  return {
    id: 1,
    orderId: 1,
    name: '#1001-R1',
    status,
    requestedAt: 0,
    createdAt: 0,
    updatedAt: 0,
    closedAt: null,
    lineItems: lines.map(([total], k) => ({
      id: k,
      fulfillmentLineItemId: 10 + k,
      lineItemId: 20 + k,
      quantity: total,
      returnReason: 'UNWANTED',
      returnReasonNote: '',
      customerNote: null,
    })),
    reverseFulfillmentOrders:
      status === 'REQUESTED' || status === 'DECLINED'
        ? []
        : [
            {
              id: 1,
              returnId: 1,
              orderId: 1,
              status: 'OPEN',
              deliveries: [],
              lineItems: lines.map(([total, disposed], k) => ({
                id: k,
                returnLineItemId: k,
                fulfillmentLineItemId: 10 + k,
                lineItemId: 20 + k,
                totalQuantity: total,
                dispositions:
                  disposed > 0 ? [{ id: k, type: 'RESTOCKED', quantity: disposed, locationId: null }] : [],
              })),
            },
          ],
    decline: null,
  };
}

describe('orderReturnStatus', () => {
  const cases: [string, ReturnRecord[], string][] = [
    ['no returns', [], 'NO_RETURN'],
    ['a request awaiting an answer', [ret('REQUESTED', [[1, 0]])], 'RETURN_REQUESTED'],
    ['an open return with nothing disposed', [ret('OPEN', [[2, 0]])], 'IN_PROGRESS'],
    ['an open return partly disposed', [ret('OPEN', [[2, 1]])], 'IN_PROGRESS'],
    ['an open return fully disposed', [ret('OPEN', [[2, 2]])], 'INSPECTION_COMPLETE'],
    ['a closed return', [ret('CLOSED', [[2, 2]])], 'RETURNED'],
    ['a canceled return', [ret('CANCELED', [[1, 0]])], 'NO_RETURN'],
    ['a declined request', [ret('DECLINED', [[1, 0]])], 'NO_RETURN'],
    ['work in progress beats a request', [ret('REQUESTED', [[1, 0]]), ret('OPEN', [[1, 0]])], 'IN_PROGRESS'],
    [
      'a request beats a finished one',
      [ret('CLOSED', [[1, 1]]), ret('REQUESTED', [[1, 0]])],
      'RETURN_REQUESTED',
    ],
    ['inspected beats returned', [ret('CLOSED', [[1, 1]]), ret('OPEN', [[1, 1]])], 'INSPECTION_COMPLETE'],
  ];
  it.each(cases)('%s → %s', (_what, returns, expected) => {
    expect(orderReturnStatus(returns)).toBe(expected);
  });
});

describe('returnableQuantities', () => {
  const fulfillment = (
    status: FulfillmentRecord['status'],
    lines: [number, number][],
  ): FulfillmentRecord => ({
    id: 1,
    orderId: 1,
    locationId: 1,
    name: '#1001-F1',
    status,
    createdAt: 0,
    updatedAt: 0,
    trackingInfo: [],
    notifyCustomer: false,
    lineItems: lines.map(([id, quantity]) => ({ id, lineItemId: id + 100, quantity })),
    fulfillmentOrderIds: [],
  });
  it('is what was shipped less what returns holding units take back', () => {
    const shipped = [
      fulfillment('SUCCESS', [
        [10, 3],
        [11, 1],
      ]),
      fulfillment('CANCELLED', [[12, 5]]),
    ];
    const open = ret('OPEN', [[2, 0]]);
    const canceled = ret('CANCELED', [[1, 0]]);
    expect(Object.fromEntries(returnableQuantities(shipped, [open, canceled]))).toEqual({ 10: 1, 11: 1 });
  });
});

describe('carrierOf', () => {
  it.each([
    ['1Z999AA10123456784', null, 'UPS'],
    [null, 'https://www.fedex.com/track?n=1', 'FedEx'],
    ['9400', 'https://tools.usps.com/go/x', 'USPS'],
    ['ABC', null, null],
  ] as const)('%s %s → %s', (number, url, expected) => {
    expect(carrierOf(number, url)).toBe(expected);
  });
});

// ---- through the Admin API ------------------------------------------------------------------------

const RETURN = /* GraphQL */ `
  fragment R on Return {
    id name status totalQuantity
    order { id returnStatus updatedAt }
    decline { reason note }
    returnLineItems(first: 10) {
      nodes { id quantity returnReason returnReasonNote customerNote ... on ReturnLineItem { fulfillmentLineItem { id lineItem { sku } } } }
    }
    reverseFulfillmentOrders(first: 5) {
      nodes {
        id status
        lineItems(first: 10) { nodes { id totalQuantity dispositions { type quantity location { id } } } }
        reverseDeliveries(first: 5) {
          nodes {
            id
            deliverable { ... on ReverseDeliveryShippingDeliverable { tracking { number url carrierName } label { publicFileUrl } } }
            reverseDeliveryLineItems(first: 10) { nodes { quantity } }
          }
        }
      }
    }
  }
`;
const CREATE = `${RETURN} mutation C($input: ReturnInput!) { returnCreate(returnInput: $input) { return { ...R } userErrors { field message code } } }`;
const REQUEST = `${RETURN} mutation Q($input: ReturnRequestInput!) { returnRequest(input: $input) { return { ...R } userErrors { field message code } } }`;
const APPROVE = `${RETURN} mutation A($id: ID!) { returnApproveRequest(input: { id: $id }) { return { ...R } userErrors { field message code } } }`;
const DECLINE = `${RETURN} mutation D($id: ID!) { returnDeclineRequest(input: { id: $id, declineReason: FINAL_SALE, declineNote: "sale item" }) { return { ...R } userErrors { field message code } } }`;
const CANCEL = `${RETURN} mutation X($id: ID!) { returnCancel(id: $id) { return { ...R } userErrors { field message code } } }`;
const CLOSE = `${RETURN} mutation L($id: ID!) { returnClose(id: $id) { return { ...R } userErrors { field message code } } }`;
const REOPEN = `${RETURN} mutation O($id: ID!) { returnReopen(id: $id) { return { ...R } userErrors { field message code } } }`;
const DELIVERY = /* GraphQL */ `
  mutation V($rfo: ID!, $lines: [ReverseDeliveryLineItemInput!]!, $tracking: ReverseDeliveryTrackingInput, $label: ReverseDeliveryLabelInput) {
    reverseDeliveryCreateWithShipping(reverseFulfillmentOrderId: $rfo, reverseDeliveryLineItems: $lines, trackingInput: $tracking, labelInput: $label) {
      reverseDelivery {
        id
        deliverable { ... on ReverseDeliveryShippingDeliverable { tracking { number url carrierName } label { publicFileUrl } } }
        reverseDeliveryLineItems(first: 10) { nodes { quantity reverseFulfillmentOrderLineItem { id } } }
      }
      userErrors { field message code }
    }
  }
`;
const DISPOSE = /* GraphQL */ `
  mutation P($inputs: [ReverseFulfillmentOrderDisposeInput!]!) {
    reverseFulfillmentOrderDispose(dispositionInputs: $inputs) {
      reverseFulfillmentOrderLineItems { id totalQuantity dispositions { type quantity location { id } } }
      userErrors { field message code }
    }
  }
`;
const LEVEL = /* GraphQL */ `
  query L($item: ID!, $location: ID!) {
    inventoryItem(id: $item) { inventoryLevel(locationId: $location) { quantities(names: ["available", "on_hand"]) { name quantity } } }
  }
`;
const BY_RETURN_STATUS = /* GraphQL */ `
  query S($query: String!) { orders(first: 250, query: $query) { nodes { id returnStatus } } }
`;

/** A new order of these SKUs at `locationId`, shipped in full; its fulfillment line items by SKU. */
function shippedOrder(
  store: MerchantStore,
  lines: { sku: string; quantity: number }[],
  locationId: number = LOCATION_IDS.warehouse,
): { orderId: string; fli: Record<string, string>; itemId: (sku: string) => string } {
  const order = store.data.addOrder({ lines: lines.map((l) => ({ ...l, locationId })) });
  const shipped = store.data.fulfillOrder(order.id);
  if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
  const fli: Record<string, string> = {};
  for (const l of shipped.fulfillment.lineItems) {
    const sku = store.data.lineItem(order, l.lineItemId)?.sku ?? '';
    fli[sku] = `gid://shopify/FulfillmentLineItem/${l.id}`;
  }
  const itemId = (sku: string) => {
    const variant = [...store.data.variants.values()].find((v) => v.sku === sku);
    return `gid://shopify/InventoryItem/${variant?.inventoryItemId}`;
  };
  return { orderId: `gid://shopify/Order/${order.id}`, fli, itemId };
}

async function create(
  store: MerchantStore,
  orderId: string,
  lines: { fulfillmentLineItemId: string; quantity: number }[],
): Promise<Json> {
  const data = await store.ok(CREATE, {
    input: { orderId, returnLineItems: lines.map((l) => ({ ...l, returnReason: 'DEFECTIVE' })) },
  });
  return data.returnCreate;
}

async function level(store: MerchantStore, item: string, location: number): Promise<Record<string, number>> {
  const data = await store.ok(LEVEL, { item, location: locationGid(location) });
  return Object.fromEntries(
    data.inventoryItem.inventoryLevel.quantities.map((q: Json) => [q.name, q.quantity]),
  );
}

async function statusOf(store: MerchantStore, orderId: string, query: string): Promise<boolean> {
  const data = await store.ok(BY_RETURN_STATUS, { query: `return_status:${query}` });
  return data.orders.nodes.some((n: Json) => n.id === orderId);
}

describe('seeded returns', () => {
  const { data } = setup({ orders: 200, seed: 7 });
  const returns = [...data.returns.values()];

  it('are a handful on fulfilled orders: open (with a reverse delivery), requested, closed, canceled', () => {
    expect(new Set(returns.map((r) => r.status))).toEqual(
      new Set(['OPEN', 'REQUESTED', 'CLOSED', 'CANCELED']),
    );
    expect(returns.some((r) => r.status === 'OPEN' && r.reverseFulfillmentOrders[0]?.deliveries.length)).toBe(
      true,
    );
    const closed = returns.find((r) => r.status === 'CLOSED');
    expect(closed?.reverseFulfillmentOrders[0]?.status).toBe('CLOSED');
    expect(closed?.reverseFulfillmentOrders[0]?.lineItems.every((l) => l.dispositions.length > 0)).toBe(true);
    for (const r of returns) {
      const order = data.ordersById.get(r.orderId);
      expect(order?.name && r.name.startsWith(`${order.name}-R`)).toBe(true);
      expect(r.updatedAt).toBeLessThanOrEqual(order?.updatedAt ?? 0);
    }
  });

  it('ship back to the 3PL and to the warehouse', () => {
    const from = new Set(
      returns.map((r) => {
        const order = data.ordersById.get(r.orderId);
        const fli = r.lineItems[0]?.fulfillmentLineItemId;
        return (
          order && data.fulfillmentsOf(order).find((f) => f.lineItems.some((l) => l.id === fli))?.locationId
        );
      }),
    );
    expect(from).toEqual(new Set([LOCATION_IDS.acme3pl, LOCATION_IDS.warehouse]));
  });

  it('are the same for the same seed', () => {
    const again = setup({ orders: 200, seed: 7 }).data;
    expect([...again.returns.values()]).toEqual(returns);
  });
});

describe('returnCreate', () => {
  it('opens a return on shipped units, with a reverse fulfillment order, and stamps the order', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [
      { sku: 'TEE-BLK-M', quantity: 2 },
      { sku: 'MUG-CLASSIC', quantity: 1 },
    ]);
    const before = (await store.readOrder(orderId)).updatedAt;
    store.data.setNow(new Date(store.changedAt.getTime() + 60_000));
    const payload = await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 2 }]);
    expect(payload.userErrors).toEqual([]);
    const r = payload.return;
    const order = store.data.findOrder(orderId)!;
    expect(r).toMatchObject({ name: `${order.name}-R1`, status: 'OPEN', totalQuantity: 2 });
    expect(r.order.returnStatus).toBe('IN_PROGRESS');
    expect(Date.parse(r.order.updatedAt)).toBeGreaterThan(Date.parse(before));
    expect(r.returnLineItems.nodes[0]).toMatchObject({
      quantity: 2,
      returnReason: 'DEFECTIVE',
      returnReasonNote: '',
      customerNote: null,
      fulfillmentLineItem: { id: fli['TEE-BLK-M'], lineItem: { sku: 'TEE-BLK-M' } },
    });
    expect(r.reverseFulfillmentOrders.nodes).toHaveLength(1);
    expect(r.reverseFulfillmentOrders.nodes[0]).toMatchObject({
      status: 'OPEN',
      lineItems: { nodes: [{ totalQuantity: 2, dispositions: [] }] },
    });
    expect(await statusOf(store, orderId, 'in_progress')).toBe(true);
    expect(await statusOf(store, orderId, 'no_return')).toBe(false);
    // A second return is numbered after the first.
    const second = await create(store, orderId, [
      { fulfillmentLineItemId: fli['MUG-CLASSIC']!, quantity: 1 },
    ]);
    expect(second.return.name).toBe(`${order.name}-R2`);
  });

  it('refuses units that were not shipped, and more than was shipped less what is already returned', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 2 }]);
    const unshipped = store.data.addOrder({ lines: [{ sku: 'MUG-CLASSIC', quantity: 1 }] });
    const lineItem = `gid://shopify/LineItem/${unshipped.lineItems[0]?.id}`;
    const notShipped = await create(store, `gid://shopify/Order/${unshipped.id}`, [
      { fulfillmentLineItemId: lineItem, quantity: 1 },
    ]);
    expect(notShipped).toEqual({
      return: null,
      userErrors: [
        expect.objectContaining({
          field: ['returnInput', 'returnLineItems', '0', 'fulfillmentLineItemId'],
          code: 'NOT_FOUND',
        }),
      ],
    });
    const tooMany = await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 3 }]);
    expect(tooMany.userErrors).toEqual([
      expect.objectContaining({
        field: ['returnInput', 'returnLineItems', '0', 'quantity'],
        code: 'LESS_THAN_OR_EQUAL_TO',
      }),
    ]);
    expect(
      (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 }])).userErrors,
    ).toEqual([]);
    const again = await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 2 }]);
    expect(again.userErrors[0]).toMatchObject({ code: 'LESS_THAN_OR_EQUAL_TO' });
    const unknown = await create(store, 'gid://shopify/Order/1', [
      { fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 },
    ]);
    expect(unknown.userErrors).toEqual([
      expect.objectContaining({ field: ['returnInput', 'orderId'], code: 'NOT_FOUND' }),
    ]);
    expect(store.data.findOrder(orderId)?.returnIds).toHaveLength(1);
  });
});

describe('return requests', () => {
  it('a request waits (no reverse fulfillment order) until approved, then opens', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'HOOD-GRY-M', quantity: 1 }]);
    const requested = await store.ok(REQUEST, {
      input: {
        orderId,
        returnLineItems: [
          {
            fulfillmentLineItemId: fli['HOOD-GRY-M'],
            quantity: 1,
            returnReason: 'SIZE_TOO_SMALL',
            customerNote: 'Too tight',
          },
        ],
      },
    });
    const r = requested.returnRequest.return;
    expect(r).toMatchObject({ status: 'REQUESTED', order: { returnStatus: 'RETURN_REQUESTED' } });
    expect(r.returnLineItems.nodes[0]).toMatchObject({
      customerNote: 'Too tight',
      returnReason: 'SIZE_TOO_SMALL',
    });
    expect(r.reverseFulfillmentOrders.nodes).toEqual([]);
    expect(await statusOf(store, orderId, 'return_requested')).toBe(true);

    const approved = (await store.ok(APPROVE, { id: r.id })).returnApproveRequest;
    expect(approved.return).toMatchObject({ status: 'OPEN', order: { returnStatus: 'IN_PROGRESS' } });
    expect(approved.return.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].totalQuantity).toBe(1);
    const twice = (await store.ok(APPROVE, { id: r.id })).returnApproveRequest;
    expect(twice).toEqual({
      return: null,
      userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'INVALID_STATE' })],
    });
  });

  it('a declined request gives the units back: they can be returned again', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'HOOD-GRY-M', quantity: 1 }]);
    const requested = await store.ok(REQUEST, {
      input: {
        orderId,
        returnLineItems: [{ fulfillmentLineItemId: fli['HOOD-GRY-M'], quantity: 1, returnReason: 'STYLE' }],
      },
    });
    const declined = (await store.ok(DECLINE, { id: requested.returnRequest.return.id }))
      .returnDeclineRequest;
    expect(declined.return).toMatchObject({
      status: 'DECLINED',
      decline: { reason: 'FINAL_SALE', note: 'sale item' },
      order: { returnStatus: 'NO_RETURN' },
    });
    expect(
      (await create(store, orderId, [{ fulfillmentLineItemId: fli['HOOD-GRY-M']!, quantity: 1 }])).userErrors,
    ).toEqual([]);
  });
});

describe('returnCancel, returnClose, returnReopen', () => {
  it('cancels an open return before anything arrives, but not once units are disposed', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 2 }]);
    const first = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 }]))
      .return;
    const canceled = (await store.ok(CANCEL, { id: first.id })).returnCancel.return;
    expect(canceled).toMatchObject({ status: 'CANCELED', order: { returnStatus: 'NO_RETURN' } });
    expect(canceled.reverseFulfillmentOrders.nodes[0].status).toBe('CANCELED');

    const second = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 2 }]))
      .return;
    const line = second.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].id;
    await store.ok(DISPOSE, {
      inputs: [
        {
          reverseFulfillmentOrderLineItemId: line,
          quantity: 1,
          dispositionType: 'MISSING',
          locationId: null,
        },
      ],
    });
    const refused = (await store.ok(CANCEL, { id: second.id })).returnCancel;
    expect(refused).toEqual({
      return: null,
      userErrors: [expect.objectContaining({ field: ['id'], code: 'INVALID_STATE' })],
    });
  });

  it('closes and reopens', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 1 }]);
    const r = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 }]))
      .return;
    const closed = (await store.ok(CLOSE, { id: r.id })).returnClose.return;
    expect(closed).toMatchObject({ status: 'CLOSED', order: { returnStatus: 'RETURNED' } });
    expect(await statusOf(store, orderId, 'returned')).toBe(true);
    expect((await store.ok(CLOSE, { id: r.id })).returnClose.userErrors[0].code).toBe('INVALID_STATE');
    const reopened = (await store.ok(REOPEN, { id: r.id })).returnReopen.return;
    expect(reopened).toMatchObject({ status: 'OPEN', order: { returnStatus: 'IN_PROGRESS' } });
    expect(reopened.reverseFulfillmentOrders.nodes[0].status).toBe('OPEN');
  });
});

describe('reverseDeliveryCreateWithShipping', () => {
  it('records how the units travel back (tracking, carrier, label); no more units than the line holds', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 2 }]);
    const r = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 2 }]))
      .return;
    const rfo = r.reverseFulfillmentOrders.nodes[0];
    const line = rfo.lineItems.nodes[0].id;
    const first = (
      await store.ok(DELIVERY, {
        rfo: rfo.id,
        lines: [{ reverseFulfillmentOrderLineItemId: line, quantity: 1 }],
        tracking: {
          number: '1Z999AA10123456784',
          url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
        },
        label: { fileUrl: 'https://example.com/label.pdf' },
      })
    ).reverseDeliveryCreateWithShipping;
    expect(first.userErrors).toEqual([]);
    expect(first.reverseDelivery.deliverable).toEqual({
      tracking: {
        number: '1Z999AA10123456784',
        url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
        carrierName: 'UPS',
      },
      label: { publicFileUrl: 'https://example.com/label.pdf' },
    });
    const tooMany = (
      await store.ok(DELIVERY, {
        rfo: rfo.id,
        lines: [{ reverseFulfillmentOrderLineItemId: line, quantity: 2 }],
      })
    ).reverseDeliveryCreateWithShipping;
    expect(tooMany.userErrors).toEqual([
      expect.objectContaining({
        field: ['reverseDeliveryLineItems', '0', 'quantity'],
        code: 'LESS_THAN_OR_EQUAL_TO',
      }),
    ]);
    const rest = (await store.ok(DELIVERY, { rfo: rfo.id, lines: [] })).reverseDeliveryCreateWithShipping;
    expect(rest.userErrors[0]?.code).toBe('LESS_THAN_OR_EQUAL_TO');
  });
});

describe('reverseFulfillmentOrderDispose', () => {
  it('records each disposition type; RESTOCKED raises available at the location; all disposed closes it', async () => {
    const store = merchantSetup();
    const { orderId, fli, itemId } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 4 }]);
    const r = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 4 }]))
      .return;
    const rfo = r.reverseFulfillmentOrders.nodes[0];
    const line = rfo.lineItems.nodes[0].id;
    const item = itemId('TEE-BLK-M');
    const before = await level(store, item, LOCATION_IDS.warehouse);
    const warehouse = locationGid(LOCATION_IDS.warehouse);

    const dispose = async (dispositionType: string, locationId: string | null) =>
      (
        await store.ok(DISPOSE, {
          inputs: [{ reverseFulfillmentOrderLineItemId: line, quantity: 1, dispositionType, locationId }],
        })
      ).reverseFulfillmentOrderDispose;
    expect((await dispose('RESTOCKED', warehouse)).userErrors).toEqual([]);
    expect(await level(store, item, LOCATION_IDS.warehouse)).toEqual({
      available: before.available! + 1,
      on_hand: before.on_hand! + 1,
    });
    expect((await dispose('PROCESSING_REQUIRED', warehouse)).userErrors).toEqual([]);
    expect((await dispose('NOT_RESTOCKED', warehouse)).userErrors).toEqual([]);
    expect(await statusOf(store, orderId, 'in_progress')).toBe(true);
    const last = await dispose('MISSING', null);
    expect(last.userErrors).toEqual([]);
    expect(last.reverseFulfillmentOrderLineItems[0].dispositions).toEqual([
      { type: 'RESTOCKED', quantity: 1, location: { id: warehouse } },
      { type: 'PROCESSING_REQUIRED', quantity: 1, location: { id: warehouse } },
      { type: 'NOT_RESTOCKED', quantity: 1, location: { id: warehouse } },
      { type: 'MISSING', quantity: 1, location: null },
    ]);
    // Only RESTOCKED moved stock.
    expect((await level(store, item, LOCATION_IDS.warehouse)).available).toBe(before.available! + 1);
    const read = await store.ok(`${RETURN} query R($id: ID!) { return(id: $id) { ...R } }`, { id: r.id });
    expect(read.return.reverseFulfillmentOrders.nodes[0].status).toBe('CLOSED');
    expect(read.return.order.returnStatus).toBe('INSPECTION_COMPLETE');
    expect(await statusOf(store, orderId, 'inspection_complete')).toBe(true);
    expect((await dispose('MISSING', null)).userErrors[0].code).toBe('INVALID_STATE');
  });

  it('refuses more than is left to dispose, and applies nothing of that call', async () => {
    const store = merchantSetup();
    const { orderId, fli, itemId } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 2 }]);
    const r = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 2 }]))
      .return;
    const line = r.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].id;
    const item = itemId('TEE-BLK-M');
    const before = await level(store, item, LOCATION_IDS.warehouse);
    const warehouse = locationGid(LOCATION_IDS.warehouse);
    const payload = (
      await store.ok(DISPOSE, {
        inputs: [
          {
            reverseFulfillmentOrderLineItemId: line,
            quantity: 1,
            dispositionType: 'RESTOCKED',
            locationId: warehouse,
          },
          {
            reverseFulfillmentOrderLineItemId: line,
            quantity: 2,
            dispositionType: 'NOT_RESTOCKED',
            locationId: warehouse,
          },
        ],
      })
    ).reverseFulfillmentOrderDispose;
    expect(payload).toEqual({
      reverseFulfillmentOrderLineItems: null,
      userErrors: [
        expect.objectContaining({
          field: ['dispositionInputs', '1', 'quantity'],
          code: 'LESS_THAN_OR_EQUAL_TO',
        }),
      ],
    });
    expect(await level(store, item, LOCATION_IDS.warehouse)).toEqual(before);
    const read = await store.ok(`${RETURN} query R($id: ID!) { return(id: $id) { ...R } }`, { id: r.id });
    expect(read.return.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].dispositions).toEqual([]);
  });

  it('refuses to restock at a location that does not stock the item', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'CAP-TRAIL', quantity: 1 }]);
    const r = (await create(store, orderId, [{ fulfillmentLineItemId: fli['CAP-TRAIL']!, quantity: 1 }]))
      .return;
    const line = r.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].id;
    const payload = (
      await store.ok(DISPOSE, {
        inputs: [
          {
            reverseFulfillmentOrderLineItemId: line,
            quantity: 1,
            dispositionType: 'RESTOCKED',
            locationId: locationGid(LOCATION_IDS.acme3pl),
          },
        ],
      })
    ).reverseFulfillmentOrderDispose;
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ field: ['dispositionInputs', '0', 'locationId'], code: 'INVALID' }),
    ]);
    expect(payload.userErrors[0].message).toMatch(/CAP-TRAIL is not stocked at Acme 3PL/);
  });
});

describe('order.returns and scopes', () => {
  it('filters an order’s returns by status', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 2 }]);
    const a = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 }]))
      .return;
    const b = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 }]))
      .return;
    await store.ok(CLOSE, { id: b.id });
    const q = `query O($id: ID!, $q: String) { order(id: $id) { returns(first: 5, query: $q) { nodes { id status } } } }`;
    expect((await store.ok(q, { id: orderId, q: 'status:open' })).order.returns.nodes).toEqual([
      { id: a.id, status: 'OPEN' },
    ]);
    expect((await store.ok(q, { id: orderId })).order.returns.nodes.map((n: Json) => n.id)).toEqual([
      a.id,
      b.id,
    ]);
  });

  it('needs read_returns to read and write_returns to change, with Shopify’s access-denied error', async () => {
    const store = merchantSetup();
    const { orderId, fli } = shippedOrder(store, [{ sku: 'TEE-BLK-M', quantity: 1 }]);
    const r = (await create(store, orderId, [{ fulfillmentLineItemId: fli['TEE-BLK-M']!, quantity: 1 }]))
      .return;
    const noRead = { scopes: scopesWithout('read_returns') };
    const read = await store.run('query R($id: ID!) { return(id: $id) { id } }', { id: r.id }, noRead);
    expect(read.errors?.[0]?.message).toBe(
      'Access denied for return field. Required access: `read_returns` or `read_marketplace_returns` access scopes.',
    );
    expect(read.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
    const viaOrder = await store.run(
      'query O($id: ID!) { order(id: $id) { id returnStatus returns(first: 1) { nodes { id } } } }',
      { id: orderId },
      noRead,
    );
    expect(viaOrder.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
    expect(viaOrder.errors?.[0]?.path).toEqual(['order', 'returns']);
    const readOnly = new Set([...scopesWithout('read_returns'), 'read_returns']);
    const write = await store.run(CLOSE, { id: r.id }, { scopes: readOnly });
    expect(write.errors?.[0]?.message).toMatch(
      /^Access denied for returnClose field\. Required access: `write_returns`/,
    );
    expect(store.data.returns.get(Number(r.id.split('/').pop()))?.status).toBe('OPEN');
    expect(
      (await store.run('query R($id: ID!) { return(id: $id) { id } }', { id: r.id }, { scopes: readOnly }))
        .errors,
    ).toBeUndefined();
  });
});
