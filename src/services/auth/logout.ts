import type { Deps } from '../../core/deps.js';
import { isDsyncError } from '../../core/errors.js';
import type { SecretLocation, SecretName } from '../../core/secrets/store.js';
import { selectStore } from '../../core/store-selection.js';
import { envToken, refuseReadOnlyCredentials } from './credentials.js';

export interface LogoutResult {
  shop: string;
  /** Where credentials were found and removed. */
  removed: SecretLocation[];
  /** The secrets that were found and removed, by name (never their values). */
  secrets: SecretName[];
  /**
   * The OS keychain could not be reached (its own reason): whatever is stored there was not
   * removed, and the login is kept so that a later logout still knows to look there.
   */
  keychainUnreachable: string | null;
  /** DSYNC_ACCESS_TOKEN is set: it still applies, and only its owner can unset it. */
  envTokenSet: boolean;
}

/**
 * Every secret a store has: what `auth logout` removes. The secret settings go too: a logged-out
 * store keeps no key to another service and no webhook signing secret (set them again after the
 * next login with `dsync config set … -`).
 */
export const STORE_SECRETS: readonly SecretName[] = [
  'access-token',
  'refresh-token',
  'client-secret',
  'return-magic-api-key',
  'webhook-secret',
];

/**
 * Removes the store's secrets from the keychain and the fallback file (refused for the read-only
 * credentials directory), and its auth metadata
 * from the config file. Settings stay, so logging in again restores the setup. Nothing stored, or
 * a keychain that cannot be reached, is not an error: logout never fails for lack of something to
 * remove.
 */
export async function logout(deps: Deps): Promise<LogoutResult> {
  await refuseReadOnlyCredentials(deps, '`dsync auth logout`');
  const shop = await selectStore(deps);
  const secrets = await deps.secrets();
  const removed = new Set<SecretLocation>();
  const names: SecretName[] = [];
  const config = await deps.config();
  const profile = config.getProfile(shop);
  let keychainUnreachable: string | null = null;
  for (const name of STORE_SECRETS) {
    try {
      const found = await secrets.delete(shop, name);
      for (const location of found) removed.add(location);
      if (found.length > 0) names.push(name);
    } catch (error) {
      if (!isDsyncError(error) || error.code !== 'keychain_unavailable') throw error;
      keychainUnreachable ??= keychainReason(error);
    }
  }
  const mayBeInKeychain = keychainUnreachable !== null && profile?.auth?.storage !== 'file';
  if (profile?.auth && !mayBeInKeychain) {
    const { auth: _auth, ...rest } = profile;
    config.saveProfile(rest);
  }
  return {
    shop,
    removed: [...removed].sort(),
    secrets: names,
    keychainUnreachable,
    envTokenSet: envToken(deps.env) !== undefined,
  };
}

function keychainReason(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  const reason = (cause as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : error.message;
}
