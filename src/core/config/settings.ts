import { z } from 'zod';
import { PINNED_API_VERSION } from '../../shopify/types.js';
import { ConfigError } from '../errors.js';
import {
  FINANCIAL_STATUSES,
  type FinancialStatus,
  isSettingKey,
  SECRET_KEYS,
  SETTING_DOCS,
  SETTING_KEYS,
  type SettingKey,
  type SettingMeta,
  settingMeta,
} from './setting-docs.js';
import type { StoreProfile } from './store.js';

/**
 * The per-store settings (SPEC.md, "Settings"). The zod schema below is the single source of
 * every key, its type and allowed values; each field carries its help text and default from
 * SETTING_DOCS (zod-free, so `--help` stays fast), and `satisfies` below makes the compiler
 * refuse a key present in one and not the other. `config set` validates with the schema,
 * `config list` and `dsync config --help` are rendered from it, and readSettings() gives the
 * effective values to the rest of dsync.
 */

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

export const settingsRegistry = z.registry<SettingMeta>();

const LOCATION_GID = /^gid:\/\/shopify\/Location\/\d+$/;
/** `30d`, `12h`, `90m`, `2w`: a rolling window back from now. */
export const RELATIVE_SINCE = /^(\d+)\s*([mhdw])$/;
const API_VERSION = /^\d{4}-(01|04|07|10)$/;

const bool = (key: SettingKey) => z.boolean().optional().register(settingsRegistry, SETTING_DOCS[key]);

/** Validates a stored ISO datetime or relative window. */
export function isSinceValue(value: string): boolean {
  if (RELATIVE_SINCE.test(value.trim())) return Number(RELATIVE_SINCE.exec(value.trim())?.[1]) > 0;
  return parseIsoDate(value) !== undefined;
}

/** An ISO 8601 date or datetime (`2026-01-31`, `2026-01-31T10:00:00Z`, with offset), else undefined. */
export function parseIsoDate(value: string): Date | undefined {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(text))
    return undefined;
  // A date alone means midnight UTC; a datetime without an offset is read as UTC too, so the
  // same setting means the same instant on every machine.
  const withZone = /T|\s/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text}Z` : text;
  const date = new Date(withZone.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject dates JavaScript rolls over (2026-02-31 → March 3).
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== (m ?? 1) - 1 || check.getUTCDate() !== d)
    return undefined;
  return date;
}

/** The settings schema. Keys are the kebab-case names users type. Every field is optional in the file. */
export const settingsSchema = z
  .object({
    'fulfillment-location': z
      .string()
      .regex(LOCATION_GID, 'must be a location gid (gid://shopify/Location/<id>)')
      .optional()
      .register(settingsRegistry, SETTING_DOCS['fulfillment-location']),
    'fulfillment-service': z
      .string()
      .min(1)
      .optional()
      .register(settingsRegistry, SETTING_DOCS['fulfillment-service']),
    'filter-by-location': bool('filter-by-location'),
    'exclude-empty-orders': bool('exclude-empty-orders'),
    'use-local-currency': bool('use-local-currency'),
    'include-duplicate-skus': bool('include-duplicate-skus'),
    'include-partial-fulfillments': bool('include-partial-fulfillments'),
    'financial-status': z
      .array(z.enum(FINANCIAL_STATUSES))
      .min(1, 'at least one financial status is required')
      .optional()
      .register(settingsRegistry, SETTING_DOCS['financial-status']),
    'accept-orders-after': z
      .string()
      .refine(isSinceValue, 'must be an ISO date/datetime or a window such as 30d or 12h')
      .optional()
      .register(settingsRegistry, SETTING_DOCS['accept-orders-after']),
    'accept-fulfillment-requests': bool('accept-fulfillment-requests'),
    'notify-customer': bool('notify-customer'),
    'return-magic-api-key': z
      .string()
      .min(1)
      .optional()
      .register(settingsRegistry, SETTING_DOCS['return-magic-api-key']),
    'api-version': z
      .string()
      .regex(API_VERSION, 'must be a quarterly version YYYY-01, -04, -07 or -10')
      .optional()
      .register(settingsRegistry, SETTING_DOCS['api-version']),
  } satisfies Record<SettingKey, z.ZodType>)
  .strict();

/** Compile-time check: the schema has a field for every documented key and no other. */
const _sameKeys: Record<keyof typeof settingsSchema.shape, true> = Object.fromEntries(
  Object.keys(SETTING_DOCS).map((k) => [k, true]),
) as Record<SettingKey, true>;
void _sameKeys;

export type StoredSettings = z.infer<typeof settingsSchema>;

/** The schema of the settings object kept in the config file (secrets excluded). */
export const fileSettingsSchema = settingsSchema.omit({ 'return-magic-api-key': true });

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

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

export function parseAcceptOrdersAfter(text: string): AcceptOrdersAfter | undefined {
  const trimmed = text.trim();
  const relative = RELATIVE_SINCE.exec(trimmed);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = UNIT_MS[relative[2] ?? ''] ?? 0;
    if (amount <= 0) return undefined;
    return { kind: 'relative', ms: amount * unit, text: trimmed };
  }
  const at = parseIsoDate(trimmed);
  return at ? { kind: 'absolute', at, text: trimmed } : undefined;
}

/** The instant `accept-orders-after` means at `now` (a rolling window moves with the clock). */
export function acceptOrdersAfterDate(value: AcceptOrdersAfter | undefined, now: Date): Date | undefined {
  if (!value) return undefined;
  return value.kind === 'absolute' ? value.at : new Date(now.getTime() - value.ms);
}

/** Describes a zod failure for one setting: the first issue's message. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  if (issue.code === 'invalid_value' && 'values' in issue)
    return `must be one of ${(issue.values as unknown[]).join(', ')}`;
  if (issue.code === 'invalid_type') return `must be ${issue.expected}`;
  return issue.message;
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

/** Checks a stored settings object against the file schema; throws ConfigError naming the key. */
export function validateStoredSettings(raw: unknown, source?: string): z.infer<typeof fileSettingsSchema> {
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
  const result = fileSettingsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const value = (raw as Record<string, unknown>)[key];
    throw new ConfigError(
      `invalid value ${JSON.stringify(value)} for ${key}${where}: ${describeIssue(result.error)}`,
      {
        hint: isSettingKey(key)
          ? `allowed: ${settingMeta(key).allowed}; fix it with \`dsync config set ${key} <value>\``
          : undefined,
      },
    );
  }
  return result.data;
}
