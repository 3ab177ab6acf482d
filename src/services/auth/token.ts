import { shopOrigin } from '../../core/api-origin.js';
import type { Deps } from '../../core/deps.js';
import { selectStore } from '../../core/store-selection.js';
import { fromLogin, resolveToken, type TokenSource } from './credentials.js';

export interface AuthTokenResult {
  shop: string;
  token: string;
  source: TokenSource;
  expiresAt: string | null;
}

/** The store's access token for scripts, refreshed first when it is about to expire. */
export async function authToken(deps: Deps): Promise<AuthTokenResult> {
  const shop = await selectStore(deps);
  const resolved = await resolveToken(deps, shop, shopOrigin(shop, deps.apiOrigin));
  const token = await resolved.provider.getToken();
  const auth = fromLogin(resolved.source) ? (await deps.config()).getProfile(shop)?.auth : undefined;
  return { shop, token, source: resolved.source, expiresAt: auth?.expiresAt ?? null };
}
