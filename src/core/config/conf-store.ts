import { readFileSync, statSync } from 'node:fs';
import Conf from 'conf';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { configFilePath } from './paths.js';
import type { ConfigStore, StoreProfile } from './store.js';

interface ConfigFile {
  defaultStore?: string;
  stores: Record<string, StoreProfile>;
}

const SHOP = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

/**
 * The shape of the file. Settings values are checked by the settings schema when they are read
 * (readSettings), so one bad value names its key instead of making the whole file unreadable.
 * Unknown top-level or profile fields are kept as they are (loose), never dropped.
 */
const fileSchema = z.looseObject({
  defaultStore: z.string().regex(SHOP, 'must be a shop like acme.myshopify.com').optional(),
  stores: z
    .record(
      z.string().regex(SHOP, 'store keys must be shops like acme.myshopify.com'),
      z.looseObject({
        shop: z.string().regex(SHOP, 'must be a shop like acme.myshopify.com'),
        settings: z.record(z.string(), z.unknown()),
        auth: z.looseObject({}).optional(),
      }),
    )
    .default({}),
});

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
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    throw new ConfigError(`${path} is invalid: ${field}: ${issue?.message ?? 'unexpected content'}`, {
      hint: HINT(path),
    });
  }
  for (const [key, profile] of Object.entries(result.data.stores)) {
    if (profile.shop !== key) {
      throw new ConfigError(
        `${path} is invalid: stores.${key}.shop is "${profile.shop}", expected "${key}"`,
        { hint: HINT(path) },
      );
    }
  }
  return result.data as unknown as ConfigFile;
}

/**
 * The config file (`config.json` under the config dir, mode 0600), one profile per store plus
 * the default store. Writes are atomic (conf writes a temp file and renames it). A file that is
 * not valid JSON or not the expected shape is an error naming the file; it is never reset.
 */
export function createConfStore(options: { configDir: string }): ConfigStore {
  const path = configFilePath(options.configDir);
  // Check the file before conf sees it: conf would merge defaults into (and so rewrite) a file
  // whose top level is not an object.
  validateConfigFile(parseFile(path), path);
  let conf: Conf<ConfigFile>;
  try {
    conf = new Conf<ConfigFile>({
      cwd: options.configDir,
      configName: 'config',
      projectName: 'dsync',
      configFileMode: 0o600,
      clearInvalidConfig: false,
    });
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${reasonOf(error)}`, {
      hint: HINT(path),
      cause: error,
    });
  }
  /** Reads and validates the file on every access, so a concurrent edit is never overwritten blind. */
  const read = (): ConfigFile => {
    let data: unknown;
    try {
      data = conf.store;
    } catch (error) {
      throw new ConfigError(`cannot read the config file ${path}: ${reasonOf(error)}`, {
        hint: HINT(path),
        cause: error,
      });
    }
    return validateConfigFile(data, path);
  };
  read();
  return {
    path: conf.path,
    listStores: () => Object.keys(read().stores).sort(),
    defaultStore: () => read().defaultStore,
    setDefaultStore: (shop) => {
      const file = read();
      if (shop === undefined) {
        const { defaultStore: _removed, ...rest } = file;
        conf.store = rest as ConfigFile;
      } else conf.store = { ...file, defaultStore: shop };
    },
    getProfile: (shop) => read().stores[shop],
    saveProfile: (profile) => {
      const file = read();
      conf.store = { ...file, stores: { ...file.stores, [profile.shop]: profile } };
    },
    removeProfile: (shop) => {
      const file = read();
      const { [shop]: _removed, ...rest } = file.stores;
      const next: ConfigFile = { ...file, stores: rest };
      if (next.defaultStore === shop) delete next.defaultStore;
      conf.store = next;
    },
    fileMode: () => {
      try {
        return statSync(conf.path).mode & 0o777;
      } catch {
        return undefined;
      }
    },
  };
}
