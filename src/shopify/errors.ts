import { AuthError, DsyncError, type DsyncErrorOptions } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

/**
 * Typed failures of the Shopify Admin API. Every one carries Shopify's request id (when a
 * response had one) in `details.requestId` and in its message, for support tickets.
 */

function withRequestId(message: string, requestId: string | undefined): string {
  return requestId ? `${message} (request id ${requestId})` : message;
}

function details(
  requestId: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return requestId ? { requestId, ...extra } : { ...extra };
}

/** Base class for errors answered by (or on the way to) the Admin API. */
export class ShopifyApiError extends DsyncError {
  readonly requestId: string | undefined;
  readonly status: number | undefined;

  constructor(
    code: string,
    message: string,
    opts: DsyncErrorOptions & { requestId?: string; status?: number; exitCode?: ExitCode } = {},
  ) {
    super(code, withRequestId(message, opts.requestId), opts.exitCode ?? ExitCode.error, {
      ...opts,
      details: details(opts.requestId, {
        ...(opts.status === undefined ? {} : { status: opts.status }),
        ...opts.details,
      }),
    });
    this.name = 'ShopifyApiError';
    this.requestId = opts.requestId;
    this.status = opts.status;
  }
}

/** 401 after one refresh attempt: the token is no longer valid. Exit 4. */
export class TokenInvalidError extends AuthError {
  readonly requestId: string | undefined;
  constructor(shop: string, requestId: string | undefined, hint = `dsync auth login --store ${shop}`) {
    super(withRequestId(`the access token for ${shop} is no longer valid`, requestId), {
      code: 'token_invalid',
      hint,
      details: details(requestId, { shop, status: 401 }),
    });
    this.name = 'TokenInvalidError';
    this.requestId = requestId;
  }
}

/** 403: the app may not do this on this store. Exit 4. */
export class ForbiddenError extends AuthError {
  readonly requestId: string | undefined;
  constructor(shop: string, operation: string, requestId: string | undefined) {
    super(
      withRequestId(`${shop} refused ${operation}: the app is not allowed to do this (HTTP 403)`, requestId),
      {
        code: 'forbidden',
        hint: `check the app's access with \`dsync auth status --store ${shop}\`, then \`dsync auth login --store ${shop}\``,
        details: details(requestId, { shop, operation, status: 403 }),
      },
    );
    this.name = 'ForbiddenError';
    this.requestId = requestId;
  }
}

/** ACCESS_DENIED: the token lacks a scope the operation needs. Exit 4. */
export class MissingScopeError extends AuthError {
  readonly requestId: string | undefined;
  readonly requiredScopes: string[];
  constructor(
    shop: string,
    operation: string,
    requiredScopes: string[],
    requestId: string | undefined,
    detail: string,
  ) {
    const named =
      requiredScopes.length > 0
        ? `the access token for ${shop} lacks the ${requiredScopes.join(', ')} scope${requiredScopes.length > 1 ? 's' : ''} needed by ${operation}`
        : `the access token for ${shop} lacks a scope needed by ${operation}: ${detail}`;
    super(withRequestId(named, requestId), {
      code: 'missing_scope',
      hint: `${requiredScopes.length > 0 ? `grant ${requiredScopes.join(', ')} to the app, then run` : 'run'} \`dsync auth login --store ${shop}\` (see \`dsync auth status\`)`,
      details: details(requestId, { shop, operation, requiredScopes }),
    });
    this.name = 'MissingScopeError';
    this.requestId = requestId;
    this.requiredScopes = requiredScopes;
  }
}

/** 402 (frozen: unpaid bill) or 423 (locked) store. */
export class StoreUnavailableError extends ShopifyApiError {
  constructor(shop: string, status: 402 | 423, requestId: string | undefined) {
    super(
      status === 402 ? 'store_frozen' : 'store_locked',
      status === 402
        ? `${shop} is frozen (HTTP 402 Payment Required): Shopify refuses API access until the store's bill is paid`
        : `${shop} is locked (HTTP 423 Locked): Shopify refuses API access to this store`,
      {
        requestId,
        status,
        hint:
          status === 402
            ? `the store owner must settle the bill in the Shopify admin (Settings → Billing), then rerun`
            : `the store owner must contact Shopify support to unlock ${shop}, then rerun`,
        details: { shop },
      },
    );
    this.name = 'StoreUnavailableError';
  }
}

/** 404: no such shop, or the API version is not served. Exit 2 (fix the flag or setting). */
export class ShopNotFoundError extends ShopifyApiError {
  constructor(shop: string, apiVersion: string, requestId: string | undefined) {
    super(
      'not_found',
      `${shop} answered 404 Not Found for Admin API version ${apiVersion}: the store does not exist or does not serve that API version`,
      {
        requestId,
        status: 404,
        exitCode: ExitCode.usage,
        hint: `check --store (${shop}) and the api-version setting (\`dsync config get api-version\`; versions look like 2026-10)`,
        details: { shop, apiVersion },
      },
    );
    this.name = 'ShopNotFoundError';
  }
}

