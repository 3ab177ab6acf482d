import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sandbox/data/prng.js';
import {
  multiplyMoney,
  planCancel,
  planCancellationRequest,
  planFulfillmentRequest,
  planHold,
  planMove,
  planNewOrder,
  planQuantityEdit,
  planRefund,
  planRelease,
  pickOrderToEdit,
  pickOrderToMarkPaid,
} from '../../../src/sandbox/activity/decide.js';
import type { CatalogView, FulfillmentOrderView, OrderView } from '../../../src/sandbox/activity/reads.js';

const WAREHOUSE = 'gid://shopify/Location/1';
const STORE = 'gid://shopify/Location/2';
const PL3 = 'gid://shopify/Location/4';

const catalog: CatalogView = {
  locations: [
    { id: WAREHOUSE, name: 'Main Warehouse', isActive: true, isFulfillmentService: false },
    { id: STORE, name: 'Brooklyn Store', isActive: true, isFulfillmentService: false },
    { id: 'gid://shopify/Location/3', name: 'Old Depot', isActive: false, isFulfillmentService: false },
    { id: PL3, name: 'Acme 3PL', isActive: true, isFulfillmentService: true },
  ],
  variants: [
    {
      id: 'gid://shopify/ProductVariant/1',
      sku: 'MUG',
      isGiftCard: false,
      inventoryItemId: 'gid://shopify/InventoryItem/1',
      tracked: true,
      locationIds: [WAREHOUSE, PL3, 'gid://shopify/Location/3'],
    },
    {
      id: 'gid://shopify/ProductVariant/2',
      sku: 'TOTE',
      isGiftCard: false,
      inventoryItemId: 'gid://shopify/InventoryItem/2',
      tracked: true,
      locationIds: [WAREHOUSE, STORE, PL3],
    },
    {
      id: 'gid://shopify/ProductVariant/3',
      sku: 'GIFT-25',
      isGiftCard: true,
      inventoryItemId: 'gid://shopify/InventoryItem/3',
      tracked: false,
      locationIds: [],
    },
  ],
};

function fo(id: number, over: Partial<FulfillmentOrderView> = {}): FulfillmentOrderView {
  return {
    id: `gid://shopify/FulfillmentOrder/${id}`,
    status: 'OPEN',
    requestStatus: 'UNSUBMITTED',
    locationId: WAREHOUSE,
    lineItems: [
      {
        id: `gid://shopify/FulfillmentOrderLineItem/${id}`,
        sku: 'MUG',
        variantId: 'gid://shopify/ProductVariant/1',
        remainingQuantity: 2,
        totalQuantity: 2,
      },
    ],
    ...over,
  };
}

function order(n: number, over: Partial<OrderView> = {}): OrderView {
  return {
    id: `gid://shopify/Order/${n}`,
    name: `#${n}`,
    cancelled: false,
    financialStatus: 'PAID',
    fulfillmentStatus: 'UNFULFILLED',
    shipTo: { firstName: 'Ada', lastName: 'Okafor' },
    lineItems: [
      {
        id: `gid://shopify/LineItem/${n}`,
        sku: 'MUG',
        quantity: 2,
        currentQuantity: 2,
        refundableQuantity: 2,
        unfulfilledQuantity: 2,
        unitPrice: '12.50',
        currencyCode: 'USD',
      },
    ],
    fulfillmentOrders: [fo(n)],
    ...over,
  };
}

/** Every pick over many streams: which targets a decision ever chooses. */
function chosen<T>(decide: (rng: Prng) => T | null, key: (t: T) => string): Set<string> {
  const out = new Set<string>();
  for (let s = 0; s < 200; s++) {
    const plan = decide(new Prng(s));
    out.add(plan === null ? 'none' : key(plan));
  }
  return out;
}

const shipped = order(2, {
  fulfillmentStatus: 'PARTIALLY_FULFILLED',
  fulfillmentOrders: [
    fo(2, {
      status: 'IN_PROGRESS',
      lineItems: [
        {
          id: 'x',
          sku: 'MUG',
          variantId: 'gid://shopify/ProductVariant/1',
          remainingQuantity: 1,
          totalQuantity: 2,
        },
      ],
    }),
  ],
});
const cancelled = order(3, { cancelled: true, financialStatus: 'REFUNDED' });
const pending = order(4, { financialStatus: 'PENDING' });
const held = order(5, { fulfillmentStatus: 'ON_HOLD', fulfillmentOrders: [fo(5, { status: 'ON_HOLD' })] });
const atService = order(6, { fulfillmentOrders: [fo(6, { locationId: PL3 })] });
const accepted = order(7, {
  fulfillmentStatus: 'IN_PROGRESS',
  fulfillmentOrders: [fo(7, { locationId: PL3, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })],
});
const open = order(1);
const all = [open, shipped, cancelled, pending, held, atService, accepted];
const names = (o: { order: OrderView } | OrderView) => ('order' in o ? o.order.name : o.name);

