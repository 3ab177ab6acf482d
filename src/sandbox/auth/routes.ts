import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '../context.js';
import { approvalPage, oauthErrorPage } from './pages.js';
import { isValidS256Challenge } from './pkce.js';
import { readParams } from './request-body.js';
import { adminHostParam, signedRedirect } from './query-signature.js';
import { parseScopeList } from './scope-set.js';
import { randomHex, safeEqual } from './secrets.js';
import type { GrantResult, IssuedToken, TokenRegistry } from './token-registry.js';

export interface OAuthRoutesContext {
  /** Path prefix the store is reached under (`/shops/{shop}` on a many-store sandbox; default ''). */
  basePath?: string;
  /** The one app the sandbox store knows. */
  app: { clientId: string; clientSecret: string; name: string };
  /** `{handle}.myshopify.com`. */
  shop: string;
  tokens: TokenRegistry;
  /** Approve every valid authorization request at once (no page). */
  autoApprove: boolean;
  now: () => Date;
  /** The sandbox's origin, e.g. http://127.0.0.1:4321. */
  origin: () => string;
  /** Every scope the sandbox knows; also the scopes a client-credentials token gets. */
  allScopes: string[];
}

export const AUTHORIZE_PATH = '/admin/oauth/authorize';
export const APPROVE_PATH = '/admin/oauth/authorize/approve';
export const TOKEN_PATH = '/admin/oauth/access_token';
const API_PERMISSIONS_PATH = /^\/admin(?:\/api\/[^/]+)?\/api_permissions\/current\.json$/;

/** How long an approval page stays answerable. */
const PENDING_TTL_MS = 10 * 60 * 1000;
const INVALID_TOKEN_MESSAGE = '[API] Invalid API key or access token (unrecognized login or wrong password)';

interface PendingAuthorization {
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  expiresAt: number;
}

type Validated =
  | { ok: true; pending: Omit<PendingAuthorization, 'expiresAt'> }
  | { ok: false; description: string; error: string };

/**
 * Shopify's OAuth endpoints for the sandbox store:
 * - `GET  /admin/oauth/authorize` — validate, then the install page (or, auto-approving, the redirect);
 * - `POST /admin/oauth/authorize/approve` — Install / Cancel from that page;
 * - `POST /admin/oauth/access_token` — authorization code, refresh token and client credentials grants;
 * - `DELETE /admin/api_permissions/current.json` — the app revokes its own access token.
 */