/** Top-level GraphQL errors that are not throttling, scopes or cost. */
export class ShopifyGraphQLError extends ShopifyApiError {
  readonly messages: string[];
  constructor(operation: string, messages: string[], requestId: string | undefined, codes: string[] = []) {
    super('graphql_error', `Shopify rejected ${operation}: ${messages.join('; ') || 'unknown error'}`, {
      requestId,
      hint: 'rerun with --debug for the full exchange; if it persists, report it with the request id',
      details: { operation, messages, ...(codes.length > 0 ? { codes } : {}) },
    });
    this.name = 'ShopifyGraphQLError';
    this.messages = messages;
  }
}

/** MAX_COST_EXCEEDED: an operation asks for more than Shopify allows in one query. A bug in dsync. */
export class QueryCostExceededError extends ShopifyApiError {
  constructor(operation: string, message: string, requestId: string | undefined) {
    super(
      'query_cost_exceeded',
      `bug: operation ${operation} exceeds Shopify's single-query cost limit: ${message}`,
      {
        requestId,
        hint: 'this is a bug in dsync (the page size is too large); report it with this message',
        details: { operation },
      },
    );
    this.name = 'QueryCostExceededError';
  }
}

/** Still throttled after the allowed number of waits. */
export class ThrottleExhaustedError extends ShopifyApiError {
  constructor(operation: string, waits: number, requestId: string | undefined) {
    super('throttled', `Shopify kept throttling ${operation} after ${waits} waits`, {
      requestId,
      hint: 'another app may be using this store’s API budget; try again in a few minutes',
      details: { operation, waits },
    });
    this.name = 'ThrottleExhaustedError';
  }
}

/** 5xx, connection resets or timeouts that outlasted the retries (or could not be retried). */
export class ShopifyUnavailableError extends ShopifyApiError {
  constructor(
    operation: string,
    reason: string,
    opts: {
      requestId?: string;
      status?: number;
      attempts: number;
      retryable: boolean;
      cause?: unknown;
      hint?: string;
    },
  ) {
    const tail = opts.retryable
      ? `after ${opts.attempts} attempt${opts.attempts === 1 ? '' : 's'}`
      : '(not retried: the mutation has no idempotency key, so repeating it could apply it twice)';
    super('shopify_unavailable', `${operation} failed: ${reason} ${tail}`, {
      requestId: opts.requestId,
      status: opts.status,
      cause: opts.cause,
      hint:
        opts.hint ??
        (opts.retryable
          ? 'Shopify or the network is having trouble; try again later (status: https://www.shopifystatus.com)'
          : 'check in the Shopify admin whether the change was applied before running it again'),
      details: { operation, attempts: opts.attempts },
    });
    this.name = 'ShopifyUnavailableError';
  }
}

/** A response that is not what the Admin API sends (bad JSON, unexpected status, no data). */
export class UnexpectedResponseError extends ShopifyApiError {
  constructor(operation: string, reason: string, opts: { requestId?: string; status?: number } = {}) {
    super('unexpected_response', `unexpected response to ${operation}: ${reason}`, {
      ...opts,
      hint: 'check DSYNC_API_ORIGIN and --store; rerun with --debug to see the exchange',
      details: { operation },
    });
    this.name = 'UnexpectedResponseError';
  }
}

export type BulkFailureCode =
  | 'bulk_failed'
  | 'bulk_expired'
  | 'bulk_canceled'
  | 'bulk_busy'
  | 'bulk_rejected';

/**
 * A bulk operation that did not complete. `objectsYielded` says how many root objects were
 * delivered before the failure (from `partialDataUrl` when Shopify kept some), so the caller can
 * fall back to paging for the rest.
 */
export class BulkOperationError extends ShopifyApiError {
  readonly bulkOperationId: string | undefined;
  readonly bulkStatus: string | undefined;
  readonly errorCode: string | undefined;
  readonly objectsYielded: number;
  readonly partial: boolean;

  constructor(
    code: BulkFailureCode,
    message: string,
    opts: {
      id?: string;
      status?: string;
      errorCode?: string | null;
      objectsYielded?: number;
      partial?: boolean;
      requestId?: string;
      hint?: string;
    },
  ) {
    super(code, message, {
      requestId: opts.requestId,
      hint: opts.hint ?? 'rerun without --bulk to page through the results instead',
      details: {
        bulkOperationId: opts.id ?? null,
        bulkStatus: opts.status ?? null,
        errorCode: opts.errorCode ?? null,
        objectsYielded: opts.objectsYielded ?? 0,
        partial: opts.partial ?? false,
      },
    });
    this.name = 'BulkOperationError';
    this.bulkOperationId = opts.id;
    this.bulkStatus = opts.status;
    this.errorCode = opts.errorCode ?? undefined;
    this.objectsYielded = opts.objectsYielded ?? 0;
    this.partial = opts.partial ?? false;
  }
}
