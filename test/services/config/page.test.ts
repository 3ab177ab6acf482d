import { describe, expect, it } from 'vitest';
import type { ConfigStore, StoreProfile } from '../../../src/core/config/store.js';
import type { Choice, Prompter } from '../../../src/core/prompter.js';
import type { SecretStore } from '../../../src/core/secrets/store.js';
import { refuseWithoutTerminal, runSettingsPage } from '../../../src/services/config/page.js';
import type { SettingsContext } from '../../../src/services/config/settings.js';
import type { LiveStore } from '../../../src/services/locations/list.js';
import type { LocationNode } from '../../../src/shopify/operations/locations.js';

const SHOP = 'acme.myshopify.com';
const NOW = new Date('2026-06-01T00:00:00Z');

function memoryConfig(initial?: StoreProfile): ConfigStore & { writes: number } {
  const profiles = new Map<string, StoreProfile>(initial ? [[initial.shop, initial]] : []);
  const store = {
    writes: 0,
    path: '/mem/config.json',
    listStores: () => [...profiles.keys()],
    defaultStore: () => undefined,
    setDefaultStore: () => {},
    getProfile: (shop: string) => profiles.get(shop),
    saveProfile: (profile: StoreProfile) => {
      store.writes += 1;
      profiles.set(profile.shop, profile);
    },
    removeProfile: (shop: string) => {
      profiles.delete(shop);
    },
  };
  return store;
}

const loc = (id: number, name: string, isActive = true): LocationNode => ({
  id: `gid://shopify/Location/${id}`,
  name,
  isActive,
  fulfillsOnlineOrders: true,
  shipsInventory: true,
  hasActiveInventory: true,
  isFulfillmentService: false,
  fulfillmentService: null,
  address: { city: null, countryCode: null },
});

const fakeLive = (scopes: string[] = []): LiveStore => ({
  shop: SHOP,
  locations: async () => [loc(1, 'Main'), loc(2, 'Closed', false), loc(3, 'Reno')],
  fulfillmentServices: async () => [],
  grantedScopes: async () => scopes,
});

const noSecrets: SecretStore = {
  get: async () => undefined,
  set: async () => 'file',
  delete: async () => [],
};

/** Answers scripted per question; records what each question offered. */
function scripted(answers: unknown[]) {
  const asked: { message: string; choices?: Choice<unknown>[]; default?: unknown }[] = [];
  const next = (message: string, extra: Omit<(typeof asked)[number], 'message'> = {}) => {
    asked.push({ message, ...extra });
    if (answers.length === 0) throw new Error(`unexpected question: ${message}`);
    const answer = answers.shift();
    return Promise.resolve(answer === DEFAULT ? extra.default : answer);
  };
  const prompter: Prompter = {
    input: (message, options) => {
      const value = next(message, { default: options?.default }) as Promise<string>;
      return value.then((v) => {
        const verdict = options?.validate?.(v) ?? true;
        if (verdict !== true) throw new Error(`validation refused ${v}: ${verdict}`);
        return v;
      });
    },
    password: (message) => next(message) as Promise<string>,
    confirm: (message, options) => next(message, { default: options?.default }) as Promise<boolean>,
    select: (message, choices, options) =>
      next(message, { choices: choices as Choice<unknown>[], default: options?.default }) as never,
    checkbox: (message, choices) =>
      next(message, {
        choices: choices as Choice<unknown>[],
        default: choices.filter((c) => c.checked).map((c) => c.value),
      }) as never,
  };
  return { prompter, asked, remaining: answers };
}
const DEFAULT = Symbol('default');

function context(config: ConfigStore, live = fakeLive()): SettingsContext {
  return { shop: SHOP, config, secrets: async () => noSecrets, live: async () => live, now: NOW };
}

const talk = { info: () => {}, warn: () => {} };

