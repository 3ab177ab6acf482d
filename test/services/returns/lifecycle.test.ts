import { describe, expect, it } from 'vitest';
import type { ReturnWarehouseState } from '../../../src/core/ledger/ledger.js';
import {
  buildReturnEvent,
  returnDocument,
  returnHash,
  returnTransition,
} from '../../../src/services/returns/lifecycle.js';
import type { ReturnDocument } from '../../../src/services/returns/return-document.js';
import type { RawReturn } from '../../../src/shopify/operations/returns.js';

const WAREHOUSE = 'gid://shopify/Location/1';
const STORE = 'gid://shopify/Location/2';
const order = {
  id: 'gid://shopify/Order/1001',
  name: '#1001',
  updatedAt: '2026-11-20T10:00:00Z',
  fulfillments: [
    { location: { id: WAREHOUSE }, fulfillmentLineItems: { nodes: [{ id: 'fli-1' }, { id: 'fli-2' }] } },
    { location: { id: STORE }, fulfillmentLineItems: { nodes: [{ id: 'fli-3' }] } },
  ],
};

function raw(status = 'OPEN', lines = ['fli-1', 'fli-3']): RawReturn {
  return {
    id: 'gid://shopify/Return/501',
    name: '#1001-R1',
    status,
    totalQuantity: lines.length,
    returnLineItems: {
      nodes: lines.map((fli, i) => ({
        id: `rli-${i}`,
        quantity: 1,
        returnReason: 'SIZE_TOO_SMALL',
        returnReasonNote: '',
        customerNote: i === 0 ? 'too tight' : null,
        fulfillmentLineItem: { id: fli, lineItem: { sku: `SKU-${fli}` } },
      })),
      pageInfo: { hasNextPage: false },
    },
    reverseFulfillmentOrders: {
      nodes: [
        {
          id: 'rfo-1',
          status: 'OPEN',
          lineItems: {
            nodes: lines.map((fli, i) => ({
              id: `rfoli-${i}`,
              totalQuantity: 1,
              fulfillmentLineItem: { id: fli },
              dispositions: i === 0 ? [{ type: 'RESTOCKED', quantity: 1, location: { id: WAREHOUSE } }] : [],
            })),
            pageInfo: { hasNextPage: false },
          },
          reverseDeliveries: {
            nodes: [
              { id: 'rd-1', deliverable: { tracking: { carrierName: 'UPS', number: '1Z', url: null } } },
            ],
            pageInfo: { hasNextPage: false },
          },
        },
      ],
      pageInfo: { hasNextPage: false },
    },
  };
}

describe('returnDocument', () => {
  it('keeps the lines shipped from the fulfillment location, with their reverse lines, dispositions and tracking', () => {
    const doc = returnDocument(raw(), order, 'acme.myshopify.com', WAREHOUSE);
    expect(doc.lines).toEqual([
      {
        returnLineItemId: 'rli-0',
        reverseFulfillmentOrderId: 'rfo-1',
        reverseFulfillmentOrderLineItemId: 'rfoli-0',
        sku: 'SKU-fli-1',
        quantity: 1,
        reason: 'SIZE_TOO_SMALL',
        reasonNote: null,
        customerNote: 'too tight',
        dispositions: [{ type: 'RESTOCKED', quantity: 1 }],
      },
    ]);
    expect(doc.tracking).toEqual([{ carrier: 'UPS', number: '1Z', url: null }]);
    expect(doc).toMatchObject({ legacyId: '501', status: 'OPEN', order: { name: '#1001' } });
  });

  it('has no lines when nothing was shipped from the location', () => {
    expect(returnDocument(raw('OPEN', ['fli-3']), order, 's', WAREHOUSE).lines).toEqual([]);
  });

  it('hashes lines and tracking, not dispositions', () => {
    const a = returnDocument(raw(), order, 's', WAREHOUSE);
    const b: ReturnDocument = { ...a, lines: a.lines.map((l) => ({ ...l, dispositions: [] })) };
    expect(returnHash(b)).toBe(returnHash(a));
    expect(returnHash({ ...a, tracking: [] })).not.toBe(returnHash(a));
  });
});

describe('returnTransition (the table)', () => {
  const here = (status: string) => returnDocument(raw(status), order, 's', WAREHOUSE);
  const elsewhere = returnDocument(raw('OPEN', ['fli-3']), order, 's', WAREHOUSE);
  const open = here('OPEN');
  const hash = returnHash(open);
  const told = (state: ReturnWarehouseState, deliveredHash: string | null = hash) => ({
    state,
    deliveredHash,
  });

  it.each([
    ['none', 'REQUESTED', 'skip'],
    ['none', 'OPEN', 'return.opened'],
    ['none', 'OPEN elsewhere', 'skip'],
    ['none', 'CLOSED', 'skip'],
    ['none', 'CANCELED', 'skip'],
    ['none', 'DECLINED', 'skip'],
    ['open', 'REQUESTED', 'none'],
    ['open', 'OPEN', 'none'],
    ['open', 'OPEN changed', 'return.updated'],
    ['open', 'OPEN elsewhere', 'return.cancelled'],
    ['open', 'CLOSED', 'return.closed'],
    ['open', 'CANCELED', 'return.cancelled'],
    ['open', 'DECLINED', 'return.cancelled'],
    ['closed', 'OPEN', 'return.opened'],
    ['closed', 'CLOSED', 'none'],
    ['closed', 'CANCELED', 'none'],
    ['cancelled', 'OPEN', 'none'],
    ['cancelled', 'CLOSED', 'none'],
    ['cancelled', 'CANCELED', 'none'],
  ] as const)('told %s, now %s → %s', (state, now, expected) => {
    const document = now === 'OPEN elsewhere' ? elsewhere : now === 'OPEN changed' ? here('OPEN') : here(now);
    const recorded =
      state === 'none' ? undefined : told(state, now === 'OPEN changed' ? 'an older hash' : hash);
    const step = returnTransition(recorded, document);
    expect(step.kind === 'emit' ? step.type : step.kind).toBe(expected);
  });

  it('moves the warehouse state with each event', () => {
    expect(returnTransition(undefined, open)).toEqual({
      kind: 'emit',
      type: 'return.opened',
      state: 'open',
      hash,
    });
    expect(returnTransition(told('open'), here('CLOSED'))).toMatchObject({ state: 'closed', hash: null });
    expect(returnTransition(told('open'), here('CANCELED'))).toMatchObject({ state: 'cancelled' });
  });
});

describe('buildReturnEvent', () => {
  const open = returnDocument(raw(), order, 's', WAREHOUSE);
  it('gives the same event the same id, and a reopened return a new one', () => {
    const a = buildReturnEvent('return.opened', open, { hash: 'h' });
    expect(buildReturnEvent('return.opened', { ...open, updatedAt: 'later' }, { hash: 'h' }).id).toBe(a.id);
    expect(buildReturnEvent('return.opened', open, { hash: 'h', reopened: true }).id).not.toBe(a.id);
    expect(a).toMatchObject({ type: 'return.opened', schemaVersion: 1, occurredAt: open.updatedAt });
  });
});
