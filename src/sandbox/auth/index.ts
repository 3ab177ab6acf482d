/**
 * The sandbox's OAuth server: Shopify's authorization-code grant (with PKCE and expiring
 * offline tokens), token refresh with rotation, the client-credentials grant, revocation, and
 * the registry every sandbox route asks whether an access token is good.
 */
export type {
  GrantFailure,
  GrantResult,
  IssuedToken,
  TokenLookup,
  TokenRegistryOptions,
} from './token-registry.js';
export { TokenRegistry } from './token-registry.js';
