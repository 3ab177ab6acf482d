import { shopOrigin } from '../core/api-origin.js';
import type { StoreProfile } from '../core/config/store.js';
import type { Deps } from '../core/deps.js';
import { AuthError } from '../core/errors.js';
import { selectStore } from '../core/store-selection.js';
import { type AdminClientOptions, createAdminClient } from '../shopify/client.js';
import { type AdminClient, PINNED_API_VERSION } from '../shopify/types.js';
import { fromLogin, resolveToken, type TokenSource } from './auth/credentials.js';
import { expandImplied } from './auth/scopes.js';

export interface ConnectedStore {
  shop: string;
  profile: StoreProfile | undefined;
  client: AdminClient;
  tokenSource: TokenSource;
  /** The file the token was read from (the credentials directory), when it came from one. */
  tokenPath?: string;
}

export interface ConnectOptions {
  /** Scopes the caller needs; checked against the scopes recorded at login (when known). */
  requireScopes?: string[];
  /** Told before the client waits (rate limit, retry): for progress lines. */
  onWait?: AdminClientOptions['onWait'];
}

/**
 * The one way services reach a store: picks the store (--store, default, only), finds its
 * token (DSYNC_ACCESS_TOKEN, then the credentials directory, or the keychain or the fallback file; refreshed ahead of expiry
 * and once after a 401), and builds the Admin API client for the store's API version.
 * No token → AuthError (exit 4) naming `dsync auth login --store <shop>`.
 */
export async function connectStore(deps: Deps, options: ConnectOptions = {}): Promise<ConnectedStore> {
  const shop = await selectStore(deps);
  const config = await deps.config();
  const profile = config.getProfile(shop);
  const origin = shopOrigin(shop, deps.apiOrigin);
  const token = await resolveToken(deps, shop, origin);

  if (options.requireScopes && fromLogin(token.source)) {
    const granted = profile?.auth?.scopes;
    if (granted) {
      const held = expandImplied(granted);
      const lacking = options.requireScopes.filter((scope) => !held.has(scope));
      if (lacking.length > 0) {
        throw new AuthError(
          `the access token for ${shop} lacks the scope${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}`,
          {
            code: 'missing_scopes',
            hint: `grant them to the app, then run \`dsync auth login --store ${shop}\` (see \`dsync auth status\`)`,
            details: { shop, missing: lacking },
          },
        );
      }
    }
  }

  const setting = profile?.settings['api-version'];
  const apiVersion =
    deps.global.apiVersion ?? (typeof setting === 'string' && setting !== '' ? setting : PINNED_API_VERSION);
  const client = createAdminClient({
    shop,
    origin,
    apiVersion,
    tokens: token.provider,
    dispatcher: await deps.dispatcher(),
    clock: deps.clock,
    log: deps.global.debug ? (line) => deps.stderr.write(`${line}\n`) : undefined,
    signal: deps.signal,
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  return {
    shop,
    profile,
    client,
    tokenSource: token.source,
    ...(token.path ? { tokenPath: token.path } : {}),
  };
}
