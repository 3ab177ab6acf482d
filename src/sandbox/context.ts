import type { IncomingMessage, ServerResponse } from 'node:http';

/** What every sandbox GraphQL resolver is given as its context. */
export interface SandboxRequestContext {
  /** `{handle}.myshopify.com` of the sandbox store. */
  shop: string;
  /** Scopes granted to the calling token. */
  scopes: ReadonlySet<string>;
  /** The request's clock reading (tests may freeze it). */
  now: Date;
  /** The sandbox's own origin, e.g. http://127.0.0.1:4321 (for URLs it hands out). */
  origin: string;
  /** The `x-request-id` returned with this response. */
  requestId: string;
  /** The API version in the request path. */
  apiVersion: string;
  /** The calling access token (to key per-app state such as bulk operations). */
  accessToken: string;
  /**
   * The calling app's client id, when known. Bulk operations belong to the app, not the token,
   * so a refreshed token still sees the app's running operation.
   */
  clientId?: string;
}

/** graphql-tools style resolver map: `{ Type: { field: resolve } }`, attached to the derived schema. */
export type ResolverFn = (
  parent: unknown,
  args: Record<string, unknown>,
  context: SandboxRequestContext,
  info: unknown,
) => unknown;
export type ResolverMap = Record<string, Record<string, ResolverFn>>;

/** An extra HTTP route handler; returns true when it handled the request. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
