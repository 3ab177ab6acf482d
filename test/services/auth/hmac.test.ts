import { describe, expect, it } from 'vitest';
import { computeHmac, signatureMessage, verifyQueryHmac } from '../../../src/services/auth/hmac.js';

describe('Shopify query HMAC', () => {
  it('matches the documented example vector', () => {
    const message =
      'code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173';
    expect(computeHmac(message, 'hush')).toBe(
      '700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf',
    );
  });

  it('builds the message from sorted parameters without hmac and signature', () => {
    const params = new URLSearchParams(
      'timestamp=1337178173&state=0.6784241404160823&hmac=abc&signature=x&shop=some-shop.myshopify.com&code=0907a61c0c8d55e99db179b68161bc00',
    );
    expect(signatureMessage(params.entries())).toBe(
      'code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173',
    );
  });

  it('writes spaces as %20, not +', () => {
    expect(signatureMessage([['a', 'x y+z']])).toBe('a=x%20y%2Bz');
  });

  const documented = () =>
    new URLSearchParams({
      code: '0907a61c0c8d55e99db179b68161bc00',
      shop: 'some-shop.myshopify.com',
      state: '0.6784241404160823',
      timestamp: '1337178173',
      hmac: '700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf',
    });

  const edit =
    (change: (p: URLSearchParams) => void) =>
    (p: URLSearchParams): URLSearchParams => {
      change(p);
      return p;
    };

  it.each([
    ['the documented request', (p: URLSearchParams) => p, 'hush', true],
    ['an upper-case hex hmac', edit((p) => p.set('hmac', p.get('hmac')!.toUpperCase())), 'hush', true],
    ['another secret', (p: URLSearchParams) => p, 'hush2', false],
    ['a changed code', edit((p) => p.set('code', 'other')), 'hush', false],
    ['an added parameter', edit((p) => p.set('extra', '1')), 'hush', false],
    ['a missing hmac', edit((p) => p.delete('hmac')), 'hush', false],
    ['a truncated hmac', edit((p) => p.set('hmac', p.get('hmac')!.slice(0, 63))), 'hush', false],
  ])('verifies %s → %s', (_name, change, secret, valid) => {
    expect(verifyQueryHmac(change(documented()), secret)).toBe(valid);
  });
});
