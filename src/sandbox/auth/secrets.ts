import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes Shopify puts on its credentials (NOTES.md "Token prefixes"). */
export const ACCESS_TOKEN_PREFIX = 'shpat_';
export const REFRESH_TOKEN_PREFIX = 'shprt_';
export const CLIENT_SECRET_PREFIX = 'shpss_';

/** `bytes` random bytes from the OS CSPRNG as lowercase hex. */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

export function newAccessToken(): string {
  return ACCESS_TOKEN_PREFIX + randomHex(16);
}

export function newRefreshToken(): string {
  return REFRESH_TOKEN_PREFIX + randomHex(16);
}

/** A client secret in Shopify's shape: `shpss_` + 32 hex. */
export function newClientSecret(): string {
  return CLIENT_SECRET_PREFIX + randomHex(16);
}

/** Authorization codes look like Shopify's: 32 hex characters. */
export function newAuthorizationCode(): string {
  return randomHex(16);
}

/** Compares two strings without leaking where they differ through timing. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend the time of a comparison so length is the only thing learned.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
