import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { AuthError, DsyncError } from '../../core/errors.js';
import { redactString } from '../../core/redact.js';

/**
 * Shopify's token endpoint, `POST {origin}/admin/oauth/access_token`: code exchange, refresh
 * (with rotation) and the client-credentials grant. Responses are validated; failures become
 * AuthErrors (exit 4) that never echo a secret.
 */
export interface TokenResponse {
  accessToken: string;
  scopes: string[] | undefined;
  /** Seconds, for expiring tokens. */
  expiresIn: number | undefined;
  refreshToken: string | undefined;
  refreshExpiresIn: number | undefined;
}

const TokenBody = z.object({
  access_token: z.string().min(1),
  scope: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.coerce.number().positive().optional(),
});

export interface TokenEndpointContext {
  origin: string;
  shop: string;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  /** --debug lines (never with a secret). */
  log?: ((line: string) => void) | undefined;
}

/** The --debug logger for token requests, or undefined without --debug. */
export function debugLog(deps: {
  global: { debug: boolean };
  stderr: NodeJS.WritableStream;
}): ((line: string) => void) | undefined {
  return deps.global.debug ? (line) => deps.stderr.write(`${line}\n`) : undefined;
}

export type TokenGrant =
  | {
      grant: 'authorization_code';
      clientId: string;
      clientSecret: string;
      code: string;
      codeVerifier?: string;
      expiring: boolean;
    }
  | { grant: 'refresh_token'; clientId: string; clientSecret: string; refreshToken: string }
  | { grant: 'client_credentials'; clientId: string; clientSecret: string };

export async function requestToken(ctx: TokenEndpointContext, grant: TokenGrant): Promise<TokenResponse> {
  const body: Record<string, string> = { client_id: grant.clientId, client_secret: grant.clientSecret };
  if (grant.grant === 'authorization_code') {
    body.code = grant.code;
    if (grant.codeVerifier) body.code_verifier = grant.codeVerifier;
    if (grant.expiring) body.expiring = '1';
  } else if (grant.grant === 'refresh_token') {
    body.grant_type = 'refresh_token';
    body.refresh_token = grant.refreshToken;
  } else {
    body.grant_type = 'client_credentials';
  }
  const secrets = Object.values(body).filter((v) => v.length >= 8);
  const what =
    grant.grant === 'authorization_code'
      ? 'exchange the authorization code'
      : grant.grant === 'refresh_token'
        ? 'refresh the access token'
        : 'get a token with the client-credentials grant';
  const hint =
    grant.grant === 'client_credentials'
      ? `check the client id and secret, then \`dsync auth login --store ${ctx.shop} --client-credentials\``
      : `dsync auth login --store ${ctx.shop}`;

  const { request } = await import('undici');
  let status: number;
  let text: string;
  const started = Date.now();
  const url = `${ctx.origin}/admin/oauth/access_token`;
  ctx.log?.(`http → POST ${url} (${grant.grant}; client_id ${grant.clientId}; secrets redacted)`);
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: ctx.dispatcher,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
    status = response.statusCode;
    text = await response.body.text();
    ctx.log?.(
      `http ← ${status} POST ${url} in ${Date.now() - started} ms${response.headers['x-request-id'] ? ` (request id ${response.headers['x-request-id']})` : ''}`,
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new DsyncError(
      'network',
      `could not reach ${ctx.origin} to ${what}: ${redactString((error as Error).message, secrets)}`,
      1,
      { hint: 'check the network connection and retry' },
    );
  }
  if (status < 200 || status >= 300) {
    const reason = describeFailure(text);
    throw new AuthError(
      `${ctx.shop} refused to ${what} (HTTP ${status}${reason ? `: ${redactString(reason, secrets)}` : ''})`,
      {
        code: grant.grant === 'refresh_token' ? 'refresh_failed' : 'token_request_failed',
        hint,
        details: { status },
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuthError(`${ctx.shop} answered the token request with something that is not JSON`, { hint });
  }
  const parsed = TokenBody.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'body';
    throw new AuthError(`${ctx.shop} answered the token request without a valid ${field}`, { hint });
  }
  const data = parsed.data;
  return {
    accessToken: data.access_token,
    scopes: data.scope === undefined ? undefined : parseScopes(data.scope),
    expiresIn: data.expires_in,
    refreshToken: data.refresh_token,
    refreshExpiresIn: data.refresh_token_expires_in,
  };
}

function parseScopes(scope: string): string[] {
  return [...new Set(scope.split(/[\s,]+/).filter((s) => s !== ''))].sort();
}

function describeFailure(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const parts = [json.error, json.error_description, json.errors].filter((v) => typeof v === 'string');
    if (parts.length > 0) return parts.join(': ').slice(0, 300);
  } catch {
    // not JSON
  }
  const trimmed = text.trim();
  return trimmed === '' || trimmed.startsWith('<') ? undefined : trimmed.slice(0, 200);
}
