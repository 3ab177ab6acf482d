import { describe, expect, it } from 'vitest';
import { LOCATION_IDS } from '../../../src/sandbox/data/index.js';
import { locationGid, type MerchantStore, merchantSetup } from './merchant-support.js';
import { scopesWithout } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL results are checked field by field
type Json = any;

const ADJUST = /* GraphQL */ `
  mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
      inventoryAdjustmentGroup {
        id reason referenceDocumentUri
        changes { name delta quantityAfterChange ledgerDocumentUri item { sku } location { id } }
      }
      userErrors { field message code }
    }
  }
`;

const ADJUST_WITHOUT_KEY = /* GraphQL */ `
  mutation Adjust($input: InventoryAdjustQuantitiesInput!) {
    inventoryAdjustQuantities(input: $input) {
      inventoryAdjustmentGroup { id }
      userErrors { field message code }
    }
  }
`;

const LEVEL = /* GraphQL */ `
  query Level($id: ID!, $locationId: ID!) {
    inventoryItem(id: $id) {
      inventoryLevel(locationId: $locationId) {
        quantities(names: ["available", "damaged", "on_hand", "incoming"]) { name quantity }
      }
    }
  }
`;

function itemOf(store: MerchantStore, sku: string): { gid: string; id: number } {
  const variant = [...store.data.variants.values()].find((v) => v.sku === sku)!;
  return { gid: `gid://shopify/InventoryItem/${variant.inventoryItemId}`, id: variant.inventoryItemId };
}

async function quantities(
  store: MerchantStore,
  itemGid: string,
  locationId: number,
): Promise<Record<string, number>> {
  const data = await store.ok(LEVEL, { id: itemGid, locationId: locationGid(locationId) });
  return Object.fromEntries(
    data.inventoryItem.inventoryLevel.quantities.map((q: Json) => [q.name, q.quantity]),
  );
}

