import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { checkCredentialOrigin } from '../../../src/services/auth/origin-binding.js';

const SHOP = 'acme.myshopify.com';

describe('checkCredentialOrigin', () => {
  it.each([
    ['a store login used against the store', undefined, `https://${SHOP}`],
    ['a sandbox login used against the same sandbox', 'http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
  ])('allows %s', (_name, recorded, current) => {
    expect(() => checkCredentialOrigin(SHOP, recorded, current)).not.toThrow();
  });

  it.each([
    [
      'a sandbox login sent to the store',
      'http://127.0.0.1:4000',
      `https://${SHOP}`,
      'export DSYNC_API_ORIGIN=http://127.0.0.1:4000',
    ],
    [
      'a sandbox login sent to another loopback port',
      'http://127.0.0.1:4000',
      'http://127.0.0.1:5000',
      'export DSYNC_API_ORIGIN=http://127.0.0.1:4000',
    ],
    ["a store's login sent to a sandbox", undefined, 'http://127.0.0.1:4000', 'unset DSYNC_API_ORIGIN'],
  ])('refuses %s, naming DSYNC_API_ORIGIN', (_name, recorded, current, hint) => {
    let error: unknown;
    try {
      checkCredentialOrigin(SHOP, recorded, current);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'origin_mismatch',
      exitCode: ExitCode.usage,
      hint: expect.stringContaining(hint),
      details: { shop: SHOP, expectedApiOrigin: recorded ?? null, apiOrigin: current },
    });
  });
});
