import type { Deps } from '../../core/deps.js';
import type { SecretLocation, SecretName } from '../../core/secrets/store.js';
import { selectStore } from '../../core/store-selection.js';
import { envToken } from './credentials.js';

export interface LogoutResult {
  shop: string;
  /** Where credentials were found and removed. */
  removed: SecretLocation[];
  /** DSYNC_ACCESS_TOKEN is set: it still applies, and only its owner can unset it. */
  envTokenSet: boolean;
}

const AUTH_SECRETS: SecretName[] = ['access-token', 'refresh-token', 'client-secret'];

/**
 * Removes the store's credentials from the keychain and the fallback file, and its auth
 * metadata from the config file. Settings stay, so logging in again restores the setup.
 */
export async function logout(deps: Deps): Promise<LogoutResult> {
  const shop = await selectStore(deps);
  const secrets = await deps.secrets();
  const removed = new Set<SecretLocation>();
  const config = await deps.config();
  const profile = config.getProfile(shop);
  let keychainError: unknown;
  for (const name of AUTH_SECRETS) {
    try {
      for (const location of await secrets.delete(shop, name)) removed.add(location);
    } catch (error) {
      keychainError ??= error;
    }
  }
  // An unreachable keychain is fatal only if the credentials may be there and nothing was removed.
  if (keychainError && removed.size === 0 && profile?.auth?.storage !== 'file') throw keychainError;
  if (profile?.auth) {
    const { auth: _auth, ...rest } = profile;
    config.saveProfile(rest);
  }
  return { shop, removed: [...removed].sort(), envTokenSet: envToken(deps.env) !== undefined };
}
