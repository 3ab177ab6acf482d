/**
 * The Shopify client's public contract. Services depend on these types; the implementation
 * (transport, throttle, retries, pagination) lives beside this file.
 */

/** A named GraphQL operation, declared once in operations/<area>.ts. */
export interface Operation<TData, TVariables = Record<string, unknown>> {
  readonly name: string;
  readonly kind: 'query' | 'mutation';
  readonly document: string;
  /**
   * Optional check of the response data (e.g. `(data) => Schema.parse(data)` with zod). When it
   * throws, the request fails with an `unexpected_response` error naming the first bad field.
   */
  readonly parse?: (data: unknown) => TData;
  /** Phantom fields so TypeScript can infer data and variable types from an operation. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface GraphQLResult<TData> {
  data: TData;
  cost: QueryCost | undefined;
  /** Shopify's `x-request-id`, for support tickets and error messages. */
  requestId: string | undefined;
}

export interface RequestOptions {
  /** Makes a mutation safe to retry: sent as @idempotent(key:) where the mutation supports it. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<TNode> {
  nodes: TNode[];
  pageInfo: PageInfo;
}

/** Supplies the access token; asked again after a 401 so an expiring token can be refreshed once. */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** Called once after a 401; returns a fresh token, or undefined when there is none. */
  refreshAfterUnauthorized?(): Promise<string | undefined>;
  /** What to do when the store refuses the token (default: log in again). */
  renewHint?: string;
}

export interface AdminClient {
  readonly shop: string;
  readonly apiVersion: string;
  request<TData, TVariables>(
    operation: Operation<TData, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResult<TData>>;
  /** Every node of a cursor-paginated connection, page by page. `after` is managed for you. */
  paginate<TData, TVariables extends { after?: string | null }, TNode>(
    operation: Operation<TData, TVariables>,
    variables: Omit<TVariables, 'after'>,
    connection: (data: TData) => Connection<TNode>,
    options?: RequestOptions,
  ): AsyncIterable<TNode>;
}

export { PINNED_API_VERSION } from '../core/api-version.js';
