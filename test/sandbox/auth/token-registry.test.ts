import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { TokenRegistry } from '../../../src/sandbox/auth/token-registry.js';

class FakeClock {
  ms = Date.parse('2026-11-26T12:00:00Z');
  now = (): Date => new Date(this.ms);
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const CLIENT = 'client-1';
const verifier = 'v'.repeat(20) + '-._~' + 'A1'.repeat(10);
const challenge = createHash('sha256').update(verifier).digest('base64url');

describe('TokenRegistry', () => {
  let clock: FakeClock;
  let registry: TokenRegistry;

  beforeEach(() => {
    clock = new FakeClock();
    registry = new TokenRegistry({ now: clock.now });
  });

  describe('issue and lookup', () => {
    it('issues a non-expiring offline token in Shopify shape', () => {
      const issued = registry.issue({ clientId: CLIENT, scopes: ['read_orders', 'read_locations'] });
      expect(issued.accessToken).toMatch(/^shpat_[0-9a-f]{32}$/);
      expect(issued.scope).toBe('read_locations,read_orders');
      expect(issued.expiresIn).toBeUndefined();
      expect(issued.refreshToken).toBeUndefined();
      clock.advance(365 * 24 * 3600);
      const found = registry.lookup(issued.accessToken);
      expect(found).toMatchObject({ ok: true, clientId: CLIENT });
    });

    it('issues distinct random tokens', () => {
      const tokens = new Set(
        Array.from(
          { length: 50 },
          () => registry.issue({ clientId: CLIENT, scopes: ['read_orders'] }).accessToken,
        ),
      );
      expect(tokens.size).toBe(50);
    });

    it('reports an unknown token', () => {
      expect(registry.lookup('shpat_00000000000000000000000000000000')).toEqual({
        ok: false,
        reason: 'unknown',
      });
    });

    it('expands write scopes to the reads they imply and reports the compressed list', () => {
      const issued = registry.issue({
        clientId: CLIENT,
        scopes: ['read_inventory', 'write_inventory', 'read_orders'],
      });
      expect(issued.scope).toBe('read_orders,write_inventory');
      const found = registry.lookup(issued.accessToken);
      if (!found.ok) throw new Error('expected a valid token');
      expect([...found.scopes].sort()).toEqual(['read_inventory', 'read_orders', 'write_inventory']);
    });

    it('gives an expiring token a lifetime and a refresh token', () => {
      const issued = registry.issue({ clientId: CLIENT, scopes: ['read_orders'], expiring: true });
      expect(issued.expiresIn).toBe(3600);
      expect(issued.refreshToken).toMatch(/^shprt_[0-9a-f]{32}$/);
      expect(issued.refreshTokenExpiresIn).toBe(90 * 24 * 3600);
    });

    it('expires a token at the end of its lifetime, not before', () => {
      const issued = registry.issue({ clientId: CLIENT, scopes: ['read_orders'], expiring: true });
      clock.advance(3599);
      expect(registry.lookup(issued.accessToken).ok).toBe(true);
      clock.advance(1);
      expect(registry.lookup(issued.accessToken)).toEqual({ ok: false, reason: 'expired' });
    });

    it('honours tokenTtlSeconds for expiring and client-credentials tokens', () => {
      const short = new TokenRegistry({ now: clock.now, tokenTtlSeconds: 5 });
      const expiring = short.issue({ clientId: CLIENT, scopes: ['read_orders'], expiring: true });
      const cc = short.issueClientCredentials({ clientId: CLIENT, scopes: ['read_orders'] });
      expect(expiring.expiresIn).toBe(5);
      expect(cc.expiresIn).toBe(5);
      clock.advance(5);
      expect(short.lookup(expiring.accessToken)).toEqual({ ok: false, reason: 'expired' });
      expect(short.lookup(cc.accessToken)).toEqual({ ok: false, reason: 'expired' });
    });

    it('gives client-credentials tokens about a day and no refresh token', () => {
      const cc = registry.issueClientCredentials({ clientId: CLIENT, scopes: ['read_orders'] });
      expect(cc.expiresIn).toBe(86_399);
      expect(cc.refreshToken).toBeUndefined();
    });

    it('refuses a nonsensical ttl', () => {
      expect(() => new TokenRegistry({ now: clock.now, tokenTtlSeconds: 0 })).toThrow(RangeError);
      expect(() => registry.issue({ clientId: CLIENT, scopes: [], ttlSeconds: -1 })).toThrow(RangeError);
    });
  });

  describe('revoke', () => {
    it('revokes a token once', () => {
      const issued = registry.issue({ clientId: CLIENT, scopes: ['read_orders'] });
      expect(registry.revoke(issued.accessToken)).toBe(true);
      expect(registry.lookup(issued.accessToken)).toEqual({ ok: false, reason: 'revoked' });
      expect(registry.revoke(issued.accessToken)).toBe(false);
      expect(registry.revoke('shpat_unknown')).toBe(false);
    });

    it('takes the refresh token and the whole refresh chain with it, but not other grants', () => {
      const first = registry.issue({ clientId: CLIENT, scopes: ['read_orders'], expiring: true });
      const other = registry.issue({ clientId: CLIENT, scopes: ['read_orders'], expiring: true });
      const second = registry.refresh({ clientId: CLIENT, refreshToken: first.refreshToken! });
      if (!second.ok) throw new Error('refresh failed');
      registry.revoke(second.accessToken);
      expect(registry.lookup(first.accessToken)).toEqual({ ok: false, reason: 'revoked' });
      expect(registry.refresh({ clientId: CLIENT, refreshToken: second.refreshToken! })).toMatchObject({
        ok: false,
        error: 'invalid_grant',
      });
      expect(registry.lookup(other.accessToken).ok).toBe(true);
      expect(registry.refresh({ clientId: CLIENT, refreshToken: other.refreshToken! }).ok).toBe(true);
    });

    it('revokeClient removes every token of the app', () => {
      const a = registry.issue({ clientId: CLIENT, scopes: ['read_orders'] });
      const b = registry.issue({ clientId: 'other', scopes: ['read_orders'] });
      expect(registry.revokeClient(CLIENT)).toBe(1);
      expect(registry.lookup(a.accessToken).ok).toBe(false);
      expect(registry.lookup(b.accessToken).ok).toBe(true);
    });
  });

  describe('authorization codes', () => {
    const code = (r: TokenRegistry, extra: { codeChallenge?: string } = {}): string =>
      r.createAuthorizationCode({
        clientId: CLIENT,
        redirectUri: 'http://127.0.0.1:3456/callback',
        scopes: ['read_orders'],
        ...extra,
      });

    it('are 32 hex characters and work exactly once', () => {
      const c = code(registry);
      expect(c).toMatch(/^[0-9a-f]{32}$/);
      const first = registry.exchangeCode({ clientId: CLIENT, code: c, expiring: false });
      expect(first).toMatchObject({ ok: true, scope: 'read_orders' });
      expect(registry.exchangeCode({ clientId: CLIENT, code: c, expiring: false })).toEqual({
        ok: false,
        error: 'invalid_request',
        description: 'The authorization code was not found or was already used',
      });
    });

    it('are bound to the client', () => {
      const c = code(registry);
      expect(registry.exchangeCode({ clientId: 'someone-else', code: c, expiring: false }).ok).toBe(false);
      // A wrong client does not burn the code for the right one.
      expect(registry.exchangeCode({ clientId: CLIENT, code: c, expiring: false }).ok).toBe(true);
    });

    it('expire after 60 seconds', () => {
      const c = code(registry);
      clock.advance(60);
      const result = registry.exchangeCode({ clientId: CLIENT, code: c, expiring: false });
      expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
      expect(result.ok ? '' : result.description).toMatch(/expired/);
    });

    it('check redirect_uri when the exchange sends one', () => {
      const c = code(registry);
      expect(
        registry.exchangeCode({
          clientId: CLIENT,
          code: c,
          expiring: false,
          redirectUri: 'http://127.0.0.1:9999/x',
        }),
      ).toMatchObject({ ok: false, error: 'invalid_request' });
    });

    it('give an expiring token when asked', () => {
      const c = code(registry);
      const result = registry.exchangeCode({ clientId: CLIENT, code: c, expiring: true });
      expect(result).toMatchObject({ ok: true, expiresIn: 3600, refreshTokenExpiresIn: 7_776_000 });
    });

    it.each([
      ['the matching verifier', verifier, true],
      ['a different verifier', 'w'.repeat(43), false],
      ['no verifier', undefined, false],
      ['a too-short verifier', 'abc', false],
    ])('with a PKCE challenge accept %s: %s', (_name, codeVerifier, ok) => {
      const c = code(registry, { codeChallenge: challenge });
      const result = registry.exchangeCode({
        clientId: CLIENT,
        code: c,
        expiring: false,
        ...(codeVerifier === undefined ? {} : { codeVerifier }),
      });
      expect(result.ok).toBe(ok);
    });

    it('are spent by a failed PKCE attempt', () => {
      const c = code(registry, { codeChallenge: challenge });
      expect(
        registry.exchangeCode({ clientId: CLIENT, code: c, expiring: false, codeVerifier: 'x'.repeat(43) })
          .ok,
      ).toBe(false);
      expect(
        registry.exchangeCode({ clientId: CLIENT, code: c, expiring: false, codeVerifier: verifier }).ok,
      ).toBe(false);
    });
  });

  describe('refresh', () => {
    const start = (r: TokenRegistry) =>
      r.issue({ clientId: CLIENT, scopes: ['write_inventory'], expiring: true });
    const refresh = (r: TokenRegistry, refreshToken: string | undefined) =>
      r.refresh({ clientId: CLIENT, refreshToken: refreshToken ?? '' });

    it('returns a new access token and a rotated refresh token with the same scopes', () => {
      const first = start(registry);
      const second = refresh(registry, first.refreshToken);
      if (!second.ok) throw new Error(second.description);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.scope).toBe('write_inventory');
      expect(second.expiresIn).toBe(3600);
      // The earlier access token keeps working until its own expiry.
      expect(registry.lookup(first.accessToken).ok).toBe(true);
      expect(registry.lookup(second.accessToken).ok).toBe(true);
    });

    it('refuses the old refresh token once its replacement has been used', () => {
      const first = start(registry);
      const second = refresh(registry, first.refreshToken);
      if (!second.ok) throw new Error(second.description);
      expect(refresh(registry, second.refreshToken).ok).toBe(true);
      expect(refresh(registry, first.refreshToken)).toMatchObject({ ok: false, error: 'invalid_grant' });
    });

    it('lets a used refresh token be retried until the replacement is used (lost response)', () => {
      const first = start(registry);
      const lost = refresh(registry, first.refreshToken);
      const retried = refresh(registry, first.refreshToken);
      if (!lost.ok || !retried.ok) throw new Error('refresh failed');
      expect(retried.refreshToken).not.toBe(lost.refreshToken);
      expect(refresh(registry, retried.refreshToken).ok).toBe(true);
      // Using one replacement retires the original and the other replacement.
      expect(refresh(registry, first.refreshToken).ok).toBe(false);
      expect(refresh(registry, lost.refreshToken).ok).toBe(false);
    });

    it('stops retries 30 days after the first use', () => {
      const first = start(registry);
      expect(refresh(registry, first.refreshToken).ok).toBe(true);
      clock.advance(30 * 24 * 3600);
      expect(refresh(registry, first.refreshToken)).toMatchObject({ ok: false, error: 'invalid_grant' });
    });

    it('refuses any second use with strict rotation', () => {
      const strict = new TokenRegistry({ now: clock.now, strictRefreshRotation: true });
      const first = start(strict);
      expect(refresh(strict, first.refreshToken).ok).toBe(true);
      expect(refresh(strict, first.refreshToken)).toMatchObject({ ok: false, error: 'invalid_grant' });
    });

    it('works after the access token expired, and not after the refresh token expired', () => {
      const first = start(registry);
      clock.advance(3600 * 5);
      expect(registry.lookup(first.accessToken)).toEqual({ ok: false, reason: 'expired' });
      const second = refresh(registry, first.refreshToken);
      if (!second.ok) throw new Error(second.description);
      clock.advance(90 * 24 * 3600);
      expect(refresh(registry, second.refreshToken)).toMatchObject({
        ok: false,
        error: 'invalid_grant',
        description: 'The refresh token has expired',
      });
    });

    it('refuses an unknown refresh token, or one presented by another client', () => {
      const first = start(registry);
      expect(refresh(registry, 'shprt_nope').ok).toBe(false);
      expect(registry.refresh({ clientId: 'other', refreshToken: first.refreshToken! }).ok).toBe(false);
    });
  });
});
