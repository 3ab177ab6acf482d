import { shopOrigin } from '../../core/api-origin.js';
import type { Deps } from '../../core/deps.js';
import { AuthError } from '../../core/errors.js';
import { TokenInvalidError } from '../../shopify/errors.js';
import type { SecretLocation } from '../../core/secrets/store.js';
import { isKeychainDisabled } from '../../core/secrets/default-store.js';
import { verifyCallback } from './callback.js';
import { CALLBACK_PATH, startCallbackServer } from './callback-server.js';
import { checkToken, clientFor, type TokenCheck } from './check.js';
import { storeTokens } from './credentials.js';
import { createPkcePair, createState } from './pkce.js';
import { missingScopes, scopeSettingsOf } from './scopes.js';
import { debugLog, requestToken, type TokenResponse } from './token-endpoint.js';

export type LoginFlow = 'browser' | 'token' | 'client-credentials';

export interface LoginOptions {
  shop: string;
  flow: LoginFlow;
  clientId?: string;
  clientSecret?: string;
  /** The Admin API token, for the `token` flow (read from stdin by the command). */
  token?: string;
  scopes: string[];
  port: number;
  openBrowser: boolean;
  insecure: boolean;
  /** Ask for an expiring offline token (refresh token, rotation). */
  expiring: boolean;
  /** Called with the authorize URL once the callback server listens (tests, the command's talk). */
  onAuthorizeUrl?: (url: string) => void;
  /** Where the login tells the user what happens (the command's stderr); silent when absent. */
  talk?: LoginTalk;
  /**
   * The address the browser ended on, pasted back by the user (a browser on another machine
   * cannot reach this one's loopback callback). Resolves to '' when nothing was pasted; the
   * signal aborts the question once the callback arrived the other way.
   */
  pastedCallback?: (signal: AbortSignal) => Promise<string>;
}

/** What the login says along the way: the command decides where it goes. */
export interface LoginTalk {
  info(message: string): void;
  success(message: string): void;
  warn(message: string): void;
}

const SILENT: LoginTalk = { info: () => {}, success: () => {}, warn: () => {} };

export interface LoginResult {
  shop: string;
  shopName: string;
  grant: 'authorization_code' | 'client_credentials' | 'token';
  storage: SecretLocation;
  scopes: string[];
  missingScopes: string[];
  expiresAt: string | null;
  default: boolean;
}

/**
 * Gets a token by one of the three flows, checks it with a shop query, and stores it (secrets in
 * the keychain or the fallback file, metadata and granted scopes in the config file). A token
 * the store refuses is never stored.
 */
export async function login(deps: Deps, options: LoginOptions): Promise<LoginResult> {
  const out = options.talk ?? SILENT;
  const origin = shopOrigin(options.shop, deps.apiOrigin);
  const endpoint = {
    origin,
    shop: options.shop,
    dispatcher: await deps.dispatcher(),
    signal: deps.signal,
    log: debugLog(deps),
  };

  let response: TokenResponse;
  let grant: LoginResult['grant'];
  if (options.flow === 'token') {
    grant = 'token';
    response = {
      accessToken: options.token ?? '',
      scopes: undefined,
      expiresIn: undefined,
      refreshToken: undefined,
      refreshExpiresIn: undefined,
    };
  } else if (options.flow === 'client-credentials') {
    grant = 'client_credentials';
    out.info(`Requesting a token for ${options.shop} with the client-credentials grant…`);
    response = await requestToken(endpoint, {
      grant: 'client_credentials',
      clientId: options.clientId ?? '',
      clientSecret: options.clientSecret ?? '',
    });
  } else {
    grant = 'authorization_code';
    const code = await authorizeInBrowser(deps, options, origin);
    out.info('Exchanging the authorization code for a token…');
    response = await requestToken(endpoint, {
      grant: 'authorization_code',
      clientId: options.clientId ?? '',
      clientSecret: options.clientSecret ?? '',
      code: code.code,
      codeVerifier: code.verifier,
      expiring: options.expiring,
    });
  }

  const check: TokenCheck = await checkToken(
    await clientFor(deps, options.shop, origin, { getToken: async () => response.accessToken }),
    options.shop,
  ).catch((error: unknown) => {
    // A pasted token Shopify refuses was never valid here: say so, and where a valid one comes from.
    if (grant === 'token' && error instanceof TokenInvalidError) {
      throw new AuthError(`${options.shop} refused the token given on stdin`, {
        code: 'token_refused',
        hint: `copy the Admin API access token (shpat_…) of an app installed on ${options.shop} (Settings → Apps and sales channels → Develop apps → API credentials), or log in through the browser with \`dsync auth login --store ${options.shop}\``,
        details: error.details,
      });
    }
    throw error;
  });
  const refreshable =
    grant === 'client_credentials' || (grant === 'authorization_code' && response.refreshToken !== undefined);
  const storage = await storeTokens(deps, options.shop, response, {
    grant,
    clientId: options.clientId,
    clientSecret: refreshable ? options.clientSecret : undefined,
    insecure: options.insecure,
    apiOrigin: deps.apiOrigin,
    grantedScopes: check.scopes,
  });
  if (!refreshable) {
    // A client secret kept from an earlier login is no longer needed.
    await (await deps.secrets()).delete(options.shop, 'client-secret').catch(() => undefined);
  }
  const config = await deps.config();
  let isDefault = config.defaultStore() === options.shop;
  if (config.defaultStore() === undefined) {
    config.setDefaultStore(options.shop);
    isDefault = true;
  }
  const auth = config.getProfile(options.shop)?.auth;
  return {
    shop: options.shop,
    shopName: check.shopName,
    grant,
    storage,
    scopes: check.scopes,
    missingScopes: missingScopes(check.scopes, scopeSettingsOf(config.getProfile(options.shop))),
    expiresAt: auth?.expiresAt ?? null,
    default: isDefault,
  };
}

