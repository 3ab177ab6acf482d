import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  adminHostParam,
  signatureMessage,
  signedRedirect,
  signQuery,
} from '../../../src/sandbox/auth/query-signature.js';

const entries = (record: Record<string, string>): Array<[string, string]> => Object.entries(record);

describe('signQuery', () => {
  it("reproduces Shopify's documented example (secret hush)", () => {
    const params = {
      shop: 'some-shop.myshopify.com',
      code: '0907a61c0c8d55e99db179b68161bc00',
      timestamp: '1337178173',
      state: '0.6784241404160823',
      hmac: 'ignored',
    };
    expect(signatureMessage(entries(params))).toBe(
      'code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173',
    );
    expect(signQuery(entries(params), 'hush')).toBe(
      '700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf',
    );
  });

  it.each([
    ['a space', { state: 'a b' }, 'state=a%20b'],
    ['a plus', { state: 'a+b' }, 'state=a%2Bb'],
    ['slash and equals', { state: 'x/y=z' }, 'state=x%2Fy%3Dz'],
    ['an ampersand', { state: 'a&b=c' }, 'state=a%26b%3Dc'],
    ['unicode', { state: 'é' }, 'state=%C3%A9'],
    ['the signature parameter', { signature: 'x', shop: 's' }, 'shop=s'],
    ['keys out of order', { timestamp: '1', code: '2', host: '3' }, 'code=2&host=3&timestamp=1'],
  ])('encodes %s', (_name, params, message) => {
    expect(signatureMessage(entries(params))).toBe(message);
  });
});

describe('adminHostParam', () => {
  it.each([
    ['acme.myshopify.com', 'admin.shopify.com/store/acme'],
    ['chamoixapp.myshopify.com', 'admin.shopify.com/store/chamoixapp'],
    ['ab.myshopify.com', 'admin.shopify.com/store/ab'],
  ])('encodes %s as unpadded base64 of %s', (shop, decoded) => {
    const host = adminHostParam(shop);
    expect(host).not.toMatch(/=/);
    expect(Buffer.from(host, 'base64').toString('utf8')).toBe(decoded);
  });

  it('matches a host Shopify sent', () => {
    expect(adminHostParam('chamoixapp.myshopify.com')).toBe('YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvY2hhbW9peGFwcA');
  });
});

describe('signedRedirect', () => {
  /** An independent verifier written from the rule, as an app would. */
  const verify = (location: string, secret: string): boolean => {
    const url = new URL(location);
    const pairs = [...url.searchParams].filter(([k]) => k !== 'hmac' && k !== 'signature');
    pairs.sort(([a], [b]) => (a < b ? -1 : 1));
    const message = pairs
      .map(
        ([k, v]) =>
          `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
      )
      .join('&');
    const expected = createHmac('sha256', secret).update(message).digest('hex');
    return url.searchParams.get('hmac') === expected;
  };

  it('adds sorted, signed parameters and keeps the redirect URI query', () => {
    const location = signedRedirect(
      'http://127.0.0.1:3456/callback?from=cli',
      {
        code: 'c0de',
        shop: 'acme.myshopify.com',
        state: 'st+/=ate x',
        timestamp: '1700000000',
        host: 'aG9zdA',
      },
      'shpss_secret',
    );
    const url = new URL(location);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:3456/callback');
    expect([...url.searchParams.keys()]).toEqual([
      'code',
      'from',
      'hmac',
      'host',
      'shop',
      'state',
      'timestamp',
    ]);
    expect(url.searchParams.get('state')).toBe('st+/=ate x');
    expect(url.searchParams.get('from')).toBe('cli');
    expect(verify(location, 'shpss_secret')).toBe(true);
    expect(verify(location, 'shpss_other')).toBe(false);
  });

  it('replaces an hmac already present in the redirect URI', () => {
    const location = signedRedirect('https://app.example/cb?hmac=forged', { code: 'x' }, 'k');
    expect(new URL(location).searchParams.getAll('hmac')).toHaveLength(1);
    expect(verify(location, 'k')).toBe(true);
  });
});
