import { describe, expect, it } from 'vitest';
import {
  actionableHash,
  buildEvent,
  decide,
  needsDocument,
  type Selection,
  type SelectionSettings,
  selectOrder,
} from '../../../src/services/import/select.js';
import type { RawOrder } from '../../../src/services/import/raw-order.js';
import { fo, line, order, SERVICE_LOCATION, settings, STORE, WAREHOUSE } from './fixtures.js';

const SHOP = 'acme.myshopify.com';

function outcome(selection: Selection): string {
  if (selection.kind === 'accept') return `accept:${selection.document.lines.length}`;
  if (selection.kind === 'skip') return `skip:${selection.reason}`;
  if (selection.kind === 'fulfilled') return selection.partially ? 'partially_fulfilled' : 'fulfilled';
  return 'cancelled';
}

describe('selectOrder: the filter matrix', () => {
  const cases: { name: string; order: RawOrder; settings: Partial<SelectionSettings>; expected: string }[] = [
    { name: 'paid unfulfilled order with one line', order: order(), settings: {}, expected: 'accept:1' },
    {
      name: 'pending order with the default financial-status (paid)',
      order: order({ displayFinancialStatus: 'PENDING' }),
      settings: {},
      expected: 'skip:financial_status',
    },
    {
      name: 'pending order when financial-status includes pending',
      order: order({ displayFinancialStatus: 'PENDING' }),
      settings: { financialStatuses: ['paid', 'pending'] },
      expected: 'accept:1',
    },
    {
      name: 'partially refunded order with financial-status partially_refunded',
      order: order({ displayFinancialStatus: 'PARTIALLY_REFUNDED' }),
      settings: { financialStatuses: ['partially_refunded'] },
      expected: 'accept:1',
    },
    {
      name: 'cancelled order',
      order: order({ cancelledAt: '2026-11-20T11:00:00Z' }),
      settings: {},
      expected: 'cancelled',
    },
    {
      name: 'fulfilled order',
      order: order({ displayFulfillmentStatus: 'FULFILLED' }),
      settings: {},
      expected: 'fulfilled',
    },
    {
      name: 'partially fulfilled order without include-partial-fulfillments',
      order: order({ displayFulfillmentStatus: 'PARTIALLY_FULFILLED' }),
      settings: {},
      expected: 'partially_fulfilled',
    },
    {
      name: 'partially fulfilled order with include-partial-fulfillments: remaining lines only',
      order: order({
        displayFulfillmentStatus: 'PARTIALLY_FULFILLED',
        fulfillmentOrders: [
          fo(WAREHOUSE, [line({ remainingQuantity: 0, totalQuantity: 2 }), line({ remainingQuantity: 1 })]),
        ],
      }),
      settings: { includePartialFulfillments: true },
      expected: 'accept:1',
    },
    {
      name: 'on-hold order',
      order: order({ displayFulfillmentStatus: 'ON_HOLD' }),
      settings: {},
      expected: 'skip:fulfillment_status',
    },
    {
      name: 'created before accept-orders-after',
      order: order({ createdAt: '2026-01-01T00:00:00Z' }),
      settings: { acceptOrdersAfter: new Date('2026-06-01T00:00:00Z') },
      expected: 'skip:before_window',
    },
    {
      name: 'created after accept-orders-after',
      order: order(),
      settings: { acceptOrdersAfter: new Date('2026-06-01T00:00:00Z') },
      expected: 'accept:1',
    },
    {
      name: 'filter-by-location: assigned to the fulfillment location',
      order: order({ fulfillmentOrders: [fo(WAREHOUSE, [line()]), fo(STORE, [line()])] }),
      settings: { filterLocationId: WAREHOUSE },
      expected: 'accept:1',
    },
    {
      name: 'filter-by-location: assigned elsewhere only',
      order: order({ fulfillmentOrders: [fo(STORE, [line()])] }),
      settings: { filterLocationId: WAREHOUSE },
      expected: 'skip:other_location',
    },
    {
      name: 'filter-by-location off: every location',
      order: order({ fulfillmentOrders: [fo(WAREHOUSE, [line()]), fo(STORE, [line()])] }),
      settings: {},
      expected: 'accept:2',
    },
    {
      name: 'fulfillment-service: only lines at the service location',
      order: order({ fulfillmentOrders: [fo(SERVICE_LOCATION, [line(), line()]), fo(STORE, [line()])] }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'accept:2',
    },
    {
      name: 'fulfillment-service with no line at the service: empty order kept',
      order: order({ fulfillmentOrders: [fo(STORE, [line()])] }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'accept:0',
    },
    {
      name: 'fulfillment-service with no line at the service and exclude-empty-orders',
      order: order({ fulfillmentOrders: [fo(STORE, [line()])] }),
      settings: { serviceLocationId: SERVICE_LOCATION, excludeEmptyOrders: true },
      expected: 'skip:no_lines',
    },
    {
      name: 'gift cards and digital lines are not physical lines',
      order: order({
        fulfillmentOrders: [
          fo(WAREHOUSE, [line({ giftCard: true }), line({ requiresShipping: false }), line()]),
        ],
      }),
      settings: {},
      expected: 'accept:1',
    },
    {
      name: 'gift-card-only order with exclude-empty-orders',
      order: order({
        fulfillmentOrders: [fo(WAREHOUSE, [line({ giftCard: true, requiresShipping: false })])],
      }),
      settings: { excludeEmptyOrders: true },
      expected: 'skip:no_lines',
    },
    {
      name: 'closed and cancelled fulfillment orders give no lines',
      order: order({
        fulfillmentOrders: [
          fo(WAREHOUSE, [line()], 'CLOSED'),
          fo(WAREHOUSE, [line()], 'CANCELLED'),
          fo(WAREHOUSE, [line()], 'IN_PROGRESS'),
        ],
      }),
      settings: {},
      expected: 'accept:1',
    },
    {
      name: 'scheduled and on-hold fulfillment orders give no lines (exclude-empty-orders)',
      order: order({
        fulfillmentOrders: [fo(WAREHOUSE, [line()], 'SCHEDULED'), fo(WAREHOUSE, [line()], 'ON_HOLD')],
      }),
      settings: { excludeEmptyOrders: true },
      expected: 'skip:no_lines',
    },
  ];

  it.each(cases)('$name → $expected', ({ order: raw, settings: overrides, expected }) => {
    expect(outcome(selectOrder(raw, SHOP, settings(overrides)))).toBe(expected);
  });
});

describe('selectOrder: the document', () => {
  it('carries the ids needed to ship, the remaining quantity and shop-currency money', () => {
    const l = line({ remainingQuantity: 2, totalQuantity: 3, sku: 'ABC', price: ['12.50', '11.00'] });
    const f = fo(WAREHOUSE, [l]);
    const selection = selectOrder(order({ fulfillmentOrders: [f] }), SHOP, settings());
    if (selection.kind !== 'accept') throw new Error(`expected accept, got ${selection.kind}`);
    const doc = selection.document;
    expect(doc).toMatchObject({
      schemaVersion: 1,
      id: 'gid://shopify/Order/1001',
      legacyId: '1001',
      name: '#1001',
      shop: SHOP,
      currency: 'USD',
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      shippingAddress: { city: 'London', countryCode: 'GB' },
      shippingMethod: { title: 'Standard', code: 'STD' },
      totals: { total: '25.00', shipping: '5.00', subtotal: '20.00' },
      fulfillmentOrderIds: [f.id],
    });
    expect(doc.lines).toEqual([
      {
        fulfillmentOrderId: f.id,
        fulfillmentOrderLineItemId: l.id,
        lineItemId: l.lineItem.id,
        locationId: WAREHOUSE,
        sku: 'ABC',
        title: 'Widget',
        variantTitle: null,
        quantity: 2,
        unitPrice: '12.50',
      },
    ]);
  });

  it('uses presentment money and currency with use-local-currency', () => {
    const selection = selectOrder(
      order({ fulfillmentOrders: [fo(WAREHOUSE, [line({ price: ['12.50', '11.00'] })])] }),
      SHOP,
      settings({ useLocalCurrency: true }),
    );
    if (selection.kind !== 'accept') throw new Error('expected accept');
    expect(selection.document.currency).toBe('EUR');
    expect(selection.document.totals.total).toBe('22.50');
    expect(selection.document.lines[0]?.unitPrice).toBe('11.00');
  });
});

describe('decide: events against the last delivered state', () => {
  const accepted = (raw: RawOrder) => selectOrder(raw, SHOP, settings());
  const base = order();
  const baseHash = (() => {
    const s = accepted(base);
    if (s.kind !== 'accept') throw new Error('expected accept');
    return actionableHash(s.document);
  })();

  const cases: {
    name: string;
    selection: Selection;
    previous: Parameters<typeof decide>[1];
    expected: string;
  }[] = [
    { name: 'never delivered', selection: accepted(base), previous: undefined, expected: 'order.created' },
    {
      name: 'delivered, nothing changed',
      selection: accepted(base),
      previous: { deliveredHash: baseHash, cancelledDelivered: false },
      expected: 'none:unchanged',
    },
    {
      name: 'delivered, only the e-mail changed',
      selection: accepted(
        order({
          email: 'new@example.com',
          updatedAt: '2026-11-21T00:00:00Z',
          fulfillmentOrders: base.fulfillmentOrders,
        }),
      ),
      previous: { deliveredHash: baseHash, cancelledDelivered: false },
      expected: 'none:unchanged',
    },
    {
      name: 'delivered, the address changed',
      selection: accepted(
        order({
          shippingAddress: { ...base.shippingAddress!, city: 'Paris' },
          fulfillmentOrders: base.fulfillmentOrders,
        }),
      ),
      previous: { deliveredHash: baseHash, cancelledDelivered: false },
      expected: 'order.updated',
    },
    {
      name: 'delivered, the shipping method changed',
      selection: accepted(
        order({
          shippingLine: { title: 'Express', code: 'EXP', source: 'shopify', carrierIdentifier: null },
          fulfillmentOrders: base.fulfillmentOrders,
        }),
      ),
      previous: { deliveredHash: baseHash, cancelledDelivered: false },
      expected: 'order.updated',
    },
    {
      name: 'delivered, then cancelled',
      selection: { kind: 'cancelled' },
      previous: { deliveredHash: baseHash, cancelledDelivered: false },
      expected: 'order.cancelled',
    },
    {
      name: 'cancellation already delivered',
      selection: { kind: 'cancelled' },
      previous: { deliveredHash: baseHash, cancelledDelivered: true },
      expected: 'none:already_cancelled',
    },
    {
      name: 'cancelled before it was ever delivered',
      selection: { kind: 'cancelled' },
      previous: undefined,
      expected: 'none:not_delivered',
    },
    {
      name: 'skipped order',
      selection: { kind: 'skip', reason: 'financial_status', detail: '' },
      previous: undefined,
      expected: 'none:not_delivered',
    },
  ];

  it.each(cases)('$name → $expected', ({ selection, previous, expected }) => {
    const decision = decide(selection, previous);
    expect(decision.action === 'emit' ? decision.type : `none:${decision.why}`).toBe(expected);
  });

  it('changes the hash when a quantity changes', () => {
    const one = accepted(
      order({
        fulfillmentOrders: [
          fo(WAREHOUSE, [line({ id: 'gid://shopify/FulfillmentOrderLineItem/77', remainingQuantity: 1 })]),
        ],
      }),
    );
    const two = accepted(
      order({
        fulfillmentOrders: [
          fo(WAREHOUSE, [line({ id: 'gid://shopify/FulfillmentOrderLineItem/77', remainingQuantity: 2 })]),
        ],
      }),
    );
    if (one.kind !== 'accept' || two.kind !== 'accept') throw new Error('expected accept');
    expect(actionableHash(one.document)).not.toBe(actionableHash(two.document));
  });

  it('gives the same event the same id, and a different event another', () => {
    const s = accepted(base);
    if (s.kind !== 'accept') throw new Error('expected accept');
    const a = buildEvent('order.created', baseHash, s.document);
    const b = buildEvent('order.created', baseHash, s.document);
    const c = buildEvent('order.updated', 'other', s.document);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a).toMatchObject({ type: 'order.created', schemaVersion: 1, occurredAt: base.updatedAt });
  });
});

describe('needsDocument: which orders are read in full', () => {
  const delivered = { deliveredHash: 'h', cancelledDelivered: false };
  const cases: {
    name: string;
    order: RawOrder;
    previous: { deliveredHash: string | null; cancelledDelivered: boolean } | undefined;
    expected: boolean;
  }[] = [
    { name: 'new importable order', order: order(), previous: undefined, expected: true },
    {
      name: 'delivered importable order (may be updated)',
      order: order(),
      previous: delivered,
      expected: true,
    },
    {
      name: 'new order with a financial status not accepted',
      order: order({ displayFinancialStatus: 'PENDING' }),
      previous: undefined,
      expected: false,
    },
    {
      name: 'cancelled order never delivered',
      order: order({ cancelledAt: '2026-11-21T00:00:00Z' }),
      previous: undefined,
      expected: false,
    },
    {
      name: 'cancelled order skipped before',
      order: order({ cancelledAt: '2026-11-21T00:00:00Z' }),
      previous: { deliveredHash: null, cancelledDelivered: false },
      expected: false,
    },
    {
      name: 'delivered order now cancelled (order.cancelled)',
      order: order({ cancelledAt: '2026-11-21T00:00:00Z' }),
      previous: delivered,
      expected: true,
    },
    {
      name: 'delivered order whose cancellation was delivered',
      order: order({ cancelledAt: '2026-11-21T00:00:00Z' }),
      previous: { deliveredHash: 'h', cancelledDelivered: true },
      expected: false,
    },
    {
      name: 'delivered order now fulfilled (shipped, no event)',
      order: order({ displayFulfillmentStatus: 'FULFILLED' }),
      previous: delivered,
      expected: false,
    },
  ];
  it.each(cases)('$name → $expected', ({ order: o, previous, expected }) => {
    expect(needsDocument(o, settings(), previous)).toBe(expected);
  });

  it('agrees with decide: every order it passes over never emits an event', () => {
    for (const { order: o, previous } of cases) {
      if (needsDocument(o, settings(), previous)) continue;
      expect(decide(selectOrder(o, SHOP, settings()), previous).action).toBe('none');
    }
  });
});
