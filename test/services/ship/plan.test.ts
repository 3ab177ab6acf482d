import { describe, expect, it } from 'vitest';
import type { LedgerShipment } from '../../../src/core/ledger/ledger.js';
import { parseOrderRef } from '../../../src/services/orders/order-ref.js';
import {
  groupRows,
  type OrderSnapshot,
  planShipment,
  type ShipmentRequest,
} from '../../../src/services/ship/plan.js';

const LOC = { id: 'gid://shopify/Location/4', name: 'Acme 3PL' };
const OTHER = 'gid://shopify/Location/1';

type Fo = OrderSnapshot['fulfillmentOrders'][number];
function fo(id: string, lines: [sku: string | null, remaining: number][], over: Partial<Fo> = {}): Fo {
  return {
    id,
    status: 'OPEN',
    requestStatus: 'UNSUBMITTED',
    locationId: LOC.id,
    locationName: LOC.name,
    lines: lines.map(([sku, remaining], k) => ({ id: `${id}-L${k}`, sku, remaining, title: `Item ${sku}` })),
    ...over,
  };
}
function order(fos: Fo[], over: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    id: 'gid://shopify/Order/1',
    name: '#1001',
    updatedAt: '2026-11-20T00:00:00Z',
    cancelledAt: null,
    displayFulfillmentStatus: 'UNFULFILLED',
    fulfillmentOrders: fos,
    fulfillments: [],
    ...over,
  };
}
function request(
  lines: [sku: string, quantity: number | null][] | 'whole',
  tracking = 'T1',
): ShipmentRequest {
  return {
    orderRef: '#1001',
    trackingNumber: tracking,
    carrier: 'UPS',
    trackingUrl: null,
    whole: lines === 'whole',
    lines: lines === 'whole' ? [] : lines.map(([sku, quantity], k) => ({ sku, quantity, rows: [k + 2] })),
    rows: lines === 'whole' ? [2] : lines.map((_, k) => k + 2),
  };
}
const applied: LedgerShipment = {
  key: 'k',
  orderId: 'gid://shopify/Order/1',
  orderName: '#1001',
  trackingNumber: 'T1',
  lines: [],
  state: 'applied',
  fulfillmentId: 'gid://shopify/Fulfillment/7',
  message: null,
  createdAt: '',
  updatedAt: '',
};

