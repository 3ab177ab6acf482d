import { verifierMatches } from './pkce.js';
import { compressScopes, expandScopes } from './scope-set.js';
import { newAccessToken, newAuthorizationCode, newRefreshToken, randomHex, safeEqual } from './secrets.js';

/** What the token endpoint hands back (camelCase; the route writes Shopify's snake_case). */
export interface IssuedToken {
  accessToken: string;
  /** Comma list, compressed the way Shopify reports it (`write_x` stands for `read_x` too). */
  scope: string;
  expiresIn?: number;
  refreshToken?: string;
  refreshTokenExpiresIn?: number;
}

export type TokenLookup =
  | { ok: true; scopes: ReadonlySet<string>; clientId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** A refusal from the token endpoint, in OAuth's vocabulary (RFC 6749 §5.2). */
export interface GrantFailure {
  ok: false;
  error: 'invalid_request' | 'invalid_grant';
  description: string;
}

export type GrantResult = ({ ok: true } & IssuedToken) | GrantFailure;

export interface TokenRegistryOptions {
  now: () => Date;
  /**
   * Lifetime of expiring access tokens (offline expiring and client-credentials tokens), in
   * seconds. Shopify's are 3600 (expiring offline) and 86399 (client credentials); the sandbox's
   * `--token-ttl` sets this so tests can watch a token expire.
   */
  tokenTtlSeconds?: number;
  /** Lifetime of refresh tokens; Shopify's is 90 days. */
  refreshTokenTtlSeconds?: number;
  /** Lifetime of authorization codes; default 60 s. */
  codeTtlSeconds?: number;
  /**
   * Shopify lets an app retry a refresh token it already used until the app uses the
   * replacement (at most 30 days after the first use), so a lost refresh response is
   * recoverable. `true` refuses any second use instead (strict RFC 9700 rotation).
   */
  strictRefreshRotation?: boolean;
}

export const DEFAULT_EXPIRING_TTL_SECONDS = 3600;
export const DEFAULT_CLIENT_CREDENTIALS_TTL_SECONDS = 86_399;
export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600;
export const DEFAULT_CODE_TTL_SECONDS = 60;
/** How long after its first use an already-used refresh token may still be retried. */
export const REFRESH_RETRY_WINDOW_SECONDS = 30 * 24 * 3600;

interface AccessRecord {
  clientId: string;
  scopes: readonly string[];
  expiresAt: number | undefined;
  revoked: boolean;
  grantId: string;
}

interface RefreshRecord {
  clientId: string;
  scopes: readonly string[];
  expiresAt: number;
  grantId: string;
  /** The refresh token this one replaced. */
  parent: string | undefined;
  /** Replacements issued for this token (more than one when the app retried it). */
  children: string[];
  firstUsedAt: number | undefined;
  /** Retired once a replacement is used, or when the grant is revoked. */
  retired: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  codeChallenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

export interface AuthorizationCodeInput {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  /** S256 PKCE challenge; when given, the exchange must present the matching verifier. */
  codeChallenge?: string;
}

export interface CodeExchangeInput {
  clientId: string;
  code: string;
  expiring: boolean;
  codeVerifier?: string;
  /** Checked against the authorize request's when the client sends it (Shopify does not need it). */
  redirectUri?: string;
}

const CODE_NOT_FOUND = 'The authorization code was not found or was already used';

/**
 * The sandbox's memory of everything it issued: authorization codes, access tokens and refresh
 * tokens, with Shopify's lifetimes and rotation rules. Tokens are random (`node:crypto`), never
 * derived from anything guessable. One registry serves one sandbox store.
 */
export class TokenRegistry {
  private readonly now: () => Date;
  private readonly ttlOverride: number | undefined;
  private readonly refreshTtl: number;
  private readonly codeTtl: number;
  private readonly strictRotation: boolean;
  private readonly access = new Map<string, AccessRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly codes = new Map<string, CodeRecord>();

  constructor(opts: TokenRegistryOptions) {
    this.now = opts.now;
    this.ttlOverride = positiveOrUndefined(opts.tokenTtlSeconds, 'tokenTtlSeconds');
    this.refreshTtl =
      positiveOrUndefined(opts.refreshTokenTtlSeconds, 'refreshTokenTtlSeconds') ??
      DEFAULT_REFRESH_TOKEN_TTL_SECONDS;
    this.codeTtl = positiveOrUndefined(opts.codeTtlSeconds, 'codeTtlSeconds') ?? DEFAULT_CODE_TTL_SECONDS;
    this.strictRotation = opts.strictRefreshRotation ?? false;
  }

  /** Lifetime of an expiring offline access token. */
  get expiringTtlSeconds(): number {
    return this.ttlOverride ?? DEFAULT_EXPIRING_TTL_SECONDS;
  }

  /** Lifetime of a client-credentials token. */
  get clientCredentialsTtlSeconds(): number {
    return this.ttlOverride ?? DEFAULT_CLIENT_CREDENTIALS_TTL_SECONDS;
  }

  /**
   * Issues an access token directly. `expiring` gives it a lifetime (`ttlSeconds`, else the
   * registry's) and a refresh token; `ttlSeconds` without `expiring` gives a lifetime and no
   * refresh token (a client-credentials token); neither gives a non-expiring offline token.
   */
  issue(input: { clientId: string; scopes: string[]; expiring?: boolean; ttlSeconds?: number }): IssuedToken {
    const ttl = positiveOrUndefined(input.ttlSeconds, 'ttlSeconds');
    return this.mint({
      clientId: input.clientId,
      scopes: input.scopes,
      ttlSeconds: input.expiring ? (ttl ?? this.expiringTtlSeconds) : ttl,
      withRefresh: input.expiring === true,
      grantId: randomHex(8),
      parentRefresh: undefined,
    });
  }

  /** A client-credentials token: the app's scopes, `clientCredentialsTtlSeconds`, no refresh token. */
  issueClientCredentials(input: { clientId: string; scopes: string[] }): IssuedToken {
    return this.issue({ ...input, ttlSeconds: this.clientCredentialsTtlSeconds });
  }

  lookup(accessToken: string): TokenLookup {
    const record = this.access.get(accessToken);
    if (record === undefined) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (record.expiresAt !== undefined && this.nowMs() >= record.expiresAt) {
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, scopes: expandScopes(record.scopes), clientId: record.clientId };
  }

  /** When an access token expires (undefined: never, or unknown token). For diagnostics and tests. */
  expiresAt(accessToken: string): Date | undefined {
    const at = this.access.get(accessToken)?.expiresAt;
    return at === undefined ? undefined : new Date(at);
  }

  /**
   * Revokes an access token together with everything issued under the same authorization
   * (earlier and later tokens of its refresh chain, and the refresh tokens). True if the token
   * was known and not yet revoked.
   */
  revoke(accessToken: string): boolean {
    const record = this.access.get(accessToken);
    if (record === undefined || record.revoked) return false;
    this.revokeGrant(record.grantId);
    return true;
  }

  /** Revokes every token issued to an app (as uninstalling it from the store does). */
  revokeClient(clientId: string): number {
    let count = 0;
    for (const record of this.access.values()) {
      if (record.clientId === clientId && !record.revoked) {
        record.revoked = true;
        count++;
      }
    }
    for (const record of this.refreshTokens.values()) {
      if (record.clientId === clientId) record.retired = true;
    }
    return count;
  }

  /** Records an approved authorization request; returns the single-use code for the redirect. */
  createAuthorizationCode(input: AuthorizationCodeInput): string {
    this.pruneCodes();
    const code = newAuthorizationCode();
    this.codes.set(code, {
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scopes: [...input.scopes],
      codeChallenge: input.codeChallenge,
      expiresAt: this.nowMs() + this.codeTtl * 1000,
      used: false,
    });
    return code;
  }

  /** Redeems an authorization code (once) for a token. */
  exchangeCode(input: CodeExchangeInput): GrantResult {
    const record = this.codes.get(input.code);
    if (record === undefined || record.used || !safeEqual(record.clientId, input.clientId)) {
      return fail('invalid_request', CODE_NOT_FOUND);
    }
    // A presented code is spent whatever happens next, so a failed attempt cannot be replayed.
    record.used = true;
    if (this.nowMs() >= record.expiresAt) {
      return fail('invalid_request', 'The authorization code has expired; start the authorization again');
    }
    if (input.redirectUri !== undefined && input.redirectUri !== record.redirectUri) {
      return fail('invalid_request', 'redirect_uri does not match the one used in the authorization request');
    }
    if (record.codeChallenge !== undefined) {
      if (input.codeVerifier === undefined || input.codeVerifier === '') {
        return fail(
          'invalid_request',
          'code_verifier is required: the authorization request sent a code_challenge',
        );
      }
      if (!verifierMatches(input.codeVerifier, record.codeChallenge)) {
        return fail('invalid_grant', 'code_verifier does not match the code_challenge');
      }
    }
    const issued = this.mint({
      clientId: record.clientId,
      scopes: record.scopes,
      ttlSeconds: input.expiring ? this.expiringTtlSeconds : undefined,
      withRefresh: input.expiring,
      grantId: randomHex(8),
      parentRefresh: undefined,
    });
    return { ok: true, ...issued };
  }

  /**
   * Trades a refresh token for a new access token and a new (rotated) refresh token.
   * Using a replacement retires the token it replaced; until then the replaced token may be
   * retried (Shopify's recovery for lost responses) unless `strictRefreshRotation` is set.
   * The previous access token stays valid until its own expiry.
   */
  refresh(input: { clientId: string; refreshToken: string }): GrantResult {
    const record = this.refreshTokens.get(input.refreshToken);
    if (record === undefined || !safeEqual(record.clientId, input.clientId)) {
      return fail('invalid_grant', 'The refresh token is invalid');
    }
    const now = this.nowMs();
    if (record.retired) {
      return fail('invalid_grant', 'The refresh token has been revoked or replaced by a newer one');
    }
    if (now >= record.expiresAt) {
      return fail('invalid_grant', 'The refresh token has expired');
    }
    if (record.firstUsedAt !== undefined) {
      if (this.strictRotation) return fail('invalid_grant', 'The refresh token has already been used');
      if (now - record.firstUsedAt >= REFRESH_RETRY_WINDOW_SECONDS * 1000) {
        return fail('invalid_grant', 'The refresh token was used too long ago to be retried');
      }
    }
    record.firstUsedAt ??= now;
    if (this.strictRotation) record.retired = true;
    // Using this token retires the one it replaced and any other replacements of that one.
    if (record.parent !== undefined) {
      const parent = this.refreshTokens.get(record.parent);
      if (parent !== undefined) {
        parent.retired = true;
        for (const sibling of parent.children) {
          const other = this.refreshTokens.get(sibling);
          if (sibling !== input.refreshToken && other !== undefined) other.retired = true;
        }
      }
    }
    const issued = this.mint({
      clientId: record.clientId,
      scopes: record.scopes,
      ttlSeconds: this.expiringTtlSeconds,
      withRefresh: true,
      grantId: record.grantId,
      parentRefresh: input.refreshToken,
    });
    return { ok: true, ...issued };
  }

  private mint(input: {
    clientId: string;
    scopes: readonly string[];
    ttlSeconds: number | undefined;
    withRefresh: boolean;
    grantId: string;
    parentRefresh: string | undefined;
  }): IssuedToken {
    const now = this.nowMs();
    const scopes = compressScopes(input.scopes);
    const accessToken = newAccessToken();
    this.access.set(accessToken, {
      clientId: input.clientId,
      scopes,
      expiresAt: input.ttlSeconds === undefined ? undefined : now + input.ttlSeconds * 1000,
      revoked: false,
      grantId: input.grantId,
    });
    const issued: IssuedToken = { accessToken, scope: scopes.join(',') };
    if (input.ttlSeconds !== undefined) issued.expiresIn = input.ttlSeconds;
    if (input.withRefresh) {
      const refreshToken = newRefreshToken();
      this.refreshTokens.set(refreshToken, {
        clientId: input.clientId,
        scopes,
        expiresAt: now + this.refreshTtl * 1000,
        grantId: input.grantId,
        parent: input.parentRefresh,
        children: [],
        firstUsedAt: undefined,
        retired: false,
      });
      if (input.parentRefresh !== undefined)
        this.refreshTokens.get(input.parentRefresh)?.children.push(refreshToken);
      issued.refreshToken = refreshToken;
      issued.refreshTokenExpiresIn = this.refreshTtl;
    }
    return issued;
  }

  private revokeGrant(grantId: string): void {
    for (const record of this.access.values()) {
      if (record.grantId === grantId) record.revoked = true;
    }
    for (const record of this.refreshTokens.values()) {
      if (record.grantId === grantId) record.retired = true;
    }
  }

  private pruneCodes(): void {
    const now = this.nowMs();
    for (const [code, record] of this.codes) {
      if (now >= record.expiresAt + this.codeTtl * 1000) this.codes.delete(code);
    }
  }

  private nowMs(): number {
    return this.now().getTime();
  }
}

function fail(error: GrantFailure['error'], description: string): GrantFailure {
  return { ok: false, error, description };
}

function positiveOrUndefined(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of seconds, got ${value}`);
  }
  return value;
}
