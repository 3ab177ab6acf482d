import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthRoutes, TokenRegistry } from '../../../src/sandbox/auth/index.js';

const SHOP = 'dsync-sandbox.myshopify.com';
const CLIENT_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const CLIENT_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const ALL_SCOPES = ['read_locations', 'read_orders', 'read_inventory', 'write_inventory', 'read_all_orders'];
const CALLBACK = 'http://127.0.0.1:3456/callback';

interface Harness {
  origin: string;
  tokens: TokenRegistry;
  clock: { ms: number };
  close: () => Promise<void>;
}

async function startSandbox(
  opts: { autoApprove?: boolean; appName?: string; tokenTtlSeconds?: number } = {},
): Promise<Harness> {
  const clock = { ms: Date.parse('2026-11-26T12:00:00Z') };
  const now = () => new Date(clock.ms);
  const tokens = new TokenRegistry({
    now,
    ...(opts.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: opts.tokenTtlSeconds }),
  });
  let origin = '';
  const routes = createOAuthRoutes({
    app: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: opts.appName ?? 'dsync' },
    shop: SHOP,
    tokens,
    autoApprove: opts.autoApprove ?? false,
    now,
    origin: () => origin,
    allScopes: ALL_SCOPES,
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    routes(req, res, url)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end('not found');
        }
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    tokens,
    clock,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function authorizeUrl(origin: string, params: Record<string, string>): string {
  const url = new URL('/admin/oauth/authorize', origin);
  const defaults = {
    client_id: CLIENT_ID,
    scope: 'read_orders,write_inventory',
    redirect_uri: CALLBACK,
    state: 's-123',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...params })) url.searchParams.set(k, v);
  return url.toString();
}

/** The app's side of the HMAC check, written from NOTES.md independently of the sandbox code. */
function hmacIsValid(location: string): boolean {
  const params = new URL(location).searchParams;
  const message = [...params]
    .filter(([k]) => k !== 'hmac' && k !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => new URLSearchParams([[k, v]]).toString().replace(/\+/g, '%20'))
    .join('&');
  return createHmac('sha256', CLIENT_SECRET).update(message).digest('hex') === params.get('hmac');
}

/** The fields the token and revocation endpoints answer with. */
interface Reply {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token: string;
  refresh_token_expires_in?: number;
  error?: string;
  error_description?: string;
  errors?: string;
}

async function readJson(res: Response): Promise<Reply> {
  return (await res.json()) as Reply;
}

