import type { AuthMetadata } from '../../core/config/store.js';
import type { Deps } from '../../core/deps.js';

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
