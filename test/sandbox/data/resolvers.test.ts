import { describe, expect, it } from 'vitest';
import { LOCATION_IDS } from '../../../src/sandbox/data/index.js';
import { NOW, scopesWithout, setup } from './support.js';

const DAY = 86_400_000;

const ORDERS_PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String, $query: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
    orders(first: $first, after: $after, last: $last, before: $before, query: $query, sortKey: $sortKey, reverse: $reverse) {
      edges { cursor node { id name updatedAt createdAt } }
      nodes { id }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

describe('orders pagination', () => {
  it('walks every visible order exactly once, in sort order, with consistent pageInfo', async () => {
    const { data, run } = setup({ orders: 90 });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await run(ORDERS_PAGE, { first: 7, after, sortKey: 'UPDATED_AT' });
      expect(r.errors).toBeUndefined();
      const page = r.data.orders;
      expect(page.nodes.map((n: { id: string }) => n.id)).toEqual(
        page.edges.map((e: { node: { id: string } }) => e.node.id),
      );
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(data.orders.length);
    const byUpdated = [...data.orders]
      .sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id)
      .map((o) => `gid://shopify/Order/${o.id}`);
    expect(seen).toEqual(byUpdated);
  });

  it('keeps its place when an order on an earlier page changes (it moves to the end)', async () => {
    const { data, run } = setup({ orders: 40 });
    const first = await run(ORDERS_PAGE, { first: 10, sortKey: 'UPDATED_AT' });
    const firstIds: string[] = first.data.orders.nodes.map((n: { id: string }) => n.id);
    const moved = data.findOrder(firstIds[0]!)!;
    data.setNow(new Date(NOW.getTime() + 60_000));
    data.updateOrder(moved.id, { note: 'edited' });
    const rest: string[] = [];
    let after = first.data.orders.pageInfo.endCursor;
    for (;;) {
      const r = await run(ORDERS_PAGE, { first: 10, after, sortKey: 'UPDATED_AT' });
      rest.push(...r.data.orders.nodes.map((n: { id: string }) => n.id));
      if (!r.data.orders.pageInfo.hasNextPage) break;
      after = r.data.orders.pageInfo.endCursor;
    }
    expect(rest).toHaveLength(31); // 30 unseen + the edited one, now last
    expect(rest[rest.length - 1]).toBe(`gid://shopify/Order/${moved.id}`);
    for (const id of firstIds.slice(1)) expect(rest).not.toContain(id);
  });

  it('supports reverse, last/before, and sort keys', async () => {
    const { run } = setup({ orders: 30 });
    const newest = await run(ORDERS_PAGE, { first: 3, sortKey: 'CREATED_AT', reverse: true });
    const names = newest.data.orders.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(names).toEqual(['#1030', '#1029', '#1028']);
    const tail = await run(ORDERS_PAGE, { last: 2, sortKey: 'ORDER_NUMBER' });
    expect(tail.data.orders.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      '#1029',
      '#1030',
    ]);
    expect(tail.data.orders.pageInfo.hasPreviousPage).toBe(true);
    expect(tail.data.orders.pageInfo.hasNextPage).toBe(false);
    const before = await run(ORDERS_PAGE, {
      last: 2,
      before: tail.data.orders.pageInfo.startCursor,
      sortKey: 'ORDER_NUMBER',
    });
    expect(before.data.orders.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      '#1027',
      '#1028',
    ]);
  });

  it('refuses a connection without first/last and a garbage cursor', async () => {
    const { run } = setup({ orders: 5 });
    const unbounded = await run(ORDERS_PAGE, {});
    expect(unbounded.errors?.[0]?.message).toMatch(/first or last/);
    const garbage = await run(ORDERS_PAGE, { first: 2, after: 'not-a-cursor' });
    expect(garbage.errors?.[0]?.message).toMatch(/Invalid cursor/);
  });

  it('filters with the search syntax', async () => {
    const { data, run } = setup({ orders: 120 });
    const r = await run(ORDERS_PAGE, { first: 250, query: 'financial_status:paid -status:cancelled' });
    const expected = data.orders.filter((o) => o.financialStatus === 'PAID' && o.cancelledAt === null);
    expect(r.data.orders.nodes).toHaveLength(expected.length);
    const since = new Date(NOW.getTime() - 10 * DAY).toISOString();
    const recent = await run(ORDERS_PAGE, { first: 250, query: `updated_at:>='${since}'` });
    for (const e of recent.data.orders.edges)
      expect(Date.parse(e.node.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    expect(recent.data.orders.edges.length).toBe(
      data.orders.filter((o) => o.updatedAt >= Date.parse(since)).length,
    );
    const byName = await run(ORDERS_PAGE, { first: 5, query: 'name:#1005' });
    expect(byName.data.orders.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['#1005']);
  });
});