describe('what the merchant picks', () => {
  it.each([
    ['mark paid: only orders waiting for payment', (rng: Prng) => pickOrderToMarkPaid(all, rng), ['#4']],
    [
      'cancel: open orders nothing of which shipped',
      (rng: Prng) => planCancel(all, rng),
      ['#1', '#4', '#5', '#6', '#7'],
    ],
    [
      'edit: not shipped, not in a fulfillment service’s hands',
      (rng: Prng) => pickOrderToEdit(all, rng),
      ['#1', '#4', '#5', '#6'],
    ],
    ['hold: open, unsubmitted fulfillment orders', (rng: Prng) => planHold(all, rng), ['#1', '#4', '#6']],
    ['release: held fulfillment orders', (rng: Prng) => planRelease(all, rng), ['#5']],
    [
      'request fulfillment: unsubmitted work at a service',
      (rng: Prng) => planFulfillmentRequest(all, catalog, rng),
      ['#6'],
    ],
    ['request cancellation: accepted work', (rng: Prng) => planCancellationRequest(all, rng), ['#7']],
    ['refund: paid orders', (rng: Prng) => planRefund(all, rng), ['#1', '#2', '#5', '#6', '#7']],
  ] as const)('%s', (_name, decide, expected) => {
    expect(
      [...chosen(decide as (rng: Prng) => OrderView | { order: OrderView } | null, names)].sort(),
    ).toEqual([...expected].sort());
  });

  it('answers null when nothing qualifies', () => {
    expect(planRelease([open], new Prng(1))).toBeNull();
    expect(pickOrderToMarkPaid([open, cancelled], new Prng(1))).toBeNull();
    expect(planCancel([shipped, cancelled], new Prng(1))).toBeNull();
  });

  it('moves work only to an active location that stocks every item of it', () => {
    const destinations = chosen(
      (rng) => planMove([open], catalog, rng),
      (p) => p.location.name,
    );
    // MUG is stocked at the warehouse (where it is), the 3PL, and the closed depot.
    expect([...destinations]).toEqual(['Acme 3PL']);
  });

  it('refunds a unit: restocks what has not shipped where it waits, not what has', () => {
    const plan = planRefund([open], new Prng(1));
    expect(plan).toMatchObject({
      quantity: 1,
      amount: '12.50',
      restockType: 'CANCEL',
      locationId: WAREHOUSE,
    });
    const sent = order(8, {
      fulfillmentStatus: 'FULFILLED',
      lineItems: [{ ...(open.lineItems[0] as OrderView['lineItems'][number]), unfulfilledQuantity: 0 }],
      fulfillmentOrders: [
        fo(8, {
          status: 'CLOSED',
          lineItems: [
            {
              id: 'y',
              sku: 'MUG',
              variantId: 'gid://shopify/ProductVariant/1',
              remainingQuantity: 0,
              totalQuantity: 2,
            },
          ],
        }),
      ],
    });
    expect(planRefund([sent], new Prng(1))).toMatchObject({ restockType: 'NO_RESTOCK', locationId: null });
  });

  it('cancels with a refund only when money was taken', () => {
    expect(planCancel([open], new Prng(1))?.refund).toBe(true);
    expect(planCancel([pending], new Prng(1))?.refund).toBe(false);
  });

  it('edits a quantity by one, never below zero', () => {
    for (let s = 0; s < 50; s++) {
      const plan = planQuantityEdit(
        [
          { id: 'c1', quantity: 1, sku: 'MUG' },
          { id: 'c2', quantity: 0, sku: 'TOTE' },
        ],
        new Prng(s),
      );
      expect(plan?.line.id).toBe('c1');
      expect([0, 2]).toContain(plan?.quantity);
    }
  });

  it('creates orders of shippable products, paid or pending, the same for the same stream', () => {
    const statuses = new Set<string>();
    for (let s = 0; s < 100; s++) {
      const plan = planNewOrder(catalog, new Prng(s));
      expect(plan).not.toBeNull();
      statuses.add(plan?.financialStatus ?? '');
      const lines = plan?.variables.order.lineItems as { variantId: string }[];
      expect(lines.map((l) => l.variantId)).not.toContain('gid://shopify/ProductVariant/3');
      expect(planNewOrder(catalog, new Prng(s))).toEqual(plan);
    }
    expect([...statuses].sort()).toEqual(['PAID', 'PENDING']);
  });

  it.each([
    ['12.50', 1, '12.50'],
    ['12.50', 3, '37.50'],
    ['0.10', 3, '0.30'],
    ['19.99', 2, '39.98'],
  ])('%s × %i = %s', (amount, quantity, expected) => {
    expect(multiplyMoney(amount, quantity)).toBe(expected);
  });
});
