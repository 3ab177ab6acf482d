import { shopOrigin } from '../../core/api-origin.js';
import type { AuthMetadata, StoreProfile } from '../../core/config/store.js';
import type { Deps } from '../../core/deps.js';
import { isDsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { configuredStores, selectStore } from '../../core/store-selection.js';
import { checkToken, clientFor } from './check.js';
import { envToken, fromLogin, resolveToken, type TokenSource } from './credentials.js';
import { type FeatureGap, missingScopes, scopeGaps, scopeSettingsOf, scopesFor } from './scopes.js';

export interface StoreAuthStatus {
  shop: string;
  default: boolean;
  /** Where the token in use comes from; null when there is none. */
  source: TokenSource | null;
  /** The file it was read from (source `credentials-dir`); null otherwise. Never the token. */
  sourcePath: string | null;
  grant: AuthMetadata['grant'] | null;
  expiresAt: string | null;
  /** Scopes the store reports for the token (null when it could not be asked). */
  scopes: string[] | null;
  /** The scopes the store's settings need (reading always; writing per enabled feature). */
  neededScopes: string[];
  missingScopes: string[];
  /** Each enabled feature, the scopes it needs and those the token lacks. */
  features: FeatureGap[];
  ok: boolean;
  /** What is wrong, when not ok: not_authenticated, token_invalid, refresh_failed, missing_scopes, … */
  problem: { code: string; message: string; hint: string | null; exitCode: number } | null;
}

export interface AuthStatusResult {
  stores: StoreAuthStatus[];
}

/**
 * Checks each store's token against the live store: it must exist, be accepted, and hold the
 * scopes dsync needs. With --store (or DSYNC_STORE) only that store; otherwise every configured
 * store. The scopes the store reports are recorded in the profile.
 */
export async function authStatus(deps: Deps): Promise<AuthStatusResult> {
  const config = await deps.config();
  const defaultStore = config.defaultStore();
  let shops: string[];
  if (deps.global.store) shops = [deps.global.store];
  else if (envToken(deps.env)) {
    // DSYNC_ACCESS_TOKEN opens one store: the selected one (a token alone does not name its
    // shop; selectStore's error says to pass --store).
    shops = [await selectStore(deps)];
  } else shops = await configuredStores(deps);
  const stores: StoreAuthStatus[] = [];
  for (const shop of shops) stores.push(await statusOf(deps, shop, shop === defaultStore));
  return { stores };
}

async function statusOf(deps: Deps, shop: string, isDefault: boolean): Promise<StoreAuthStatus> {
  const config = await deps.config();
  const origin = shopOrigin(shop, deps.apiOrigin);
  const settings = scopeSettingsOf(config.getProfile(shop));
  const status: StoreAuthStatus = {
    shop,
    default: isDefault,
    source: null,
    sourcePath: null,
    grant: null,
    expiresAt: null,
    scopes: null,
    neededScopes: scopesFor(settings),
    missingScopes: [],
    features: [],
    ok: false,
    problem: null,
  };
  const fail = (error: unknown): StoreAuthStatus => {
    if (!isDsyncError(error)) throw error;
    status.problem = {
      code: error.code,
      message: error.message,
      hint: error.hint ?? null,
      exitCode: error.exitCode,
    };
    return status;
  };
  try {
    const token = await resolveToken(deps, shop, origin);
    status.source = token.source;
    status.sourcePath = token.path ?? null;
    if (fromLogin(token.source)) {
      const auth = config.getProfile(shop)?.auth;
      status.grant = auth?.grant ?? null;
    }
    const client = await clientFor(deps, shop, origin, token.provider);
    const check = await checkToken(client, shop);
    status.scopes = check.scopes;
    status.missingScopes = missingScopes(check.scopes, settings);
    status.features = scopeGaps(check.scopes, settings);
    const profile = config.getProfile(shop);
    if (fromLogin(token.source) && profile?.auth) {
      status.expiresAt = profile.auth.expiresAt ?? null;
      if (JSON.stringify(profile.auth.scopes ?? []) !== JSON.stringify(check.scopes)) {
        config.saveProfile({ ...profile, auth: { ...profile.auth, scopes: check.scopes } });
      }
    }
  } catch (error) {
    return fail(error);
  }
  if (status.missingScopes.length > 0) {
    const lacking = status.features.filter((f) => f.missing.length > 0).map((f) => f.feature);
    status.problem = {
      code: 'missing_scopes',
      message: `the token lacks ${status.missingScopes.join(', ')} (for ${lacking.join(', ')})`,
      hint: reauthorizeHint(shop, status.grant, status.missingScopes),
      exitCode: ExitCode.auth,
    };
    return status;
  }
  status.ok = true;
  return status;
}

/** The command that gets a token with the scopes the settings need, by how the store logged in. */
export function reauthorizeHint(
  shop: string,
  grant: AuthMetadata['grant'] | null,
  missing: string[],
): string {
  if (grant === 'token') {
    return `add ${missing.join(', ')} to the app's Admin API scopes in the Shopify admin, then pipe its token again: dsync auth login --store ${shop} --with-token`;
  }
  if (grant === 'client_credentials') {
    return `add ${missing.join(', ')} to the app's access scopes, then dsync auth login --store ${shop} --client-credentials`;
  }
  return `dsync auth login --store ${shop}   (asks for the scopes the settings need: ${missing.join(', ')})`;
}

/**
 * After a setting changed which features are on: what the recorded scopes of the login lack for
 * them, and the login to run; undefined when they suffice or no scopes were recorded.
 */
export function scopeAdvice(profile: StoreProfile | undefined): string | undefined {
  const recorded = profile?.auth?.scopes;
  if (!profile?.auth || !recorded) return undefined;
  const gaps = scopeGaps(recorded, scopeSettingsOf(profile)).filter((g) => g.missing.length > 0);
  if (gaps.length === 0) return undefined;
  const missing = [...new Set(gaps.flatMap((g) => g.missing))];
  return `${gaps.map((g) => `${g.feature} (${g.commands})`).join(', ')} need${gaps.length === 1 ? 's' : ''} ${missing.join(', ')}, which the login of ${profile.shop} lacks: ${reauthorizeHint(profile.shop, profile.auth.grant, missing)}`;
}
