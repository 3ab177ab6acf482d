import { describe, expect, it } from 'vitest';
import { type CallbackExpectation, verifyCallback } from '../../../src/services/auth/callback.js';
import { computeHmac, signatureMessage } from '../../../src/services/auth/hmac.js';

const SECRET = 'shpss_testsecret';
const NOW = new Date('2026-11-26T12:00:00Z');
const expected: CallbackExpectation = {
  port: 3456,
  path: '/callback',
  state: 'state-abc-123',
  shop: 'acme.myshopify.com',
  clientSecret: SECRET,
  now: NOW,
};

function signed(params: Record<string, string>, secret = SECRET): string {
  const search = new URLSearchParams(params);
  search.set('hmac', computeHmac(signatureMessage(search.entries()), secret));
  return search.toString();
}

const good = {
  code: 'authcode123',
  host: Buffer.from('admin.shopify.com/store/acme').toString('base64'),
  shop: 'acme.myshopify.com',
  state: 'state-abc-123',
  timestamp: String(Math.floor(NOW.getTime() / 1000)),
};

const request = (url: string, host = '127.0.0.1:3456', method = 'GET') => ({ method, url, host });

describe('loopback callback verification', () => {
  it('accepts a correctly signed callback and returns the code', () => {
    expect(verifyCallback(request(`/callback?${signed(good)}`), expected)).toEqual({
      ok: true,
      code: 'authcode123',
      host: good.host,
    });
  });

  it('accepts localhost as the Host too', () => {
    expect(verifyCallback(request(`/callback?${signed(good)}`, 'localhost:3456'), expected).ok).toBe(true);
  });

  it.each([
    ['wrong path', request(`/other?${signed(good)}`), 'path'],
    ['path with trailing slash', request(`/callback/?${signed(good)}`), 'path'],
    ['foreign Host', request(`/callback?${signed(good)}`, 'evil.example:3456'), 'host'],
    ['Host with another port', request(`/callback?${signed(good)}`, '127.0.0.1:9999'), 'host'],
    ['missing Host', { method: 'GET', url: `/callback?${signed(good)}`, host: undefined }, 'host'],
    ['POST', request(`/callback?${signed(good)}`, '127.0.0.1:3456', 'POST'), 'method'],
    ['missing hmac', request(`/callback?${new URLSearchParams(good).toString()}`), 'hmac'],
    ['bad hmac', request(`/callback?${signed(good, 'other-secret')}`), 'hmac'],
    ['tampered code', request(`/callback?${signed(good).replace('authcode123', 'authcode999')}`), 'hmac'],
    ['wrong state', request(`/callback?${signed({ ...good, state: 'forged' })}`), 'state'],
    ['other shop', request(`/callback?${signed({ ...good, shop: 'evil.myshopify.com' })}`), 'shop'],
    [
      'stale timestamp',
      request(`/callback?${signed({ ...good, timestamp: String(Number(good.timestamp) - 91) })}`),
      'timestamp',
    ],
    [
      'future timestamp',
      request(`/callback?${signed({ ...good, timestamp: String(Number(good.timestamp) + 91) })}`),
      'timestamp',
    ],
    [
      'missing code',
      request(`/callback?${signed({ shop: good.shop, state: good.state, timestamp: good.timestamp })}`),
      'params',
    ],
    ['duplicated state', request(`/callback?${signed(good)}&state=state-abc-123`), 'params'],
    ['user declined', request('/callback?error=access_denied&error_description=declined'), 'denied'],
  ])('refuses %s', (_name, req, reason) => {
    const verdict = verifyCallback(req, expected);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toBe(reason);
  });

  it('accepts a timestamp within 90 seconds', () => {
    const url = `/callback?${signed({ ...good, timestamp: String(Number(good.timestamp) - 89) })}`;
    expect(verifyCallback(request(url), expected).ok).toBe(true);
  });
});