async function authorizeInBrowser(
  deps: Deps,
  options: LoginOptions,
  origin: string,
): Promise<{ code: string; verifier: string }> {
  const out = options.talk ?? SILENT;
  const state = createState();
  const pkce = createPkcePair();
  const server = await startCallbackServer({
    port: options.port,
    expectation: { state, shop: options.shop, clientSecret: options.clientSecret ?? '' },
    now: () => deps.clock.now(),
    signal: deps.signal,
  });
  try {
    const query = new URLSearchParams({
      client_id: options.clientId ?? '',
      scope: options.scopes.join(','),
      redirect_uri: server.redirectUri,
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: pkce.method,
    });
    const url = `${origin}/admin/oauth/authorize?${query.toString()}`;
    out.info(
      [
        `Authorize dsync on ${options.shop}:`,
        `  1. approve the app (client id ${options.clientId}) in the browser, for the scopes: ${options.scopes.join(', ')}`,
        `  2. the store sends the browser back to ${server.redirectUri} (this computer only);`,
        `     that URL must be an allowed redirection URL of the app`,
        `  3. dsync checks the answer, gets the token and stores it in ${options.insecure || isKeychainDisabled(deps.env.DSYNC_KEYCHAIN) ? 'credentials.json (mode 0600) in the config dir' : 'the OS keychain'}`,
        '',
        options.openBrowser
          ? 'Opening the browser. If it does not open, visit this URL:'
          : 'Open this URL in a browser:',
        `  ${url}`,
        '',
        'Waiting for the browser (up to 5 minutes; Ctrl-C to cancel)…',
      ].join('\n'),
    );
    options.onAuthorizeUrl?.(url);
    if (options.openBrowser) {
      try {
        await deps.openBrowser(url);
      } catch (error) {
        out.warn(`could not open a browser (${(error as Error).message}); open the URL above yourself`);
      }
    }
    const stopAsking = new AbortController();
    const sources = [server.code];
    if (options.pastedCallback) {
      out.info(
        `A browser on another machine (over SSH) cannot reach ${server.redirectUri}: approve, then paste the address the browser ended on (it starts with ${server.redirectUri}?…).`,
      );
      const pasted = options.pastedCallback(stopAsking.signal).then((text) =>
        text.trim() === ''
          ? new Promise<string>(() => undefined)
          : codeFromPastedUrl(text, {
              port: server.port,
              state,
              shop: options.shop,
              clientSecret: options.clientSecret ?? '',
              now: deps.clock.now(),
            }),
      );
      // The question is closed when the browser's callback wins: that rejection is expected.
      pasted.catch(() => undefined);
      sources.push(pasted);
    }
    try {
      const code = await Promise.race(sources);
      out.success('The store approved the app.');
      return { code, verifier: pkce.verifier };
    } finally {
      stopAsking.abort();
    }
  } finally {
    await server.close();
  }
}

/**
 * The authorization code from the address the browser ended on, pasted back: the same checks the
 * loopback server applies to a callback (path, Host, state, shop, HMAC, timestamp, one use —
 * the server closes once a code is taken either way).
 */
export function codeFromPastedUrl(
  text: string,
  expected: { port: number; state: string; shop: string; clientSecret: string; now: Date },
): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AuthError('the pasted text is not an address', {
      code: 'callback_params',
      hint: `paste the whole address from the browser's address bar (http://127.0.0.1:${expected.port}${CALLBACK_PATH}?code=…), or run \`dsync auth login --store ${expected.shop}\` again`,
    });
  }
  const verdict = verifyCallback(
    { method: 'GET', url: `${url.pathname}${url.search}`, host: url.host },
    { ...expected, path: CALLBACK_PATH },
  );
  if (!verdict.ok) {
    throw new AuthError(
      verdict.reason === 'path' || verdict.reason === 'host'
        ? `the pasted address is not this login's callback (expected http://127.0.0.1:${expected.port}${CALLBACK_PATH}?…)`
        : `login failed: ${verdict.message}`,
      { code: `callback_${verdict.reason}`, hint: `run \`dsync auth login --store ${expected.shop}\` again` },
    );
  }
  return verdict.code;
}
