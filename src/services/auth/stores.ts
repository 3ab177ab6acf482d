import type { AuthMetadata } from '../../core/config/store.js';
import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import { listCredentialsDir } from '../../core/secrets/credentials-dir.js';
import { configuredStores } from '../../core/store-selection.js';
import type { SecretSource } from '../../core/secrets/store.js';

export interface StoreSummary {
  shop: string;
  default: boolean;
  /** Whether credentials were stored at login (not checked against the store: see `auth status`). */
  loggedIn: boolean;
  grant: AuthMetadata['grant'] | null;
  storage: SecretSource | null;
  expiresAt: string | null;
}

/**
 * The configured stores, from the config file (no keychain, no network) and, with
 * DSYNC_CREDENTIALS_DIR, the directory's listing: there a store is logged in when its token file
 * is there (its name, not its content, is looked at).
 */
export async function listStores(deps: Pick<Deps, 'config' | 'credentialsDir'>): Promise<StoreSummary[]> {
  const config = await deps.config();
  const fallback = config.defaultStore();
  const inDir =
    deps.credentialsDir === undefined ? undefined : new Set(await listCredentialsDir(deps.credentialsDir));
  const shops = inDir ? [...new Set([...config.listStores(), ...inDir])].sort() : config.listStores();
  // With one store and no explicit default, that store is the one commands use.
  const effectiveDefault = fallback ?? (shops.length === 1 ? shops[0] : undefined);
  return shops.map((shop) => {
    if (inDir) {
      const mounted = inDir.has(shop);
      return {
        shop,
        default: shop === effectiveDefault,
        loggedIn: mounted,
        grant: null,
        storage: mounted ? 'credentials-dir' : null,
        expiresAt: null,
      };
    }
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
export async function setDefaultStore(
  deps: Pick<Deps, 'config' | 'credentialsDir'>,
  shop: string,
): Promise<StoreSummary[]> {
  const config = await deps.config();
  const shops = await configuredStores(deps);
  if (!shops.includes(shop)) {
    throw new UsageError(
      `${shop} is not configured${shops.length > 0 ? ` (configured: ${shops.join(', ')})` : ''}`,
      { hint: `authorize it first: dsync auth login --store ${shop}` },
    );
  }
  config.setDefaultStore(shop);
  return listStores(deps);
}
