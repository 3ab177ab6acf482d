import { PINNED_API_VERSION } from '../api-version.js';
import { ConfigError } from '../errors.js';
import { parseDuration, parseIsoDate } from '../time-text.js';
import {
  FINANCIAL_STATUSES,
  type FinancialStatus,
  isSettingKey,
  SECRET_KEYS,
  SETTING_DOCS,
  SETTING_KEYS,
  type SettingKey,
  settingMeta,
} from './setting-docs.js';
import type { StoreProfile } from './store.js';

/**
 * The per-store settings (SPEC.md, "Settings"). SETTING_DOCS (setting-docs.ts) names every key
 * with its help text and default; SETTING_CHECKS below gives each key its type and allowed values,
 * and `satisfies` makes the compiler refuse a key present in one and not the other. The checks
 * are plain functions, not a schema library: every command that reads a setting runs them, and
 * `dsync config get` must start as fast as node itself. `config set` validates with them,
 * `config list` and `dsync config --help` are rendered from the docs, and readSettings() gives the
 * effective values to the rest of dsync.
 */

export { parseIsoDate } from '../time-text.js';
export {
  FINANCIAL_STATUSES,
  type FinancialStatus,
  isSettingKey,
  SECRET_KEYS,
  SETTING_DOCS,
  SETTING_KEYS,
  type SettingKey,
  type SettingKind,
  type SettingMeta,
  settingMeta,
  settingsHelpText,
} from './setting-docs.js';

const LOCATION_GID = /^gid:\/\/shopify\/Location\/\d+$/;
const API_VERSION = /^\d{4}-(01|04|07|10)$/;

/** Validates a stored ISO datetime or relative window. */
export function isSinceValue(value: string): boolean {
  return parseDuration(value) !== undefined || parseIsoDate(value) !== undefined;
}

/** What a stored value is wrong about, in words; undefined when the value is allowed. */
type Check = (value: unknown) => string | undefined;

const isBoolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'must be boolean');

const stringMatching =
  (test: (text: string) => boolean, message: string): Check =>
  (value) =>
    typeof value !== 'string' ? 'must be string' : test(value) ? undefined : message;

/**
 * Every key, its type and allowed values, as stored in the config file. Keys are the kebab-case
 * names users type; every one is optional in the file.
 */
const SETTING_CHECKS = {
  'fulfillment-location': stringMatching(
    (text) => LOCATION_GID.test(text),
    'must be a location gid (gid://shopify/Location/<id>)',
  ),
  'fulfillment-service': stringMatching((text) => text.length > 0, 'must not be empty'),
  'filter-by-location': isBoolean,
  'exclude-empty-orders': isBoolean,
  'use-local-currency': isBoolean,
  'include-duplicate-skus': isBoolean,
  'include-partial-fulfillments': isBoolean,
  'financial-status': (value) => {
    if (!Array.isArray(value)) return 'must be array';
    if (value.length === 0) return 'at least one financial status is required';
    const known: readonly unknown[] = FINANCIAL_STATUSES;
    return value.every((status) => known.includes(status))
      ? undefined
      : `must be one of ${FINANCIAL_STATUSES.join(', ')}`;
  },
  'accept-orders-after': stringMatching(
    isSinceValue,
    'must be an ISO date/datetime or a window such as 30d or 12h',
  ),
  'accept-fulfillment-requests': isBoolean,
  'notify-customer': isBoolean,
  'return-magic-api-key': stringMatching((text) => text.length > 0, 'must not be empty'),
  'api-version': stringMatching(
    (text) => API_VERSION.test(text),
    'must be a quarterly version YYYY-01, -04, -07 or -10',
  ),
  'webhook-secret': stringMatching((text) => text.length > 0, 'must not be empty'),
} as const satisfies Record<SettingKey, Check>;

/** Compile-time check: a check for every documented key and no other. */
const _sameKeys: Record<keyof typeof SETTING_CHECKS, true> = Object.fromEntries(
  Object.keys(SETTING_DOCS).map((k) => [k, true]),
) as Record<SettingKey, true>;
void _sameKeys;

/** The settings kept in the config file (secrets excluded), as validated by validateStoredSettings. */
export interface StoredSettings {
  'fulfillment-location'?: string;
  'fulfillment-service'?: string;
  'filter-by-location'?: boolean;
  'exclude-empty-orders'?: boolean;
  'use-local-currency'?: boolean;
  'include-duplicate-skus'?: boolean;
  'include-partial-fulfillments'?: boolean;
  'financial-status'?: FinancialStatus[];
  'accept-orders-after'?: string;
  'accept-fulfillment-requests'?: boolean;
  'notify-customer'?: boolean;
  'api-version'?: string;
}

