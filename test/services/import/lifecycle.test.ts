import { describe, expect, it } from 'vitest';
import {
  type Assessment,
  actionableHash,
  assess,
  buildEvent,
  type Recorded,
  transition,
} from '../../../src/services/import/lifecycle.js';
import type { RawOrder } from '../../../src/services/import/raw-order.js';
import type { SelectionSettings } from '../../../src/services/import/select.js';
import { fo, line, order, SERVICE_LOCATION, settings, STORE, WAREHOUSE } from './fixtures.js';

const SHOP = 'acme.myshopify.com';

function outcome(assessment: Assessment): string {
  if (assessment.kind === 'shippable') return `accept:${assessment.document.lines.length}`;
  if (assessment.kind === 'not_shippable') return `skip:${assessment.reason}`;
  if (assessment.kind === 'fulfilled') return assessment.partially ? 'partially_fulfilled' : 'fulfilled';
  return assessment.kind;
}

/** A new order (not followed), as the import judges one it has never delivered. */
const selectOrder = (raw: RawOrder, shop: string, s: SelectionSettings) => assess(raw, shop, s, false);

describe('assess: a new order against the filter matrix', () => {
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
      name: 'scheduled and on-hold fulfillment orders give no lines: on hold',
      order: order({
        fulfillmentOrders: [fo(WAREHOUSE, [line()], 'SCHEDULED'), fo(WAREHOUSE, [line()], 'ON_HOLD')],
      }),
      settings: { excludeEmptyOrders: true },
      expected: 'on_hold',
    },
    {
      name: 'scheduled fulfillment orders give no lines (exclude-empty-orders)',
      order: order({ fulfillmentOrders: [fo(WAREHOUSE, [line()], 'SCHEDULED')] }),
      settings: { excludeEmptyOrders: true },
      expected: 'skip:no_lines',
    },
  ];

  it.each(cases)('$name → $expected', ({ order: raw, settings: overrides, expected }) => {
    expect(outcome(selectOrder(raw, SHOP, settings(overrides)))).toBe(expected);
  });
});

describe('assess: the document', () => {
  it('carries the ids needed to ship, the remaining quantity and shop-currency money', () => {
    const l = line({ remainingQuantity: 2, totalQuantity: 3, sku: 'ABC', price: ['12.50', '11.00'] });
    const f = fo(WAREHOUSE, [l]);
    const selection = selectOrder(order({ fulfillmentOrders: [f] }), SHOP, settings());
    if (selection.kind !== 'shippable') throw new Error(`expected accept, got ${selection.kind}`);
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
    if (selection.kind !== 'shippable') throw new Error('expected accept');
    expect(selection.document.currency).toBe('EUR');
    expect(selection.document.totals.total).toBe('22.50');
    expect(selection.document.lines[0]?.unitPrice).toBe('11.00');
  });
});

