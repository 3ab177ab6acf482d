import { describe, expect, it } from 'vitest';
import type { ConfigStore, StoreProfile } from '../../../src/core/config/store.js';
import { SETTING_KEYS } from '../../../src/core/config/settings.js';
import { AuthError, InterruptedError } from '../../../src/core/errors.js';
import { type Choice, PromptEscaped, type Prompter } from '../../../src/core/prompter.js';
import type { SecretStore } from '../../../src/core/secrets/store.js';
import { refuseWithoutTerminal, runSettingsPage } from '../../../src/services/config/page.js';
import type { SettingsContext } from '../../../src/services/config/settings.js';
import type { LiveStore } from '../../../src/services/locations/list.js';
import type { LocationNode } from '../../../src/shopify/operations/locations.js';
import type { FulfillmentServiceNode } from '../../../src/shopify/operations/shop.js';

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

/** Answers scripted per question (a Throw rejects instead); records what each question offered. */
const DEFAULT = Symbol('default');
class Throw {
  constructor(readonly error: Error) {}
}
const ESC = () => new Throw(new PromptEscaped());
const CTRL_C = () => new Throw(new InterruptedError());

interface Asked {
  message: string;
  choices?: Choice<unknown>[];
  default?: unknown;
}

function scripted(answers: unknown[]) {
  const asked: Asked[] = [];
  const next = (message: string, extra: Omit<Asked, 'message'> = {}) => {
    asked.push({ message, ...extra });
    if (answers.length === 0) throw new Error(`unexpected question: ${message}`);
    const answer = answers.shift();
    if (answer instanceof Throw) return Promise.reject(answer.error);
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

/** The menus shown, in order, each as its lines. */
const menus = (asked: Asked[]) =>
  asked.filter((q) => q.message.startsWith('Settings for')).map((q) => (q.choices ?? []).map((c) => c.name));
const lineOf = (menu: string[] | undefined, key: string) => menu?.find((line) => line.startsWith(`${key} `));

/** A live store that records what was asked of it, each call after how many questions. */
function recordingLive(
  options: { scopes?: string[]; services?: FulfillmentServiceNode[]; asked?: Asked[] } = {},
) {
  const calls: string[] = [];
  const base = fakeLive(options.scopes);
  const record = (name: string) => calls.push(`${name} after ${options.asked?.length ?? '?'} questions`);
  const live: LiveStore = {
    shop: SHOP,
    locations: () => {
      record('locations');
      return base.locations();
    },
    fulfillmentServices: async () => {
      record('fulfillmentServices');
      return options.services ?? [];
    },
    grantedScopes: () => {
      record('grantedScopes');
      return base.grantedScopes();
    },
  };
  return { live, calls };
}

const service = (handle: string, serviceName: string, location: { id: string; name: string } | null) =>
  ({
    id: `gid://shopify/FulfillmentService/${handle}`,
    handle,
    serviceName,
    callbackUrl: null,
    inventoryManagement: true,
    trackingSupport: true,
    permitsSkuSharing: true,
    type: 'THIRD_PARTY',
    location,
  }) satisfies FulfillmentServiceNode;

function context(
  config: ConfigStore,
  live: LiveStore = fakeLive(),
  secrets: SecretStore = noSecrets,
): SettingsContext {
  return { shop: SHOP, config, secrets: async () => secrets, live: async () => live, now: NOW };
}

function talkLog() {
  const said: string[] = [];
  return {
    said,
    talk: { info: (m: string) => said.push(m), warn: (m: string) => said.push(`warning: ${m}`) },
  };
}

const START = {
  shop: SHOP,
  settings: { 'fulfillment-location': 'gid://shopify/Location/3', 'notify-customer': true },
  labels: { 'fulfillment-location': 'Reno' },
};

describe('runSettingsPage', () => {
  it('shows every setting with its value, edits two, marks them, and saves them in one write', async () => {
    const config = memoryConfig(START);
    const { prompter, asked } = scripted([
      'filter-by-location',
      true,
      'fulfillment-location',
      'gid://shopify/Location/1',
      'save',
    ]);
    const { live, calls } = recordingLive({ asked });
    const { talk } = talkLog();
    const result = await runSettingsPage(context(config, live), prompter, talk);

    const [first, second, third] = menus(asked);
    expect(first).toHaveLength(SETTING_KEYS.length + 2);
    expect(lineOf(first, 'fulfillment-location')).toMatch(/ Reno$/);
    expect(lineOf(first, 'notify-customer')).toMatch(/ true$/);
    expect(lineOf(first, 'filter-by-location')).toMatch(/ false \(default\)$/);
    expect(lineOf(first, 'webhook-secret')).toMatch(/\(not set\)$/);
    expect(lineOf(second, 'filter-by-location')).toMatch(/ true {2}\(changed\)$/);
    // Opening the page and editing a yes/no setting never ask the store: the first call comes
    // once the location was picked from the menu (the third question).
    expect(calls[0]).toBe('locations after 3 questions');
    // The location question offers active locations by name, starting from the current one.
    const question = asked.find((q) => q.message.startsWith('Fulfillment location'));
    expect(question?.choices?.map((c) => c.name)).toEqual(['Main', 'Reno']);
    expect(question?.default).toBe('gid://shopify/Location/3');
    expect(lineOf(third, 'fulfillment-location')).toMatch(/ Main {2}\(changed\)$/);
    expect(third?.at(-2)).toBe('Save and exit (2 changes)');
    // The menu comes back on the setting just edited.
    expect(asked.at(-1)?.default).toBe('fulfillment-location');

    expect(result.confirmed).toBe(true);
    expect(result.saved.map((s) => s.key)).toEqual(['fulfillment-location', 'filter-by-location']);
    expect(config.writes).toBe(1);
    expect(config.getProfile(SHOP)).toEqual({
      shop: SHOP,
      settings: {
        'fulfillment-location': 'gid://shopify/Location/1',
        'notify-customer': true,
        'filter-by-location': true,
      },
      labels: { 'fulfillment-location': 'Main' },
    });
  });

  it('writes nothing before save: exit without saving asks first, and no goes back to the menu', async () => {
    const config = memoryConfig(START);
    const { prompter, asked } = scripted([
      'notify-customer',
      false,
      'exit',
      false, // do not discard: back to the menu
      'exit',
      true, // discard
    ]);
    const { said, talk } = talkLog();
    const result = await runSettingsPage(context(config), prompter, talk);
    expect(asked.filter((q) => q.message === 'Discard 1 unsaved change?')).toHaveLength(2);
    expect(asked.find((q) => q.message.startsWith('Discard'))?.default).toBe(false);
    expect(menus(asked)).toHaveLength(3);
    expect(result).toEqual({ shop: SHOP, saved: [], confirmed: false });
    expect(config.writes).toBe(0);
    expect(said).toContain('Not saved: nothing was written.');
  });

  it('leaves at once when nothing changed', async () => {
    const config = memoryConfig(START);
    const exit = scripted(['exit']);
    expect(await runSettingsPage(context(config), exit.prompter, talkLog().talk)).toMatchObject({
      confirmed: false,
    });
    const esc = scripted([ESC()]);
    expect(await runSettingsPage(context(config), esc.prompter, talkLog().talk)).toMatchObject({
      confirmed: false,
    });
    const save = scripted(['save']);
    expect(await runSettingsPage(context(config), save.prompter, talkLog().talk)).toMatchObject({
      confirmed: true,
      saved: [],
    });
    await expect(
      runSettingsPage(context(config), scripted([CTRL_C()]).prompter, talkLog().talk),
    ).rejects.toThrow(InterruptedError);
    expect(config.writes).toBe(0);
  });

  it('Ctrl-C asks before dropping changes, from the menu or inside an edit; Ctrl-C again leaves', async () => {
    const config = memoryConfig(START);
    const { prompter, asked } = scripted([
      'use-local-currency',
      true,
      CTRL_C(), // on the menu
      ESC(), // Esc on "discard?": back to the menu
      'exclude-empty-orders',
      CTRL_C(), // inside the edit
      false, // do not discard
      CTRL_C(),
      CTRL_C(), // on "discard?": leave
    ]);
    await expect(runSettingsPage(context(config), prompter, talkLog().talk)).rejects.toThrow(
      InterruptedError,
    );
    expect(asked.filter((q) => q.message.startsWith('Discard'))).toHaveLength(3);
    expect(config.writes).toBe(0);
  });

  it('Esc inside an edit goes back to the menu without a change', async () => {
    const config = memoryConfig(START);
    const { prompter, asked } = scripted(['financial-status', ESC(), 'save']);
    const result = await runSettingsPage(context(config), prompter, talkLog().talk);
    expect(menus(asked)[1]?.at(-2)).toBe('Save and exit (nothing changed)');
    expect(result.saved).toEqual([]);
    expect(config.writes).toBe(0);
  });

  it('a refused value or an unreachable store keeps the page and the edits made so far', async () => {
    const config = memoryConfig(START);
    const down: LiveStore = {
      ...fakeLive(),
      locations: async () => {
        throw new AuthError('the access token is no longer valid');
      },
    };
    const { prompter } = scripted(['notify-customer', false, 'fulfillment-location', 'save']);
    const { said, talk } = talkLog();
    const result = await runSettingsPage(context(config, down), prompter, talk);
    expect(said.join('\n')).toContain(
      'warning: the access token is no longer valid\n  run `dsync auth login`',
    );
    expect(result.saved.map((s) => [s.key, s.value])).toEqual([['notify-customer', false]]);
  });

  it('asks at least one financial status, starting from the current ones', async () => {
    const config = memoryConfig(START);
    const { prompter, asked } = scripted(['financial-status', [], ['paid', 'refunded'], 'save']);
    const { said, talk } = talkLog();
    await runSettingsPage(context(config), prompter, talk);
    const questions = asked.filter((q) => q.message.startsWith('Financial statuses'));
    expect(questions).toHaveLength(2);
    expect(questions[0]?.default).toEqual(['paid']);
    expect(said).toContain('warning: choose at least one financial status');
    expect(config.getProfile(SHOP)?.settings['financial-status']).toEqual(['paid', 'refunded']);
  });

  it('asks again for a date beyond 60 days when the token lacks read_all_orders', async () => {
    const config = memoryConfig(START);
    const { prompter, asked } = scripted([
      'accept-orders-after',
      '45d',
      'accept-orders-after',
      '90d',
      '30d',
      'save',
    ]);
    const { live, calls } = recordingLive({ scopes: ['read_orders'], asked });
    const { said, talk } = talkLog();
    await runSettingsPage(context(config, live), prompter, talk);
    // 45 days is inside the window: the store is asked only for 90 days.
    expect(calls).toEqual(['grantedScopes after 4 questions']);
    expect(asked.filter((q) => q.message.startsWith('Accept orders created after'))).toHaveLength(3);
    expect(said.join('\n')).toContain('read_all_orders');
    expect(config.getProfile(SHOP)?.settings['accept-orders-after']).toBe('30d');
  });

  it('keeps the service by name and checks it against the location chosen on the page', async () => {
    const config = memoryConfig(START);
    const { live } = recordingLive({
      services: [service('acme-3pl', 'Acme 3PL', { id: 'gid://shopify/Location/9', name: 'Acme 3PL' })],
    });
    const { prompter, asked } = scripted([
      'fulfillment-location',
      'gid://shopify/Location/1',
      'fulfillment-service',
      'acme-3pl',
      'save',
    ]);
    const { said, talk } = talkLog();
    await runSettingsPage(context(config, live), prompter, talk);
    expect(
      asked.find((q) => q.message.startsWith('Fulfillment service'))?.choices?.map((c) => c.value),
    ).toEqual(['all', 'acme-3pl']);
    expect(lineOf(menus(asked).at(-1), 'fulfillment-service')).toMatch(/ Acme 3PL {2}\(changed\)$/);
    // The warning names the location picked on the page, not the one in the file.
    expect(said.join('\n')).toContain('but fulfillment-location is gid://shopify/Location/1');
    expect(config.getProfile(SHOP)?.labels).toEqual({
      'fulfillment-location': 'Main',
      'fulfillment-service': 'Acme 3PL',
    });
  });

  it('edits api-version with the same check as config set', async () => {
    const config = memoryConfig(START);
    const { prompter } = scripted(['api-version', '2025-04', 'save']);
    await runSettingsPage(context(config), prompter, talkLog().talk);
    expect(config.getProfile(SHOP)?.settings['api-version']).toBe('2025-04');
    const refused = scripted(['api-version', '2025-05']);
    await expect(runSettingsPage(context(config), refused.prompter, talkLog().talk)).rejects.toThrow(
      /validation refused 2025-05/,
    );
  });

  it('shows secrets masked, asks a new one hidden, and keeps it out of the file and the menu', async () => {
    const config = memoryConfig(START);
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
    const { prompter, asked } = scripted([
      'return-magic-api-key',
      '',
      'webhook-secret',
      `  ${SECRET}\n`,
      'save',
    ]);
    const { said, talk } = talkLog();
    const result = await runSettingsPage(context(config, fakeLive(), secrets), prompter, talk);
    const [first, , third] = menus(asked);
    expect(lineOf(first, 'return-magic-api-key')).toMatch(/ ••••cdef$/);
    expect(lineOf(third, 'return-magic-api-key')).toMatch(/ ••••cdef$/);
    expect(lineOf(third, 'webhook-secret')).toMatch(/ ••••6789 {2}\(changed\)$/);
    expect(asked.some((q) => q.message === 'webhook signing secret (empty keeps the current one):')).toBe(
      true,
    );
    expect(stored.get('webhook-secret')).toBe(SECRET);
    expect(stored.get('return-magic-api-key')).toBe('rm_live_0123456789abcdef');
    expect(result.saved).toEqual([
      expect.objectContaining({ key: 'webhook-secret', storage: 'keychain', value: '••••6789' }),
    ]);
    const everything = JSON.stringify({ asked, said, profile: config.getProfile(SHOP) });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('rm_live_0123456789abcdef');
  });

  it('keeps the settings when the keychain fails on save, and says the keychain is unreadable', async () => {
    const config = memoryConfig(START);
    const broken: SecretStore = {
      get: async () => {
        throw new Error('keychain locked');
      },
      set: async () => {
        throw new Error('keychain locked');
      },
      delete: async () => [],
    };
    const { prompter, asked } = scripted([
      'notify-customer',
      false,
      'return-magic-api-key',
      'rm_live_0123456789abcdef',
      'save',
    ]);
    await expect(
      runSettingsPage(context(config, fakeLive(), broken), prompter, talkLog().talk),
    ).rejects.toThrow('keychain locked');
    expect(lineOf(menus(asked)[0], 'webhook-secret')).toMatch(/\(cannot read the keychain\)$/);
    expect(config.getProfile(SHOP)?.settings['notify-customer']).toBe(false);
  });

  it('refuses without a terminal, listing config set lines', () => {
    const error = refuseWithoutTerminal();
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('dsync config set fulfillment-location');
    expect(error.hint).not.toContain('api-version');
  });
});