async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Opens the install page, pulls out the nonce and clicks a button. */
async function decide(
  h: Harness,
  params: Record<string, string>,
  decision: 'install' | 'cancel',
): Promise<string> {
  const page = await fetch(authorizeUrl(h.origin, params));
  expect(page.status).toBe(200);
  const html = await page.text();
  const nonce = /name="nonce" value="([0-9a-f]+)"/.exec(html)?.[1];
  expect(nonce).toBeDefined();
  const res = await postForm(`${h.origin}/admin/oauth/authorize/approve`, { nonce: nonce ?? '', decision });
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

async function codeFor(h: Harness, params: Record<string, string> = {}): Promise<string> {
  const location = await decide(h, params, 'install');
  return new URL(location).searchParams.get('code') ?? '';
}

describe('sandbox OAuth routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(async () => {
    await h.close();
  });

  describe('GET /admin/oauth/authorize', () => {
    it('shows the install page with the shop, the app and the scopes in words', async () => {
      const res = await fetch(authorizeUrl(h.origin, {}));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const html = await res.text();
      expect(html).toContain(SHOP);
      expect(html).toContain('Install dsync');
      expect(html).toContain('<button type="submit">Install</button>');
      expect(html).toContain('Cancel');
      expect(html).toContain('View orders');
      expect(html).toContain('Manage inventory');
      expect(html).toMatch(/<form method="post" action="\/admin\/oauth\/authorize\/approve">/);
    });

    it.each([
      ['an unknown client_id', { client_id: 'nope' }, /No app with client_id nope/],
      ['no client_id', { client_id: '' }, /client_id parameter is missing/],
      ['no redirect_uri', { redirect_uri: '' }, /redirect_uri parameter is missing/],
      ['a redirect_uri that is not a URL', { redirect_uri: 'callback' }, /not a valid URL/],
      ['plain http to a remote host', { redirect_uri: 'http://evil.example/cb' }, /must use https/],
      ['a javascript: URI', { redirect_uri: 'javascript:alert(1)' }, /must use https/],
      ['credentials in the redirect_uri', { redirect_uri: 'https://u:p@app.example/cb' }, /credentials/],
      ['a fragment', { redirect_uri: 'https://app.example/cb#x' }, /fragment/],
      ['an unknown scope', { scope: 'read_orders,write_themes' }, /access scope is invalid: write_themes/],
      ['an empty scope', { scope: ' , ' }, /scope parameter is missing/],
      ['online access', { 'grant_options[]': 'per-user' }, /offline access tokens only/],
      ['a plain PKCE method', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, /S256/],
      ['a malformed challenge', { code_challenge: 'short', code_challenge_method: 'S256' }, /43 characters/],
    ])('refuses %s with an error page and no redirect', async (_name, params, message) => {
      const res = await fetch(authorizeUrl(h.origin, params), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const html = await res.text();
      expect(html).toContain('Oauth error');
      expect(html).toMatch(message);
    });

    it.each([
      'https://app.example/auth/callback',
      'http://localhost:3456/callback',
      'http://[::1]:3456/callback',
      'http://127.0.0.1:8080/',
    ])('accepts the redirect_uri %s', async (redirect_uri) => {
      const res = await fetch(authorizeUrl(h.origin, { redirect_uri }));
      expect(res.status).toBe(200);
    });

    it('escapes a hostile scope on the error page', async () => {
      const res = await fetch(authorizeUrl(h.origin, { scope: '<script>alert("x")</script>' }));
      const html = await res.text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('escapes a hostile app name on the install page', async () => {
      const hostile = await startSandbox({ appName: '<img src=x onerror="alert(1)">&' });
      try {
        const html = await (await fetch(authorizeUrl(hostile.origin, {}))).text();
        expect(html).not.toContain('<img');
        expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;');
      } finally {
        await hostile.close();
      }
    });

    it('redirects at once when auto-approving', async () => {
      const auto = await startSandbox({ autoApprove: true });
      try {
        const res = await fetch(authorizeUrl(auto.origin, {}), { redirect: 'manual' });
        expect(res.status).toBe(302);
        const location = res.headers.get('location') ?? '';
        expect(location.startsWith(`${CALLBACK}?`)).toBe(true);
        expect(new URL(location).searchParams.get('code')).toMatch(/^[0-9a-f]{32}$/);
        expect(hmacIsValid(location)).toBe(true);
      } finally {
        await auto.close();
      }
    });

    it('answers other methods with 405', async () => {
      const res = await fetch(authorizeUrl(h.origin, {}), { method: 'POST' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    });
  });

  describe('Install and Cancel', () => {
    it('redirects with code, hmac, host, shop, state and timestamp, correctly signed', async () => {
      const location = await decide(h, { state: 'a b+c/=' }, 'install');
      const url = new URL(location);
      expect(`${url.origin}${url.pathname}`).toBe(CALLBACK);
      expect([...url.searchParams.keys()]).toEqual(['code', 'hmac', 'host', 'shop', 'state', 'timestamp']);
      expect(url.searchParams.get('shop')).toBe(SHOP);
      expect(url.searchParams.get('state')).toBe('a b+c/=');
      expect(url.searchParams.get('timestamp')).toBe(String(Date.parse('2026-11-26T12:00:00Z') / 1000));
      expect(Buffer.from(url.searchParams.get('host') ?? '', 'base64').toString()).toBe(
        'admin.shopify.com/store/dsync-sandbox',
      );
      expect(hmacIsValid(location)).toBe(true);
    });

    it('redirects with access_denied on Cancel, and no code', async () => {
      const location = await decide(h, {}, 'cancel');
      const params = new URL(location).searchParams;
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe('s-123');
      expect(params.get('code')).toBeNull();
      expect(hmacIsValid(location)).toBe(true);
    });

    it('answers a page only once', async () => {
      const html = await (await fetch(authorizeUrl(h.origin, {}))).text();
      const nonce = /name="nonce" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';
      const first = await postForm(`${h.origin}/admin/oauth/authorize/approve`, {
        nonce,
        decision: 'install',
      });
      expect(first.status).toBe(302);
      const second = await postForm(`${h.origin}/admin/oauth/authorize/approve`, {
        nonce,
        decision: 'install',
      });
      expect(second.status).toBe(400);
      expect(await second.text()).toMatch(/expired or was already answered/);
    });

    it('refuses a forged approval without the page nonce', async () => {
      const res = await postForm(`${h.origin}/admin/oauth/authorize/approve`, {
        nonce: 'guess',
        decision: 'install',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    });

    it('expires a page left open for more than ten minutes', async () => {
      const html = await (await fetch(authorizeUrl(h.origin, {}))).text();
      const nonce = /name="nonce" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';
      h.clock.ms += 10 * 60 * 1000;
      const res = await postForm(`${h.origin}/admin/oauth/authorize/approve`, { nonce, decision: 'install' });
      expect(res.status).toBe(400);
    });
  });

  describe('POST /admin/oauth/access_token', () => {
    const tokenUrl = () => `${h.origin}/admin/oauth/access_token`;

    it('exchanges a code (JSON) for a non-expiring offline token', async () => {
      const code = await codeFor(h);
      const res = await postJson(tokenUrl(), { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await readJson(res);
      expect(body).toEqual({
        access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/),
        scope: 'read_orders,write_inventory',
      });
      const found = h.tokens.lookup(body.access_token);
      expect(found.ok && [...found.scopes].sort()).toEqual([
        'read_inventory',
        'read_orders',
        'write_inventory',
      ]);
    });

    it('exchanges a code (form) for an expiring token with a refresh token', async () => {
      const code = await codeFor(h);
      const res = await postForm(tokenUrl(), {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code,
        expiring: '1',
      });
      expect(res.status).toBe(200);
      const body = await readJson(res);
      expect(Object.keys(body)).toEqual([
        'access_token',
        'scope',
        'expires_in',
        'refresh_token',
        'refresh_token_expires_in',
      ]);
      expect(body.expires_in).toBe(3600);
      expect(body.refresh_token).toMatch(/^shprt_[0-9a-f]{32}$/);
      expect(body.refresh_token_expires_in).toBe(7_776_000);
    });

    it('accepts a code only once', async () => {
      const code = await codeFor(h);
      const body = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code };
      expect((await postJson(tokenUrl(), body)).status).toBe(200);
      const again = await postJson(tokenUrl(), body);
      expect(again.status).toBe(400);
      expect(await readJson(again)).toEqual({
        error: 'invalid_request',
        error_description: 'The authorization code was not found or was already used',
      });
    });

    it('checks the PKCE verifier when the authorization sent a challenge', async () => {
      const verifier = 'x'.repeat(50);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
      const wrong = await postJson(tokenUrl(), {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code: await codeFor(h, pkce),
        code_verifier: 'y'.repeat(50),
      });
      expect(wrong.status).toBe(400);
      expect((await readJson(wrong)).error).toBe('invalid_grant');
      const missing = await postJson(tokenUrl(), {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code: await codeFor(h, pkce),
      });
      expect(missing.status).toBe(400);
      const right = await postJson(tokenUrl(), {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code: await codeFor(h, pkce),
        code_verifier: verifier,
      });
      expect(right.status).toBe(200);
    });

    it('refreshes with rotation: the old refresh token is refused once the new one is used', async () => {
      const code = await codeFor(h);
      const first = await readJson(
        await postJson(tokenUrl(), {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          code,
          expiring: '1',
        }),
      );
      const refresh = (refresh_token: string) =>
        postJson(tokenUrl(), {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_type: 'refresh_token',
          refresh_token,
        });
      const res = await refresh(first.refresh_token);
      expect(res.status).toBe(200);
      const second = await readJson(res);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);
      expect(second.scope).toBe('read_orders,write_inventory');
      expect((await refresh(second.refresh_token)).status).toBe(200);
      const old = await refresh(first.refresh_token);
      expect(old.status).toBe(400);
      expect((await readJson(old)).error).toBe('invalid_grant');
    });

    it('issues client-credentials tokens with the app scopes and a lifetime', async () => {
      const res = await postForm(tokenUrl(), {
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(res.status).toBe(200);
      const body = await readJson(res);
      expect(Object.keys(body)).toEqual(['access_token', 'scope', 'expires_in']);
      expect(body.expires_in).toBe(86_399);
      expect(body.scope).toBe('read_all_orders,read_locations,read_orders,write_inventory');
      expect(h.tokens.lookup(body.access_token).ok).toBe(true);
    });

    it('lets tokens expire after --token-ttl and then refreshes them', async () => {
      const short = await startSandbox({ tokenTtlSeconds: 2 });
      try {
        const code = await codeFor(short);
        const url = `${short.origin}/admin/oauth/access_token`;
        const first = await readJson(
          await postJson(url, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, expiring: 1 }),
        );
        expect(first.expires_in).toBe(2);
        short.clock.ms += 2000;
        expect(short.tokens.lookup(first.access_token)).toEqual({ ok: false, reason: 'expired' });
        const res = await postJson(url, {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_type: 'refresh_token',
          refresh_token: first.refresh_token,
        });
        const second = await readJson(res);
        expect(short.tokens.lookup(second.access_token).ok).toBe(true);
      } finally {
        await short.close();
      }
    });

    it.each([
      [
        'a wrong client secret',
        { client_id: CLIENT_ID, client_secret: 'shpss_wrong' },
        401,
        'invalid_client',
      ],
      ['an unknown client', { client_id: 'other', client_secret: CLIENT_SECRET }, 401, 'invalid_client'],
      ['no client secret', { client_id: CLIENT_ID }, 400, 'invalid_request'],
      ['no code', { client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, 400, 'invalid_request'],
      [
        'an unsupported grant',
        { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'password' },
        400,
        'unsupported_grant_type',
      ],
      [
        'a bad expiring flag',
        { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: 'x', expiring: 'yes' },
        400,
        'invalid_request',
      ],
      [
        'an unknown refresh token',
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_type: 'refresh_token',
          refresh_token: 'shprt_x',
        },
        400,
        'invalid_grant',
      ],
    ])('refuses %s in OAuth error shape', async (_name, body, status, error) => {
      const res = await postJson(tokenUrl(), body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = await readJson(res);
      expect(json.error).toBe(error);
      expect(typeof json.error_description).toBe('string');
      expect(JSON.stringify(json)).not.toContain(CLIENT_SECRET);
    });

    it('refuses a wrong secret without spending the code', async () => {
      const code = await codeFor(h);
      const bad = await postJson(tokenUrl(), { client_id: CLIENT_ID, client_secret: 'shpss_wrong', code });
      expect(bad.status).toBe(401);
      const good = await postJson(tokenUrl(), { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code });
      expect(good.status).toBe(200);
    });

    it('refuses credentials in the URL', async () => {
      const res = await fetch(`${tokenUrl()}?client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&code=x`, {
        method: 'POST',
      });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error_description).toMatch(/request body/);
    });

    it.each([
      ['malformed JSON', 'application/json', '{"client_id":', 400],
      ['a JSON array', 'application/json', '[]', 400],
      ['a nested field', 'application/json', '{"client_id":{"a":1}}', 400],
      ['an unsupported type', 'text/plain', 'client_id=x', 415],
      ['an oversized body', 'application/json', `{"x":"${'a'.repeat(70_000)}"}`, 413],
    ])('refuses %s', async (_name, contentType, body, status) => {
      const res = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(res.status).toBe(status);
      expect((await readJson(res)).error).toBe('invalid_request');
    });

    it('answers GET with 405', async () => {
      const res = await fetch(tokenUrl());
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    });
  });

  describe('DELETE /admin/api_permissions/current.json', () => {
    it('revokes the calling token and its refresh token', async () => {
      const issued = h.tokens.issue({ clientId: CLIENT_ID, scopes: ['read_orders'], expiring: true });
      const res = await fetch(`${h.origin}/admin/api_permissions/current.json`, {
        method: 'DELETE',
        headers: { 'x-shopify-access-token': issued.accessToken },
      });
      expect(res.status).toBe(200);
      expect(await readJson(res)).toEqual({});
      expect(h.tokens.lookup(issued.accessToken)).toEqual({ ok: false, reason: 'revoked' });
      expect(h.tokens.refresh({ clientId: CLIENT_ID, refreshToken: issued.refreshToken ?? '' }).ok).toBe(
        false,
      );
    });

    it('also answers on the versioned path', async () => {
      const issued = h.tokens.issue({ clientId: CLIENT_ID, scopes: ['read_orders'] });
      const res = await fetch(`${h.origin}/admin/api/2025-01/api_permissions/current.json`, {
        method: 'DELETE',
        headers: { 'x-shopify-access-token': issued.accessToken },
      });
      expect(res.status).toBe(200);
      expect(h.tokens.lookup(issued.accessToken).ok).toBe(false);
    });

    it.each([
      ['no token', undefined],
      ['an unknown token', 'shpat_00000000000000000000000000000000'],
    ])('answers 401 for %s', async (_name, token) => {
      const res = await fetch(`${h.origin}/admin/api_permissions/current.json`, {
        method: 'DELETE',
        headers: token === undefined ? {} : { 'x-shopify-access-token': token },
      });
      expect(res.status).toBe(401);
      expect((await readJson(res)).errors).toMatch(/Invalid API key or access token/);
    });

    it('answers 401 once the token was revoked', async () => {
      const issued = h.tokens.issue({ clientId: CLIENT_ID, scopes: ['read_orders'] });
      const del = () =>
        fetch(`${h.origin}/admin/api_permissions/current.json`, {
          method: 'DELETE',
          headers: { 'x-shopify-access-token': issued.accessToken },
        });
      expect((await del()).status).toBe(200);
      expect((await del()).status).toBe(401);
    });
  });

  it('leaves other paths to the rest of the sandbox', async () => {
    const res = await fetch(`${h.origin}/admin/api/2025-01/graphql.json`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});