/** A decision in one line: what a reader of the table checks. */
function summary(d: ReturnType<typeof planShipment>): string {
  if (d.kind === 'create')
    return `create ${d.fulfillmentOrders
      .map(
        (p) =>
          `${p.accept ? 'accept+' : ''}${p.fulfillmentOrderId}[${p.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')}]`,
      )
      .join(' ')}`;
  if (d.kind === 'already_applied') return `already ${d.source} ${d.fulfillmentId}`;
  return `refused ${d.rowErrors.map((e) => `${e.line}:${e.field}`).join(',')} ${d.message}`;
}

const cases: [
  string,
  ShipmentRequest,
  OrderSnapshot | undefined,
  LedgerShipment | undefined,
  RegExp | string,
][] = [
  [
    'whole order: every remaining line at the location',
    request('whole'),
    order([
      fo('A', [
        ['X', 2],
        ['Y', 1],
      ]),
    ]),
    undefined,
    'create A[X×2,Y×1]',
  ],
  [
    'whole order skips other locations',
    request('whole'),
    order([fo('A', [['X', 1]]), fo('B', [['Y', 1]], { locationId: OTHER })]),
    undefined,
    'create A[X×1]',
  ],
  ['partial quantity', request([['X', 1]]), order([fo('A', [['X', 3]])]), undefined, 'create A[X×1]'],
  [
    'blank quantity ships all of the SKU',
    request([['X', null]]),
    order([
      fo('A', [
        ['X', 3],
        ['Y', 1],
      ]),
    ]),
    undefined,
    'create A[X×3]',
  ],
  [
    'a SKU on two lines is allocated in order',
    request([['X', 4]]),
    order([fo('A', [['X', 3]]), fo('B', [['X', 2]])]),
    undefined,
    'create A[X×3] B[X×1]',
  ],
  [
    'a submitted request is accepted first',
    request([['X', 1]]),
    order([fo('A', [['X', 1]], { requestStatus: 'SUBMITTED' })]),
    undefined,
    'create accept+A[X×1]',
  ],
  ['unknown order', request('whole'), undefined, undefined, /^refused 2:order order #1001 was not found/],
  [
    'cancelled order',
    request('whole'),
    order([fo('A', [['X', 1]])], { cancelledAt: '2026-11-21T00:00:00Z' }),
    undefined,
    /^refused 2:order order #1001 was cancelled/,
  ],
  [
    'unknown SKU',
    request([
      ['X', 1],
      ['NOPE', 1],
    ]),
    order([fo('A', [['X', 1]])]),
    undefined,
    /^refused 3:sku SKU NOPE is not on order #1001/,
  ],
  [
    'SKU at another location',
    request([['Y', 1]]),
    order([fo('A', [['X', 1]]), fo('B', [['Y', 1]], { locationId: OTHER, locationName: 'Main Warehouse' })]),
    undefined,
    /^refused 2:sku .*assigned to Main Warehouse, not Acme 3PL/,
  ],
  [
    'more than remains',
    request([['X', 3]]),
    order([fo('A', [['X', 2]])]),
    undefined,
    /^refused 2:quantity 3 of X is more than the 2 left/,
  ],
  [
    'on hold',
    request([['X', 1]]),
    order([fo('A', [['X', 1]], { status: 'ON_HOLD' })]),
    undefined,
    /^refused 2:sku .*is on hold/,
  ],
  [
    'cancellation requested',
    request('whole'),
    order([fo('A', [['X', 1]], { requestStatus: 'CANCELLATION_REQUESTED' })]),
    undefined,
    /^refused 2:order .*cancellation request/,
  ],
  [
    'nothing left',
    request('whole'),
    order([fo('A', [['X', 0]], { status: 'CLOSED' })], { displayFulfillmentStatus: 'FULFILLED' }),
    undefined,
    /^refused 2:order order #1001 has nothing left to ship \(fulfilled\)/,
  ],
  [
    'applied in the ledger',
    request('whole'),
    undefined,
    applied,
    'already ledger gid://shopify/Fulfillment/7',
  ],
  [
    'whole order with a fulfillment carrying the number',
    request('whole'),
    order([fo('A', [['X', 0]])], { fulfillments: [{ id: 'F1', trackingNumbers: ['T1'], lines: null }] }),
    undefined,
    'already store F1',
  ],
  [
    'SKU lines covered by the fulfillment with the number',
    request([['X', 2]]),
    order([fo('A', [['X', 0]])], {
      fulfillments: [{ id: 'F1', trackingNumbers: ['T1'], lines: [{ sku: 'X', quantity: 2 }] }],
    }),
    undefined,
    'already store F1',
  ],
  [
    'only what the number does not cover yet',
    request([
      ['X', 1],
      ['Y', 1],
    ]),
    order(
      [
        fo('A', [
          ['X', 0],
          ['Y', 1],
        ]),
      ],
      { fulfillments: [{ id: 'F1', trackingNumbers: ['T1'], lines: [{ sku: 'X', quantity: 1 }] }] },
    ),
    undefined,
    'create A[Y×1]',
  ],
  [
    'another number does not count',
    request([['X', 1]]),
    order([fo('A', [['X', 1]])], { fulfillments: [{ id: 'F1', trackingNumbers: ['T9'], lines: null }] }),
    undefined,
    'create A[X×1]',
  ],
];

describe('planShipment', () => {
  it.each(cases)('%s', (_name, req, snapshot, recorded, expected) => {
    const got = summary(planShipment(req, snapshot, recorded, LOC));
    if (typeof expected === 'string') expect(got).toBe(expected);
    else expect(got).toMatch(expected);
  });
});

describe('groupRows', () => {
  const row = (line: number, value: Record<string, unknown>) => ({
    line,
    value: { order: '#1001', tracking_number: 'T1', ...value } as never,
  });
  it.each([
    [
      'rows of one order and number make one shipment; the same SKU adds up',
      [row(2, { sku: 'X', quantity: 1 }), row(3, { sku: 'X', quantity: 2 }), row(4, { sku: 'Y' })],
      'X=3,Y=null',
      '',
    ],
    [
      'another tracking number is another shipment',
      [row(2, { sku: 'X', quantity: 1 }), row(3, { sku: 'X', quantity: 1, tracking_number: 'T2' })],
      'X=1|X=1',
      '',
    ],
    [
      '1001 and #1001 are one order',
      [row(2, { sku: 'X', quantity: 1 }), row(3, { order: '1001', sku: 'Y', quantity: 1 })],
      'X=1,Y=1',
      '',
    ],
    [
      'whole-order and SKU rows under one number are refused',
      [row(2, {}), row(3, { sku: 'X', quantity: 1 })],
      '',
      '2:sku,3:sku',
    ],
    [
      'conflicting carriers are refused',
      [row(2, { sku: 'X', carrier: 'UPS' }), row(3, { sku: 'Y', carrier: 'DHL' })],
      '',
      '3:carrier',
    ],
  ])('%s', (_name, rows, shipments, errors) => {
    const got = groupRows('s.csv', rows);
    expect(got.requests.map((r) => r.lines.map((l) => `${l.sku}=${l.quantity}`).join(',')).join('|')).toBe(
      shipments,
    );
    expect(got.errors.map((e) => `${e.line}:${e.field}`).join(',')).toBe(errors);
  });
});

describe('parseOrderRef', () => {
  it.each([
    ['#1001', { kind: 'name', name: '#1001' }],
    ['1001', { kind: 'name', name: '#1001' }],
    ['gid://shopify/Order/5550001', { kind: 'id', id: 'gid://shopify/Order/5550001' }],
    ['5550001234567', { kind: 'id', id: 'gid://shopify/Order/5550001234567' }],
    ['# 1001', null],
  ])('%s', (text, expected) => {
    expect(parseOrderRef(text)).toEqual(expected);
  });
});
