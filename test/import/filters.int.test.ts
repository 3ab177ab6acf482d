import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      settings: [['fulfillment-service', 'acme-3pl']],
      expect: { serviceLocation: LOCATIONS.acme3pl },
    },
    {
      name: 'fulfillment-service acme-3pl with exclude-empty-orders',
      settings: [
        ['fulfillment-service', 'acme-3pl'],
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

  it('records every skip with its reason in the ledger', async () => {
    const s = scenario(sandbox);
    try {
      expect((await s.run(['import'])).code).toBe(0);
      const list = await s.run(['orders', 'list', '--status', 'skipped', '--limit', '1000', '--json']);
      expect(list.code, list.stderr).toBe(0);
      const skipped = JSON.parse(list.stdout).orders as { name: string; reason: string }[];
      expect(skipped.length).toBeGreaterThan(0);
      const cancelled = sandbox.data.orders.find(
        (o) => o.cancelledAt !== null && o.createdAt > Date.now() - 59 * 86_400_000,
      );
      if (cancelled) expect(skipped.find((o) => o.name === cancelled.name)?.reason).toBe('cancelled');
      const pending = sandbox.data.orders.find(
        (o) =>
          o.financialStatus === 'PENDING' &&
          o.cancelledAt === null &&
          o.createdAt > Date.now() - 59 * 86_400_000,
      );
      expect(pending).toBeDefined();
      expect(skipped.find((o) => o.name === pending?.name)?.reason).toBe('financial_status');
    } finally {
      s.cleanup();
    }
  });
});
