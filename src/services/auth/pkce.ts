import { createHash, randomBytes } from 'node:crypto';

/** PKCE (RFC 7636) with S256, as the Shopify CLI uses it for its loopback login. */
export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkcePair(random: (size: number) => Buffer = randomBytes): PkcePair {
  // 32 random bytes → 43 base64url characters, the minimum length RFC 7636 allows.
  const verifier = random(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A random `state` value for the authorization request. */
export function createState(random: (size: number) => Buffer = randomBytes): string {
  return random(24).toString('base64url');
}
