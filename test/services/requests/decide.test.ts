import { describe, expect, it } from 'vitest';
import {
  decideAcceptance,
  type OrderWithRequests,
  pickAwaiting,
  type RecordedOrder,
} from '../../../src/services/requests/decide.js';

const SERVICE = 'gid://shopify/Location/9';
const WAREHOUSE = 'gid://shopify/Location/1';
const requested = {
  id: 'gid://shopify/FulfillmentOrder/5',
  order: { id: 'gid://shopify/Order/1', name: '#1001', updatedAt: '2026-11-20T10:05:00Z' },
};

describe('decideAcceptance: accept only what the warehouse has as it is now', () => {
  const cases: [string, RecordedOrder | undefined, string][] = [
    ['never seen by the import', undefined, 'wait: not delivered to the warehouse'],
    [
      'seen and skipped',
      { warehouse: 'none', orderUpdatedAt: '2026-11-20T10:05:00Z' },
      'wait: not delivered to the warehouse',
    ],
    ['delivered, unchanged since', { warehouse: 'active', orderUpdatedAt: '2026-11-20T10:05:00Z' }, 'accept'],
    [
      'partially shipped, unchanged',
      { warehouse: 'partially_shipped', orderUpdatedAt: '2026-11-20T10:05:00Z' },
      'accept',
    ],
    [
      'delivered, changed after the import read it',
      { warehouse: 'active', orderUpdatedAt: '2026-11-20T10:00:00Z' },
      'wait: changed since the import read it: the next import delivers the change first',
    ],
    [
      'withdrawn',
      { warehouse: 'withdrawn', orderUpdatedAt: '2026-11-20T10:05:00Z' },
      'wait: the warehouse has it as withdrawn',
    ],
    [
      'on hold',
      { warehouse: 'on_hold', orderUpdatedAt: '2026-11-20T10:05:00Z' },
      'wait: the warehouse has it as on_hold',
    ],
    [
      'cancelled',
      { warehouse: 'cancelled', orderUpdatedAt: '2026-11-20T10:05:00Z' },
      'wait: the warehouse has it as cancelled',
    ],
  ];
  it.each(cases)('%s → %s', (_name, recorded, expected) => {
    const decision = decideAcceptance(requested, recorded);
    expect(decision.kind === 'accept' ? 'accept' : `wait: ${decision.why}`).toBe(expected);
  });
});

describe('pickAwaiting: the fulfillment orders an answer applies to', () => {
  const order = (fos: [string, string, string][], cancelledAt: string | null = null): OrderWithRequests => ({
    id: 'gid://shopify/Order/1',
    name: '#1001',
    cancelledAt,
    fulfillmentOrders: fos.map(([id, location, requestStatus]) => ({
      id,
      status: 'OPEN',
      requestStatus,
      assignedLocation: { location: { id: location } },
    })),
  });
  const at = new Set([SERVICE]);
  it.each([
    ['one submitted request', order([['fo1', SERVICE, 'SUBMITTED']]), 'fulfillment', 'fo1'],
    [
      'two, one submitted',
      order([
        ['fo1', SERVICE, 'ACCEPTED'],
        ['fo2', SERVICE, 'SUBMITTED'],
      ]),
      'fulfillment',
      'fo2',
    ],
    [
      'submitted elsewhere only',
      order([['fo1', WAREHOUSE, 'SUBMITTED']]),
      'fulfillment',
      '#1001 has no fulfillment order at the fulfillment service',
    ],
    [
      'already accepted',
      order([['fo1', SERVICE, 'ACCEPTED']]),
      'fulfillment',
      '#1001 has no pending fulfillment request (request status accepted)',
    ],
    ['cancellation requested', order([['fo1', SERVICE, 'CANCELLATION_REQUESTED']]), 'cancellation', 'fo1'],
    [
      'no cancellation requested',
      order([['fo1', SERVICE, 'ACCEPTED']]),
      'cancellation',
      '#1001 has no pending cancellation request (request status accepted)',
    ],
    [
      'cancelled order',
      order([['fo1', SERVICE, 'CLOSED']], '2026-11-21T00:00:00Z'),
      'fulfillment',
      '#1001 was cancelled',
    ],
  ] as const)('%s (%s)', (_name, o, kind, expected) => {
    const pick = pickAwaiting(o, kind, at);
    expect(pick.ok ? pick.fulfillmentOrderIds.join(',') : pick.message).toBe(expected);
  });
});
