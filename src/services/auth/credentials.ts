import { join } from 'node:path';
import type { AuthMetadata, StoreProfile } from '../../core/config/store.js';
import type { Deps } from '../../core/deps.js';
import { AuthError, isDsyncError, LockedError } from '../../core/errors.js';
import { acquireLock, type LockHandle } from '../../core/lock/lock.js';
import type { ReadOnlySecrets, SecretLocation, SecretSource, SecretStore } from '../../core/secrets/store.js';
import type { TokenProvider } from '../../shopify/types.js';
import { checkCredentialOrigin } from './origin-binding.js';
import { debugLog, requestToken, type TokenResponse } from './token-endpoint.js';

/** Where the access token in use came from. */
export type TokenSource = 'env' | SecretSource;

/** Refresh this long before an expiring token runs out, so a run never starts with a dying token. */
export const REFRESH_AHEAD_MS = 5 * 60_000;

export const ENV_TOKEN = 'DSYNC_ACCESS_TOKEN';

export interface ResolvedToken {
  source: TokenSource;
  /** The file the token was read from (the credentials directory); a path, never the token. */
  path?: string;
  provider: TokenProvider;
}

/** Whether the token came from a login (whose metadata, such as its expiry, the config file keeps). */
export function fromLogin(source: TokenSource): source is SecretLocation {
  return source === 'keychain' || source === 'file';
}

/** The access token from DSYNC_ACCESS_TOKEN, if set (CI; overrides stored credentials). */
export function envToken(env: Deps['env']): string | undefined {
  const value = env[ENV_TOKEN]?.trim();
  return value ? value : undefined;
}

export function notLoggedIn(shop: string): AuthError {
  return new AuthError(`no access token for ${shop}`, {
    code: 'not_authenticated',
    hint: `dsync auth login --store ${shop}`,
  });
}

/** A store dsync has never been told about (a typo in --store, or a login not done yet). */
export function notConfigured(shop: string, configured: string[]): AuthError {
  return new AuthError(
    `${shop} is not configured${configured.length > 0 ? ` (configured: ${configured.join(', ')})` : ''}`,
    {
      code: 'not_authenticated',
      hint:
        configured.length > 0
          ? `check --store / DSYNC_STORE, or authorize it with \`dsync auth login --store ${shop}\``
          : `dsync auth login --store ${shop}`,
    },
  );
}

/**
 * Refuses a command that stores or removes credentials (`auth login`, `auth logout`) when they
 * come from the read-only credentials directory, before it asks for anything.
 */
export async function refuseReadOnlyCredentials(
  deps: Pick<Deps, 'secrets' | 'global'>,
  action: string,
): Promise<void> {
  const secrets = await deps.secrets();
  if (secrets.readOnly) throw secrets.readOnly.refusal(action, deps.global.store);
}

/**
 * Finds the token for a shop: DSYNC_ACCESS_TOKEN first, then the stored credentials (or the
 * credentials directory, when DSYNC_CREDENTIALS_DIR is set). Stored expiring tokens are
 * refreshed ahead of expiry and once after a 401; a failed lookup is an error, never "no token".
 */
export async function resolveToken(
  deps: Pick<
    Deps,
    | 'env'
    | 'clock'
    | 'config'
    | 'secrets'
    | 'dispatcher'
    | 'signal'
    | 'configDir'
    | 'global'
    | 'stderr'
    | 'apiOrigin'
  >,
  shop: string,
  origin: string,
): Promise<ResolvedToken> {
  const fromEnv = envToken(deps.env);
  if (fromEnv) {
    return { source: 'env', provider: { getToken: async () => fromEnv } };
  }
  const secrets = await deps.secrets();
  // The directory needs no login: its files are the credentials, whatever the config file says.
  if (secrets.readOnly) return mountedToken(secrets, secrets.readOnly, shop);
  // Every login records metadata in the config file: without it there is nothing to look up.
  const config = await deps.config();
  const profile = config.getProfile(shop);
  if (!profile) throw notConfigured(shop, config.listStores());
  const auth = profile.auth;
  if (!auth) throw notLoggedIn(shop);
  // Before the secret is even read: a token is only ever sent where it came from.
  // Compared as origins (a sandbox serves each store under a path of its one origin).
  checkCredentialOrigin(shop, auth.apiOrigin, deps.apiOrigin ?? `https://${shop}`);
  const stored = await secrets.get(shop, 'access-token');
  if (!stored) throw notLoggedIn(shop);
  const session = new StoredSession(deps, shop, origin, stored.value);
  return {
    source: stored.location,
    provider: {
      getToken: () => session.current(),
      refreshAfterUnauthorized: () => session.refreshAfterUnauthorized(),
    },
  };
}

/**
 * A token from the credentials directory. Whoever manages the Secret renews it, so it is never
 * refreshed; after a 401 the file is read once more, since Kubernetes may have swapped in a
 * rotated Secret since the run began.
 */