describe('runSettingsPage', () => {
  it('offers active locations only, defaults to the current values, and saves once at the end', async () => {
    const config = memoryConfig({
      shop: SHOP,
      settings: { 'fulfillment-location': 'gid://shopify/Location/3', 'notify-customer': true },
    });
    const { prompter, asked } = scripted([
      'gid://shopify/Location/1',
      'all',
      true, // filter-by-location
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT, // accept-fulfillment-requests
      DEFAULT, // notify-customer (true)
      [], // no statuses: asked again
      ['paid', 'refunded'],
      '30d',
      false, // return magic key
      false, // webhook secret
      true, // save
    ]);
    const result = await runSettingsPage(context(config), prompter, talk);
    expect(asked[0]?.choices?.map((c) => c.value)).toEqual([
      'gid://shopify/Location/1',
      'gid://shopify/Location/3',
    ]);
    expect(asked[0]?.default).toBe('gid://shopify/Location/3');
    expect(asked.find((q) => q.message.includes('email tracking'))?.default).toBe(true);
    expect(asked.filter((q) => q.message.includes('Financial statuses'))).toHaveLength(2);
    expect(result.confirmed).toBe(true);
    expect(config.writes).toBe(1);
    expect(config.getProfile(SHOP)?.settings).toEqual({
      'fulfillment-location': 'gid://shopify/Location/1',
      'notify-customer': true,
      'filter-by-location': true,
      'financial-status': ['paid', 'refunded'],
      'accept-orders-after': '30d',
    });
  });

  it('writes nothing when the user declines at the end', async () => {
    const config = memoryConfig();
    const { prompter } = scripted([
      'gid://shopify/Location/1',
      'all',
      true,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      '',
      false,
      false,
      false, // do not save
    ]);
    const result = await runSettingsPage(context(config), prompter, talk);
    expect(result).toMatchObject({ confirmed: false, saved: [] });
    expect(config.writes).toBe(0);
  });

  it('asks again for a date beyond 60 days when the token lacks read_all_orders', async () => {
    const config = memoryConfig({
      shop: SHOP,
      settings: { 'fulfillment-location': 'gid://shopify/Location/1' },
    });
    const warnings: string[] = [];
    const { prompter, asked } = scripted([
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      '90d',
      '45d',
      false,
      false,
      true,
    ]);
    await runSettingsPage(context(config, fakeLive(['read_orders'])), prompter, {
      info: () => {},
      warn: (m) => warnings.push(m),
    });
    expect(asked.filter((q) => q.message.includes('Accept orders created after'))).toHaveLength(2);
    expect(warnings.join('\n')).toContain('read_all_orders');
    expect(config.getProfile(SHOP)?.settings['accept-orders-after']).toBe('45d');
  });

  it('keeps the other answers when the keychain fails', async () => {
    const config = memoryConfig();
    const broken: SecretStore = {
      get: async () => {
        throw new Error('keychain locked');
      },
      set: async () => {
        throw new Error('keychain locked');
      },
      delete: async () => [],
    };
    const warnings: string[] = [];
    const { prompter, asked } = scripted([
      'gid://shopify/Location/3',
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      DEFAULT,
      '',
      true,
      'rm_live_0123456789abcdef',
      false, // webhook secret
      true,
    ]);
    const ctx: SettingsContext = { ...context(config), secrets: async () => broken };
    await expect(
      runSettingsPage(ctx, prompter, { info: () => {}, warn: (m) => warnings.push(m) }),
    ).rejects.toThrow('keychain locked');
    expect(asked.find((q) => q.message.includes('Return Magic'))?.message).toContain('(unknown)');
    expect(asked.find((q) => q.message.includes('webhook signing secret'))?.message).toContain('(unknown)');
    expect(warnings.join('\n')).toContain('keychain locked');
    expect(config.getProfile(SHOP)?.settings['fulfillment-location']).toBe('gid://shopify/Location/3');
  });

  it('asks for the webhook signing secret like the Return Magic key and keeps it out of the file', async () => {
    const config = memoryConfig({
      shop: SHOP,
      settings: { 'fulfillment-location': 'gid://shopify/Location/1' },
    });
    const stored = new Map<string, string>([['return-magic-api-key', 'rm_live_0123456789abcdef']]);
    const secrets: SecretStore = {
      get: async (_shop, name) => {
        const value = stored.get(name);
        return value === undefined ? undefined : { value, location: 'keychain' };
      },
      set: async (_shop, name, value) => {
        stored.set(name, value);
        return 'keychain';
      },
      delete: async () => [],
    };
    const SECRET = 'whsec_page-0123456789';
    const said: string[] = [];
    const { prompter, asked } = scripted([
      ...Array(10).fill(DEFAULT),
      '',
      false, // keep the Return Magic key
      true, // set the webhook secret
      `  ${SECRET}\n`,
      true, // save
    ]);
    const result = await runSettingsPage({ ...context(config), secrets: async () => secrets }, prompter, {
      info: (m) => said.push(m),
      warn: (m) => said.push(m),
    });
    expect(asked.find((q) => q.message.includes('Return Magic'))?.message).toContain('Replace');
    expect(asked.find((q) => q.message.includes('webhook signing secret'))?.message).toBe(
      'Set the webhook signing secret (not set)?',
    );
    expect(stored.get('webhook-secret')).toBe(SECRET);
    expect(result.saved).toEqual([
      expect.objectContaining({ key: 'webhook-secret', storage: 'keychain', value: '••••6789' }),
    ]);
    expect(said.join('\n')).toContain('webhook-secret = (new value, not shown)');
    expect(said.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(config.getProfile(SHOP))).not.toContain(SECRET);
  });

  it('refuses without a terminal, listing config set lines', () => {
    const error = refuseWithoutTerminal();
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('dsync config set fulfillment-location');
    expect(error.hint).not.toContain('api-version');
  });
});
