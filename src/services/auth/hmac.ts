import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopify's query-string signature (NOTES.md, OAuth step 3): the hex HMAC-SHA256, keyed with the
 * app's client secret, of every query parameter except `hmac` and `signature`, sorted by key,
 * each written `key=value` URL-encoded (a space as `%20`, never `+`), joined by `&`.
 */
export function signatureMessage(params: Iterable<[string, string]>): string {
  return [...params]
    .filter(([key]) => key !== 'hmac' && key !== 'signature')
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

export function computeHmac(message: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(message, 'utf8').digest('hex');
}

/** True when `params` carries a valid `hmac` for `clientSecret` (compared in constant time). */
export function verifyQueryHmac(params: URLSearchParams, clientSecret: string): boolean {
  const given = params.get('hmac');
  if (!given || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = computeHmac(signatureMessage(params.entries()), clientSecret);
  return safeEqual(given.toLowerCase(), expected);
}

/** Constant-time string comparison (lengths may leak, contents do not). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
