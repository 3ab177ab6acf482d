/**
 * The access scopes dsync asks for and needs (NOTES.md, "Scopes dsync needs"), decided by what
 * the store's settings turn on: least privilege, a token holds what the configured features use.
 *
 * - Reading, always: locations, orders, products, inventory, fulfillments, returns, and all three
 *   kinds of fulfillment order. A missing fulfillment-order read scope does not fail a query, it
 *   makes that kind silently absent, so reading asks for every kind.
 * - Writing, once `fulfillment-location` is set (the warehouse works from there):
 *   shipping (`dsync ship` creates fulfillments of the location's fulfillment orders) —
 *   merchant-managed and third-party fulfillment orders, or with `fulfillment-service` naming a
 *   service, the fulfillment orders assigned to it; stock (`dsync inventory push`) —
 *   `write_inventory`; returns (`dsync returns receive`) — `write_returns`.
 * - Fulfillment requests, once `fulfillment-service` names a service (the import accepts them,
 *   `dsync requests accept|reject`): `write_assigned_fulfillment_orders`.
 *
 * A `write_x` scope implies `read_x`. `read_all_orders` is optional (orders older than 60 days,
 * checked by doctor against `accept-orders-after`).
 */
import { readSettings } from '../../core/config/settings.js';
import type { StoreProfile } from '../../core/config/store.js';

export type FulfillmentOrderKind = 'merchant_managed' | 'third_party' | 'assigned';

export const FULFILLMENT_ORDER_KINDS: readonly FulfillmentOrderKind[] = [
  'merchant_managed',
  'third_party',
  'assigned',
];

export const READ_SCOPES: readonly string[] = [
  'read_locations',
  'read_orders',
  'read_products',
  'read_inventory',
  'read_fulfillments',
  'read_returns',
  ...FULFILLMENT_ORDER_KINDS.map((kind) => `read_${kind}_fulfillment_orders`),
];

/** Optional: lifts the 60-day limit on reading orders. */
export const OPTIONAL_SCOPES: readonly string[] = ['read_all_orders'];

export type Feature = 'read' | 'shipping' | 'stock' | 'returns' | 'fulfillment-requests';

/** The settings that decide which features are on (a store with no settings: reading only). */
export interface ScopeSettings {
  fulfillmentLocation: string | undefined;
  fulfillmentService: string;
}

export interface FeatureScopes {
  feature: Feature;
  /** What the feature is, in the commands a user runs. */
  commands: string;
  /** The setting that turns it on; null for reading, which is always on. */
  enabledBy: string | null;
  scopes: string[];
}

/** The features the settings turn on, each with the scopes it needs. */
export function featureScopes(settings: ScopeSettings | undefined): FeatureScopes[] {
  const features: FeatureScopes[] = [
    { feature: 'read', commands: 'import, lists, inventory pull', enabledBy: null, scopes: [...READ_SCOPES] },
  ];
  if (!settings) return features;
  const service = settings.fulfillmentService !== 'all';
  if (settings.fulfillmentLocation !== undefined) {
    features.push(
      {
        feature: 'shipping',
        commands: 'ship',
        enabledBy: 'fulfillment-location',
        scopes: service
          ? ['write_assigned_fulfillment_orders']
          : ['write_merchant_managed_fulfillment_orders', 'write_third_party_fulfillment_orders'],
      },
      {
        feature: 'stock',
        commands: 'inventory push',
        enabledBy: 'fulfillment-location',
        scopes: ['write_inventory'],
      },
      {
        feature: 'returns',
        commands: 'returns receive',
        enabledBy: 'fulfillment-location',
        scopes: ['write_returns'],
      },
    );
  }
  if (service) {
    features.push({
      feature: 'fulfillment-requests',
      commands: 'requests accept/reject, accept-fulfillment-requests',
      enabledBy: 'fulfillment-service',
      scopes: ['write_assigned_fulfillment_orders'],
    });
  }
  return features;
}

/** The settings that decide the scopes; a store whose settings cannot be read is judged on reading only. */
export function scopeSettingsOf(profile: StoreProfile | undefined): ScopeSettings | undefined {
  if (!profile) return undefined;
  try {
    return readSettings(profile);
  } catch {
    // `dsync doctor` and every command that reads the settings name the bad value.
    return undefined;
  }
}

/** Every scope the settings' features need, reading first; what `auth login` asks for by default. */
export function scopesFor(settings: ScopeSettings | undefined): string[] {
  return [...new Set(featureScopes(settings).flatMap((f) => f.scopes))];
}

/** Every scope dsync can use, whatever the settings. */
export const ALL_SCOPES: readonly string[] = [
  ...READ_SCOPES,
  ...FULFILLMENT_ORDER_KINDS.map((kind) => `write_${kind}_fulfillment_orders`),
  'write_inventory',
  'write_returns',
];

export interface FeatureGap extends FeatureScopes {
  /** The feature's scopes the token lacks. */
  missing: string[];
}

/** Each enabled feature with the scopes `granted` lacks for it (an empty list: it is covered). */
export function scopeGaps(granted: Iterable<string>, settings: ScopeSettings | undefined): FeatureGap[] {
  const held = expandImplied(granted);
  return featureScopes(settings).map((f) => ({ ...f, missing: f.scopes.filter((s) => !held.has(s)) }));
}

/** The scopes the settings' features need that `granted` lacks, in scopesFor order; empty when sufficient. */
export function missingScopes(granted: Iterable<string>, settings: ScopeSettings | undefined): string[] {
  const held = expandImplied(granted);
  return scopesFor(settings).filter((scope) => !held.has(scope));
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
