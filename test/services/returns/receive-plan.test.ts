import { describe, expect, it } from 'vitest';
import type { LedgerReceipt } from '../../../src/core/ledger/ledger.js';
import {
  planReceipt,
  type ReceiptRequest,
  receiptKey,
  withDisposed,
} from '../../../src/services/returns/receive-plan.js';
import type { ReturnDocument, ReturnLine } from '../../../src/services/returns/return-document.js';

const line = (id: string, sku: string, quantity: number, dispositions: ReturnLine['dispositions'] = []) => ({
  returnLineItemId: `rli-${id}`,
  reverseFulfillmentOrderId: 'rfo-1',
  reverseFulfillmentOrderLineItemId: `rfoli-${id}`,
  sku,
  quantity,
  reason: 'DEFECTIVE',
  reasonNote: null,
  customerNote: null,
  dispositions,
});

function ret(status: ReturnDocument['status'], lines: ReturnLine[]): ReturnDocument {
  return {
    schemaVersion: 1,
    id: 'gid://shopify/Return/501',
    legacyId: '501',
    name: '#1001-R1',
    shop: 's',
    status,
    order: { id: 'gid://shopify/Order/1001', name: '#1001' },
    updatedAt: '2026-11-20T10:00:00Z',
    locationId: 'loc',
    lines,
    tracking: [],
  };
}

const row = (over: Partial<ReceiptRequest> = {}): ReceiptRequest => ({
  line: 2,
  returnRef: '#1001-R1',
  sku: 'TEE',
  quantity: 1,
  disposition: 'restocked',
  ...over,
});

const recorded = (state: LedgerReceipt['state'], baseline: number): LedgerReceipt => ({
  key: 'k',
  returnId: 'gid://shopify/Return/501',
  returnName: '#1001-R1',
  sku: 'TEE',
  quantity: 1,
  disposition: 'restocked',
  baseline,
  state,
  message: null,
  createdAt: '',
  updatedAt: '',
});

const two = [line('a', 'TEE', 1), line('b', 'TEE', 2), line('c', 'MUG', 1)];

describe('planReceipt (the table)', () => {
  it.each<[string, ReceiptRequest, ReturnDocument | undefined, LedgerReceipt | undefined, string]>([
    ['a new row', row(), ret('OPEN', two), undefined, 'dispose'],
    [
      'applied in the ledger (no store read needed)',
      row(),
      undefined,
      recorded('applied', 0),
      'already_applied:ledger',
    ],
    ['an unknown return', row(), undefined, undefined, 'refused:return'],
    ['an unknown SKU', row({ sku: 'HAT' }), ret('OPEN', two), undefined, 'refused:sku'],
    ['more units than returned', row({ quantity: 4 }), ret('OPEN', two), undefined, 'refused:quantity'],
    [
      'more units than are left',
      row({ quantity: 2 }),
      ret('OPEN', [line('a', 'TEE', 2, [{ type: 'MISSING', quantity: 1 }])]),
      undefined,
      'refused:quantity',
    ],
    ['a closed return', row(), ret('CLOSED', two), undefined, 'refused:return'],
    ['a cancelled return', row(), ret('CANCELED', two), undefined, 'refused:return'],
    ['a requested return', row(), ret('REQUESTED', two), undefined, 'refused:return'],
    [
      'pending, and the store has it (a retry after a lost answer)',
      row(),
      ret('OPEN', [line('a', 'TEE', 1, [{ type: 'RESTOCKED', quantity: 1 }])]),
      recorded('pending', 0),
      'already_applied:store',
    ],
    [
      'pending, and the return closed since it went through',
      row(),
      ret('CLOSED', [line('a', 'TEE', 1, [{ type: 'RESTOCKED', quantity: 1 }])]),
      recorded('pending', 0),
      'already_applied:store',
    ],
    ['pending, and the store does not have it', row(), ret('OPEN', two), recorded('pending', 0), 'dispose'],
    ['failed before, retried', row(), ret('OPEN', two), recorded('failed', 0), 'dispose'],
    [
      'another disposition type does not count as this row',
      row(),
      ret('OPEN', [line('a', 'TEE', 2, [{ type: 'NOT_RESTOCKED', quantity: 1 }])]),
      recorded('pending', 0),
      'dispose',
    ],
  ])('%s', (_name, request, document, record, expected) => {
    const decision = planReceipt(request, document, record, 'Warehouse');
    const got =
      decision.kind === 'refused'
        ? `refused:${decision.field}`
        : decision.kind === 'already_applied'
          ? `already_applied:${decision.source}`
          : decision.kind;
    expect(got).toBe(expected);
  });

  it('spreads the units over the lines of the SKU with units left, and notes the baseline', () => {
    const doc = ret('OPEN', [
      line('a', 'TEE', 1, [{ type: 'RESTOCKED', quantity: 1 }]),
      line('b', 'TEE', 2),
      line('c', 'TEE', 2),
    ]);
    expect(planReceipt(row({ quantity: 3 }), doc, undefined, 'W')).toEqual({
      kind: 'dispose',
      inputs: [
        { reverseFulfillmentOrderLineItemId: 'rfoli-b', quantity: 2 },
        { reverseFulfillmentOrderLineItemId: 'rfoli-c', quantity: 1 },
      ],
      baseline: 1,
    });
  });

  it('names the quantities in an over-quantity refusal', () => {
    const decision = planReceipt(row({ quantity: 4 }), ret('OPEN', two), undefined, 'W');
    expect(decision).toMatchObject({
      message: '4 of TEE is more than the 3 left to receive on #1001-R1 (3 returned, 0 already received)',
    });
  });

  it('counts a disposition just made for the rows that follow', () => {
    const doc = ret('OPEN', [line('a', 'TEE', 1)]);
    const first = planReceipt(row(), doc, undefined, 'W');
    if (first.kind !== 'dispose') throw new Error('expected dispose');
    const after = withDisposed(doc, first.inputs, 'restocked');
    expect(after.lines[0]?.dispositions).toEqual([{ type: 'RESTOCKED', quantity: 1 }]);
    expect(planReceipt(row(), after, undefined, 'W')).toMatchObject({ kind: 'refused', field: 'quantity' });
  });

  it('keys identical rows apart by their occurrence', () => {
    expect(receiptKey('r', row(), 0)).not.toBe(receiptKey('r', row(), 1));
    expect(receiptKey('r', row(), 0)).toBe(receiptKey('r', row({ line: 9 }), 0));
  });
});
