import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { configFilePath } from './paths.js';
import type { ConfigStore, StoreProfile } from './store.js';

interface ConfigFile {
  defaultStore?: string;
  stores: Record<string, StoreProfile>;
}

const SHOP = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;
const SHOP_MESSAGE = 'must be a shop like acme.myshopify.com';

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The first problem with the shape of the file, as [field, message]; undefined when it is fine.
 * Settings values are checked by the settings checks when they are read (readSettings), so one
 * bad value names its key instead of making the whole file unreadable. Unknown top-level or
 * profile fields are kept as they are, never dropped.
 */
function shapeProblem(data: unknown): [string, string] | undefined {
  if (!isObject(data)) return ['(top level)', `expected object, received ${typeName(data)}`];
  if ('defaultStore' in data) {
    const shop = data.defaultStore;
    if (typeof shop !== 'string') return ['defaultStore', `expected string, received ${typeName(shop)}`];
    if (!SHOP.test(shop)) return ['defaultStore', SHOP_MESSAGE];
  }
  if (!('stores' in data)) return undefined;
  if (!isObject(data.stores)) return ['stores', `expected object, received ${typeName(data.stores)}`];
  for (const [key, profile] of Object.entries(data.stores)) {
    const at = `stores.${key}`;
    if (!SHOP.test(key)) return [at, 'store keys must be shops like acme.myshopify.com'];
    if (!isObject(profile)) return [at, `expected object, received ${typeName(profile)}`];
    if (typeof profile.shop !== 'string')
      return [`${at}.shop`, `expected string, received ${typeName(profile.shop)}`];
    if (!SHOP.test(profile.shop)) return [`${at}.shop`, SHOP_MESSAGE];
    if (!isObject(profile.settings))
      return [`${at}.settings`, `expected object, received ${typeName(profile.settings)}`];
    if ('auth' in profile && !isObject(profile.auth))
      return [`${at}.auth`, `expected object, received ${typeName(profile.auth)}`];
  }
  return undefined;
}

const HINT = (path: string) =>
  `fix ${path} by hand (it is JSON), or move it away to start over; dsync will not overwrite it`;

function reasonOf(error: unknown): string {
  if (error instanceof SyntaxError) return `not valid JSON (${error.message})`;
  return error instanceof Error ? error.message : String(error);
}

/** The file's parsed content; {} when it does not exist yet. */
function parseFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read the config file ${path}: ${reasonOf(error)}`, { hint: HINT(path) });
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${reasonOf(error)}`, {
      hint: HINT(path),
      cause: error,
    });
  }
}

/** Checks the whole file; throws ConfigError naming the file, the field and the problem. */
export function validateConfigFile(data: unknown, path: string): ConfigFile {
  const problem = shapeProblem(data);
  if (problem) {
    throw new ConfigError(`${path} is invalid: ${problem[0]}: ${problem[1]}`, { hint: HINT(path) });
  }
  const file = data as Partial<ConfigFile>;
  const stores = file.stores ?? {};
  for (const [key, profile] of Object.entries(stores)) {
    if (profile.shop !== key) {
      throw new ConfigError(
        `${path} is invalid: stores.${key}.shop is "${profile.shop}", expected "${key}"`,
        { hint: HINT(path) },
      );
    }
  }
  return { ...file, stores };
}

let writes = 0;

/**
 * Replaces the file atomically: a temporary file (mode 0600) beside it, flushed, then renamed
 * over it, so a crash or a concurrent reader never sees half a file. The temporary name is unique
 * by process id and a counter (node:crypto would cost more to load than the whole write).
 */
function writeAtomically(path: string, text: string): void {
  // The config dir also holds the ledger and, without a keychain, the credentials file.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writes += 1;
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.${writes}.tmp`;
  try {
    writeFileSync(temp, text, { mode: 0o600, flush: true });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new ConfigError(`cannot write the config file ${path}: ${reasonOf(error)}`, {
      hint: 'check the permissions of the config dir (DSYNC_CONFIG_DIR)',
      cause: error,
    });
  }
}

/**
 * The config file (`config.json` under the config dir, mode 0600), one profile per store plus
 * the default store, as tab-indented JSON. Writes are atomic (a temporary file renamed over it).
 * A file that is not valid JSON or not the expected shape is an error naming the file; it is
 * never reset. Plain node:fs: this file is read by every command, and a settings library with a
 * JSON-schema engine would cost more to load than the rest of `dsync config get`.
 */
export function createConfStore(options: { configDir: string }): ConfigStore {
  const path = configFilePath(options.configDir);
  /** Reads and validates the file as it is on disk now. */
  const read = (): ConfigFile => validateConfigFile(parseFile(path), path);
  // A command asks for a profile many times: the parsed file is kept while the file on disk is
  // the same one (inode, size, mtime), so another process's write (a token refresh) is still seen.
  let cached: { stamp: string; file: ConfigFile } | undefined;
  const current = (): ConfigFile => {
    let stamp = 'absent';
    try {
      const st = statSync(path);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      // No file yet: parseFile reads it as empty.
    }
    if (cached?.stamp !== stamp) cached = { stamp, file: read() };
    return cached.file;
  };
  current();
  // Every change reads the file again first, so an edit made meanwhile is never overwritten blind.
  const change = (edit: (file: ConfigFile) => ConfigFile) => {
    writeAtomically(path, JSON.stringify(edit(read()), undefined, '\t'));
    cached = undefined;
  };
  return {
    path,
    listStores: () => Object.keys(current().stores).sort(),
    defaultStore: () => current().defaultStore,
    setDefaultStore: (shop) =>
      change((file) => {
        if (shop !== undefined) return { ...file, defaultStore: shop };
        const { defaultStore: _removed, ...rest } = file;
        return rest;
      }),
    getProfile: (shop) => current().stores[shop],
    saveProfile: (profile) =>
      change((file) => ({ ...file, stores: { ...file.stores, [profile.shop]: profile } })),
    removeProfile: (shop) =>
      change((file) => {
        const { [shop]: _removed, ...rest } = file.stores;
        const next: ConfigFile = { ...file, stores: rest };
        if (next.defaultStore === shop) delete next.defaultStore;
        return next;
      }),
    fileMode: () => {
      try {
        return statSync(path).mode & 0o777;
      } catch {
        return undefined;
      }
    },
  };
}
