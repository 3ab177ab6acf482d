import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDsyncError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import {
  checkCredentialsDir,
  createCredentialsDirStore,
  listCredentialsDir,
  parseSecretFile,
  secretKey,
  shopsInListing,
} from '../../../src/core/secrets/credentials-dir.js';

const SHOP = 'acme.myshopify.com';

describe('secretKey', () => {
  it.each([
    ['access-token', 'acme.myshopify.com'],
    ['webhook-secret', 'acme.myshopify.com.webhook-secret'],
    ['return-magic-api-key', 'acme.myshopify.com.return-magic-api-key'],
    ['refresh-token', 'acme.myshopify.com.refresh-token'],
  ] as const)('%s of acme is the key %s', (name, key) => {
    expect(secretKey(SHOP, name)).toBe(key);
  });

  it.each(['../etc/passwd', 'acme', 'Acme.myshopify.com', '..data', 'a/b.myshopify.com'])(
    'refuses %j, which is no normalised shop',
    (shop) => {
      expect(() => secretKey(shop, 'access-token')).toThrow(/not a normalised shop/);
    },
  );
});

describe('parseSecretFile', () => {
  it.each([
    ['shpat_abc\n', 'shpat_abc'],
    ['  shpat_abc \r\n', 'shpat_abc'],
    ['shpat_abc', 'shpat_abc'],
    ['\n', undefined],
    ['', undefined],
  ])('%j → %j', (text, value) => {
    expect(parseSecretFile(text)).toBe(value);
  });
});

describe('shopsInListing', () => {
  it('keeps the access-token keys, drops other keys and what Kubernetes adds', () => {
    expect(
      shopsInListing([
        '..data',
        '..2026_11_30_07_00_00.123456789',
        'b-store.myshopify.com',
        'b-store.myshopify.com.webhook-secret',
        'acme.myshopify.com',
        'README',
        'Upper.myshopify.com',
      ]),
    ).toEqual(['acme.myshopify.com', 'b-store.myshopify.com']);
  });
});

describe('the credentials-dir store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dsync-credsdir-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a token through Kubernetes-style symlinks, trimmed, naming the file it came from', async () => {
    mkdirSync(join(dir, '..v1'));
    writeFileSync(join(dir, '..v1', SHOP), 'shpat_one\n');
    writeFileSync(join(dir, '..v1', `${SHOP}.webhook-secret`), 'whsec\n');
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync(join('..data', SHOP), join(dir, SHOP));
    symlinkSync(join('..data', `${SHOP}.webhook-secret`), join(dir, `${SHOP}.webhook-secret`));
    const store = createCredentialsDirStore(dir);
    expect(await store.get(SHOP, 'access-token')).toEqual({
      value: 'shpat_one',
      location: 'credentials-dir',
      path: join(dir, SHOP),
    });
    expect((await store.get(SHOP, 'webhook-secret'))?.value).toBe('whsec');
    expect(await store.get(SHOP, 'refresh-token')).toBeUndefined();
    expect(await store.get('other.myshopify.com', 'access-token')).toBeUndefined();
    expect(await listCredentialsDir(dir)).toEqual([SHOP]);
  });

  it('treats an empty file as no secret', async () => {
    writeFileSync(join(dir, SHOP), '\n');
    expect(await createCredentialsDirStore(dir).get(SHOP, 'access-token')).toBeUndefined();
  });

  it('refuses every write and removal with exit 2, naming the directory and the key', async () => {
    const store = createCredentialsDirStore(dir);
    for (const attempt of [
      () => store.set(SHOP, 'access-token', 'shpat_new'),
      () => store.delete(SHOP, 'webhook-secret'),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isDsyncError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
      expect(error.code).toBe('credentials_read_only');
      expect(error.exitCode).toBe(ExitCode.usage);
      expect(error.message).toContain(dir);
      expect(error.message).not.toContain('shpat_new');
      expect(error.hint).toContain(SHOP);
    }
  });

  it('names the file and the Secret key of a missing token (exit 4)', () => {
    const error = createCredentialsDirStore(dir).readOnly.missing(SHOP, 'access-token');
    expect(error.exitCode).toBe(ExitCode.auth);
    expect(error.message).toContain(join(dir, SHOP));
    expect(error.hint).toContain(`key ${SHOP}`);
  });

  it('a directory that does not exist is a usage error naming DSYNC_CREDENTIALS_DIR', async () => {
    const missing = join(dir, 'nope');
    for (const attempt of [
      () => createCredentialsDirStore(missing).get(SHOP, 'access-token'),
      () => listCredentialsDir(missing),
      () => checkCredentialsDir(missing),
    ]) {
      await expect(attempt()).rejects.toMatchObject({
        exitCode: ExitCode.usage,
        message: expect.stringContaining(`DSYNC_CREDENTIALS_DIR names ${missing}`),
      });
    }
  });

  it('a file where the directory should be is a usage error too', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    await expect(checkCredentialsDir(file)).rejects.toMatchObject({
      exitCode: ExitCode.usage,
      message: expect.stringContaining('not a directory'),
    });
  });

  it('a key that cannot be read as a file is an error naming it, not "no token"', async () => {
    mkdirSync(join(dir, SHOP));
    await expect(createCredentialsDirStore(dir).get(SHOP, 'access-token')).rejects.toMatchObject({
      exitCode: ExitCode.usage,
      message: `cannot read ${join(dir, SHOP)}: EISDIR`,
    });
  });

  // Root reads any file whatever its mode, so there is nothing to observe as root.
  it.skipIf(process.getuid?.() === 0)('a file without read permission is an error naming it', async () => {
    writeFileSync(join(dir, SHOP), 'shpat_one');
    chmodSync(join(dir, SHOP), 0o000);
    await expect(createCredentialsDirStore(dir).get(SHOP, 'access-token')).rejects.toMatchObject({
      message: `cannot read ${join(dir, SHOP)}: EACCES`,
    });
  });
});
