import { describe, expect, it } from 'vitest';
import { createPkcePair, createState, pkceChallenge } from '../../../src/services/auth/pkce.js';

describe('PKCE S256', () => {
  it('is the unpadded base64url SHA-256 of the verifier', () => {
    // SHA-256("abc") = ba7816bf…15ad; base64 "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    expect(pkceChallenge('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('makes a fresh 43-character base64url verifier each time', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(pkceChallenge(a.verifier));
    expect(a.method).toBe('S256');
  });

  it('makes unguessable states', () => {
    expect(createState()).not.toBe(createState());
    expect(createState().length).toBeGreaterThanOrEqual(32);
  });
});
