import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { withFileLock } from '../lock/file-lock.js';
import type { SecretName } from './store.js';

/**
 * The fallback credentials file, `credentials.json` in the config dir, mode 0600:
 * `{"version":1,"stores":{"acme.myshopify.com":{"access-token":"…"}}}`. Written atomically
 * (temporary file + rename), so a crash never leaves half a file; removed when it empties.
 * Every change is a read-modify-write under `credentials.json.lock` (O_EXCL, stale-lock
 * recovery), so two dsync processes — a token refresh and a `config set`, or two stores' cron
 * jobs — never write back a copy that lacks the other's change (a rotated refresh token).
 */
export type SecretBag = Partial<Record<SecretName, string>>;

interface CredentialsFile {
  version: 1;
  stores: Record<string, SecretBag>;
}

export const CREDENTIALS_FILE = 'credentials.json';

export interface CredentialsFileStore {
  readonly path: string;
  read(shop: string): Promise<SecretBag>;
  /**
   * Changes the shop's secrets under the file's lock: `edit` gets the bag as it is on disk now
   * and returns the new one (an empty bag removes the shop, and the file when it empties), or
   * undefined to leave it as it is. Resolves with the bag as it was before.
   */
  update(shop: string, edit: (bag: SecretBag) => SecretBag | undefined): Promise<SecretBag>;
  /** Replaces the shop's secrets (an update that ignores what is there). */
  write(shop: string, bag: SecretBag): Promise<void>;
}

export function createCredentialsFile(configDir: string): CredentialsFileStore {
  const path = join(configDir, CREDENTIALS_FILE);

  const load = async (): Promise<CredentialsFile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, stores: {} };
      throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`, {
        hint: 'check the file permissions of the config dir (DSYNC_CONFIG_DIR)',
      });
    }
    const parsed = parseCredentials(text);
    if (!parsed) {
      throw new ConfigError(`${path} is not a valid dsync credentials file`, {
        hint: `move it aside and run \`dsync auth login\` again (the file is left as it is)`,
      });
    }
    return parsed;
  };

  const save = async (file: CredentialsFile, shop: string, bag: SecretBag): Promise<void> => {
    const clean: SecretBag = {};
    for (const [key, value] of Object.entries(bag)) {
      if (typeof value === 'string' && value !== '') clean[key as SecretName] = value;
    }
    if (Object.keys(clean).length === 0) delete file.stores[shop];
    else file.stores[shop] = clean;
    if (Object.keys(file.stores).length === 0) {
      await rm(path, { force: true });
      return;
    }
    // Loaded here: reading secrets (every command with a token) should not pay for node:crypto.
    const { randomBytes } = await import('node:crypto');
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flush: true });
      await chmod(temp, 0o600);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  };

  const update: CredentialsFileStore['update'] = async (shop, edit) => {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    return withFileLock(path, async () => {
      const file = await load();
      const before = { ...(file.stores[shop] ?? {}) };
      const next = edit({ ...before });
      if (next !== undefined) await save(file, shop, next);
      return before;
    });
  };

  return {
    path,
    async read(shop) {
      return { ...((await load()).stores[shop] ?? {}) };
    },
    update,
    async write(shop, bag) {
      await update(shop, () => bag);
    },
  };
}

function parseCredentials(text: string): CredentialsFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.version !== 1 || !isRecord(value.stores)) return undefined;
  const stores: Record<string, SecretBag> = {};
  for (const [shop, bag] of Object.entries(value.stores)) {
    if (!isRecord(bag)) return undefined;
    const clean: SecretBag = {};
    for (const [key, secret] of Object.entries(bag)) {
      if (typeof secret !== 'string') return undefined;
      clean[key as SecretName] = secret;
    }
    stores[shop] = clean;
  }
  return { version: 1, stores };
}

export function parseSecretBag(text: string): SecretBag | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const bag: SecretBag = {};
  for (const [key, secret] of Object.entries(value)) {
    if (typeof secret === 'string') bag[key as SecretName] = secret;
  }
  return bag;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
