import type { Env } from '../deps.js';
import { AuthError, ConfigError } from '../errors.js';
import {
  type CredentialsFileStore,
  createCredentialsFile,
  parseSecretBag,
  type SecretBag,
} from './file-store.js';
import { createWorkerKeychain, type Keychain, KeychainError } from './keychain.js';
import type { SecretLocation, SecretName, SecretStore, SecretValue, SecretWriteOptions } from './store.js';

/**
 * Where dsync keeps secrets.
 *
 * Keychain layout: service `dsync`, account `<shop>` (e.g. `acme.myshopify.com`), one entry per
 * store whose value is a JSON object of that store's secrets:
 * `{"access-token":"shpat_…","refresh-token":"…","client-secret":"shpss_…"}`.
 *
 * Fallback: `credentials.json` (mode 0600) in the config dir, used when the keychain is
 * unavailable (no Secret Service, locked, no answer within the timeout), when
 * `--insecure-storage` asks for it, or when `DSYNC_KEYCHAIN=off`. A warning naming the file
 * (and the keychain's own error) is printed on stderr before anything is written there.
 *
 * Reads look in the file first (cheap, no keychain prompt), then the keychain. A keychain that
 * fails to answer is an error, never "no token": dsync does not send a request without a token
 * because a lookup failed.
 */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 8_000;

export function createDefaultSecretStore(options: {
  configDir: string;
  stderr: NodeJS.WritableStream;
  env: Env;
}): SecretStore {
  const disabled = isKeychainDisabled(options.env.DSYNC_KEYCHAIN);
  const timeoutMs = parseTimeout(options.env.DSYNC_KEYCHAIN_TIMEOUT_MS);
  return createSecretStore({
    keychain: disabled ? undefined : createWorkerKeychain({ timeoutMs }),
    file: createCredentialsFile(options.configDir),
    warn: (message) => options.stderr.write(`warning: ${message}\n`),
  });
}

export interface SecretStoreParts {
  /** Undefined when the keychain is switched off (DSYNC_KEYCHAIN=off). */
  keychain: Keychain | undefined;
  file: CredentialsFileStore;
  warn(message: string): void;
}

/** The store's decisions, over any keychain and file (tests pass fakes). */
export function createSecretStore(parts: SecretStoreParts): SecretStore {
  const { keychain, file, warn } = parts;
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    warn(message);
  };

  // One operation at a time: each is a read-modify-write of a whole entry.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const readKeychain = async (shop: string): Promise<SecretBag> => {
    if (!keychain) throw new KeychainError('switched off by DSYNC_KEYCHAIN=off');
    const text = await keychain.read(shop);
    if (text === null || text === '') return {};
    const bag = parseSecretBag(text);
    if (!bag) {
      throw new ConfigError(`the keychain entry for ${shop} (service dsync) is not valid`, {
        hint: `run \`dsync auth logout --store ${shop}\`, then \`dsync auth login --store ${shop}\``,
      });
    }
    return bag;
  };

  const writeKeychain = async (shop: string, bag: SecretBag): Promise<void> => {
    if (!keychain) throw new KeychainError('switched off by DSYNC_KEYCHAIN=off');
    if (Object.keys(bag).length === 0) await keychain.delete(shop);
    else await keychain.write(shop, JSON.stringify(bag));
  };

  return {
    get: (shop, name) =>
      serial(async (): Promise<SecretValue | undefined> => {
        const fromFile = (await file.read(shop))[name];
        if (fromFile) return { value: fromFile, location: 'file' };
        if (!keychain) return undefined;
        let bag: SecretBag;
        try {
          bag = await readKeychain(shop);
        } catch (error) {
          if (error instanceof KeychainError) throw unreadable(shop, name, error);
          throw error;
        }
        const value = bag[name];
        return value ? { value, location: 'keychain' } : undefined;
      }),

    set: (shop, name, value, options: SecretWriteOptions = {}) =>
      serial(async (): Promise<SecretLocation> => {
        if (!options.insecure && keychain) {
          try {
            const bag = await readKeychain(shop);
            bag[name] = value;
            await writeKeychain(shop, bag);
            // A copy left in the file from an earlier fallback would shadow the new value.
            if ((await file.read(shop))[name] !== undefined) await file.update(shop, without(name));
            return 'keychain';
          } catch (error) {
            if (!(error instanceof KeychainError)) throw error;
            warnOnce(
              'fallback',
              `the OS keychain is unavailable (${error.reason}); storing credentials in ${file.path} (mode 0600) instead. ` +
                'Anyone who can read that file can use them; `dsync auth logout` removes them.',
            );
          }
        } else if (options.insecure) {
          if (!options.quiet)
            warnOnce(
              'insecure',
              `--insecure-storage: storing credentials in ${file.path} (mode 0600) instead of the OS keychain. ` +
                'Anyone who can read that file can use them; `dsync auth logout` removes them.',
            );
        } else {
          warnOnce(
            'disabled',
            `the OS keychain is switched off (DSYNC_KEYCHAIN=off); storing credentials in ${file.path} (mode 0600).`,
          );
        }
        // Read, changed and written under the file's lock: another process's change stays.
        await file.update(shop, (bag) => ({ ...bag, [name]: value }));
        return 'file';
      }),

    delete: (shop, name) =>
      serial(async (): Promise<SecretLocation[]> => {
        const found: SecretLocation[] = [];
        if ((await file.read(shop))[name] !== undefined) {
          const before = await file.update(shop, without(name));
          if (before[name] !== undefined) found.push('file');
        }
        if (!keychain) return found;
        try {
          const bag = await readKeychain(shop);
          if (bag[name] !== undefined) {
            delete bag[name];
            await writeKeychain(shop, bag);
            found.push('keychain');
          }
        } catch (error) {
          if (!(error instanceof KeychainError)) throw error;
          if (found.length === 0) throw unreadable(shop, name, error, 'remove');
          warnOnce('delete', `could not check the OS keychain for ${shop} (${error.reason})`);
        }
        return found;
      }),
  };
}

/** An edit that drops one secret, or leaves the bag alone when it is not there. */
function without(name: SecretName): (bag: SecretBag) => SecretBag | undefined {
  return (bag) => {
    if (bag[name] === undefined) return undefined;
    const { [name]: _dropped, ...rest } = bag;
    return rest;
  };
}

function unreadable(shop: string, name: SecretName, error: KeychainError, verb = 'read'): AuthError {
  return new AuthError(`could not ${verb} the ${name} of ${shop} in the OS keychain: ${error.reason}`, {
    code: 'keychain_unavailable',
    hint: `unlock the keychain and retry, or run \`dsync auth login --store ${shop} --insecure-storage\` to keep credentials in a 0600 file`,
    cause: error,
  });
}

/** Whether `DSYNC_KEYCHAIN` switches the keychain off (`off`, `0`, `false`, `no`). */
export function isKeychainDisabled(value: string | undefined): boolean {
  if (value === undefined) return false;
  return ['off', '0', 'false', 'no'].includes(value.trim().toLowerCase());
}

function parseTimeout(value: string | undefined): number {
  const parsed = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : DEFAULT_KEYCHAIN_TIMEOUT_MS;
}
