import { describe, expect, it } from 'vitest';
import { createSandboxData, LOCATION_IDS } from '../../../src/sandbox/data/index.js';
import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES } from '../../../src/sandbox/data/model.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const make = (orders: number, seed = 7) =>
  createSandboxData({ orders, seed, now: NOW, shop: 'acme.myshopify.com' });

/** Everything observable about the orders, for comparing two stores. */
function snapshot(d: ReturnType<typeof make>): string {
  return JSON.stringify({
    orders: d.orders,
    fos: [...d.fulfillmentOrders.values()],
    fulfillments: [...d.fulfillments.values()],
    levels: [...d.levels.values()],
  });
}

describe('seeded store', () => {
  it('is the same for the same seed and differs for another seed', () => {
    expect(snapshot(make(150, 3))).toBe(snapshot(make(150, 3)));
    expect(snapshot(make(150, 3))).not.toBe(snapshot(make(150, 4)));
  });

  it('keeps existing orders when more are seeded (per-order streams)', () => {
    const small = make(50, 9);
    const big = make(80, 9);
    // Times differ with the count, the content of order k does not depend on how many follow it.
    expect(big.orders[10]?.lineItems.map((l) => l.sku)).toEqual(
      small.orders[10]?.lineItems.map((l) => l.sku),
    );
  });

  it.each([12, 200])('shows every financial and fulfillment status with %i orders', (n) => {
    const d = make(n);
    const financial = new Set(d.orders.map((o) => o.financialStatus));
    const fulfillment = new Set(d.orders.map((o) => o.fulfillmentStatus));
    for (const s of FINANCIAL_STATUSES) expect(financial, s).toContain(s);
    for (const s of FULFILLMENT_STATUSES) expect(fulfillment, s).toContain(s);
    if (n < 100) return;
    // In a store of some size they are also among orders readable without read_all_orders.
    const recent = d.orders.filter((o) => o.createdAt >= NOW.getTime() - 60 * DAY);
    for (const s of FULFILLMENT_STATUSES)
      expect(
        recent.map((o) => o.fulfillmentStatus),
        s,
      ).toContain(s);
  });

  it('names orders #1001… ascending by creation, over the 90 days before now', () => {
    const d = make(300);
    d.orders.forEach((o, i) => {
      expect(o.name).toBe(`#${1001 + i}`);
      if (i > 0) expect(o.createdAt).toBeGreaterThan(d.orders[i - 1]!.createdAt);
      expect(o.createdAt).toBeLessThan(NOW.getTime());
      expect(o.updatedAt).toBeGreaterThanOrEqual(o.createdAt);
      expect(o.updatedAt).toBeLessThanOrEqual(NOW.getTime());
    });
    expect(d.orders[0]!.createdAt).toBeGreaterThanOrEqual(NOW.getTime() - 90 * DAY);
    expect(d.orders.some((o) => o.createdAt < NOW.getTime() - 60 * DAY)).toBe(true);
    expect(d.orders.some((o) => o.createdAt > NOW.getTime() - 7 * DAY)).toBe(true);
  });

  it('has the edge cases an importer must handle', () => {
    const d = make(400);
    const cancelled = d.orders.filter((o) => o.cancelledAt !== null);
    expect(cancelled.length).toBeGreaterThan(0);
    for (const o of cancelled) expect(o.cancelReason).not.toBeNull();
    expect(d.orders.some((o) => o.test)).toBe(true);
    expect(new Set(d.orders.map((o) => o.presentmentCurrency))).toEqual(new Set(['USD', 'EUR', 'CAD']));
    expect(d.orders.find((o) => o.presentmentCurrency === 'EUR')?.presentmentRate).not.toBe(1);
    expect(d.orders.some((o) => o.lineItems.some((l) => l.isGiftCard && !l.requiresShipping))).toBe(true);
    expect(d.orders.some((o) => o.fulfillmentOrderIds.length > 1)).toBe(true);
    expect(d.orders.some((o) => o.customer === null)).toBe(true);
    expect(d.orders.some((o) => o.shippingLine?.code === 'EXPRESS')).toBe(true);
    expect(d.orders.some((o) => o.phone !== null && o.email !== null && o.shippingAddress !== null)).toBe(
      true,
    );

    const fos = [...d.fulfillmentOrders.values()];
    expect(
      fos.some((fo) =>
        fo.lineItems.some((l) => l.remainingQuantity > 0 && l.remainingQuantity < l.totalQuantity),
      ),
    ).toBe(true);
    expect(fos.some((fo) => fo.status === 'CLOSED')).toBe(true);
    expect(fos.some((fo) => fo.status === 'ON_HOLD' && fo.holds.length > 0)).toBe(true);
    expect(fos.some((fo) => fo.status === 'SCHEDULED')).toBe(true);
    expect(fos.some((fo) => fo.locationId === LOCATION_IDS.acme3pl)).toBe(true);
    expect(fos.some((fo) => fo.locationId === LOCATION_IDS.warehouse)).toBe(true);
    expect(fos.some((fo) => fo.requestStatus === 'SUBMITTED')).toBe(true);
    expect(fos.some((fo) => fo.requestStatus === 'REJECTED')).toBe(true);
  });

  it('has locations incl. an inactive one and a fulfillment-service location, and SKUs shared by variants', () => {
    const d = make(10);
    expect(d.locations.some((l) => !l.isActive)).toBe(true);
    const service = d.fulfillmentServices.find((s) => s.handle === 'acme-3pl');
    expect(service?.locationId).toBe(LOCATION_IDS.acme3pl);
    expect(d.location(LOCATION_IDS.acme3pl)?.fulfillmentServiceHandle).toBe('acme-3pl');
    const skus = [...d.variants.values()].map((v) => v.sku).filter((s): s is string => s !== null);
    expect(skus.length).toBeGreaterThan(new Set(skus).size);
    // Some stocked item is missing a level at some active location.
    const active = d.locations.filter((l) => l.isActive);
    const missing = [...d.inventoryItems.values()].some(
      (i) => i.tracked && active.some((l) => d.level(i.id, l.id) === undefined),
    );
    expect(missing).toBe(true);
  });

  it('adds generated products after the seeded catalog without changing the orders', () => {
    const plain = make(60, 5);
    const big = createSandboxData({
      orders: 60,
      seed: 5,
      now: NOW,
      shop: 'acme.myshopify.com',
      products: 1000,
    });
    expect(JSON.stringify(big.orders)).toBe(JSON.stringify(plain.orders));
    expect(big.variants.size).toBe(plain.variants.size + 1000);
    const generated = [...big.inventoryItems.values()].filter((i) => i.sku?.startsWith('GEN-'));
    expect(generated).toHaveLength(1000);
    expect(new Set(generated.map((i) => i.sku)).size).toBe(1000);
    for (const item of generated.slice(0, 20)) {
      expect(item.tracked).toBe(true);
      expect(big.level(item.id, LOCATION_IDS.acme3pl)).toBeDefined();
      expect(big.level(item.id, LOCATION_IDS.warehouse)).toBeDefined();
    }
  });

  it('seeds 100,000 orders in seconds', () => {
    const started = Date.now();
    const d = make(100_000, 1);
    expect(d.orders).toHaveLength(100_000);
    expect(d.orders[99_999]?.name).toBe('#101000');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});

describe('changes between runs', () => {
  it('bumps updatedAt on every change', () => {
    const d = make(30);
    d.setNow(new Date('2026-11-21T00:00:00Z'));
    const o = d.orders[25]!;
    const before = o.updatedAt;
    d.updateOrder(o.id, { note: 'changed' });
    expect(o.updatedAt).toBeGreaterThan(before);
    const again = o.updatedAt;
    d.markPaid(o.id);
    expect(o.updatedAt).toBeGreaterThan(again);
    expect(o.financialStatus).toBe('PAID');
  });

  it('cancels like the admin: cancelledAt, reason, fulfillment orders closed', () => {
    const d = make(30);
    const o = d.orders.find((x) => x.cancelledAt === null && x.fulfillmentStatus === 'UNFULFILLED')!;
    d.cancelOrder(`gid://shopify/Order/${o.id}`, 'FRAUD');
    expect(o.cancelledAt).not.toBeNull();
    expect(o.cancelReason).toBe('FRAUD');
    for (const fo of d.fulfillmentOrdersOf(o)) expect(fo.status).toBe('CLOSED');
  });

  it('adds orders numbered after the last', () => {
    const d = make(30);
    const added = d.addOrder({ financialStatus: 'PENDING' });
    expect(added.name).toBe('#1031');
    expect(d.findOrder('#1031')).toBe(added);
    expect(added.financialStatus).toBe('PENDING');
    expect(d.fulfillmentOrdersOf(added).length).toBeGreaterThan(0);
  });

  it('adds an order with exactly the given SKUs, split across locations, in the given currency', () => {
    const d = make(30);
    const added = d.addOrder({
      presentmentCurrency: 'EUR',
      lines: [
        { sku: 'TEE-BLK-M', quantity: 2 },
        { sku: 'HOOD-GRY-L', quantity: 1, locationId: LOCATION_IDS.acme3pl },
      ],
    });
    expect(added.lineItems.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEE-BLK-M', 2],
      ['HOOD-GRY-L', 1],
    ]);
    expect(added.presentmentCurrency).toBe('EUR');
    const fos = d.fulfillmentOrdersOf(added);
    expect(fos.map((fo) => [fo.locationId, fo.status, fo.lineItems.map((l) => l.remainingQuantity)])).toEqual(
      [
        [LOCATION_IDS.warehouse, 'OPEN', [2]],
        [LOCATION_IDS.acme3pl, 'OPEN', [1]],
      ],
    );
    expect(() => d.addOrder({ lines: [{ sku: 'NOPE', quantity: 1 }] })).toThrow(/NOPE/);
  });
});
