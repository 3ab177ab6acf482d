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
  ])('refuses %s', (input) => {
    expect(() => parseApiOrigin(input)).toThrow(UsageError);
  });
});
