import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import type { ConfigStore, StoreProfile } from '../../../src/core/config/store.js';
import type { Deps } from '../../../src/core/deps.js';
import type { SecretLocation, SecretName, SecretStore } from '../../../src/core/secrets/store.js';
import { createSqliteStateStore } from '../../../src/core/state/sqlite-state.js';

export const SHOP = 'acme.myshopify.com';
export const ORIGIN = 'http://127.0.0.1:9';

export function memoryConfig(profiles: StoreProfile[] = []): ConfigStore {
  const stores = new Map(profiles.map((p) => [p.shop, structuredClone(p)]));
  let fallback: string | undefined;
  return {
    path: '/memory/config.json',
    listStores: () => [...stores.keys()].sort(),
    defaultStore: () => fallback,
    setDefaultStore: (shop) => {
      fallback = shop;
    },
    getProfile: (shop) => structuredClone(stores.get(shop)),
    saveProfile: (profile) => {
      stores.set(profile.shop, structuredClone(profile));
    },
    removeProfile: (shop) => {
      stores.delete(shop);
    },
  };
}

export interface RecordingSecrets extends SecretStore {
  /** Every write and delete, in order: `set refresh-token`, `delete client-secret`, … */
  log: string[];
  values: Map<string, string>;
}

export function recordingSecrets(
  initial: Partial<Record<SecretName, string>> = {},
  shop = SHOP,
): RecordingSecrets {
  const values = new Map<string, string>(
    Object.entries(initial).map(([k, v]) => [`${shop}/${k}`, v as string]),
  );
  const log: string[] = [];
  return {
    log,
    values,
    async get(s, name) {
      const value = values.get(`${s}/${name}`);
      return value === undefined ? undefined : { value, location: 'keychain' as SecretLocation };
    },
    async set(s, name, value) {
      log.push(`set ${name}`);
      values.set(`${s}/${name}`, value);
      return 'keychain';
    },
    async delete(s, name) {
      log.push(`delete ${name}`);
      return values.delete(`${s}/${name}`) ? ['keychain'] : [];
    },
  };
}

export function fakeDeps(parts: {
  config: ConfigStore;
  secrets: SecretStore;
  now: Date;
  env?: Record<string, string>;
}): { deps: Deps; agent: MockAgent } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const configDir = mkdtempSync(join(tmpdir(), 'dsync-auth-unit-'));
  const deps = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: { write: () => true } as unknown as Deps['stderr'],
    env: parts.env ?? {},
    clock: { now: () => parts.now, sleep: async () => undefined },
    global: { store: SHOP, json: false, color: false, input: false, debug: false },
    interactive: false,
    color: { stdout: false, stderr: false },
    apiOrigin: ORIGIN,
    configDir,
    signal: new AbortController().signal,
    dispatcher: async () => agent,
    config: async () => parts.config,
    secrets: async () => parts.secrets,
    state: async () => createSqliteStateStore(configDir),
    prompter: async () => {
      throw new Error('no prompts in unit tests');
    },
    openBrowser: async () => undefined,
    crashAt: () => {},
  } satisfies Deps;
  return { deps, agent };
}