async function mountedToken(
  secrets: SecretStore,
  readOnly: ReadOnlySecrets,
  shop: string,
): Promise<ResolvedToken> {
  const stored = await secrets.get(shop, 'access-token');
  if (!stored) throw readOnly.missing(shop, 'access-token');
  let token = stored.value;
  let reread = false;
  return {
    source: stored.location,
    ...(stored.path ? { path: stored.path } : {}),
    provider: {
      renewHint: `put a valid Admin API access token in the Secret mounted on ${readOnly.dir} (key ${shop}${stored.path ? `, the file ${stored.path}` : ''}); dsync reads it on its next run`,
      getToken: async () => token,
      refreshAfterUnauthorized: async () => {
        if (reread) return undefined;
        reread = true;
        const now = await secrets.get(shop, 'access-token');
        if (!now || now.value === token) return undefined;
        token = now.value;
        return token;
      },
    },
  };
}

class StoredSession {
  private token: string;
  private refreshedAfter401 = false;
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly deps: Pick<
      Deps,
      'clock' | 'config' | 'secrets' | 'dispatcher' | 'signal' | 'configDir' | 'global' | 'stderr'
    >,
    private readonly shop: string,
    private readonly origin: string,
    token: string,
  ) {
    this.token = token;
  }

  private async metadata(): Promise<AuthMetadata | undefined> {
    return (await this.deps.config()).getProfile(this.shop)?.auth;
  }

  async current(): Promise<string> {
    const auth = await this.metadata();
    if (auth?.expiresAt) {
      const expiresAt = Date.parse(auth.expiresAt);
      const now = this.deps.clock.now().getTime();
      if (Number.isFinite(expiresAt) && now >= expiresAt - REFRESH_AHEAD_MS) {
        if (canRefresh(auth)) return this.refresh();
        if (now >= expiresAt) {
          throw new AuthError(`the access token for ${this.shop} expired at ${auth.expiresAt}`, {
            code: 'token_expired',
            hint: `dsync auth login --store ${this.shop}`,
          });
        }
      }
    }
    return this.token;
  }

  async refreshAfterUnauthorized(): Promise<string | undefined> {
    if (this.refreshedAfter401) return undefined;
    this.refreshedAfter401 = true;
    const auth = await this.metadata();
    if (!auth || !canRefresh(auth)) return undefined;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.inflight ??= refreshStoredToken(this.deps, this.shop, this.origin, this.token).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight.then((token) => {
      this.token = token;
      return token;
    });
  }
}

function canRefresh(auth: AuthMetadata): boolean {
  return auth.grant === 'authorization_code' || auth.grant === 'client_credentials';
}

/**
 * Gets a new access token with the stored refresh token (authorization-code grant) or by
 * re-minting (client-credentials grant), and stores it. The rotated refresh token is stored
 * before the new access token is handed out, so a crash in between cannot lose it. When another
 * dsync process rotated the token first, its result is used.
 */
export async function refreshStoredToken(
  deps: Pick<
    Deps,
    'clock' | 'config' | 'secrets' | 'dispatcher' | 'signal' | 'configDir' | 'global' | 'stderr'
  >,
  shop: string,
  origin: string,
  currentToken: string,
): Promise<string> {
  const readOnly = (await deps.secrets()).readOnly;
  if (readOnly) throw readOnly.refusal(`refreshing the access token of ${shop}`, shop);
  // One refresh at a time per store across processes: with rotation, two concurrent refreshes
  // would spend the same refresh token and one of them would lose.
  return withRefreshLock(deps, shop, () => refreshLocked(deps, shop, origin, currentToken));
}

const REFRESH_LOCK_WAIT_MS = 30_000;

async function withRefreshLock<T>(
  deps: Pick<Deps, 'clock' | 'signal' | 'configDir'>,
  shop: string,
  work: () => Promise<T>,
): Promise<T> {
  const path = join(deps.configDir, 'stores', shop, 'token-refresh.lock');
  const started = deps.clock.now().getTime();
  let handle: LockHandle;
  for (;;) {
    try {
      handle = acquireLock(path, shop, { command: 'token refresh' });
      break;
    } catch (error) {
      if (!(error instanceof LockedError) || deps.clock.now().getTime() - started > REFRESH_LOCK_WAIT_MS)
        throw error;
      await deps.clock.sleep(200, deps.signal);
    }
  }
  try {
    return await work();
  } finally {
    handle.release();
  }
}

