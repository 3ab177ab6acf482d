import type { Deps } from './deps.js';
import { UsageError } from './errors.js';
import { listCredentialsDir } from './secrets/credentials-dir.js';

/**
 * The stores dsync knows, sorted: those of the config file and, with DSYNC_CREDENTIALS_DIR, each
 * store the directory holds an access token for (a fleet's stores need no login; the listing
 * reads names only, no token).
 */
export async function configuredStores(deps: Pick<Deps, 'config' | 'credentialsDir'>): Promise<string[]> {
  const fromConfig = (await deps.config()).listStores();
  if (deps.credentialsDir === undefined) return fromConfig;
  const fromDir = await listCredentialsDir(deps.credentialsDir);
  return [...new Set([...fromConfig, ...fromDir])].sort();
}

/**
 * Which store a command acts on: --store / DSYNC_STORE, else the default profile, else the only
 * profile. DSYNC_ACCESS_TOKEN alone needs --store, since a token does not name its shop.
 */
export async function selectStore(deps: Pick<Deps, 'global' | 'config' | 'credentialsDir'>): Promise<string> {
  if (deps.global.store) return deps.global.store;
  const config = await deps.config();
  const fallback = config.defaultStore();
  if (fallback) return fallback;
  const stores = await configuredStores(deps);
  if (stores.length === 1 && stores[0]) return stores[0];
  if (stores.length === 0) {
    throw new UsageError('no store is configured', {
      hint:
        deps.credentialsDir === undefined
          ? 'run `dsync auth login --store <shop>`, or pass --store <shop> (DSYNC_STORE)'
          : `${mountHint(deps.credentialsDir)}, or pass --store <shop> (DSYNC_STORE)`,
    });
  }
  // A fleet's directory may name thousands: a few say enough.
  const named =
    stores.length > 10
      ? `${stores.slice(0, 10).join(', ')}, … ${stores.length - 10} more`
      : stores.join(', ');
  throw new UsageError(`several stores are configured (${named}) and none is the default`, {
    hint: 'pass --store <shop>, or see `dsync stores list`',
  });
}

/** What adds a store when its credentials come from DSYNC_CREDENTIALS_DIR. */
export function mountHint(credentialsDir: string): string {
  return `add a key named after the store (acme.myshopify.com) with its access token to the Secret mounted on ${credentialsDir} (DSYNC_CREDENTIALS_DIR)`;
}
