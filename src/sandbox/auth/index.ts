/**
 * The sandbox's OAuth server: Shopify's authorization-code grant (with PKCE and expiring
 * offline tokens), token refresh with rotation, the client-credentials grant, revocation, and
 * the registry every sandbox route asks whether an access token is good.
 */

export { adminHostParam, signatureMessage, signQuery } from './query-signature.js';
export type { OAuthRoutesContext } from './routes.js';
export { APPROVE_PATH, AUTHORIZE_PATH, createOAuthRoutes, TOKEN_PATH } from './routes.js';
export { newClientSecret } from './secrets.js';
export type {
  GrantFailure,
  GrantResult,
  IssuedToken,
  TokenLookup,
  TokenRegistryOptions,
} from './token-registry.js';
export { TokenRegistry } from './token-registry.js';
