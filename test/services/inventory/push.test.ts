import { describe, expect, it } from 'vitest';
import { runPush } from '../../../src/services/inventory/push.js';
import type { Operation } from '../../../src/shopify/types.js';

// biome-ignore lint/suspicious/noExplicitAny: a fake client answers by operation name
type Json = any;
const LOCATION = 'gid://shopify/Location/4';

/** A fake Admin API: `answer` sees each operation and its variables; every call is recorded. */
function fakeClient(answer: (name: string, variables: Json, call: number) => Json) {
  const calls: { name: string; variables: Json; key: string | undefined }[] = [];
  return {
    calls,
    client: {
      async request(
        operation: Operation<unknown, unknown>,
        variables?: unknown,
        options?: { idempotencyKey?: string },
      ) {
        calls.push({ name: operation.name, variables, key: options?.idempotencyKey });
        const data = answer(operation.name, variables, calls.filter((c) => c.name === operation.name).length);
        if (data === undefined) throw new Error(`unexpected request ${operation.name}`);
        return { data, cost: undefined, requestId: undefined };
      },
    } as Json,
  };
}

const levels = (items: [string, string, number][]) => ({
  location: {
    name: 'Acme 3PL',
    inventoryLevels: {
      nodes: items.map(([id, sku, available]) => ({
        quantities: [
          { name: 'available', quantity: available },
          { name: 'on_hand', quantity: available },
        ],
        item: { id, sku, tracked: true },
      })),
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  },
});
const input = (text: string) => ({
  runId: 'run-1',
  shop: 'acme.myshopify.com',
  file: 'stock.csv',
  text,
  locationId: LOCATION,
  includeDuplicateSkus: false,
  dryRun: false,
});
let keys = 0;
const newKey = () => `key-${++keys}`;

describe('runPush', () => {
  it('re-reads a stale quantity and sends it once more, keeping the change made in Shopify', async () => {
    const fake = fakeClient((name, variables, call) => {
      if (name === 'LocationLevels')
        return levels([
          ['I1', 'TEE', 12],
          ['I2', 'CAP', 3],
        ]);
      if (name === 'InventorySetAvailable' && call === 1)
        return {
          inventorySetQuantities: {
            inventoryAdjustmentGroup: null,
            userErrors: [
              {
                field: ['input', 'quantities', '0', 'changeFromQuantity'],
                message: 'stale',
                code: 'CHANGE_FROM_QUANTITY_STALE',
              },
            ],
          },
        };
      if (name === 'InventoryItemsAvailable') {
        expect(variables.ids).toEqual(['I1']);
        return {
          nodes: [
            {
              id: 'I1',
              variant: null,
              inventoryLevel: { quantities: [{ name: 'available', quantity: 11 }] },
            },
          ],
        };
      }
      if (name === 'InventorySetAvailable' && call === 2)
        return { inventorySetQuantities: { inventoryAdjustmentGroup: { id: 'G1' }, userErrors: [] } };
      return undefined;
    });
    const summary = await runPush({ client: fake.client, newKey }, input('sku,quantity\nTEE,10\nCAP,5\n'));
    const sets = fake.calls.filter((c) => c.name === 'InventorySetAvailable');
    expect(sets).toHaveLength(2);
    expect(sets[0]?.variables.input.quantities).toEqual([
      { inventoryItemId: 'I1', locationId: LOCATION, quantity: 10, changeFromQuantity: 12 },
      { inventoryItemId: 'I2', locationId: LOCATION, quantity: 5, changeFromQuantity: 3 },
    ]);
    // Nothing was applied: the whole batch again, the stale entry rebased (a sale of 1 kept).
    expect(sets[1]?.variables.input.quantities).toEqual([
      { inventoryItemId: 'I2', locationId: LOCATION, quantity: 5, changeFromQuantity: 3 },
      { inventoryItemId: 'I1', locationId: LOCATION, quantity: 9, changeFromQuantity: 11 },
    ]);
    expect(sets[0]?.key).not.toBe(sets[1]?.key);
    expect(sets[0]?.variables.input.referenceDocumentUri).toBe('dsync://inventory-push/run-1');
    expect(summary).toMatchObject({ changed: 2, failed: 0, retried: 1, requests: { reads: 2, writes: 2 } });
    expect(summary.diff.find((d) => d.sku === 'TEE')).toMatchObject({ current: 11, new: 9, readBefore: 12 });
  });

  it('fails the row when the quantity is stale a second time', async () => {
    const stale = {
      inventorySetQuantities: {
        inventoryAdjustmentGroup: null,
        userErrors: [
          {
            field: ['input', 'quantities', '0', 'changeFromQuantity'],
            message: 'stale',
            code: 'CHANGE_FROM_QUANTITY_STALE',
          },
        ],
      },
    };
    let fresh = 11;
    const fake = fakeClient((name) => {
      if (name === 'LocationLevels') return levels([['I1', 'TEE', 12]]);
      if (name === 'InventorySetAvailable') return stale;
      if (name === 'InventoryItemsAvailable')
        return {
          nodes: [
            {
              id: 'I1',
              variant: null,
              inventoryLevel: { quantities: [{ name: 'available', quantity: fresh-- }] },
            },
          ],
        };
      return undefined;
    });
    const summary = await runPush({ client: fake.client, newKey }, input('sku,quantity\nTEE,10\n'));
    expect(fake.calls.filter((c) => c.name === 'InventorySetAvailable')).toHaveLength(2);
    expect(summary.failed).toBe(1);
    expect(summary.problems[0]).toMatchObject({
      line: 2,
      field: 'quantity',
      message: expect.stringMatching(/changed in Shopify again/),
    });
  });

  it('sends more than 250 changes in several requests of at most 250, and none for a dry run', async () => {
    const items = Array.from({ length: 600 }, (_, i) => [`I${i}`, `SKU-${i}`, 1] as [string, string, number]);
    const text = `sku,quantity\n${items.map(([, sku]) => `${sku},2`).join('\n')}\n`;
    const answer = (name: string) =>
      name === 'LocationLevels'
        ? levels(items)
        : name === 'InventorySetAvailable'
          ? { inventorySetQuantities: { inventoryAdjustmentGroup: { id: 'G' }, userErrors: [] } }
          : undefined;
    const fake = fakeClient(answer);
    const summary = await runPush({ client: fake.client, newKey }, input(text));
    const sizes = fake.calls
      .filter((c) => c.name === 'InventorySetAvailable')
      .map((c) => c.variables.input.quantities.length);
    expect(sizes).toEqual([250, 250, 100]);
    expect(new Set(fake.calls.map((c) => c.key).filter(Boolean)).size).toBe(3);
    expect(summary.changed).toBe(600);

    const dry = fakeClient(answer);
    const planned = await runPush({ client: dry.client, newKey }, { ...input(text), dryRun: true });
    expect(dry.calls.map((c) => c.name)).toEqual(['LocationLevels']);
    expect(planned.diff).toHaveLength(600);
    expect(planned.diff[0]).toMatchObject({ sku: 'SKU-0', current: 1, new: 2, delta: 1, status: 'planned' });
  });
});
