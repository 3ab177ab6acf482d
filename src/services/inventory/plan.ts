import { normalizeShop } from '../../core/shop.js';
import type { Row, RowError } from '../files/rows.js';

/**
 * What an inventory push sends, decided from data alone: the stock file's rows, the items stocked
 * at the fulfillment location with their `available` there (read once in this run), what a SKU
 * search found for the SKUs the location does not stock, and the settings. No I/O.
 */

export interface StockRow {
  store?: string | undefined;
  sku: string;
  quantity: number;
}

export interface VariantRef {
  id: string;
  displayName: string;
}

/** An item stocked at the location, as read in this run. */
export interface LevelAtLocation {
  itemId: string;
  sku: string | null;
  tracked: boolean;
  available: number;
  variant: VariantRef | null;
}

/** An item a SKU search found, wherever it is stocked. */
export interface ItemFound {
  itemId: string;
  sku: string | null;
  tracked: boolean;
  variant: VariantRef | null;
  stockedAtLocation: boolean;
}

/** One quantity to set. `current` is what this run read; it is sent as changeFromQuantity. */
export interface Change {
  line: number;
  sku: string;
  itemId: string;
  variant: VariantRef | null;
  current: number;
  target: number;
}

export interface Unchanged {
  line: number;
  sku: string;
  itemId: string;
  quantity: number;
}

/** A SKU several items at the location share, skipped because include-duplicate-skus is off. */
export interface DuplicateSkip {
  line: number;
  sku: string;
  variants: (VariantRef & { itemId: string })[];
}

export interface PushPlan {
  changes: Change[];
  unchanged: Unchanged[];
  problems: RowError[];
  duplicates: DuplicateSkip[];
}

export interface PlanInput {
  file: string;
  /** The store this run serves (`acme.myshopify.com`): rows naming another store are refused. */
  shop: string;
  /** The location's name, for messages. */
  locationName: string;
  rows: Row<StockRow>[];
  levels: LevelAtLocation[];
  /** SKU search results for the SKUs with no item stocked at the location. */
  found: ItemFound[];
  includeDuplicateSkus: boolean;
}

/** Groups items by SKU, exactly (SKUs are case-sensitive in Shopify). */
export function bySku<T extends { sku: string | null }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    if (item.sku === null || item.sku === '') continue;
    const list = out.get(item.sku);
    if (list) list.push(item);
    else out.set(item.sku, [item]);
  }
  return out;
}

/** The SKUs of the rows the location does not stock: what to look up with a SKU search. */
export function skusToLookUp(rows: readonly Row<StockRow>[], levels: readonly LevelAtLocation[]): string[] {
  const stocked = bySku(levels);
  return [...new Set(rows.map((r) => r.value.sku))].filter((sku) => !stocked.has(sku));
}

export function describeVariant(variant: VariantRef | null, itemId: string): string {
  return variant ? `${variant.displayName} (${variant.id})` : itemId;
}

export function planPush(input: PlanInput): PushPlan {
  const plan: PushPlan = { changes: [], unchanged: [], problems: [], duplicates: [] };
  const problem = (line: number, field: string | null, message: string) =>
    plan.problems.push({ file: input.file, line, field, message });
  const atLocation = bySku(input.levels);
  const found = bySku(input.found);
  const firstLine = new Map<string, number>();

  for (const row of input.rows) {
    const { line, value } = row;
    if (value.store !== undefined) {
      let store: string | undefined;
      try {
        store = normalizeShop(value.store);
      } catch {
        store = undefined;
      }
      if (store === undefined) {
        problem(line, 'store', `${JSON.stringify(value.store)} is not a store name`);
        continue;
      }
      if (store !== input.shop) {
        problem(line, 'store', `is ${store}, but this run serves ${input.shop}`);
        continue;
      }
    }
    const first = firstLine.get(value.sku);
    if (first !== undefined) {
      problem(line, 'sku', `${value.sku} is already on line ${first}; a SKU may appear only once in a file`);
      continue;
    }
    firstLine.set(value.sku, line);

    const items = atLocation.get(value.sku);
    if (!items) {
      const elsewhere = found.get(value.sku) ?? [];
      if (elsewhere.length === 0) {
        problem(line, 'sku', `no variant has the SKU ${value.sku} (SKUs are case-sensitive)`);
      } else if (elsewhere.every((i) => !i.tracked)) {
        problem(line, 'sku', untrackedMessage(value.sku, elsewhere));
      } else {
        problem(line, 'sku', `${value.sku} is not stocked at ${input.locationName}`);
      }
      continue;
    }
    if (items.length > 1 && !input.includeDuplicateSkus) {
      plan.duplicates.push({
        line,
        sku: value.sku,
        variants: items.map((i) => ({
          itemId: i.itemId,
          id: i.variant?.id ?? '',
          displayName: i.variant?.displayName ?? i.itemId,
        })),
      });
      continue;
    }
    const untracked = items.filter((i) => !i.tracked);
    if (untracked.length > 0) problem(line, 'sku', untrackedMessage(value.sku, untracked));
    for (const item of items) {
      if (!item.tracked) continue;
      if (item.available === value.quantity) {
        plan.unchanged.push({ line, sku: value.sku, itemId: item.itemId, quantity: value.quantity });
      } else {
        plan.changes.push({
          line,
          sku: value.sku,
          itemId: item.itemId,
          variant: item.variant,
          current: item.available,
          target: value.quantity,
        });
      }
    }
  }
  plan.problems.sort((a, b) => a.line - b.line);
  return plan;
}

function untrackedMessage(
  sku: string,
  items: readonly { itemId: string; variant: VariantRef | null }[],
): string {
  const names = items.map((i) => describeVariant(i.variant, i.itemId)).join(', ');
  return `inventory is not tracked for ${sku} (${names}); turn on "Track quantity" for it in Shopify`;
}

/**
 * A change whose compare-and-swap went stale: Shopify's `available` moved from `current` to
 * `fresh` between this run's read and its write (a sale, a return, a merchant's correction). The
 * file's figure was counted before that change, so the change is kept: the new target is the
 * file's plus what moved meanwhile (never below 0). Null when that is what Shopify already holds.
 */
export function rebase(change: Change, fresh: number): Change | null {
  const target = Math.max(0, change.target + (fresh - change.current));
  if (target === fresh) return null;
  return { ...change, current: fresh, target };
}

/** Splits a list into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
