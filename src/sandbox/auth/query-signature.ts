import { createHmac } from 'node:crypto';

/**
 * Shopify's signature over the query parameters it sends to an app (NOTES.md §OAuth step 3):
 * every parameter except `hmac` and `signature`, sorted by key, each written `k=v`
 * URL-encoded (form encoding, with `+` written as `%20`), joined by `&`; the HMAC-SHA256 of
 * that message keyed with the app's client secret, in lowercase hex.
 */
export function signatureMessage(params: Iterable<readonly [string, string]>): string {
  const kept = [...params].filter(([key]) => key !== 'hmac' && key !== 'signature');
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(kept.map(([key, value]): [string, string] => [key, value]))
    .toString()
    .replace(/\+/g, '%20');
}

export function signQuery(params: Iterable<readonly [string, string]>, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(signatureMessage(params), 'utf8').digest('hex');
}

/**
 * The `host` parameter: base64 of the store's admin host, `admin.shopify.com/store/{handle}`,
 * written without `=` padding as Shopify sends it.
 */
export function adminHostParam(shop: string): string {
  const handle = shop.replace(/\.myshopify\.com$/i, '');
  return Buffer.from(`admin.shopify.com/store/${handle}`, 'utf8').toString('base64').replace(/=+$/, '');
}

/**
 * `base` (the app's redirect URI, its own query kept) with `params` added, every parameter
 * sorted and signed, ready for a 302 `Location`.
 */
export function signedRedirect(base: string, params: Record<string, string>, clientSecret: string): string {
  const url = new URL(base);
  const all: Array<[string, string]> = [];
  for (const [key, value] of url.searchParams) {
    if (key !== 'hmac' && key !== 'signature' && !(key in params)) all.push([key, value]);
  }
  for (const [key, value] of Object.entries(params)) all.push([key, value]);
  all.push(['hmac', signQuery(all, clientSecret)]);
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(all).toString().replace(/\+/g, '%20');
  return url.toString();
}
