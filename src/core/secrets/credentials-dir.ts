import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthError, ConfigError, DsyncError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { ReadOnlySecrets, SecretName, SecretStore, SecretValue } from './store.js';

/**
 * Secrets read from a directory dsync never writes (`DSYNC_CREDENTIALS_DIR`): a Kubernetes
 * Secret mounted as a volume, one file per key.
 *
 *   <dir>/acme.myshopify.com                  the store's Admin API access token
 *   <dir>/acme.myshopify.com.webhook-secret   any other secret of the store, by its name
 *
 * A file's surrounding whitespace (the newline an editor or `kubectl create secret --from-file`
 * leaves) is trimmed. Kubernetes mounts each key as a symlink into `..data/`, which it swaps
 * when the Secret changes; reads follow the links, so a rotated token is used by the next read.
 * Files are read one store at a time, when a secret is asked for, never all at start-up.
 */
export const CREDENTIALS_DIR_ENV = 'DSYNC_CREDENTIALS_DIR';

/** A Secret key that names a store's access token (lower case, as dsync spells shops). */
const SHOP_KEY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The file (and Secret key) that holds a store's secret. */
export function secretKey(shop: string, name: SecretName): string {
  // A shop reaches here normalised; anything else must never become a path.
  if (!SHOP_KEY.test(shop)) throw new Error(`not a normalised shop domain: ${JSON.stringify(shop)}`);
  return name === 'access-token' ? shop : `${shop}.${name}`;
}

/** A file's content as a secret: trimmed; undefined when nothing is left. */
export function parseSecretFile(text: string): string | undefined {
  const value = text.trim();
  return value === '' ? undefined : value;
}

/**
 * The stores a listing of the directory holds an access token for, sorted. Other keys of a
 * store, Kubernetes' own `..data` entries and anything else are not stores.
 */
export function shopsInListing(names: readonly string[]): string[] {
  return names.filter((name) => SHOP_KEY.test(name)).sort();
}

/** The stores with an access-token file in the directory (names only: no file is read). */
export async function listCredentialsDir(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw dirError(dir, error);
  }
  return shopsInListing(names);
}

/**
 * Throws when the directory is missing or not one (a usage error naming the variable) or cannot
 * be read (naming it). File modes are not looked at: a Secret volume's files are 0644 by default,
 * and the mount belongs to the pod alone.
 */
export async function checkCredentialsDir(dir: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new UsageError(`${CREDENTIALS_DIR_ENV} names ${dir}, which is not a directory`, {
        hint: `point ${CREDENTIALS_DIR_ENV} at the directory the Secret is mounted on, or unset it`,
      });
    }
    await access(dir, constants.R_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof DsyncError) throw error;
    throw dirError(dir, error);
  }
}

export function createCredentialsDirStore(dir: string): SecretStore & { readOnly: ReadOnlySecrets } {
  // Checked once, at the first read: a missing mount is a setup mistake, not "no token".
  let checked: Promise<void> | undefined;
  const checkDir = (): Promise<void> => {
    checked ??= checkCredentialsDir(dir);
    return checked;
  };

  const readOnly: ReadOnlySecrets = {
    dir,
    refusal(action, shop, name = 'access-token') {
      const where = shop
        ? `the key ${secretKey(shop, name)} of the Secret mounted on ${dir} (the file ${join(dir, secretKey(shop, name))})`
        : `the Secret mounted on ${dir} (one key per store, named after it)`;
      return new DsyncError(
        'credentials_read_only',
        `${action} is refused: credentials come from ${dir} (${CREDENTIALS_DIR_ENV}), which is read-only to dsync`,
        ExitCode.usage,
        {
          hint: `to change ${shop ? 'it' : 'a token'}, update ${where}; dsync reads it again on its next run. Unset ${CREDENTIALS_DIR_ENV} to keep credentials in the OS keychain instead`,
        },
      );
    },
    missing(shop, name) {
      const key = secretKey(shop, name);
      const path = join(dir, key);
      return new AuthError(`no ${name} for ${shop}: ${path} does not exist or is empty`, {
        code: 'not_authenticated',
        hint: `add the key ${key} with the store's ${name === 'access-token' ? 'Admin API access token' : name} to the Secret mounted on ${dir} (${CREDENTIALS_DIR_ENV})`,
        details: { shop, path, secretKey: key },
      });
    },
  };

  return {
    readOnly,
    async get(shop, name): Promise<SecretValue | undefined> {
      await checkDir();
      const path = join(dir, secretKey(shop, name));
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ConfigError(`cannot read ${path}: ${errnoText(error)}`, {
          hint: `the files of ${CREDENTIALS_DIR_ENV} must be readable by the user dsync runs as (for a Kubernetes Secret volume: its defaultMode, or the pod's fsGroup)`,
        });
      }
      const value = parseSecretFile(text);
      return value === undefined ? undefined : { value, location: 'credentials-dir', path };
    },
    async set(shop, name) {
      throw readOnly.refusal(`storing the ${name} of ${shop}`, shop, name);
    },
    async delete(shop, name) {
      throw readOnly.refusal(`removing the ${name} of ${shop}`, shop, name);
    },
  };
}

/** The directory is missing (a usage error naming the variable) or cannot be read. */
function dirError(dir: string, error: unknown): DsyncError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UsageError(`${CREDENTIALS_DIR_ENV} names ${dir}, which does not exist`, {
      hint: `mount the Secret there, or point ${CREDENTIALS_DIR_ENV} at the directory it is mounted on (or unset it to use the OS keychain)`,
    });
  }
  return new ConfigError(`cannot read the credentials directory ${dir}: ${errnoText(error)}`, {
    hint: `${CREDENTIALS_DIR_ENV} must be readable by the user dsync runs as`,
  });
}

/** The system's reason without the path Node repeats (the message names the path once). */
function errnoText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message;
}