async function refreshLocked(
  deps: Pick<Deps, 'clock' | 'config' | 'secrets' | 'dispatcher' | 'signal' | 'global' | 'stderr'>,
  shop: string,
  origin: string,
  currentToken: string,
): Promise<string> {
  const config = await deps.config();
  const secrets = await deps.secrets();
  const profile = config.getProfile(shop);
  const auth = profile?.auth;
  const relogin = (why: string) =>
    new AuthError(`cannot refresh the access token for ${shop}: ${why}`, {
      code: 'refresh_failed',
      hint: `dsync auth login --store ${shop}`,
    });
  if (!profile || !auth || !canRefresh(auth)) throw relogin('the stored credentials cannot be refreshed');

  // Another process may have refreshed already.
  const latest = await secrets.get(shop, 'access-token');
  if (latest && latest.value !== currentToken && !expiresSoon(auth, deps.clock.now())) return latest.value;

  if (!auth.clientId) throw relogin('the app’s client id is not recorded');
  const clientSecret = await secrets.get(shop, 'client-secret');
  if (!clientSecret) throw relogin('the app’s client secret is not stored');
  const ctx = { origin, shop, dispatcher: await deps.dispatcher(), signal: deps.signal, log: debugLog(deps) };

  let response: TokenResponse;
  if (auth.grant === 'client_credentials') {
    response = await requestToken(ctx, {
      grant: 'client_credentials',
      clientId: auth.clientId,
      clientSecret: clientSecret.value,
    }).catch((error: unknown) => {
      throw isDsyncError(error) && error.code === 'token_request_failed' ? relogin(error.message) : error;
    });
  } else {
    const refreshToken = await secrets.get(shop, 'refresh-token');
    if (!refreshToken)
      throw relogin('no refresh token is stored (the token does not expire, or it was removed)');
    if (auth.refreshExpiresAt && Date.parse(auth.refreshExpiresAt) <= deps.clock.now().getTime()) {
      throw relogin(`the refresh token expired at ${auth.refreshExpiresAt}`);
    }
    try {
      response = await requestToken(ctx, {
        grant: 'refresh_token',
        clientId: auth.clientId,
        clientSecret: clientSecret.value,
        refreshToken: refreshToken.value,
      });
    } catch (error) {
      // A concurrent run may have rotated the refresh token under us: use its result.
      const rotated = await secrets.get(shop, 'refresh-token');
      const access = await secrets.get(shop, 'access-token');
      const nowAuth = config.getProfile(shop)?.auth;
      if (
        rotated &&
        rotated.value !== refreshToken.value &&
        access &&
        access.value !== currentToken &&
        nowAuth &&
        !expiresSoon(nowAuth, deps.clock.now())
      ) {
        return access.value;
      }
      throw isDsyncError(error) && error.code === 'refresh_failed' ? relogin(error.message) : error;
    }
  }
  await storeTokens(deps, shop, response, {
    grant: auth.grant,
    clientId: auth.clientId,
    insecure: auth.storage === 'file',
    apiOrigin: auth.apiOrigin,
    authorizedAt: auth.authorizedAt,
    keepScopes: auth.scopes,
    quiet: true,
  });
  return response.accessToken;
}

function expiresSoon(auth: AuthMetadata, now: Date): boolean {
  if (!auth.expiresAt) return false;
  const at = Date.parse(auth.expiresAt);
  return !Number.isFinite(at) || now.getTime() >= at - REFRESH_AHEAD_MS;
}

export interface StoreTokensOptions {
  grant: AuthMetadata['grant'];
  clientId: string | undefined;
  clientSecret?: string;
  insecure: boolean;
  apiOrigin: string | undefined;
  authorizedAt?: string;
  /** A refresh: no storage warning again. */
  quiet?: boolean;
  /** Scopes to record when the response does not name them. */
  keepScopes?: string[];
  /** Scopes checked with the shop query; they win over the token response. */
  grantedScopes?: string[];
}

/**
 * Stores a token response: refresh token first, then the client secret, then the access token,
 * then the non-secret metadata in the config file. Returns where the access token went.
 */
export async function storeTokens(
  deps: Pick<Deps, 'clock' | 'config' | 'secrets'>,
  shop: string,
  response: TokenResponse,
  options: StoreTokensOptions,
): Promise<SecretLocation> {
  const secrets = await deps.secrets();
  const config = await deps.config();
  const write = { insecure: options.insecure, quiet: options.quiet === true };
  const now = deps.clock.now();
  if (response.refreshToken) await secrets.set(shop, 'refresh-token', response.refreshToken, write);
  else if (options.grant !== 'authorization_code' || response.expiresIn === undefined) {
    // A leftover from an earlier login; failing to reach the keychain here must not fail the login.
    await secrets.delete(shop, 'refresh-token').catch(() => undefined);
  }
  if (options.clientSecret) await secrets.set(shop, 'client-secret', options.clientSecret, write);
  const location = await secrets.set(shop, 'access-token', response.accessToken, write);
  const profile: StoreProfile = config.getProfile(shop) ?? { shop, settings: {} };
  const auth: AuthMetadata = {
    grant: options.grant,
    storage: location,
    authorizedAt: options.authorizedAt ?? now.toISOString(),
  };
  if (options.clientId) auth.clientId = options.clientId;
  const scopes = options.grantedScopes ?? response.scopes ?? options.keepScopes;
  if (scopes) auth.scopes = [...scopes].sort();
  if (response.expiresIn !== undefined) {
    auth.expiresAt = new Date(now.getTime() + response.expiresIn * 1000).toISOString();
  }
  if (response.refreshExpiresIn !== undefined) {
    auth.refreshExpiresAt = new Date(now.getTime() + response.refreshExpiresIn * 1000).toISOString();
  }
  if (options.apiOrigin) auth.apiOrigin = options.apiOrigin;
  config.saveProfile({ ...profile, auth });
  return location;
}
