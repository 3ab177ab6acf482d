import type { AuthMetadata } from '../../core/config/store.js';
import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';

export interface StoreSummary {
  shop: string;
  default: boolean;
  /** Whether credentials were stored at login (not checked against the store: see `auth status`). */
  loggedIn: boolean;
  grant: AuthMetadata['grant'] | null;
  storage: AuthMetadata['storage'] | null;
  expiresAt: string | null;
}

/** The configured stores, from the config file only (no keychain, no network). */
export async function listStores(deps: Pick<Deps, 'config'>): Promise<StoreSummary[]> {
  const config = await deps.config();
  const fallback = config.defaultStore();
  const shops = config.listStores();
  // With one store and no explicit default, that store is the one commands use.
  const effectiveDefault = fallback ?? (shops.length === 1 ? shops[0] : undefined);
  return shops.map((shop) => {
    const auth = config.getProfile(shop)?.auth;
    return {
      shop,
      default: shop === effectiveDefault,
      loggedIn: auth !== undefined,
      grant: auth?.grant ?? null,
      storage: auth?.storage ?? null,
      expiresAt: auth?.expiresAt ?? null,
    };
  });
}

/**
 * Makes a configured store the default (the one commands act on without --store). A store that
 * is not configured is refused, naming the configured ones.
 */
export async function setDefaultStore(deps: Pick<Deps, 'config'>, shop: string): Promise<StoreSummary[]> {
  const config = await deps.config();
  const shops = config.listStores();
  if (!shops.includes(shop)) {
    throw new UsageError(
      `${shop} is not configured${shops.length > 0 ? ` (configured: ${shops.join(', ')})` : ''}`,
      { hint: `authorize it first: dsync auth login --store ${shop}` },
    );
  }
  config.setDefaultStore(shop);
  return listStores(deps);
}
