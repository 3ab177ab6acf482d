import type { Deps } from '../../core/deps.js';
import { AuthError } from '../../core/errors.js';
import { createAdminClient } from '../../shopify/client.js';
import { AppInstallationCheck } from '../../shopify/operations/app.js';
import { type AdminClient, PINNED_API_VERSION, type TokenProvider } from '../../shopify/types.js';

export interface TokenCheck {
  shopName: string;
  domain: string;
  scopes: string[];
}

export function clientFor(
  deps: Pick<Deps, 'dispatcher' | 'clock' | 'global' | 'stderr' | 'signal'>,
  shop: string,
  origin: string,
  tokens: TokenProvider,
  apiVersion = PINNED_API_VERSION,
): Promise<AdminClient> {
  return deps.dispatcher().then((dispatcher) =>
    createAdminClient({
      shop,
      origin,
      apiVersion,
      tokens,
      dispatcher,
      clock: deps.clock,
      log: deps.global.debug ? (line) => deps.stderr.write(`${line}\n`) : undefined,
      signal: deps.signal,
    }),
  );
}

/** Asks the store which shop a token opens and which scopes it holds. */
export async function checkToken(client: AdminClient, shop: string): Promise<TokenCheck> {
  const { data } = await client.request(AppInstallationCheck, {});
  const domain = data.shop.myshopifyDomain.toLowerCase();
  if (domain !== shop) {
    throw new AuthError(`the token belongs to ${domain}, not ${shop}`, {
      code: 'wrong_shop',
      hint: `pass --store ${domain}, or use a token of ${shop}`,
    });
  }
  const scopes = [...new Set(data.currentAppInstallation.accessScopes.map((s) => s.handle))].sort();
  return { shopName: data.shop.name, domain, scopes };
}