export function createOAuthRoutes(ctx: OAuthRoutesContext): RouteHandler {
  const pending = new Map<string, PendingAuthorization>();
  const known = new Set(ctx.allScopes);

  const prunePending = (): void => {
    const now = ctx.now().getTime();
    for (const [nonce, entry] of pending) if (now >= entry.expiresAt) pending.delete(nonce);
  };

  const validateAuthorize = (query: URLSearchParams): Validated => {
    const clientId = query.get('client_id');
    if (clientId === null || clientId === '') {
      return { ok: false, error: 'invalid_request', description: 'The client_id parameter is missing.' };
    }
    if (!safeEqual(clientId, ctx.app.clientId)) {
      return {
        ok: false,
        error: 'invalid_request',
        description: `No app with client_id ${clientId} is installed on ${ctx.shop}.`,
      };
    }
    const redirectUri = query.get('redirect_uri');
    const redirectProblem = checkRedirectUri(redirectUri);
    if (redirectProblem !== undefined)
      return { ok: false, error: 'invalid_request', description: redirectProblem };
    if (query.getAll('grant_options[]').includes('per-user')) {
      return {
        ok: false,
        error: 'invalid_request',
        description: 'The sandbox store issues offline access tokens only; remove grant_options[]=per-user.',
      };
    }
    const scopes = parseScopeList(query.get('scope') ?? '');
    if (scopes.length === 0) {
      return { ok: false, error: 'invalid_scope', description: 'The scope parameter is missing or empty.' };
    }
    const unknown = scopes.filter((scope) => !known.has(scope));
    if (unknown.length > 0) {
      return {
        ok: false,
        error: 'invalid_scope',
        description: `The access scope is invalid: ${unknown.join(', ')}`,
      };
    }
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method');
    if (challenge === null && method !== null) {
      return {
        ok: false,
        error: 'invalid_request',
        description: 'code_challenge_method was sent without code_challenge.',
      };
    }
    if (challenge !== null) {
      if (method !== 'S256') {
        return {
          ok: false,
          error: 'invalid_request',
          description: 'code_challenge_method must be S256 (plain is not supported).',
        };
      }
      if (!isValidS256Challenge(challenge)) {
        return {
          ok: false,
          error: 'invalid_request',
          description:
            'code_challenge must be the unpadded base64url SHA-256 of the code verifier (43 characters).',
        };
      }
    }
    return {
      ok: true,
      pending: {
        redirectUri: redirectUri as string,
        scopes,
        state: query.get('state') ?? undefined,
        codeChallenge: challenge ?? undefined,
      },
    };
  };

  /** The redirect back to the app after Install: code, hmac, host, shop, state, timestamp. */
  const approveRedirect = (entry: Omit<PendingAuthorization, 'expiresAt'>): string => {
    const code = ctx.tokens.createAuthorizationCode({
      clientId: ctx.app.clientId,
      redirectUri: entry.redirectUri,
      scopes: entry.scopes,
      ...(entry.codeChallenge === undefined ? {} : { codeChallenge: entry.codeChallenge }),
    });
    const params: Record<string, string> = {
      code,
      host: adminHostParam(ctx.shop),
      shop: ctx.shop,
      timestamp: String(Math.floor(ctx.now().getTime() / 1000)),
    };
    if (entry.state !== undefined) params.state = entry.state;
    return signedRedirect(entry.redirectUri, params, ctx.app.clientSecret);
  };

  /** The redirect back after Cancel: OAuth's `access_denied`, signed like every redirect. */
  const denyRedirect = (entry: Omit<PendingAuthorization, 'expiresAt'>): string => {
    const params: Record<string, string> = {
      error: 'access_denied',
      error_description: 'The merchant declined to install the app.',
      shop: ctx.shop,
      timestamp: String(Math.floor(ctx.now().getTime() / 1000)),
    };
    if (entry.state !== undefined) params.state = entry.state;
    return signedRedirect(entry.redirectUri, params, ctx.app.clientSecret);
  };

  const authorize = async (res: ServerResponse, url: URL): Promise<void> => {
    const result = validateAuthorize(url.searchParams);
    if (!result.ok) {
      sendHtml(res, 400, oauthErrorPage(result.error, result.description));
      return;
    }
    if (ctx.autoApprove) {
      redirect(res, approveRedirect(result.pending));
      return;
    }
    prunePending();
    const nonce = randomHex(16);
    pending.set(nonce, { ...result.pending, expiresAt: ctx.now().getTime() + PENDING_TTL_MS });
    sendHtml(
      res,
      200,
      approvalPage({
        shop: ctx.shop,
        appName: ctx.app.name,
        scopes: result.pending.scopes,
        nonce,
        action: `${ctx.basePath ?? ''}${APPROVE_PATH}`,
      }),
    );
  };

  const approve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readParams(req);
    if (!body.ok) {
      sendHtml(res, body.status, oauthErrorPage('invalid_request', body.description));
      return;
    }
    const nonce = body.params.get('nonce') ?? '';
    const entry = pending.get(nonce);
    if (entry === undefined || ctx.now().getTime() >= entry.expiresAt) {
      pending.delete(nonce);
      sendHtml(
        res,
        400,
        oauthErrorPage(
          'invalid_request',
          'This installation request has expired or was already answered. Start the installation again from the app.',
        ),
      );
      return;
    }
    pending.delete(nonce);
    const decision = body.params.get('decision');
    if (decision === 'install') redirect(res, approveRedirect(entry));
    else if (decision === 'cancel') redirect(res, denyRedirect(entry));
    else sendHtml(res, 400, oauthErrorPage('invalid_request', 'Choose Install or Cancel.'));
  };

  const token = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (
      url.searchParams.has('client_secret') ||
      url.searchParams.has('refresh_token') ||
      url.searchParams.has('code')
    ) {
      sendOAuthError(
        res,
        400,
        'invalid_request',
        'Send client_secret, code and refresh_token in the request body, never in the URL.',
      );
      return;
    }
    const body = await readParams(req);
    if (!body.ok) {
      sendOAuthError(res, body.status, 'invalid_request', body.description);
      return;
    }
    const params = body.params;
    const clientId = params.get('client_id') ?? '';
    const clientSecret = params.get('client_secret') ?? '';
    if (clientId === '' || clientSecret === '') {
      sendOAuthError(res, 400, 'invalid_request', 'client_id and client_secret are required.');
      return;
    }
    if (!safeEqual(clientId, ctx.app.clientId) || !safeEqual(clientSecret, ctx.app.clientSecret)) {
      sendOAuthError(
        res,
        401,
        'invalid_client',
        'Client authentication failed: unknown client_id or wrong client_secret.',
      );
      return;
    }
    const grantType = params.get('grant_type') ?? 'authorization_code';
    let result: GrantResult;
    if (grantType === 'authorization_code') {
      const code = params.get('code') ?? '';
      if (code === '') {
        sendOAuthError(res, 400, 'invalid_request', 'The code parameter is missing.');
        return;
      }
      const expiring = parseFlag(params.get('expiring'));
      if (expiring === undefined) {
        sendOAuthError(res, 400, 'invalid_request', 'expiring must be "1" or "0".');
        return;
      }
      const verifier = params.get('code_verifier');
      const redirectUri = params.get('redirect_uri');
      result = ctx.tokens.exchangeCode({
        clientId,
        code,
        expiring,
        ...(verifier === undefined ? {} : { codeVerifier: verifier }),
        ...(redirectUri === undefined ? {} : { redirectUri }),
      });
    } else if (grantType === 'refresh_token') {
      const refreshToken = params.get('refresh_token') ?? '';
      if (refreshToken === '') {
        sendOAuthError(res, 400, 'invalid_request', 'The refresh_token parameter is missing.');
        return;
      }
      result = ctx.tokens.refresh({ clientId, refreshToken });
    } else if (grantType === 'client_credentials') {
      result = { ok: true, ...ctx.tokens.issueClientCredentials({ clientId, scopes: ctx.allScopes }) };
    } else {
      sendOAuthError(
        res,
        400,
        'unsupported_grant_type',
        `grant_type ${grantType} is not supported; use authorization_code, refresh_token or client_credentials.`,
      );
      return;
    }
    if (!result.ok) {
      sendOAuthError(res, 400, result.error, result.description);
      return;
    }
    sendJson(res, 200, tokenResponse(result));
  };

  const revokeCurrent = (req: IncomingMessage, res: ServerResponse): void => {
    const header = req.headers['x-shopify-access-token'];
    const accessToken = Array.isArray(header) ? header[0] : header;
    if (accessToken === undefined || accessToken === '' || !ctx.tokens.lookup(accessToken).ok) {
      sendJson(res, 401, { errors: INVALID_TOKEN_MESSAGE });
      return;
    }
    ctx.tokens.revoke(accessToken);
    sendJson(res, 200, {});
  };

  return async (req, res, url) => {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === AUTHORIZE_PATH) {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET');
      await authorize(res, url);
      return true;
    }
    if (path === APPROVE_PATH) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      await approve(req, res);
      return true;
    }
    if (path === TOKEN_PATH) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      await token(req, res, url);
      return true;
    }
    if (API_PERMISSIONS_PATH.test(path)) {
      if (method !== 'DELETE') return methodNotAllowed(res, 'DELETE');
      revokeCurrent(req, res);
      return true;
    }
    return false;
  };
}

