import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { byName, type ExpectSettings, events, expectedImports, LOCATIONS, scenario } from './helpers.js';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 150, seed: 7, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('dsync import: which orders and lines (filter matrix against the seeded store)', () => {
  const cases: { name: string; settings: [string, string][]; expect: ExpectSettings }[] = [
    { name: 'defaults (paid, unfulfilled, every location)', settings: [], expect: {} },
    {
      name: 'financial-status paid,pending,authorized',
      settings: [['financial-status', 'paid,pending,authorized']],
      expect: { financial: ['paid', 'pending', 'authorized'] },
    },
    {
      name: 'include-partial-fulfillments',
      settings: [['include-partial-fulfillments', 'true']],
      expect: { partial: true },
    },
    {
      name: 'fulfillment-service acme-3pl',
      // Accepting requests would change the store under the other cases: this matrix is about selection.
      settings: [
        ['fulfillment-service', 'acme-3pl'],
        ['accept-fulfillment-requests', 'false'],
      ],
      expect: { serviceLocation: LOCATIONS.acme3pl },
    },
    {
      name: 'fulfillment-service acme-3pl with exclude-empty-orders',
      settings: [
        ['fulfillment-service', 'acme-3pl'],
        ['accept-fulfillment-requests', 'false'],
        ['exclude-empty-orders', 'true'],
      ],
      expect: { serviceLocation: LOCATIONS.acme3pl, excludeEmpty: true },
    },
    {
      name: 'filter-by-location at Main Warehouse',
      settings: [
        ['fulfillment-location', 'Main Warehouse'],
        ['filter-by-location', 'true'],
      ],
      expect: { filterLocation: LOCATIONS.warehouse },
    },
    {
      name: 'exclude-empty-orders alone (gift-card-only orders drop out)',
      settings: [['exclude-empty-orders', 'true']],
      expect: { excludeEmpty: true },
    },
  ];

  it.each(cases)('$name', async ({ settings, expect: rules }) => {
    const s = scenario(sandbox);
    try {
      for (const [key, value] of settings) await s.set(key, value);
      const result = await s.run(['import']);
      expect(result.code, result.stderr).toBe(0);
      const got = byName(events(result.stdout));
      const want = expectedImports(sandbox.data, rules);
      expect(want.size).toBeGreaterThan(0);
      expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
      expect(result.stderr).toMatch(new RegExp(`${want.size} created`));
    } finally {
      s.cleanup();
    }
  });

  it('money in presentment currency with use-local-currency', async () => {
    const s = scenario(sandbox);
    try {
      const shopRun = events((await s.run(['import', '--dry-run'])).stdout);
      await s.set('use-local-currency', 'true');
      const localRun = events((await s.run(['import', '--dry-run'])).stdout);
      const foreign = sandbox.data.orders.find(
        (o) =>
          o.presentmentCurrency !== sandbox.data.shop.currencyCode &&
          shopRun.some((e) => e.order.name === o.name),
      );
      expect(foreign, 'the seed has a foreign-currency order to import').toBeDefined();
      const inShop = shopRun.find((e) => e.order.name === foreign?.name);
      const inLocal = localRun.find((e) => e.order.name === foreign?.name);
      expect(inShop.order.currency).toBe(sandbox.data.shop.currencyCode);
      expect(inLocal.order.currency).toBe(foreign?.presentmentCurrency);
      expect(inLocal.order.totals.total).not.toBe(inShop.order.totals.total);
    } finally {
      s.cleanup();
    }
  });

  it('leaves to Shopify the orders it would skip, and imports one once it qualifies', async () => {
    const s = scenario(sandbox);
    const shop = merchant(sandbox);
    try {
      const first = await s.run(['import', '--json']);
      expect(first.code, first.stderr).toBe(0);
      const summary = JSON.parse(first.stderr.trim().split('\n').at(-1) as string).summary;
      // Shopify's search left out the pending, cancelled and fulfilled orders: far fewer read than stored.
      expect(summary.fetched).toBeLessThan(sandbox.data.orders.length / 2);
      const list = await s.run(['orders', 'list', '--limit', '1000', '--json']);
      const ledger = JSON.parse(list.stdout).orders as { name: string; status: string; reason: string }[];
      // What was read and still skipped says why.
      for (const order of ledger.filter((o) => o.status === 'skipped'))
        expect(['fulfillment_status', 'other_location', 'no_lines', 'before_window']).toContain(order.reason);
      const pending = sandbox.data.orders.find(
        (o) =>
          o.financialStatus === 'PENDING' &&
          o.cancelledAt === null &&
          o.fulfillmentStatus === 'UNFULFILLED' &&
          o.createdAt > Date.now() - 59 * 86_400_000,
      );
      expect(pending).toBeDefined();
      expect(ledger.find((o) => o.name === pending?.name)).toBeUndefined();

      await shop.markAsPaid(`gid://shopify/Order/${pending?.id}`);
      const next = await s.run(['import']);
      expect(next.code, next.stderr).toBe(0);
      expect(events(next.stdout).map((e) => `${e.type} ${e.order.name}`)).toContain(
        `order.created ${pending?.name}`,
      );
    } finally {
      s.cleanup();
    }
  });
});
