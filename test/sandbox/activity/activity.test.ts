import { buildSchema, graphql, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { SandboxRequestContext } from '../../../src/sandbox/context.js';
import { type ActivityChange, startActivity } from '../../../src/sandbox/activity/index.js';
import { ACTIVITY_OPERATIONS } from '../../../src/sandbox/activity/operations.js';
import { createResolvers, createSandboxData } from '../../../src/sandbox/data/index.js';
import { attachResolvers, buildSandboxSchema } from '../../../src/sandbox/graphql/schema.js';
import { ADMIN_SDL } from '../../../src/sandbox/schema/admin-sdl.js';
import { ALL_SANDBOX_SCOPES } from '../../../src/sandbox/scopes.js';
import { FakeClock } from './fake-clock.js';

const SHOP = 'acme-live.myshopify.com';
const START = new Date('2026-11-20T12:00:00Z');

// biome-ignore lint/suspicious/noExplicitAny: results are inspected field by field
type Json = any;

/** A fresh seeded store with its own schema, as startSandbox builds them. */
function store(seed = 3) {
  const data = createSandboxData({ orders: 60, seed, now: START, shop: SHOP });
  const schema = attachResolvers(buildSandboxSchema(), createResolvers(data));
  const read = async (source: string, variableValues: Record<string, unknown> = {}): Promise<Json> => {
    const contextValue: SandboxRequestContext = {
      shop: SHOP,
      scopes: new Set(ALL_SANDBOX_SCOPES),
      now: START,
      origin: 'http://127.0.0.1:9',
      requestId: 'test',
      apiVersion: '2026-10',
      accessToken: 'shpat_test',
    };
    const result = await graphql({ schema, source, variableValues, contextValue });
    expect(result.errors).toBeUndefined();
    return result.data;
  };
  return { data, schema, read };
}

/** Runs the activity on a fake clock until `count` changes have been reported. */
async function live(opts: { seed: number; count: number; rate?: string; storeSeed?: number }) {
  const { data, schema, read } = store(opts.storeSeed);
  const clock = new FakeClock(START.getTime());
  data.setNow(START);
  const changes: ActivityChange[] = [];
  const errors: unknown[] = [];
  const activity = startActivity({
    schema,
    shop: SHOP,
    rate: opts.rate ?? '600/min',
    seed: opts.seed,
    clock,
    now: () => new Date(clock.now()),
    onChange: (change) => changes.push(change),
    onError: (error) => errors.push(error),
  });
  await clock.advanceUntil(() => changes.length >= opts.count, 100);
  await activity.stop();
  return { changes: changes.slice(0, opts.count), all: changes, errors, data, read, clock };
}

describe('the live store (in-process, fake clock)', () => {
  it.each(Object.entries(ACTIVITY_OPERATIONS))(
    '%s validates against the served Admin schema',
    (_name, source) => {
      expect(validate(buildSchema(ADMIN_SDL), parse(source)).map((e) => e.message)).toEqual([]);
    },
  );

  it('refuses to start on a schema that cannot run its operations', () => {
    const schema = buildSandboxSchema(ADMIN_SDL.replace(/^ {2}orderMarkAsPaid\(.*$/m, ''));
    expect(() =>
      startActivity({ schema, shop: SHOP, rate: '1/s', seed: 1, onChange: () => {}, clock: new FakeClock() }),
    ).toThrow(/ActivityOrderMarkAsPaid: Cannot query field "orderMarkAsPaid"/);
  });

  it('makes the same changes for the same seed and rate, others for another seed', async () => {
    const a = await live({ seed: 11, count: 80 });
    const b = await live({ seed: 11, count: 80 });
    expect(a.errors).toEqual([]);
    expect(b.changes).toEqual(a.changes);
    const c = await live({ seed: 12, count: 80 });
    expect(c.changes.map((x) => x.summary)).not.toEqual(a.changes.map((x) => x.summary));
  });

  it('changes the store the way it reports, with a realistic mix, mostly accepted', async () => {
    const { changes, errors, read } = await live({ seed: 21, count: 300 });
    expect(errors).toEqual([]);
    const kinds = new Set(changes.map((c) => c.action));
    for (const action of [
      'create-order',
      'mark-paid',
      'change-address',
      'hold',
      'release-hold',
      'cancel',
      'refund',
    ]) {
      expect(kinds).toContain(action);
    }
    expect(changes.filter((c) => c.ok).length / changes.length).toBeGreaterThan(0.8);
    for (const change of changes.filter((c) => !c.ok)) {
      expect(change.summary).toMatch(new RegExp(`^(userError|error) on ${change.mutation}`));
      expect(change.userErrors?.length ?? change.errors?.length).toBeGreaterThan(0);
    }

    const created = changes.filter((c) => c.action === 'create-order' && c.ok);
    const { nodes } = await read('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id name } } }', {
      ids: created.map((c) => c.ids.order),
    });
    expect(nodes.map((n: Json) => n?.name)).toEqual(created.map((c) => c.order));

    const cancelled = changes.filter((c) => c.action === 'cancel' && c.ok);
    const after = await read(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { name cancelledAt cancelReason } } }',
      { ids: cancelled.map((c) => c.ids.order) },
    );
    expect(after.nodes.map((n: Json) => [n.name, n.cancelledAt !== null, n.cancelReason])).toEqual(
      cancelled.map((c) => [c.order, true, c.detail]),
    );
  });

  it('leaves each fulfillment order as its last reported change says (the activity stopped)', async () => {
    const { changes, read } = await live({ seed: 33, count: 300 });
    // Order-level changes (cancel, refund, edits) rebuild or close fulfillment orders: the last
    // change to a fulfillment order counts only when nothing happened to its order afterwards.
    const lastToOrder = new Map<string, number>();
    const lastToFo = new Map<string, number>();
    changes.forEach((c, k) => {
      if (!c.ok) return;
      if (c.ids.order) lastToOrder.set(c.ids.order, k);
      if (c.ids.fulfillmentOrder) lastToFo.set(c.ids.fulfillmentOrder, k);
    });
    const expected: Record<string, (fo: Json, c: ActivityChange) => void> = {
      hold: (fo) => expect(fo.status).toBe('ON_HOLD'),
      'release-hold': (fo) => expect(fo.status).toBe('OPEN'),
      move: (fo, c) => expect(fo.assignedLocation.location.id).toBe(c.ids.location),
      'request-fulfillment': (fo) => expect(fo.requestStatus).toBe('SUBMITTED'),
      'request-cancellation': (fo) => expect(fo.requestStatus).toBe('CANCELLATION_REQUESTED'),
    };
    const checked = new Set<string>();
    for (const [foId, k] of lastToFo) {
      const change = changes[k] as ActivityChange;
      const check = expected[change.action];
      if (!check || lastToOrder.get(change.ids.order as string) !== k) continue;
      const target = change.ids.movedFulfillmentOrder ?? foId;
      const { fulfillmentOrder } = await read(
        'query($id: ID!) { fulfillmentOrder(id: $id) { id status requestStatus assignedLocation { location { id } } } }',
        { id: target },
      );
      check(fulfillmentOrder, change);
      checked.add(change.action);
    }
    expect([...checked].sort()).toEqual(expect.arrayContaining(['hold', 'move', 'release-hold']));
  });

  it('reports a refusal (userErrors) as such and goes on', async () => {
    const { data, schema } = store();
    const mutation = schema.getMutationType()?.getFields();
    const markPaid = mutation?.orderMarkAsPaid;
    if (!markPaid) throw new Error('the schema has no orderMarkAsPaid');
    markPaid.resolve = () => ({
      order: null,
      userErrors: [{ field: ['input', 'id'], message: 'Order cannot be marked as paid.' }],
    });
    const clock = new FakeClock(START.getTime());
    data.setNow(START);
    const changes: ActivityChange[] = [];
    const activity = startActivity({
      schema,
      shop: SHOP,
      rate: '600/min',
      seed: 5,
      clock,
      now: () => new Date(clock.now()),
      onChange: (change) => changes.push(change),
    });
    await clock.advanceUntil(
      () => changes.some((c) => c.mutation === 'orderMarkAsPaid') && changes.length > 40,
      100,
    );
    await activity.stop();
    const refused = changes.find((c) => c.mutation === 'orderMarkAsPaid') as ActivityChange;
    expect(refused).toMatchObject({
      action: 'mark-paid',
      ok: false,
      userErrors: [{ field: ['input', 'id'], message: 'Order cannot be marked as paid.' }],
    });
    expect(refused.summary).toBe(
      `userError on orderMarkAsPaid ${refused.order}: Order cannot be marked as paid.`,
    );
    expect(changes.slice(changes.indexOf(refused) + 1).some((c) => c.ok)).toBe(true);
  });

  it('stops: nothing changes after stop()', async () => {
    const { all, clock } = await live({ seed: 2, count: 5 });
    const reported = all.length;
    await clock.advance(60_000);
    expect(all).toHaveLength(reported);
  });
});
