import { describe, expect, it } from 'vitest';
import { parseApiOrigin } from '../../src/core/api-origin.js';
import { UsageError } from '../../src/core/errors.js';
import { normalizeShop } from '../../src/core/shop.js';

describe('normalizeShop', () => {
  it.each([
    ['acme', 'acme.myshopify.com'],
    ['ACME', 'acme.myshopify.com'],
    ['  acme  ', 'acme.myshopify.com'],
    ['acme.myshopify.com', 'acme.myshopify.com'],
    ['Acme-Store-2.MyShopify.com', 'acme-store-2.myshopify.com'],
    ['https://acme.myshopify.com/admin', 'acme.myshopify.com'],
    ['https://acme.myshopify.com/', 'acme.myshopify.com'],
    ['acme.myshopify.com/admin/orders', 'acme.myshopify.com'],
    ['admin.shopify.com/store/acme', 'acme.myshopify.com'],
    ['https://admin.shopify.com/store/acme/orders', 'acme.myshopify.com'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeShop(input)).toBe(expected);
  });

  it.each([
    ['evil.com'],
    ['a.myshopify.com.evil.com'],
    ['a.myshopify.com@evil.com'],
    ['https://a.myshopify.com@evil.com/'],
    ['https://user:pw@a.myshopify.com/'],
    ['https://a.myshopify.com:8443/'],
    ['ftp://a.myshopify.com'],
    ['javascript:alert(1)'],
    ['аcme.myshopify.com'], // Cyrillic "а"
    ['acme.myshopify.com\u200b'],
    ['acme．myshopify.com'], // full-width dot
    [''],
    ['   '],
    ['-acme'],
    ['acme_store'],
    ['a'.repeat(300)],
    ['admin.shopify.com/store/'],
    ['admin.shopify.com/store/ev!l'],
    ['acme.myshopify.com.'],
    ['../../etc/passwd'],
  ])('refuses %j', (input) => {
    expect(() => normalizeShop(input)).toThrow(UsageError);
  });
});

describe('parseApiOrigin', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
    // Other spellings of 127.0.0.1 and localhost reach the same loopback host; the origin used is the canonical one.
    ['http://LOCALHOST:4000', 'http://localhost:4000'],
    ['http://0x7f000001:4000', 'http://127.0.0.1:4000'],
    ['http://127.1:4000', 'http://127.0.0.1:4000'],
    ['http://127.0.0.1.:4000', 'http://127.0.0.1:4000'],
  ])('accepts loopback %s', (input, expected) => {
    expect(parseApiOrigin(input)).toBe(expected);
  });

  it('is absent when unset or empty', () => {
    expect(parseApiOrigin(undefined)).toBeUndefined();
    expect(parseApiOrigin('')).toBeUndefined();
  });

  it.each([
    ['https://evil.com'],
    ['http://10.0.0.1:80'],
    ['http://127.0.0.1.evil.com:80'],
    ['http://user:pw@127.0.0.1:80'],
    ['http://127.0.0.1:80/admin'],
    ['file:///etc/passwd'],
    ['https://127.0.0.1:443'],
    ['not a url'],
    // userinfo tricks: the host is the part after the last @
    ['http://127.0.0.1@evil.com'],
    ['http://127.0.0.1:80@evil.com:80'],
    ['http://localhost%2eevil.com:80'],
    ['http://localhost.evil.com:80'],
    // a trailing dot names a DNS root-relative host, not the loopback name
    ['http://localhost.:80'],
    // look-alikes that are not loopback once the URL is read (Cyrillic о, full-width dot)
    ['http://lоcalhost:80'],
    ['http://127．0．0．2:80'],
    ['http://127.0.0.2:80'],
    ['http://[::ffff:7f00:1]:80'],
    ['http://[::2]:80'],
    // no port to connect to
    ['http://127.0.0.1:0'],
    ['http://127.0.0.1:99999'],
    ['http://127.0.0.1:80?x=1'],
    ['http://127.0.0.1:80#frag'],
  ])('refuses %s', (input) => {
    expect(() => parseApiOrigin(input)).toThrow(UsageError);
  });
});
