import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { createLedger } from '../../../src/core/ledger/ledger.js';
import { CHECKPOINT_KEY, runImport } from '../../../src/services/import/run.js';
import type { OrderEvent } from '../../../src/services/import/order-document.js';
import type { Sink } from '../../../src/services/import/sinks.js';
import { resolveWindow } from '../../../src/services/import/window.js';
import type { AdminClient, GraphQLResult, Operation } from '../../../src/shopify/types.js';
import { fo, line, order, settings, WAREHOUSE } from './fixtures.js';
import { loadSqlite } from '../../../src/core/sqlite.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const clock: Clock = { now: () => NOW, sleep: async () => {} };

type RawOrder = ReturnType<typeof order>;

/** The fields OrdersDetail reads on top of OrdersPage's. */
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
] as const;

/** A fake Admin API answering the import's operations from a list of orders; fails on anything else. */
function fakeClient(
  orders: () => RawOrder[],
): AdminClient & { calls: string[]; detailIds: string[]; searches: string[] } {
  const calls: string[] = [];
  const searches: string[] = [];
  const detailIds: string[] = [];
  const connection = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, endCursor: null } });
  return {
    shop: 'acme.myshopify.com',
    apiVersion: '2026-10',
    calls,
    detailIds,
    searches,
    async request<TData, TVariables>(operation: Operation<TData, TVariables>, variables?: TVariables) {
      calls.push(operation.name);
      const vars = (variables ?? {}) as Record<string, unknown>;
      let data: unknown;
      if (operation.name === 'OrdersCount')
        data = { ordersCount: { count: orders().length, precision: 'EXACT' } };
      else if (operation.name === 'OrdersPage') {
        const query = String(vars.query);
        searches.push(query);
        // By id (`id:1 OR id:2`), or the whole list (the window's filters are the real API's job).
        const ids = [...query.matchAll(/\bid:(\d+)/g)].map((m) => `gid://shopify/Order/${m[1]}`);
        const matching = ids.length > 0 ? orders().filter((o) => ids.includes(o.id)) : orders();
        // The deciding fields only, as OrdersPage selects them.
        const nodes = matching.map((o) => {
          const node: Record<string, unknown> = { ...o };
          delete node.fulfillmentOrders;
          for (const key of DETAIL_FIELDS) delete node[key];
          return node;
        });
        data = { orders: connection(nodes) };
      } else if (operation.name === 'OrdersDetail') {
        detailIds.push(...(vars.ids as string[]));
        data = {
          nodes: (vars.ids as string[]).map((id) => {
            const found = orders().find((o) => o.id === id);
            return found
              ? {
                  id,
                  ...Object.fromEntries(DETAIL_FIELDS.map((key) => [key, found[key]])),
                  fulfillmentOrders: connection(
                    found.fulfillmentOrders.map((f) => ({ ...f, lineItems: connection(f.lineItems) })),
                  ),
                }
              : null;
          }),
        };
      } else throw new Error(`unexpected operation ${operation.name}`);
      return { data: data as TData, cost: undefined, requestId: 'test' } satisfies GraphQLResult<TData>;
    },
    paginate() {
      throw new Error('unexpected paginate');
    },
  };
}

function memorySink(
  fail: (event: OrderEvent) => string | undefined = () => undefined,
): Sink & { events: OrderEvent[] } {
  const events: OrderEvent[] = [];
  return {
    kind: 'stdout',
    concurrency: 2,
    events,
    async deliver(event) {
      const message = fail(event);
      if (message) return { ok: false, message };
      events.push(event);
      return { ok: true };
    },
    async drain() {},
    async finish() {},
    async abort() {
      return { complete: true };
    },
  };
}

async function memoryLedger() {
  const Database = loadSqlite();
  return createLedger(new Database(':memory:'), ':memory:');
}

