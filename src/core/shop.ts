import { UsageError } from './errors.js';

const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;
const HANDLE = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const MAX_SHOP_LENGTH = 255;

/**
 * Turn whatever a user typed for a store into `{handle}.myshopify.com`, or refuse it.
 * Accepts `acme`, `acme.myshopify.com`, `https://acme.myshopify.com/admin`, and
 * `admin.shopify.com/store/acme`. Everything else is refused before any request is sent,
 * so a typo or a hostile value can never point a token at another host.
 */
export function normalizeShop(input: string): string {
  const raw = input.trim();
  if (raw.length === 0) throw invalid(input, 'the store name is empty');
  if (raw.length > MAX_SHOP_LENGTH) throw invalid(input, 'the store name is too long');
  // Only printable ASCII can be part of a shop domain; this refuses unicode look-alikes early.
  if (!/^[\x21-\x7e]+$/.test(raw))
    throw invalid(input, 'the store name has characters a shop domain cannot have');

  let candidate = raw;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate) || candidate.includes('/')) {
    candidate = fromUrlLike(input, candidate);
  }
  candidate = candidate.toLowerCase();
  if (HANDLE.test(candidate)) candidate = `${candidate}.myshopify.com`;
  if (!SHOP_DOMAIN.test(candidate)) {
    throw invalid(input, 'expected a store handle such as `acme` or a domain such as `acme.myshopify.com`');
  }
  return candidate;
}

/** The store handle: `acme` for `acme.myshopify.com`. */
export function shopHandle(shop: string): string {
  return shop.replace(/\.myshopify\.com$/, '');
}

function fromUrlLike(original: string, value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(original, 'it is not a store name or a store URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid(original, 'only https URLs name a store');
  if (url.username !== '' || url.password !== '')
    throw invalid(original, 'a store URL cannot carry credentials');
  if (url.port !== '') throw invalid(original, 'a store URL has no port');
  const host = url.hostname.toLowerCase();
  if (host === 'admin.shopify.com') {
    const match = /^\/store\/([^/]+)\/?/.exec(url.pathname);
    if (!match?.[1] || !HANDLE.test(match[1]))
      throw invalid(original, 'expected admin.shopify.com/store/<handle>');
    return match[1];
  }
  if (!SHOP_DOMAIN.test(host)) throw invalid(original, 'the URL is not a *.myshopify.com store');
  return host;
}

function invalid(input: string, why: string): UsageError {
  const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
  return new UsageError(`invalid store ${JSON.stringify(shown)}: ${why}`, {
    hint: 'pass --store acme or --store acme.myshopify.com',
  });
}
