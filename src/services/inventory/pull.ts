import { basename, dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { readSettings } from '../../core/config/settings.js';
import type { Deps } from '../../core/deps.js';
import { ConfigError } from '../../core/errors.js';
import {
  type LocationLevelsWithVariantsData,
  LocationLevelsWithVariants,
  type LocationLevelWithVariantNode,
} from '../../shopify/operations/inventory.js';
import type { GraphQLResult } from '../../shopify/types.js';
import { connectStore } from '../connect.js';
import { guardCell } from '../files/csv-cell.js';
import { writeFileAtomic } from '../import/sinks.js';
import { bySku, describeVariant } from './plan.js';
import { quantityOf } from './push.js';

/**
 * `dsync inventory pull`: `available` and `on_hand` per SKU at the fulfillment location, as CSV
 * (`sku,available,on_hand`) or JSON lines (with the variant and inventory item ids). What it
 * writes, `dsync inventory push` reads unchanged, and pushing it back changes nothing.
 */

export type PullFormat = 'csv' | 'jsonl';

export interface PullOptions {
  format: PullFormat;
  /** Write here (atomically) instead of returning the text for stdout. */
  out: string | undefined;
}

export interface StockRecord {
  sku: string;
  available: number;
  on_hand: number;
  /** Null for a SKU several variants share. */
  variant_id: string | null;
  inventory_item_id: string | null;
}

export interface PullResult {
  shop: string;
  location: { id: string; name: string };
  format: PullFormat;
  out: string | null;
  records: StockRecord[];
  /** Items at the location without a SKU (they cannot be pushed by SKU). */
  withoutSku: number;
  /** Shared SKUs whose variants hold different quantities: left out of the file. */
  conflicts: { sku: string; variants: string[] }[];
  /** The file's text, when written to stdout. */
  text: string | null;
}

/** Levels → one record per SKU. A shared SKU gets one record only when its variants agree. */
export function stockRecords(levels: readonly LocationLevelWithVariantNode[]): {
  records: StockRecord[];
  withoutSku: number;
  conflicts: { sku: string; variants: string[] }[];
} {
  const items = levels.map((l) => ({
    sku: l.item.sku,
    itemId: l.item.id,
    variant: l.item.variant,
    available: quantityOf(l.quantities, 'available'),
    onHand: quantityOf(l.quantities, 'on_hand'),
  }));
  const withoutSku = items.filter((i) => i.sku === null || i.sku === '').length;
  const records: StockRecord[] = [];
  const conflicts: { sku: string; variants: string[] }[] = [];
  for (const [sku, group] of bySku(items)) {
    const [first] = group;
    if (!first) continue;
    if (group.length === 1) {
      records.push({
        sku,
        available: first.available,
        on_hand: first.onHand,
        variant_id: first.variant?.id ?? null,
        inventory_item_id: first.itemId,
      });
    } else if (group.every((i) => i.available === first.available && i.onHand === first.onHand)) {
      records.push({
        sku,
        available: first.available,
        on_hand: first.onHand,
        variant_id: null,
        inventory_item_id: null,
      });
    } else {
      conflicts.push({
        sku,
        variants: group.map(
          (i) => `${describeVariant(i.variant, i.itemId)}: available ${i.available}, on hand ${i.onHand}`,
        ),
      });
    }
  }
  records.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return { records, withoutSku, conflicts };
}

export function renderStock(records: readonly StockRecord[], format: PullFormat): string {
  if (format === 'jsonl') return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  return stringify(
    records.map((r) => [guardCell(r.sku), r.available, r.on_hand]),
    { header: true, columns: ['sku', 'available', 'on_hand'], quoted_match: /\r/ },
  );
}

export async function pullStock(deps: Deps, options: PullOptions): Promise<PullResult> {
  const store = await connectStore(deps, { requireScopes: ['read_inventory'] });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const locationId = settings.fulfillmentLocation;
  if (!locationId) {
    throw new ConfigError('fulfillment-location is not set: inventory pull reads stock at that location', {
      hint: "dsync config set fulfillment-location 'Acme 3PL'   (see `dsync locations list`)",
    });
  }
  const levels: LocationLevelWithVariantNode[] = [];
  let name = '';
  let after: string | null = null;
  for (;;) {
    const result: GraphQLResult<LocationLevelsWithVariantsData> = await store.client.request(
      LocationLevelsWithVariants,
      { locationId, after },
      { signal: deps.signal },
    );
    const location = result.data.location;
    if (!location) {
      throw new ConfigError(`the fulfillment location ${locationId} does not exist in the store`, {
        hint: "pick another: dsync config set fulfillment-location 'Acme 3PL'   (see `dsync locations list`)",
      });
    }
    name = location.name;
    levels.push(...location.inventoryLevels.nodes);
    const page = location.inventoryLevels.pageInfo;
    if (!page.hasNextPage || !page.endCursor) break;
    after = page.endCursor;
  }
  const { records, withoutSku, conflicts } = stockRecords(levels);
  const text = renderStock(records, options.format);
  let out: string | null = null;
  if (options.out !== undefined) {
    out = options.out;
    writeFileAtomic(dirname(out), basename(out), text);
  }
  return {
    shop: store.shop,
    location: { id: locationId, name },
    format: options.format,
    out,
    records,
    withoutSku,
    conflicts,
    text: out === null ? text : null,
  };
}
