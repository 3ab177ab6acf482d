import { describe, expect, it } from 'vitest';
import { createWorkerKeychain, KeychainError } from '../../../src/core/secrets/keychain.js';

const silent = new URL('./fixtures/silent-worker.mjs', import.meta.url);

describe('worker keychain timeout', () => {
  it('turns a keychain that never answers into a KeychainError after the timeout', async () => {
    const keychain = createWorkerKeychain({ timeoutMs: 200, workerUrl: silent });
    const started = Date.now();
    const error = await keychain.read('acme.myshopify.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeychainError);
    expect((error as KeychainError).timedOut).toBe(true);
    expect((error as KeychainError).reason).toContain('no answer from the keychain');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails later calls at once instead of waiting for the timeout again', async () => {
    const keychain = createWorkerKeychain({ timeoutMs: 200, workerUrl: silent });
    await keychain.read('a').catch(() => undefined);
    const started = Date.now();
    await expect(keychain.write('a', 'b')).rejects.toBeInstanceOf(KeychainError);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
