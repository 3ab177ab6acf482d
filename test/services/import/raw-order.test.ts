import { describe, expect, it } from 'vitest';
import { parseRawOrder, requireDetail } from '../../../src/services/import/raw-order.js';
import { assess, transition } from '../../../src/services/import/lifecycle.js';
import { normalizeOrder } from '../../../src/services/import/select.js';
import { order, settings } from './fixtures.js';

const SHOP = 'acme.myshopify.com';
const DETAIL_FIELDS = [
  'email',
  'phone',
  'customer',
  'shippingAddress',
  'shippingLine',
  'totalPriceSet',
  'subtotalPriceSet',
  'totalShippingPriceSet',
  'totalTaxSet',
];

/** An order as OrdersPage reads it: the deciding fields only. */
function summaryOf(full: ReturnType<typeof order>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...full };
  for (const key of DETAIL_FIELDS) delete out[key];
  return out;
}

describe('parseRawOrder: detail fields', () => {
  it('accepts an order without detail fields when its outcome does not need them', () => {
    const parsed = parseRawOrder(summaryOf(order({ displayFinancialStatus: 'PENDING' })), () => false);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.order.customer).toBeUndefined();
  });

  it('reports an order without detail fields whose outcome needs them', () => {
    const parsed = parseRawOrder(summaryOf(order()), () => true);
    expect(parsed).toEqual({
      ok: false,
      message: expect.stringMatching(/no customer, address or totals.*totalPriceSet/),
    });
  });

  it('needs detail fields unless told otherwise', () => {
    expect(parseRawOrder(summaryOf(order())).ok).toBe(false);
    expect(parseRawOrder(order()).ok).toBe(true);
  });

  it('validates detail fields that are present, whatever the order', () => {
    const broken = { ...order({ displayFinancialStatus: 'PENDING' }), totalPriceSet: null };
    const parsed = parseRawOrder(broken, () => false);
    expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/at totalPriceSet/) });
  });

  it('names a bad deciding field', () => {
    const parsed = parseRawOrder({ ...order(), displayFulfillmentStatus: 3 }, () => false);
    expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/at displayFulfillmentStatus/) });
  });
});

describe('documents need the detail fields', () => {
  it('refuses to build a document from an order read without them', () => {
    const parsed = parseRawOrder(summaryOf(order({ name: '#1042' })), () => false);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(() => requireDetail(parsed.order)).toThrow(
      /internal error: order #1042 .* was read without email, phone, customer/,
    );
    // An importable order read this way is to be read in full, and cannot be decided before.
    const assessed = assess(parsed.order, SHOP, settings(), false);
    expect(assessed.kind).toBe('read_detail');
    expect(() => transition(undefined, assessed)).toThrow(/internal error/);
  });

  it('builds a complete document from an order read in full', () => {
    const parsed = parseRawOrder(order(), () => true);
    if (!parsed.ok) throw new Error(parsed.message);
    const document = normalizeOrder(
      requireDetail(parsed.order),
      SHOP,
      { lines: [], fulfillmentOrderIds: [] },
      false,
    );
    expect(document).toMatchObject({
      customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      shippingAddress: { city: 'London' },
      totals: { total: '25.00' },
    });
  });
});