describe('inventoryAdjustQuantities', () => {
  it('adds each delta to the named quantity; on_hand follows all but incoming', async () => {
    const store = merchantSetup({ orders: 5 });
    const item = itemOf(store, 'BOTTLE-750');
    const before = await quantities(store, item.gid, LOCATION_IDS.warehouse);
    const data = await store.ok(ADJUST, {
      key: 'adjust-1',
      input: {
        name: 'available',
        reason: 'received',
        referenceDocumentUri: 'logistics://receiving/PO-42',
        changes: [{ inventoryItemId: item.gid, locationId: locationGid(LOCATION_IDS.warehouse), delta: 12 }],
      },
    });
    expect(data.inventoryAdjustQuantities.userErrors).toEqual([]);
    const group = data.inventoryAdjustQuantities.inventoryAdjustmentGroup;
    expect(group.reason).toBe('received');
    expect(group.referenceDocumentUri).toBe('logistics://receiving/PO-42');
    expect(group.changes).toEqual([
      {
        name: 'available',
        delta: 12,
        quantityAfterChange: before.available! + 12,
        ledgerDocumentUri: null,
        item: { sku: 'BOTTLE-750' },
        location: { id: locationGid(LOCATION_IDS.warehouse) },
      },
      {
        name: 'on_hand',
        delta: 12,
        quantityAfterChange: before.on_hand! + 12,
        ledgerDocumentUri: null,
        item: { sku: 'BOTTLE-750' },
        location: { id: locationGid(LOCATION_IDS.warehouse) },
      },
    ]);
    const damaged = await store.ok(ADJUST, {
      key: 'adjust-2',
      input: {
        name: 'damaged',
        reason: 'damaged',
        changes: [
          {
            inventoryItemId: item.gid,
            locationId: locationGid(LOCATION_IDS.warehouse),
            delta: 2,
            ledgerDocumentUri: 'logistics://damage/7',
          },
        ],
      },
    });
    expect(damaged.inventoryAdjustQuantities.userErrors).toEqual([]);
    expect(await quantities(store, item.gid, LOCATION_IDS.warehouse)).toEqual({
      ...before,
      available: before.available! + 12,
      damaged: before.damaged! + 2,
      on_hand: before.on_hand! + 14,
    });
  });

  it("refuses Shopify's way: bad name, bad reason, unknown item, unstocked location, ledger documents", async () => {
    const store = merchantSetup({ orders: 5 });
    const item = itemOf(store, 'TEE-BLK-S');
    const unstocked = [...store.data.inventoryItems.values()].find(
      (i) => i.tracked && !store.data.level(i.id, LOCATION_IDS.overflow),
    )!;
    const change = (over: Record<string, unknown> = {}) => ({
      inventoryItemId: item.gid,
      locationId: locationGid(LOCATION_IDS.warehouse),
      delta: 1,
      ...over,
    });
    const cases: [Record<string, unknown>, Json][] = [
      [
        { name: 'on_hand', reason: 'correction', changes: [change()] },
        { field: ['input', 'name'], code: 'INVALID_QUANTITY_NAME' },
      ],
      [
        { name: 'available', reason: 'because', changes: [change()] },
        { field: ['input', 'reason'], code: 'INVALID_REASON' },
      ],
      [
        {
          name: 'available',
          reason: 'correction',
          changes: [change({ inventoryItemId: 'gid://shopify/InventoryItem/1' })],
        },
        { field: ['input', 'changes', '0', 'inventoryItemId'], code: 'INVALID_INVENTORY_ITEM' },
      ],
      [
        {
          name: 'available',
          reason: 'correction',
          changes: [
            change({
              inventoryItemId: `gid://shopify/InventoryItem/${unstocked.id}`,
              locationId: locationGid(LOCATION_IDS.overflow),
            }),
          ],
        },
        { field: ['input', 'changes', '0', 'locationId'], code: 'ITEM_NOT_STOCKED_AT_LOCATION' },
      ],
      [
        { name: 'available', reason: 'correction', changes: [change({ ledgerDocumentUri: 'x://1' })] },
        { field: ['input', 'changes', '0', 'ledgerDocumentUri'], code: 'INVALID_AVAILABLE_DOCUMENT' },
      ],
      [
        { name: 'reserved', reason: 'correction', changes: [change()] },
        { field: ['input', 'changes', '0', 'ledgerDocumentUri'], code: 'INVALID_QUANTITY_DOCUMENT' },
      ],
    ];
    const before = await quantities(store, item.gid, LOCATION_IDS.warehouse);
    for (const [k, [input, expected]] of cases.entries()) {
      const data = await store.ok(ADJUST, { key: `refused-${k}`, input });
      expect(data.inventoryAdjustQuantities.inventoryAdjustmentGroup).toBeNull();
      expect(data.inventoryAdjustQuantities.userErrors).toEqual([expect.objectContaining(expected)]);
    }
    expect(await quantities(store, item.gid, LOCATION_IDS.warehouse)).toEqual(before);
  });

  it('needs @idempotent from 2026-04; a retry with the same key changes nothing twice', async () => {
    const store = merchantSetup({ orders: 5 });
    const item = itemOf(store, 'CAP-TRAIL');
    const input = {
      name: 'available',
      reason: 'correction',
      changes: [{ inventoryItemId: item.gid, locationId: locationGid(LOCATION_IDS.warehouse), delta: -3 }],
    };
    const before = await quantities(store, item.gid, LOCATION_IDS.warehouse);

    const missing = await store.run(ADJUST_WITHOUT_KEY, { input });
    expect(missing.errors?.[0]?.message).toMatch(/@idempotent directive is required/);
    const older = await store.run(ADJUST_WITHOUT_KEY, { input }, { apiVersion: '2026-01' });
    expect(older.errors ?? []).toEqual([]);

    const first = await store.ok(ADJUST, { key: 'retry-me', input });
    const retry = await store.ok(ADJUST, { key: 'retry-me', input });
    expect(retry.inventoryAdjustQuantities.inventoryAdjustmentGroup.id).toBe(
      first.inventoryAdjustQuantities.inventoryAdjustmentGroup.id,
    );
    expect((await quantities(store, item.gid, LOCATION_IDS.warehouse)).available).toBe(before.available! - 6);

    const reused = await store.run(ADJUST, { key: 'retry-me', input: { ...input, reason: 'shrinkage' } });
    expect(reused.errors?.[0]?.message).toMatch(/already used with a different request/);
  });

  it('needs write_inventory', async () => {
    const store = merchantSetup({ orders: 5 });
    const item = itemOf(store, 'CAP-TRAIL');
    const result = await store.run(
      ADJUST,
      {
        key: 'k',
        input: {
          name: 'available',
          reason: 'correction',
          changes: [{ inventoryItemId: item.gid, locationId: locationGid(LOCATION_IDS.warehouse), delta: 1 }],
        },
      },
      { scopes: scopesWithout('write_inventory') },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');
  });
});