/**
 * Why a redirect_uri is refused, or undefined when it is acceptable: an absolute https URL, or
 * plain http to a loopback address (the CLI's local callback). No credentials, no fragment.
 */
export function checkRedirectUri(value: string | null): string | undefined {
  if (value === null || value === '') return 'The redirect_uri parameter is missing.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The redirect_uri is not a valid URL.';
  }
  if (url.username !== '' || url.password !== '') return 'The redirect_uri must not contain credentials.';
  if (value.includes('#')) return 'The redirect_uri must not contain a fragment.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'The redirect_uri must use https, or http to a loopback address (127.0.0.1, [::1] or localhost).';
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** `"1"`/`"true"` → true, absent/`"0"`/`"false"` → false, anything else → undefined (refused). */
function parseFlag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  return undefined;
}

function tokenResponse(issued: IssuedToken): Record<string, string | number> {
  const body: Record<string, string | number> = { access_token: issued.accessToken, scope: issued.scope };
  if (issued.expiresIn !== undefined) body.expires_in = issued.expiresIn;
  if (issued.refreshToken !== undefined) body.refresh_token = issued.refreshToken;
  if (issued.refreshTokenExpiresIn !== undefined)
    body.refresh_token_expires_in = issued.refreshTokenExpiresIn;
  return body;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(text);
}

function sendOAuthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  const text = JSON.stringify({ errors: `Method not allowed; use ${allow}` });
  res.writeHead(405, {
    allow,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
  return true;
}