const window = () =>
  resolveWindow({
    since: { kind: 'last' },
    until: undefined,
    checkpoint: undefined,
    acceptOrdersAfter: undefined,
    readAllOrders: false,
    now: NOW,
  });

describe('runImport', () => {
  const paid = (n: number, updatedAt: string) =>
    order({
      id: `gid://shopify/Order/${n}`,
      name: `#${n}`,
      updatedAt,
      fulfillmentOrders: [fo(WAREHOUSE, [line()])],
    });

  it('delivers, records, moves the checkpoint, and fetches lines only for importable orders', async () => {
    const list = [
      paid(1001, '2026-11-26T10:00:00Z'),
      order({
        id: 'gid://shopify/Order/1002',
        name: '#1002',
        updatedAt: '2026-11-26T10:30:00Z',
        displayFinancialStatus: 'PENDING',
      }),
      paid(1003, '2026-11-26T11:00:00Z'),
    ];
    const client = fakeClient(() => list);
    const ledger = await memoryLedger();
    const sink = memorySink();
    const summary = await runImport(
      {
        shop: 'acme.myshopify.com',
        client,
        ledger,
        clock,
        signal: new AbortController().signal,
        sink,
        selection: settings(),
      },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(sink.events.map((e) => `${e.type} ${e.order.name}`)).toEqual([
      'order.created #1001',
      'order.created #1003',
    ]);
    expect(summary).toMatchObject({
      created: 2,
      skippedTotal: 1,
      skipped: { financial_status: 1 },
      errors: [],
    });
    expect(await ledger.getMeta(CHECKPOINT_KEY)).toBe('2026-11-26T11:00:00.000Z');
    expect((await ledger.get('gid://shopify/Order/1002'))?.reason).toBe('financial_status');
    expect(client.calls.filter((c) => c === 'OrdersDetail')).toHaveLength(1);
  });

  it('keeps the checkpoint before a failed order and retries it next run', async () => {
    const list = [
      paid(1001, '2026-11-26T10:00:00Z'),
      paid(1002, '2026-11-26T10:30:00Z'),
      paid(1003, '2026-11-26T11:00:00Z'),
    ];
    const client = fakeClient(() => list);
    const ledger = await memoryLedger();
    const env = {
      shop: 'acme.myshopify.com',
      client,
      ledger,
      clock,
      signal: new AbortController().signal,
      selection: settings(),
    };
    const failing = memorySink((e) => (e.order.name === '#1002' ? 'HTTP 400' : undefined));
    const first = await runImport(
      { ...env, sink: failing },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(first.errors).toEqual([
      { orderId: 'gid://shopify/Order/1002', name: '#1002', message: 'HTTP 400', failures: 1 },
    ]);
    expect(await ledger.getMeta(CHECKPOINT_KEY)).toBe('2026-11-26T10:29:59.999Z');
    expect((await ledger.get('gid://shopify/Order/1002'))?.status).toBe('error');

    const healthy = memorySink();
    const second = await runImport(
      { ...env, sink: healthy },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(healthy.events.map((e) => e.order.name)).toEqual(['#1002']);
    expect(second.unchanged).toBe(2);
    expect(await ledger.getMeta(CHECKPOINT_KEY)).toBe('2026-11-26T11:00:00.000Z');
  });

  it('records nothing on a dry run', async () => {
    const client = fakeClient(() => [paid(1001, '2026-11-26T10:00:00Z')]);
    const ledger = await memoryLedger();
    const sink = memorySink();
    const summary = await runImport(
      {
        shop: 'acme.myshopify.com',
        client,
        ledger,
        clock,
        signal: new AbortController().signal,
        sink,
        selection: settings(),
      },
      { window: window(), mode: 'paging', dryRun: true },
    );
    expect(summary.created).toBe(1);
    expect(sink.events).toHaveLength(1);
    expect(await ledger.list()).toEqual([]);
    expect(await ledger.getMeta(CHECKPOINT_KEY)).toBeUndefined();
  });

  it('reports malformed order data as an error for that order, not a crash', async () => {
    const broken = { ...paid(1001, '2026-11-26T10:00:00Z'), totalPriceSet: null } as unknown as RawOrder;
    const client = fakeClient(() => [broken, paid(1002, '2026-11-26T10:30:00Z')]);
    const ledger = await memoryLedger();
    const sink = memorySink();
    const summary = await runImport(
      {
        shop: 'acme.myshopify.com',
        client,
        ledger,
        clock,
        signal: new AbortController().signal,
        sink,
        selection: settings(),
      },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(summary.created).toBe(1);
    expect(summary.errors[0]?.message).toMatch(/totalPriceSet/);
    expect((await ledger.get('gid://shopify/Order/1001'))?.status).toBe('error');
  });

  it('reads a large window through the bulk source when that is expected to be faster, unless told not to', async () => {
    const many = Array.from({ length: 2001 }, (_, i) => paid(5000 + i, '2026-11-26T10:00:00Z'));
    const client = fakeClient(() => many);
    const ledger = await memoryLedger();
    let bulkCalls = 0;
    const bulk = async function* () {
      bulkCalls += 1;
      yield { orders: [many[0]] };
    };
    const env = {
      shop: 'acme.myshopify.com',
      client,
      ledger,
      clock,
      signal: new AbortController().signal,
      selection: settings(),
      bulk,
    };
    const auto = await runImport(
      { ...env, sink: memorySink() },
      { window: window(), mode: 'auto', dryRun: true },
    );
    expect(auto.mode).toBe('bulk');
    expect(bulkCalls).toBe(1);
    const paging = await runImport(
      { ...env, sink: memorySink() },
      { window: window(), mode: 'paging', dryRun: true },
    );
    expect(paging.mode).toBe('paging');
    expect(paging.fetched).toBe(2001);
    expect(bulkCalls).toBe(1);
  });

  it('reads in full only orders that need a document: a delivered order now cancelled gets a full order.cancelled', async () => {
    const delivered = paid(2001, '2026-11-26T09:00:00Z');
    const shipped = paid(2002, '2026-11-26T09:10:00Z');
    let list: RawOrder[] = [delivered, shipped];
    const client = fakeClient(() => list);
    const ledger = await memoryLedger();
    const env = {
      shop: 'acme.myshopify.com',
      client,
      ledger,
      clock,
      signal: new AbortController().signal,
      selection: settings(),
    };
    const first = memorySink();
    await runImport({ ...env, sink: first }, { window: window(), mode: 'paging', dryRun: false });
    expect(first.events.map((e) => `${e.type} ${e.order.name}`)).toEqual([
      'order.created #2001',
      'order.created #2002',
    ]);

    // Next run: #2001 cancelled, #2002 fulfilled, plus orders skipped on their order-level fields.
    list = [
      { ...delivered, updatedAt: '2026-11-26T11:00:00Z', cancelledAt: '2026-11-26T11:00:00Z' },
      { ...shipped, updatedAt: '2026-11-26T11:01:00Z', displayFulfillmentStatus: 'FULFILLED' },
      order({
        id: 'gid://shopify/Order/2003',
        name: '#2003',
        updatedAt: '2026-11-26T11:02:00Z',
        displayFinancialStatus: 'PENDING',
      }),
      order({
        id: 'gid://shopify/Order/2004',
        name: '#2004',
        updatedAt: '2026-11-26T11:03:00Z',
        cancelledAt: '2026-11-26T11:03:00Z',
      }),
      order({
        id: 'gid://shopify/Order/2005',
        name: '#2005',
        updatedAt: '2026-11-26T11:04:00Z',
        displayFulfillmentStatus: 'FULFILLED',
      }),
    ];
    client.detailIds.length = 0;
    const second = memorySink();
    const summary = await runImport(
      { ...env, sink: second },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(client.detailIds).toEqual(['gid://shopify/Order/2001']);
    expect(summary).toMatchObject({ cancelled: 1, shipped: 1, skippedTotal: 3, errors: [] });
    expect(second.events).toHaveLength(1);
    const cancelled = second.events[0];
    expect(cancelled?.type).toBe('order.cancelled');
    expect(cancelled?.order).toMatchObject({
      name: '#2001',
      cancelledAt: '2026-11-26T11:00:00Z',
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 0000 0000' },
      shippingAddress: { name: 'Ada Lovelace', city: 'London', countryCode: 'GB' },
      shippingMethod: { title: 'Standard', code: 'STD', source: 'shopify' },
      totals: { subtotal: '20.00', shipping: '5.00', tax: '0.00', total: '25.00' },
    });
    expect((await ledger.get('gid://shopify/Order/2001'))?.status).toBe('cancelled');
  });

  it('sends no OrdersDetail request when every order is decided on its order-level fields', async () => {
    const list = [
      order({ id: 'gid://shopify/Order/3001', name: '#3001', displayFinancialStatus: 'PENDING' }),
      order({ id: 'gid://shopify/Order/3002', name: '#3002', cancelledAt: '2026-11-26T08:00:00Z' }),
      order({ id: 'gid://shopify/Order/3003', name: '#3003', displayFulfillmentStatus: 'FULFILLED' }),
    ];
    const client = fakeClient(() => list);
    const summary = await runImport(
      {
        shop: 'acme.myshopify.com',
        client,
        ledger: await memoryLedger(),
        clock,
        signal: new AbortController().signal,
        sink: memorySink(),
        selection: settings(),
      },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(summary).toMatchObject({
      fetched: 3,
      skippedTotal: 3,
      skipped: { financial_status: 1, cancelled: 1, fulfillment_status: 1 },
      errors: [],
    });
    expect(client.calls).not.toContain('OrdersDetail');
  });

  it('fails an order Shopify returns no detail for instead of delivering it without customer, address or totals', async () => {
    const vanishing = paid(4001, '2026-11-26T10:00:00Z');
    const kept = paid(4002, '2026-11-26T10:30:00Z');
    const client = fakeClient(() => [vanishing, kept]);
    const request = client.request.bind(client);
    // OrdersDetail answers null for #4001 (deleted between the two requests).
    client.request = (async (operation, variables) => {
      const result = await request(operation, variables);
      if (operation.name === 'OrdersDetail') {
        const data = result.data as { nodes: ({ id: string } | null)[] };
        data.nodes = data.nodes.map((n) => (n?.id === vanishing.id ? null : n));
      }
      return result;
    }) as AdminClient['request'];
    const sink = memorySink();
    const ledger = await memoryLedger();
    const summary = await runImport(
      {
        shop: 'acme.myshopify.com',
        client,
        ledger,
        clock,
        signal: new AbortController().signal,
        sink,
        selection: settings(),
      },
      { window: window(), mode: 'paging', dryRun: false },
    );
    expect(sink.events.map((e) => e.order.name)).toEqual(['#4002']);
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]).toMatchObject({ name: '#4001' });
    expect(summary.errors[0]?.message).toMatch(/no customer, address or totals/);
    expect((await ledger.get(vanishing.id))?.status).toBe('error');
  });

  describe('following delivered orders', () => {
    const env = async (list: () => RawOrder[]) => ({
      shop: 'acme.myshopify.com',
      client: fakeClient(list),
      ledger: await memoryLedger(),
      clock,
      signal: new AbortController().signal,
      selection: settings(),
    });
    const request = (checkpoint?: string) => ({
      window: resolveWindow({
        since: { kind: 'last' },
        until: undefined,
        checkpoint,
        acceptOrdersAfter: new Date('2026-11-19T00:00:00Z'),
        readAllOrders: false,
        now: NOW,
      }),
      mode: 'paging' as const,
      dryRun: false,
    });

    it('reads changes of orders it delivered without the created_at bound, and withdraws a refunded one', async () => {
      let list = [{ ...paid(1001, '2026-11-26T10:00:00Z'), createdAt: '2026-11-20T10:00:00Z' }];
      const e = await env(() => list);
      const first = memorySink();
      await runImport({ ...e, sink: first }, request());
      expect(first.events.map((x) => x.type)).toEqual(['order.created']);
      expect(e.client.searches.at(-1)).toContain('created_at:>=');

      // A week later the order is outside a 7-day window, and refunded.
      list = [
        { ...(list[0] as RawOrder), displayFinancialStatus: 'REFUNDED', updatedAt: '2026-11-26T11:30:00Z' },
      ];
      const second = memorySink();
      const summary = await runImport(
        { ...e, sink: second },
        request(await e.ledger.getMeta(CHECKPOINT_KEY)),
      );
      expect(e.client.searches.at(-1)).not.toContain('created_at');
      expect(second.events.map((x) => `${x.type} ${x.reason}`)).toEqual(['order.withdrawn financial_status']);
      expect(summary.withdrawn).toBe(1);
      expect(await e.ledger.get('gid://shopify/Order/1001')).toMatchObject({
        status: 'withdrawn',
        warehouse: 'withdrawn',
      });
    });

    it('stops holding the checkpoint after an order failed three runs in a row, and reads it by id after', async () => {
      const list = [paid(1001, '2026-11-26T10:00:00Z'), paid(1002, '2026-11-26T10:30:00Z')];
      const e = await env(() => list);
      const refusing = () => memorySink((event) => (event.order.name === '#1001' ? 'HTTP 422' : undefined));
      const checkpoints: (string | undefined)[] = [];
      for (let run = 1; run <= 3; run += 1) {
        const summary = await runImport(
          { ...e, sink: refusing() },
          request(await e.ledger.getMeta(CHECKPOINT_KEY)),
        );
        expect(summary.errors).toEqual([expect.objectContaining({ name: '#1001', failures: run })]);
        expect(summary.unresolved).toBe(1);
        checkpoints.push(await e.ledger.getMeta(CHECKPOINT_KEY));
      }
      expect(checkpoints.slice(0, 2)).toEqual(['2026-11-26T09:59:59.999Z', '2026-11-26T09:59:59.999Z']);
      expect(checkpoints[2]).toBe('2026-11-26T10:30:00.000Z');

      // Fixed on the receiver's side: the next run reads it by id, whatever the window.
      const healthy = memorySink();
      const summary = await runImport(
        { ...e, sink: healthy },
        request(await e.ledger.getMeta(CHECKPOINT_KEY)),
      );
      expect(e.client.searches).toContain('id:1001');
      expect(healthy.events.map((x) => x.order.name)).toEqual(['#1001']);
      expect(summary.unresolved).toBe(0);
      expect((await e.ledger.get('gid://shopify/Order/1001'))?.status).toBe('imported');
    });

    it('stops at a fatal delivery: records nothing after it and keeps the checkpoint before it', async () => {
      const list = [1, 2, 3, 4].map((n) => paid(1000 + n, `2026-11-26T10:0${n}:00Z`));
      const e = await env(() => list);
      const events: OrderEvent[] = [];
      const sink: Sink = {
        ...memorySink(),
        concurrency: 1,
        async deliver(event) {
          if (event.order.name === '#1003') return { ok: false, message: 'stdout closed', fatal: true };
          events.push(event);
          return { ok: true };
        },
      };
      const summary = await runImport({ ...e, sink }, request());
      expect(summary.stopped).toMatch(/stdout closed/);
      expect(events.map((x) => x.order.name)).toEqual(['#1001', '#1002']);
      expect((await e.ledger.list()).map((o) => o.name).sort()).toEqual(['#1001', '#1002']);
      expect(await e.ledger.getMeta(CHECKPOINT_KEY)).toBe('2026-11-26T10:02:59.999Z');
    });
  });
});