describe('60-day visibility', () => {
  it('hides orders created more than 60 days ago without read_all_orders', async () => {
    const { data, run } = setup({ orders: 90 });
    const cutoff = NOW.getTime() - 60 * DAY;
    const old = data.orders.find((o) => o.createdAt < cutoff)!;
    const scopes = scopesWithout('read_all_orders');
    const limited = await run(ORDERS_PAGE, { first: 250 }, { scopes });
    expect(limited.data.orders.nodes).toHaveLength(data.orders.filter((o) => o.createdAt >= cutoff).length);
    const single = await run(
      `query($id: ID!) { order(id: $id) { id } }`,
      { id: `gid://shopify/Order/${old.id}` },
      { scopes },
    );
    expect(single.data.order).toBeNull();
    const full = await run(`query($id: ID!) { order(id: $id) { id } }`, {
      id: `gid://shopify/Order/${old.id}`,
    });
    expect(full.data.order.id).toBe(`gid://shopify/Order/${old.id}`);
  });
});

describe('scopes', () => {
  it('denies a root field outside the scopes like Shopify', async () => {
    const { run } = setup({ orders: 5 });
    const r = await run(
      `{ orders(first: 1) { nodes { id } } }`,
      {},
      { scopes: scopesWithout('read_orders') },
    );
    expect(r.data).toBeNull();
    expect(r.errors).toHaveLength(1);
    const error = r.errors![0]!;
    expect(error.message).toBe(
      'Access denied for orders field. Required access: `read_orders` access scope.',
    );
    expect(error.path).toEqual(['orders']);
    expect(error.extensions).toMatchObject({
      code: 'ACCESS_DENIED',
      requiredAccess: '`read_orders` access scope.',
    });
  });

  it('silently leaves out fulfillment orders the token may not read', async () => {
    const { data, run } = setup({ orders: 120 });
    const order = data.orders.find((o) => {
      const locs = data.fulfillmentOrdersOf(o).map((fo) => fo.locationId);
      return locs.includes(LOCATION_IDS.acme3pl) && locs.includes(LOCATION_IDS.warehouse);
    })!;
    const q = `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 10) { nodes { assignedLocation { location { id } } } } } }`;
    const locations = async (scopes?: Set<string>) => {
      const r = await run(q, { id: `gid://shopify/Order/${order.id}` }, scopes ? { scopes } : {});
      expect(r.errors).toBeUndefined();
      return r.data.order.fulfillmentOrders.nodes.map(
        (n: { assignedLocation: { location: { id: string } } }) => n.assignedLocation.location.id,
      );
    };
    const all = await locations();
    expect(all).toContain(`gid://shopify/Location/${LOCATION_IDS.acme3pl}`);
    const merchantOnly = await locations(
      scopesWithout('read_third_party_fulfillment_orders', 'read_assigned_fulfillment_orders'),
    );
    expect(merchantOnly).not.toContain(`gid://shopify/Location/${LOCATION_IDS.acme3pl}`);
    expect(merchantOnly).toContain(`gid://shopify/Location/${LOCATION_IDS.warehouse}`);
    const thirdPartyOnly = await locations(scopesWithout('read_merchant_managed_fulfillment_orders'));
    expect(thirdPartyOnly).toEqual([`gid://shopify/Location/${LOCATION_IDS.acme3pl}`]);
  });

  it('lists the granted scopes', async () => {
    const { run } = setup({ orders: 1 });
    const r = await run(
      `{ currentAppInstallation { accessScopes { handle } } }`,
      {},
      { scopes: new Set(['read_orders', 'read_locations']) },
    );
    expect(r.data.currentAppInstallation.accessScopes.map((s: { handle: string }) => s.handle)).toEqual([
      'read_locations',
      'read_orders',
    ]);
  });
});