/** Compile-time check: StoredSettings names every key but the secrets. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _storedKeys: Same<
  keyof StoredSettings,
  Exclude<SettingKey, 'return-magic-api-key' | 'webhook-secret'>
> = true;
void _storedKeys;

/** `accept-orders-after`, parsed: an absolute instant or a rolling window back from now. */
export type AcceptOrdersAfter =
  | { kind: 'absolute'; at: Date; text: string }
  | { kind: 'relative'; ms: number; text: string };

/** Effective settings: stored values with defaults applied. What the rest of dsync reads. */
export interface Settings {
  /** Location gid, or undefined when not configured. */
  fulfillmentLocation: string | undefined;
  /** Fulfillment service handle, or 'all'. */
  fulfillmentService: string;
  filterByLocation: boolean;
  excludeEmptyOrders: boolean;
  useLocalCurrency: boolean;
  includeDuplicateSkus: boolean;
  includePartialFulfillments: boolean;
  financialStatus: FinancialStatus[];
  acceptOrdersAfter: AcceptOrdersAfter | undefined;
  acceptFulfillmentRequests: boolean;
  notifyCustomer: boolean;
  apiVersion: string;
}

export const DEFAULT_FINANCIAL_STATUS: FinancialStatus[] = ['paid'];

export function parseAcceptOrdersAfter(text: string): AcceptOrdersAfter | undefined {
  const trimmed = text.trim();
  const ms = parseDuration(trimmed);
  if (ms !== undefined) return { kind: 'relative', ms, text: trimmed };
  const at = parseIsoDate(trimmed);
  return at ? { kind: 'absolute', at, text: trimmed } : undefined;
}

/** The instant `accept-orders-after` means at `now` (a rolling window moves with the clock). */
export function acceptOrdersAfterDate(value: AcceptOrdersAfter | undefined, now: Date): Date | undefined {
  if (!value) return undefined;
  return value.kind === 'absolute' ? value.at : new Date(now.getTime() - value.ms);
}

/**
 * Validates a profile's stored settings and applies defaults. A hand-edited file with an
 * unknown key or a bad value is an error naming the key (and the file, when `source` is given),
 * never silently ignored.
 */
export function readSettings(profile: Pick<StoreProfile, 'settings'> | undefined, source?: string): Settings {
  const raw = profile?.settings ?? {};
  const stored = validateStoredSettings(raw, source);
  return {
    fulfillmentLocation: stored['fulfillment-location'],
    fulfillmentService: stored['fulfillment-service'] ?? 'all',
    filterByLocation: stored['filter-by-location'] ?? false,
    excludeEmptyOrders: stored['exclude-empty-orders'] ?? false,
    useLocalCurrency: stored['use-local-currency'] ?? false,
    includeDuplicateSkus: stored['include-duplicate-skus'] ?? false,
    includePartialFulfillments: stored['include-partial-fulfillments'] ?? false,
    financialStatus: stored['financial-status'] ?? [...DEFAULT_FINANCIAL_STATUS],
    acceptOrdersAfter:
      stored['accept-orders-after'] === undefined
        ? undefined
        : parseAcceptOrdersAfter(stored['accept-orders-after']),
    acceptFulfillmentRequests: stored['accept-fulfillment-requests'] ?? true,
    notifyCustomer: stored['notify-customer'] ?? false,
    apiVersion: stored['api-version'] ?? PINNED_API_VERSION,
  };
}

/** Checks a stored settings object (the file's, secrets excluded); throws ConfigError naming the key. */
export function validateStoredSettings(raw: unknown, source?: string): StoredSettings {
  const where = source ? ` in ${source}` : '';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`the settings${where} are not an object`, {
      hint: 'fix the file by hand, or move it away and run `dsync config` again',
    });
  }
  for (const key of Object.keys(raw)) {
    if (SECRET_KEYS.includes(key as SettingKey)) {
      throw new ConfigError(`${key} is a secret and must not be stored${where}`, {
        hint: `remove it from the file and run \`dsync config set ${key} -\` to keep it in the keychain`,
      });
    }
    if (!isSettingKey(key)) {
      throw new ConfigError(`unknown setting "${key}"${where}`, {
        hint: `known settings: ${SETTING_KEYS.join(', ')}; remove it with \`dsync config unset ${key}\``,
      });
    }
  }
  for (const [key, value] of Object.entries(raw) as [SettingKey, unknown][]) {
    const problem = SETTING_CHECKS[key](value);
    if (problem !== undefined) {
      throw new ConfigError(`invalid value ${JSON.stringify(value)} for ${key}${where}: ${problem}`, {
        hint: `allowed: ${settingMeta(key).allowed}; fix it with \`dsync config set ${key} <value>\``,
      });
    }
  }
  return raw as StoredSettings;
}
