import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../src/sandbox/data/model.js';
import { ORDER_SEARCH } from '../../../src/sandbox/data/queries.js';
import { compileSearch, parseSearchQuery, type SearchNode } from '../../../src/sandbox/data/search.js';

const term = (field: string | null, value: string, op: '=' | '>' | '>=' | '<' | '<=' = '='): SearchNode => ({
  kind: 'term',
  field,
  op,
  value,
});

describe('parseSearchQuery', () => {
  const cases: [string, SearchNode | null][] = [
    ['', null],
    ['   ', null],
    ['financial_status:paid', term('financial_status', 'paid')],
    ["updated_at:>='2026-01-01T00:00:00Z'", term('updated_at', '2026-01-01T00:00:00Z', '>=')],
    ['created_at:<"2026-02-01"', term('created_at', '2026-02-01', '<')],
    ['created_at:>2026-01-01T00:00:00Z', term('created_at', '2026-01-01T00:00:00Z', '>')],
    [
      'financial_status:paid fulfillment_status:unfulfilled',
      { kind: 'and', items: [term('financial_status', 'paid'), term('fulfillment_status', 'unfulfilled')] },
    ],
    ['status:open AND test:false', { kind: 'and', items: [term('status', 'open'), term('test', 'false')] }],
    [
      'financial_status:paid OR financial_status:authorized',
      { kind: 'or', items: [term('financial_status', 'paid'), term('financial_status', 'authorized')] },
    ],
    // AND binds tighter than OR.
    [
      'a:1 b:2 OR c:3',
      { kind: 'or', items: [{ kind: 'and', items: [term('a', '1'), term('b', '2')] }, term('c', '3')] },
    ],
    ['-status:cancelled', { kind: 'not', item: term('status', 'cancelled') }],
    ['NOT status:cancelled', { kind: 'not', item: term('status', 'cancelled') }],
    [
      '(financial_status:paid OR financial_status:pending) status:open',
      {
        kind: 'and',
        items: [
          { kind: 'or', items: [term('financial_status', 'paid'), term('financial_status', 'pending')] },
          term('status', 'open'),
        ],
      },
    ],
    ['name:#1001', term('name', '#1001')],
    ["name:'#10 01'", term('name', '#10 01')],
    ['#1001', term(null, '#1001')],
    ['Financial_Status:PAID', term('financial_status', 'PAID')],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(parseSearchQuery(input)).toEqual(expected);
  });

  it('never throws on malformed input', () => {
    for (const bad of ['(', ')', '((a:1', 'a:1)', "name:'unterminated", '-', 'OR', 'AND AND', 'NOT']) {
      expect(() => parseSearchQuery(bad)).not.toThrow();
    }
  });
});

function order(over: Partial<OrderRecord>): OrderRecord {
  return {
    id: 1,
    number: 1001,
    name: '#1001',
    createdAt: Date.parse('2026-03-10T10:00:00Z'),
    updatedAt: Date.parse('2026-03-12T08:00:00Z'),
    processedAt: Date.parse('2026-03-10T10:00:00Z'),
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    test: false,
    email: 'Ava.Smith1@example.com',
    phone: null,
    note: null,
    tags: ['vip'],
    customer: null,
    shippingAddress: null,
    billingAddress: null,
    shippingLine: null,
    presentmentCurrency: 'USD',
    presentmentRate: 1,
    taxRate: 0,
    financialStatus: 'PAID',
    fulfillmentStatus: 'UNFULFILLED',
    lineItems: [],
    fulfillmentOrderIds: [],
    fulfillmentIds: [],
    ...over,
  };
}

describe('order search', () => {
  const matches = (query: string, o: OrderRecord) =>
    compileSearch(parseSearchQuery(query), ORDER_SEARCH).test(o);
  const cases: [string, Partial<OrderRecord>, boolean][] = [
    ['financial_status:paid', {}, true],
    ['financial_status:pending', {}, false],
    ['financial_status:partially_refunded', { financialStatus: 'PARTIALLY_REFUNDED' }, true],
    ['fulfillment_status:unfulfilled', { fulfillmentStatus: 'PARTIALLY_FULFILLED' }, true],
    ['fulfillment_status:unshipped', { fulfillmentStatus: 'PARTIALLY_FULFILLED' }, false],
    ['fulfillment_status:partial', { fulfillmentStatus: 'PARTIALLY_FULFILLED' }, true],
    ['fulfillment_status:shipped', { fulfillmentStatus: 'FULFILLED' }, true],
    ['fulfillment_status:unfulfilled', { fulfillmentStatus: 'FULFILLED' }, false],
    ['fulfillment_status:on_hold', { fulfillmentStatus: 'ON_HOLD' }, true],
    ['status:open', {}, true],
    ['status:open', { cancelledAt: 1 }, false],
    ['status:cancelled', { cancelledAt: 1 }, true],
    ['status:closed', { closedAt: 1 }, true],
    ['status:any', { cancelledAt: 1 }, true],
    ['-status:cancelled', { cancelledAt: 1 }, false],
    ['NOT status:cancelled', {}, true],
    ["updated_at:>='2026-03-12T08:00:00Z'", {}, true],
    ["updated_at:>'2026-03-12T08:00:00Z'", {}, false],
    ['updated_at:<2026-03-12T08:00:01Z', {}, true],
    ['created_at:2026-03-10', {}, true],
    // Bare dates are days in the shop's zone (New York): 02:00Z on the 10th is still the 9th there.
    ['created_at:2026-03-10', { createdAt: Date.parse('2026-03-10T02:00:00Z') }, false],
    ['created_at:2026-03-09', { createdAt: Date.parse('2026-03-10T02:00:00Z') }, true],
    ['created_at:<2026-03-10', { createdAt: Date.parse('2026-03-10T03:59:59Z') }, true], // EDT: midnight is 04:00Z
    ['created_at:<2026-01-10', { createdAt: Date.parse('2026-01-10T05:00:00Z') }, false],
    ['created_at:>=2026-03-11', {}, false],
    ['created_at:<=2026-03-10', {}, true],
    ['name:#1001', {}, true],
    ['name:1001', {}, true],
    ['name:#1002', {}, false],
    ['id:1', {}, true],
    ['id:gid://shopify/Order/1', {}, true],
    ['id:>1', {}, false],
    ['test:true', { test: true }, true],
    ['test:false', { test: true }, false],
    ['email:ava.smith1@example.com', {}, true],
    ['tag:VIP', {}, true],
    ['financial_status:pending OR financial_status:paid', {}, true],
    ['financial_status:paid fulfillment_status:shipped', {}, false],
    ['nonsense_field:1 financial_status:paid', {}, true],
    ['#1001', {}, true],
  ];
  it.each(cases)('%s on %j → %s', (query, over, expected) => {
    expect(matches(query, order(over))).toBe(expected);
  });
});
