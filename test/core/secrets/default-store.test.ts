import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ConfigError } from '../../../src/core/errors.js';
import { createSecretStore } from '../../../src/core/secrets/default-store.js';
import { type CredentialsFileStore, createCredentialsFile } from '../../../src/core/secrets/file-store.js';
import { type Keychain, KeychainError } from '../../../src/core/secrets/keychain.js';

const SHOP = 'acme.myshopify.com';

class MemoryKeychain implements Keychain {
  entries = new Map<string, string>();
  failWith: string | undefined;
  async read(account: string) {
    if (this.failWith) throw new KeychainError(this.failWith);
    return this.entries.get(account) ?? null;
  }
  async write(account: string, value: string) {
    if (this.failWith) throw new KeychainError(this.failWith);
    this.entries.set(account, value);
  }
  async delete(account: string) {
    if (this.failWith) throw new KeychainError(this.failWith);
    return this.entries.delete(account);
  }
}

let dir: string;
let warnings: string[];
let events: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsync-secrets-'));
  warnings = [];
  events = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function make(keychain: Keychain | undefined) {
  const file = createCredentialsFile(dir);
  const tracked: CredentialsFileStore = {
    path: file.path,
    read: file.read,
    update: async (shop, edit) => {
      events.push('file-write');
      return file.update(shop, edit);
    },
    write: async (shop, bag) => {
      events.push('file-write');
      await file.write(shop, bag);
    },
  };
  return createSecretStore({
    keychain,
    file: tracked,
    warn: (message) => {
      events.push('warn');
      warnings.push(message);
    },
  });
}

const credentialsPath = () => join(dir, 'credentials.json');
const fileExists = () => {
  try {
    statSync(credentialsPath());
    return true;
  } catch {
    return false;
  }
};

describe('secret store storage decisions', () => {
  it('keeps secrets in the keychain, one JSON entry per shop, and writes no file', async () => {
    const keychain = new MemoryKeychain();
    const store = make(keychain);
    expect(await store.set(SHOP, 'access-token', 'shpat_one')).toBe('keychain');
    expect(await store.set(SHOP, 'refresh-token', 'refresh-one')).toBe('keychain');
    expect(JSON.parse(keychain.entries.get(SHOP) ?? '{}')).toEqual({
      'access-token': 'shpat_one',
      'refresh-token': 'refresh-one',
    });
    expect(await store.get(SHOP, 'access-token')).toEqual({ value: 'shpat_one', location: 'keychain' });
    expect(fileExists()).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('returns undefined for a secret that is stored nowhere', async () => {
    const store = make(new MemoryKeychain());
    expect(await store.get(SHOP, 'access-token')).toBeUndefined();
  });

  it('falls back to a 0600 file when the keychain fails, warning before writing with its error', async () => {
    const keychain = new MemoryKeychain();
    keychain.failWith = 'org.freedesktop.DBus.Error.ServiceUnknown';
    const store = make(keychain);
    expect(await store.set(SHOP, 'access-token', 'shpat_two')).toBe('file');
    expect(events).toEqual(['warn', 'file-write']);
    expect(warnings[0]).toContain(credentialsPath());
    expect(warnings[0]).toContain('org.freedesktop.DBus.Error.ServiceUnknown');
    expect(warnings[0]).not.toContain('shpat_two');
    expect(statSync(credentialsPath()).mode & 0o777).toBe(0o600);
    expect(await store.get(SHOP, 'access-token')).toEqual({ value: 'shpat_two', location: 'file' });
  });

  it('warns only once per process when several secrets fall back', async () => {
    const keychain = new MemoryKeychain();
    keychain.failWith = 'locked';
    const store = make(keychain);
    await store.set(SHOP, 'access-token', 'a');
    await store.set(SHOP, 'refresh-token', 'b');
    expect(warnings).toHaveLength(1);
  });

  it('writes to the file without touching the keychain when insecure storage is asked for', async () => {
    const keychain = new MemoryKeychain();
    const store = make(keychain);
    expect(await store.set(SHOP, 'access-token', 'shpat_x', { insecure: true })).toBe('file');
    expect(keychain.entries.size).toBe(0);
    expect(warnings[0]).toContain('--insecure-storage');
    expect(warnings[0]).toContain(credentialsPath());
  });

  it('uses the file when the keychain is switched off', async () => {
    const store = make(undefined);
    expect(await store.set(SHOP, 'access-token', 'shpat_y')).toBe('file');
    expect(warnings[0]).toContain('DSYNC_KEYCHAIN=off');
    expect(await store.get(SHOP, 'access-token')).toEqual({ value: 'shpat_y', location: 'file' });
  });

  it('treats a failed keychain lookup as an auth error, never as "no token"', async () => {
    const keychain = new MemoryKeychain();
    keychain.failWith = 'Cannot autolaunch D-Bus without X11';
    const store = make(keychain);
    const error = await store.get(SHOP, 'access-token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('keychain_unavailable');
    expect((error as AuthError).message).toContain('Cannot autolaunch D-Bus without X11');
    expect((error as AuthError).hint).toContain('--insecure-storage');
  });

  it('still answers from the file when the keychain fails', async () => {
    const keychain = new MemoryKeychain();
    const store = make(keychain);
    await store.set(SHOP, 'access-token', 'shpat_f', { insecure: true });
    keychain.failWith = 'locked';
    expect(await store.get(SHOP, 'access-token')).toEqual({ value: 'shpat_f', location: 'file' });
  });

  it('moving a secret back to the keychain removes the plaintext copy', async () => {
    const keychain = new MemoryKeychain();
    const store = make(keychain);
    await store.set(SHOP, 'access-token', 'old', { insecure: true });
    expect(await store.set(SHOP, 'access-token', 'new')).toBe('keychain');
    expect(fileExists()).toBe(false);
    expect(await store.get(SHOP, 'access-token')).toEqual({ value: 'new', location: 'keychain' });
  });

  it('delete removes the secret from every place and reports where it was', async () => {
    const keychain = new MemoryKeychain();
    const store = make(keychain);
    await store.set(SHOP, 'access-token', 'k');
    await store.set(SHOP, 'refresh-token', 'f', { insecure: true });
    expect(await store.delete(SHOP, 'access-token')).toEqual(['keychain']);
    expect(keychain.entries.has(SHOP)).toBe(false);
    expect(await store.delete(SHOP, 'refresh-token')).toEqual(['file']);
    expect(fileExists()).toBe(false);
    expect(await store.delete(SHOP, 'refresh-token')).toEqual([]);
  });

  it('keeps other shops when one is removed from the file', async () => {
    const store = make(undefined);
    await store.set(SHOP, 'access-token', 'a');
    await store.set('other.myshopify.com', 'access-token', 'b');
    await store.delete(SHOP, 'access-token');
    expect(JSON.parse(readFileSync(credentialsPath(), 'utf8')).stores).toEqual({
      'other.myshopify.com': { 'access-token': 'b' },
    });
  });

  it('refuses a corrupt credentials file instead of overwriting it', async () => {
    writeFileSync(credentialsPath(), '{not json', { mode: 0o600 });
    const store = make(undefined);
    await expect(store.set(SHOP, 'access-token', 'a')).rejects.toBeInstanceOf(ConfigError);
    expect(readFileSync(credentialsPath(), 'utf8')).toBe('{not json');
  });
});