describe('assess: an order the warehouse holds (followed)', () => {
  const followed = (raw: RawOrder, overrides: Partial<SelectionSettings> = {}) =>
    outcome(assess(raw, SHOP, settings(overrides), true));
  const summaryOnly = (raw: RawOrder): RawOrder => {
    const { email, phone, customer, shippingAddress, shippingLine, ...rest } = raw;
    const { totalPriceSet, subtotalPriceSet, totalShippingPriceSet, totalTaxSet, ...summary } = rest;
    void [email, phone, customer, shippingAddress, shippingLine, totalPriceSet, subtotalPriceSet];
    void [totalShippingPriceSet, totalTaxSet];
    return { ...summary, fulfillmentOrders: [] };
  };

  it.each([
    {
      name: 'created before accept-orders-after: still judged (the window does not apply)',
      order: order({ createdAt: '2026-01-01T00:00:00Z' }),
      settings: { acceptOrdersAfter: new Date('2026-11-01T00:00:00Z') },
      expected: 'accept:1',
    },
    {
      name: 'refunded',
      order: order({ displayFinancialStatus: 'REFUNDED' }),
      settings: {},
      expected: 'skip:financial_status',
    },
    {
      name: 'its only fulfillment order on hold',
      order: order({
        displayFulfillmentStatus: 'ON_HOLD',
        fulfillmentOrders: [fo(WAREHOUSE, [line()], 'ON_HOLD')],
      }),
      settings: {},
      expected: 'on_hold',
    },
    {
      name: 'one fulfillment order on hold, another open',
      order: order({
        displayFulfillmentStatus: 'ON_HOLD',
        fulfillmentOrders: [fo(WAREHOUSE, [line()], 'ON_HOLD'), fo(WAREHOUSE, [line()])],
      }),
      settings: {},
      expected: 'accept:1',
    },
    {
      name: 'moved off the fulfillment location (filter-by-location)',
      order: order({ fulfillmentOrders: [fo(STORE, [line()])] }),
      settings: { filterLocationId: WAREHOUSE },
      expected: 'skip:other_location',
    },
    {
      name: 'moved off the fulfillment service location',
      order: order({ fulfillmentOrders: [fo(WAREHOUSE, [line()])] }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'skip:other_location',
    },
    {
      name: 'accepted by the service (in progress)',
      order: order({
        displayFulfillmentStatus: 'IN_PROGRESS',
        fulfillmentOrders: [fo(SERVICE_LOCATION, [line()], 'IN_PROGRESS')],
      }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'accept:1',
    },
    {
      name: 'the merchant asks the service for it back (cancellation requested)',
      order: order({
        displayFulfillmentStatus: 'IN_PROGRESS',
        fulfillmentOrders: [fo(SERVICE_LOCATION, [line()], 'IN_PROGRESS', 'CANCELLATION_REQUESTED')],
      }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'cancellation_requested',
    },
    {
      name: 'the cancellation request was rejected: the service keeps it',
      order: order({
        displayFulfillmentStatus: 'IN_PROGRESS',
        fulfillmentOrders: [fo(SERVICE_LOCATION, [line()], 'IN_PROGRESS', 'CANCELLATION_REJECTED')],
      }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'accept:1',
    },
    {
      name: 'the cancellation was accepted: the work is back at the location, unsubmitted',
      order: order({
        fulfillmentOrders: [
          fo(SERVICE_LOCATION, [line({ remainingQuantity: 0 })], 'CLOSED', 'CANCELLATION_ACCEPTED'),
          fo(SERVICE_LOCATION, [line()], 'OPEN', 'UNSUBMITTED'),
        ],
      }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'skip:not_requested',
    },
    {
      name: 'the service rejected the request',
      order: order({
        displayFulfillmentStatus: 'REQUEST_DECLINED',
        fulfillmentOrders: [fo(SERVICE_LOCATION, [line()], 'OPEN', 'REJECTED')],
      }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'skip:not_requested',
    },
    {
      name: "a cancellation request at another location than the service is not the service's",
      order: order({
        fulfillmentOrders: [
          fo(SERVICE_LOCATION, [line()], 'IN_PROGRESS', 'ACCEPTED'),
          fo(WAREHOUSE, [line()], 'IN_PROGRESS', 'CANCELLATION_REQUESTED'),
        ],
      }),
      settings: { serviceLocationId: SERVICE_LOCATION },
      expected: 'accept:1',
    },
  ])('$name → $expected', ({ order: raw, settings: overrides, expected }) => {
    expect(followed(raw, overrides)).toBe(expected);
  });

  it.each([
    { name: 'new importable order', order: order(), followed: false, expected: 'read_detail' },
    { name: 'followed order still unfulfilled', order: order(), followed: true, expected: 'read_detail' },
    {
      name: 'new order with a financial status not accepted',
      order: order({ displayFinancialStatus: 'PENDING' }),
      followed: false,
      expected: 'skip:financial_status',
    },
    {
      name: 'followed order now refunded (order.withdrawn carries the document)',
      order: order({ displayFinancialStatus: 'REFUNDED' }),
      followed: true,
      expected: 'read_detail',
    },
    {
      name: 'new cancelled order',
      order: order({ cancelledAt: '2026-11-21T00:00:00Z' }),
      followed: false,
      expected: 'cancelled',
    },
    {
      name: 'followed order now cancelled (order.cancelled carries the document)',
      order: order({ cancelledAt: '2026-11-21T00:00:00Z' }),
      followed: true,
      expected: 'read_detail',
    },
    {
      name: 'followed order now fulfilled (no event, no document)',
      order: order({ displayFulfillmentStatus: 'FULFILLED' }),
      followed: true,
      expected: 'fulfilled',
    },
  ])('read with order-level fields only: $name → $expected', ({ order: raw, followed: f, expected }) => {
    expect(outcome(assess(summaryOnly(raw), SHOP, settings(), f))).toBe(expected);
  });
});

describe('transition: what the warehouse is told', () => {
  const doc = (raw: RawOrder = order()) => {
    const a = assess(raw, SHOP, settings(), true);
    if (a.kind !== 'shippable') throw new Error(`expected shippable, got ${a.kind}`);
    return a.document;
  };
  const shippable = doc();
  const hash = actionableHash(shippable);
  const now: Record<string, Assessment> = {
    shippable: { kind: 'shippable', document: shippable },
    changed: {
      kind: 'shippable',
      document: { ...shippable, lines: shippable.lines.map((l) => ({ ...l, quantity: 5 })) },
    },
    empty: { kind: 'shippable', document: { ...shippable, lines: [] } },
    on_hold: { kind: 'on_hold', document: shippable },
    refunded: { kind: 'not_shippable', reason: 'financial_status', detail: 'refunded', document: shippable },
    moved: { kind: 'not_shippable', reason: 'other_location', detail: 'moved', document: shippable },
    cancelled: { kind: 'cancelled', document: shippable },
    cancellation: { kind: 'cancellation_requested', document: shippable },
    unrequested: { kind: 'not_shippable', reason: 'not_requested', detail: 'rejected', document: shippable },
    fulfilled: { kind: 'fulfilled', partially: false },
    partially: { kind: 'fulfilled', partially: true },
  };
  const had = (state: Recorded['state']): Recorded => ({ state, deliveredHash: hash, deliveredLines: 1 });

  const table: [Recorded | undefined, keyof typeof now, string][] = [
    [undefined, 'shippable', 'order.created → active'],
    [undefined, 'empty', 'order.created → active'],
    [undefined, 'on_hold', 'skip:fulfillment_status'],
    [undefined, 'refunded', 'skip:financial_status'],
    [undefined, 'cancelled', 'skip:cancelled'],
    [undefined, 'fulfilled', 'skip:fulfillment_status'],
    [had('active'), 'shippable', 'none'],
    [had('active'), 'changed', 'order.updated → active'],
    [had('active'), 'empty', 'order.withdrawn(no_lines) → withdrawn'],
    [had('active'), 'on_hold', 'order.on_hold → on_hold'],
    [had('active'), 'refunded', 'order.withdrawn(financial_status) → withdrawn'],
    [had('active'), 'moved', 'order.withdrawn(other_location) → withdrawn'],
    [had('active'), 'cancelled', 'order.cancelled → cancelled'],
    [had('active'), 'fulfilled', 'settle:shipped'],
    [had('active'), 'partially', 'settle:partially_shipped'],
    [had('partially_shipped'), 'partially', 'none'],
    [had('partially_shipped'), 'cancelled', 'order.cancelled → cancelled'],
    [had('on_hold'), 'on_hold', 'none'],
    [had('on_hold'), 'shippable', 'order.released → active'],
    [had('on_hold'), 'refunded', 'order.withdrawn(financial_status) → withdrawn'],
    [had('on_hold'), 'cancelled', 'order.cancelled → cancelled'],
    [had('withdrawn'), 'refunded', 'none'],
    [had('withdrawn'), 'empty', 'none'],
    [had('withdrawn'), 'on_hold', 'none'],
    [had('withdrawn'), 'shippable', 'order.released → active'],
    [had('withdrawn'), 'fulfilled', 'settle:shipped'],
    [undefined, 'cancellation', 'skip:fulfillment_status'],
    [had('active'), 'cancellation', 'order.cancellation_requested → cancellation_requested'],
    [had('partially_shipped'), 'cancellation', 'order.cancellation_requested → cancellation_requested'],
    [had('on_hold'), 'cancellation', 'order.cancellation_requested → cancellation_requested'],
    [had('cancellation_requested'), 'cancellation', 'none'],
    [had('cancellation_requested'), 'shippable', 'settle:active'],
    [had('cancellation_requested'), 'changed', 'order.updated → active'],
    [had('cancellation_requested'), 'unrequested', 'order.withdrawn(not_requested) → withdrawn'],
    [had('cancellation_requested'), 'on_hold', 'order.on_hold → on_hold'],
    [had('cancellation_requested'), 'cancelled', 'order.cancelled → cancelled'],
    [had('cancellation_requested'), 'fulfilled', 'settle:shipped'],
    [had('active'), 'unrequested', 'order.withdrawn(not_requested) → withdrawn'],
    [had('withdrawn'), 'cancellation', 'order.cancellation_requested → cancellation_requested'],
    [had('cancelled'), 'shippable', 'none'],
    [had('shipped'), 'cancelled', 'none'],
  ];

  it.each(table)('has %o, order now %s → %s', (recorded, key, expected) => {
    const step = transition(recorded, now[key] as Assessment);
    const text =
      step.kind === 'emit'
        ? `${step.type}${step.reason ? `(${step.reason})` : ''} → ${step.state}`
        : step.kind === 'skip'
          ? `skip:${step.reason}`
          : step.kind === 'settle'
            ? `settle:${step.state}`
            : 'none';
    expect(text).toBe(expected);
  });

  it('remembers the shipped document only for events that carry lines to ship', () => {
    const created = transition(undefined, now.shippable as Assessment);
    const held = transition(had('active'), now.on_hold as Assessment);
    expect(created.kind === 'emit' && created.hash).toBe(hash);
    expect(held.kind === 'emit' && held.hash).toBe(null);
  });

  it('refuses to decide an order that was not read in full', () => {
    expect(() => transition(had('active'), { kind: 'read_detail' })).toThrow(/read in full/);
  });
});

describe('buildEvent: ids are idempotency keys', () => {
  const document = (updatedAt: string) => {
    const a = assess(order({ updatedAt }), SHOP, settings(), false);
    if (a.kind !== 'shippable') throw new Error('expected shippable');
    return a.document;
  };

  it('gives a retry of the same delivery the same id', () => {
    const a = buildEvent('order.created', document('2026-11-20T10:05:00Z'), { hash: 'h', reason: null });
    const b = buildEvent('order.created', document('2026-11-20T10:05:00Z'), { hash: 'h', reason: null });
    expect(a.id).toBe(b.id);
    expect(a).toMatchObject({ type: 'order.created', schemaVersion: 1, occurredAt: '2026-11-20T10:05:00Z' });
  });

  it('gives a second hold (after a release) a new id, so a receiver does not drop it as a duplicate', () => {
    const first = buildEvent('order.on_hold', document('2026-11-20T10:05:00Z'), { hash: null, reason: null });
    const second = buildEvent('order.on_hold', document('2026-11-21T09:00:00Z'), {
      hash: null,
      reason: null,
    });
    expect(first.id).not.toBe(second.id);
  });

  it('names the reason of a withdrawal in the event', () => {
    const event = buildEvent('order.withdrawn', document('2026-11-20T10:05:00Z'), {
      hash: null,
      reason: 'financial_status',
    });
    expect(event.reason).toBe('financial_status');
  });
});