describe('locations and SKUs', () => {
  it('hides inactive and fulfillment-service locations unless asked', async () => {
    const { data, run } = setup({ orders: 1 });
    const q = `query($a: Boolean, $b: Boolean) { locations(first: 50, includeInactive: $a, includeLegacy: $b) { nodes { name isActive isFulfillmentService fulfillmentService { handle } } } }`;
    const plain = await run(q, {});
    expect(
      plain.data.locations.nodes.every(
        (l: { isActive: boolean; isFulfillmentService: boolean }) => l.isActive && !l.isFulfillmentService,
      ),
    ).toBe(true);
    const all = await run(q, { a: true, b: true });
    expect(all.data.locations.nodes).toHaveLength(data.locations.length);
    expect(
      all.data.locations.nodes.find(
        (l: { fulfillmentService: { handle: string } | null }) => l.fulfillmentService?.handle === 'acme-3pl',
      ),
    ).toBeTruthy();
  });

  it('finds every variant sharing a SKU, case-sensitively', async () => {
    const { run } = setup({ orders: 1 });
    const q = `query($q: String) { productVariants(first: 10, query: $q) { nodes { sku inventoryItem { id } } } }`;
    const shared = await run(q, { q: 'sku:MUG-CLASSIC' });
    expect(shared.data.productVariants.nodes).toHaveLength(2);
    const lower = await run(q, { q: 'sku:mug-classic' });
    expect(lower.data.productVariants.nodes).toHaveLength(0);
    const items = await run(
      `{ inventoryItems(first: 10, query: "sku:TOTE-CANVAS") { nodes { sku duplicateSkuCount } } }`,
    );
    expect(items.data.inventoryItems.nodes).toHaveLength(2);
    expect(items.data.inventoryItems.nodes[0].duplicateSkuCount).toBe(1);
  });
});

const FULFILL = /* GraphQL */ `
  mutation($f: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $f) {
      fulfillment { id status trackingInfo(first: 5) { company number url } fulfillmentLineItems(first: 10) { nodes { quantity } } }
      userErrors { field message }
    }
  }
`;

describe('fulfillmentCreate', () => {
  const pick = (d: ReturnType<typeof setup>['data']) =>
    d.orders.find((o) => {
      if (
        o.cancelledAt !== null ||
        o.fulfillmentStatus !== 'UNFULFILLED' ||
        o.createdAt < NOW.getTime() - 30 * DAY
      )
        return false;
      const fo = d.fulfillmentOrdersOf(o)[0];
      return fo?.status === 'OPEN' && fo.lineItems.some((l) => l.totalQuantity >= 2);
    })!;

  it('decrements remaining quantity, moves statuses, bumps updatedAt, records tracking', async () => {
    const { data, run } = setup({ orders: 200 });
    const order = pick(data);
    const fo = data.fulfillmentOrdersOf(order)[0]!;
    const line = fo.lineItems.find((l) => l.totalQuantity >= 2)!;
    const before = order.updatedAt;
    data.setNow(new Date(NOW.getTime() + 5000));
    const r = await run(FULFILL, {
      f: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${fo.id}`,
            fulfillmentOrderLineItems: [
              { id: `gid://shopify/FulfillmentOrderLineItem/${line.id}`, quantity: 1 },
            ],
          },
        ],
        trackingInfo: { company: 'DHL', number: 'JD0001', url: 'https://track.example/JD0001' },
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.fulfillmentCreate.userErrors).toEqual([]);
    expect(r.data.fulfillmentCreate.fulfillment.trackingInfo).toEqual([
      { company: 'DHL', number: 'JD0001', url: 'https://track.example/JD0001' },
    ]);
    expect(line.remainingQuantity).toBe(line.totalQuantity - 1);
    expect(fo.status).toBe('IN_PROGRESS');
    expect(order.fulfillmentStatus).toBe('PARTIALLY_FULFILLED');
    expect(order.updatedAt).toBeGreaterThan(before);

    // The rest of the order: omitted line items mean "everything remaining".
    const all = data
      .fulfillmentOrdersOf(order)
      .filter((x) => x.status === 'OPEN' || x.status === 'IN_PROGRESS');
    const r2 = await run(FULFILL, {
      f: {
        lineItemsByFulfillmentOrder: all.map((x) => ({
          fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${x.id}`,
        })),
      },
    });
    expect(r2.data.fulfillmentCreate.userErrors).toEqual([]);
    for (const x of data.fulfillmentOrdersOf(order)) expect(x.status).toBe('CLOSED');
    expect(order.fulfillmentStatus).toBe('FULFILLED');
  });

  it('returns userErrors and changes nothing for a bad id or too large a quantity', async () => {
    const { data, run } = setup({ orders: 200 });
    const order = pick(data);
    const fo = data.fulfillmentOrdersOf(order)[0]!;
    const line = fo.lineItems[0]!;
    const tooMany = await run(FULFILL, {
      f: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${fo.id}`,
            fulfillmentOrderLineItems: [
              {
                id: `gid://shopify/FulfillmentOrderLineItem/${line.id}`,
                quantity: line.remainingQuantity + 1,
              },
            ],
          },
        ],
      },
    });
    expect(tooMany.data.fulfillmentCreate.fulfillment).toBeNull();
    expect(tooMany.data.fulfillmentCreate.userErrors[0].message).toMatch(/quantity/);
    expect(line.remainingQuantity).toBe(line.totalQuantity);
    const missing = await run(FULFILL, {
      f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1' }] },
    });
    expect(missing.data.fulfillmentCreate.userErrors[0]).toMatchObject({
      message: 'Fulfillment order does not exist.',
    });
    const closed = [...data.fulfillmentOrders.values()].find(
      (x) => x.status === 'CLOSED' && data.ordersById.get(x.orderId)!.createdAt > NOW.getTime() - 50 * DAY,
    )!;
    const r = await run(FULFILL, {
      f: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${closed.id}` }],
      },
    });
    expect(r.data.fulfillmentCreate.userErrors[0].message).toMatch(/unfulfillable status/);
  });

  it('accepts a submitted fulfillment request', async () => {
    const { data, run } = setup({ orders: 200 });
    const fo = [...data.fulfillmentOrders.values()].find(
      (x) => x.requestStatus === 'SUBMITTED' && x.status === 'OPEN',
    )!;
    const r = await run(
      `mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id) { fulfillmentOrder { status requestStatus } userErrors { message } } }`,
      {
        id: `gid://shopify/FulfillmentOrder/${fo.id}`,
      },
    );
    expect(r.data.fulfillmentOrderAcceptFulfillmentRequest.fulfillmentOrder).toEqual({
      status: 'IN_PROGRESS',
      requestStatus: 'ACCEPTED',
    });
    const again = await run(
      `mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id) { userErrors { message } } }`,
      {
        id: `gid://shopify/FulfillmentOrder/${fo.id}`,
      },
    );
    expect(again.data.fulfillmentOrderAcceptFulfillmentRequest.userErrors).toHaveLength(1);
  });
});

