/**
 * The access scopes dsync needs (NOTES.md, "Scopes dsync needs") and how "enough" is judged.
 *
 * Always needed: reading locations, orders, products, inventory and fulfillments, writing
 * inventory, and reading and writing returns (what comes back to the warehouse, and its
 * dispositions). Fulfillment orders come in three kinds, each behind its own read/write pair:
 * merchant-managed (the store's own locations), third-party (other apps' fulfillment services)
 * and assigned (the app's own fulfillment service). A missing pair does not fail a query, it
 * makes that kind of fulfillment order silently absent, so dsync does not guess: a token is
 * sufficient only when it holds the pair of every kind the store's setup uses — and, unless the
 * caller knows the setup, that is all three. A `write_x` scope implies `read_x`.
 * `read_all_orders` is optional (orders older than 60 days) and reported, never required.
 */
export const BASE_SCOPES = [
  'read_locations',
  'read_orders',
  'read_products',
  'read_inventory',
  'write_inventory',
  'read_fulfillments',
  'read_returns',
  'write_returns',
] as const;

export type FulfillmentOrderKind = 'merchant_managed' | 'third_party' | 'assigned';

export const FULFILLMENT_ORDER_KINDS: readonly FulfillmentOrderKind[] = [
  'merchant_managed',
  'third_party',
  'assigned',
];

export function fulfillmentOrderScopes(kind: FulfillmentOrderKind): string[] {
  return [`read_${kind}_fulfillment_orders`, `write_${kind}_fulfillment_orders`];
}

/** Every scope dsync asks for at login (and needs, when the store's setup is not known). */
export const REQUIRED_SCOPES: readonly string[] = [
  ...BASE_SCOPES,
  ...FULFILLMENT_ORDER_KINDS.flatMap(fulfillmentOrderScopes),
];

/** Optional: lifts the 60-day limit on reading orders. */
export const OPTIONAL_SCOPES: readonly string[] = ['read_all_orders'];

export interface ScopeCheckOptions {
  /** The fulfillment-order kinds the store's setup uses; default: all three. */
  fulfillmentOrderKinds?: readonly FulfillmentOrderKind[];
}

/** The scopes dsync needs that `granted` lacks, in REQUIRED_SCOPES order; empty when sufficient. */
export function missingScopes(granted: Iterable<string>, options: ScopeCheckOptions = {}): string[] {
  const held = expandImplied(granted);
  const kinds = options.fulfillmentOrderKinds ?? FULFILLMENT_ORDER_KINDS;
  const needed = [...BASE_SCOPES, ...kinds.flatMap(fulfillmentOrderScopes)];
  return needed.filter((scope) => !held.has(scope));
}

/** Granted scopes with the `read_x` each `write_x` implies. */
export function expandImplied(granted: Iterable<string>): Set<string> {
  const held = new Set<string>();
  for (const raw of granted) {
    const scope = raw.trim();
    if (scope === '') continue;
    held.add(scope);
    if (scope.startsWith('write_')) held.add(`read_${scope.slice('write_'.length)}`);
  }
  return held;
}

/** Shopify's `scope` field: comma-separated (spaces tolerated). */
export function parseScopeList(value: string | undefined | null): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[\s,]+/).filter((s) => s !== ''))].sort();
}