const SET = /* GraphQL */ `
  mutation($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
      userErrors { field message code }
    }
  }
`;

describe('inventorySetQuantities', () => {
  const target = (d: ReturnType<typeof setup>['data']) => {
    const level = d.level([...d.inventoryItems.values()].find((i) => i.tracked)!.id, LOCATION_IDS.acme3pl)!;
    return {
      level,
      entry: (quantity: number, changeFrom?: number | null) => ({
        inventoryItemId: `gid://shopify/InventoryItem/${level.inventoryItemId}`,
        locationId: `gid://shopify/Location/${level.locationId}`,
        quantity,
        ...(changeFrom === undefined ? {} : { changeFromQuantity: changeFrom }),
      }),
    };
  };

  it('sets available when changeFromQuantity matches, and refuses a stale one', async () => {
    const { data, run } = setup({ orders: 1 });
    const { level, entry } = target(data);
    const start = level.available;
    const ok = await run(SET, {
      key: 'k1',
      input: { name: 'available', reason: 'correction', quantities: [entry(start + 5, start)] },
    });
    expect(ok.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(level.available).toBe(start + 5);
    expect(ok.data.inventorySetQuantities.inventoryAdjustmentGroup.changes[0]).toEqual({
      name: 'available',
      delta: 5,
      quantityAfterChange: start + 5,
    });
    const stale = await run(SET, {
      key: 'k2',
      input: { name: 'available', reason: 'correction', quantities: [entry(1, start)] },
    });
    expect(stale.data.inventorySetQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');
    expect(level.available).toBe(start + 5);
  });

  it('lets null opt out of the check and requires the field otherwise', async () => {
    const { data, run } = setup({ orders: 1 });
    const { level, entry } = target(data);
    const optOut = await run(SET, {
      key: 'k3',
      input: { name: 'available', reason: 'correction', quantities: [entry(42, null)] },
    });
    expect(optOut.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(level.available).toBe(42);
    const missing = await run(SET, {
      key: 'k4',
      input: { name: 'available', reason: 'correction', quantities: [entry(7)] },
    });
    expect(missing.data.inventorySetQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_REQUIRED');
    expect(level.available).toBe(42);
  });

  it('replays the result for a reused idempotency key without applying twice', async () => {
    const { data, run } = setup({ orders: 1 });
    const { level, entry } = target(data);
    const input = {
      name: 'available',
      reason: 'correction',
      quantities: [entry(level.available + 1, level.available)],
    };
    const first = await run(SET, { key: 'same', input });
    const second = await run(SET, { key: 'same', input });
    expect(second.data).toEqual(first.data);
    expect(level.available).toBe(input.quantities[0]!.quantity);
    const other = await run(SET, { key: 'same', input: { ...input, reason: 'received' } });
    expect(other.errors?.[0]?.message).toMatch(/idempotency key/);
  });

  it('names unknown items, unstocked locations and bad names, and applies nothing', async () => {
    const { data, run } = setup({ orders: 1 });
    const { level, entry } = target(data);
    const before = level.available;
    const unstocked = [...data.inventoryItems.values()].find(
      (i) => i.tracked && !data.level(i.id, LOCATION_IDS.overflow),
    )!;
    const r = await run(SET, {
      key: 'k5',
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [
          entry(before + 1, null),
          {
            inventoryItemId: 'gid://shopify/InventoryItem/1',
            locationId: `gid://shopify/Location/${LOCATION_IDS.acme3pl}`,
            quantity: 1,
            changeFromQuantity: null,
          },
          {
            inventoryItemId: `gid://shopify/InventoryItem/${unstocked.id}`,
            locationId: `gid://shopify/Location/${LOCATION_IDS.overflow}`,
            quantity: 1,
            changeFromQuantity: null,
          },
        ],
      },
    });
    expect(r.data.inventorySetQuantities.userErrors.map((e: { code: string }) => e.code)).toEqual([
      'INVALID_INVENTORY_ITEM',
      'ITEM_NOT_STOCKED_AT_LOCATION',
    ]);
    expect(level.available).toBe(before);
    const badName = await run(SET, {
      key: 'k6',
      input: { name: 'shelf', reason: 'correction', quantities: [entry(1, null)] },
    });
    expect(badName.data.inventorySetQuantities.userErrors[0].code).toBe('INVALID_NAME');
  });
});

describe('money, nodes and fulfillment-order roots', () => {
  it('reports shop and presentment money for an order paid in another currency', async () => {
    const { data, run } = setup({ orders: 120 });
    const order = data.orders.find(
      (o) => o.presentmentCurrency === 'EUR' && o.createdAt > NOW.getTime() - 50 * DAY,
    )!;
    const r = await run(
      `query($id: ID!) { order(id: $id) { currencyCode presentmentCurrencyCode
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        lineItems(first: 1) { nodes { originalUnitPriceSet { shopMoney { amount } presentmentMoney { amount currencyCode } } } } } }`,
      { id: `gid://shopify/Order/${order.id}` },
    );
    expect(r.errors).toBeUndefined();
    const o = r.data.order;
    expect(o.currencyCode).toBe('USD');
    expect(o.presentmentCurrencyCode).toBe('EUR');
    expect(o.totalPriceSet.shopMoney.currencyCode).toBe('USD');
    expect(o.totalPriceSet.presentmentMoney.currencyCode).toBe('EUR');
    const shop = Number(o.totalPriceSet.shopMoney.amount);
    const presentment = Number(o.totalPriceSet.presentmentMoney.amount);
    expect(presentment).toBeCloseTo(shop * 0.92, 1);
    const unit = o.lineItems.nodes[0].originalUnitPriceSet;
    expect(unit.shopMoney.amount).toBe((order.lineItems[0]!.unitPrice / 100).toFixed(2).replace(/0$/, ''));
    expect(unit.presentmentMoney.currencyCode).toBe('EUR');
  });

  it('resolves nodes by gid and returns null for unknown ones', async () => {
    const { data, run } = setup({ orders: 10 });
    const order = data.orders[9]!;
    const r = await run(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { name } } }`, {
      ids: [
        `gid://shopify/Order/${order.id}`,
        'gid://shopify/Order/1',
        `gid://shopify/Location/${LOCATION_IDS.acme3pl}`,
      ],
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.nodes).toEqual([
      { id: `gid://shopify/Order/${order.id}`, name: order.name },
      null,
      { id: `gid://shopify/Location/${LOCATION_IDS.acme3pl}` },
    ]);
  });

  it('lists a fulfillment service its submitted requests', async () => {
    const { data, run } = setup({ orders: 120 });
    const r = await run(
      `{ assignedFulfillmentOrders(first: 250, assignmentStatus: FULFILLMENT_REQUESTED) { nodes { id requestStatus assignedLocation { location { id } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data.assignedFulfillmentOrders.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      expect(n.requestStatus).toBe('SUBMITTED');
      expect(n.assignedLocation.location.id).toBe(`gid://shopify/Location/${LOCATION_IDS.acme3pl}`);
    }
    const visible = [...data.fulfillmentOrders.values()].filter(
      (fo) => fo.requestStatus === 'SUBMITTED' && fo.locationId === LOCATION_IDS.acme3pl,
    );
    expect(nodes).toHaveLength(visible.length);
  });
});
