import { z } from 'zod';
import { PINNED_API_VERSION } from '../../shopify/types.js';
import { ConfigError } from '../errors.js';
import type { SecretName } from '../secrets/store.js';
import type { StoreProfile } from './store.js';

/**
 * The per-store settings (SPEC.md, "Settings"). The zod schema below is the single source of
 * every key, its type, default, allowed values and help text: `config set` validates with it,
 * `config list` and `dsync config --help` are rendered from it, and readSettings() gives the
 * effective values to the rest of dsync.
 */

export const FINANCIAL_STATUSES = [
  'paid',
  'pending',
  'authorized',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
] as const;
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number];

/** How a setting is entered on the command line and on the settings page. */
export type SettingKind =
  | 'location'
  | 'service'
  | 'boolean'
  | 'financial-statuses'
  | 'since'
  | 'secret'
  | 'api-version';

export interface SettingMeta {
  kind: SettingKind;
  /** One line: what the setting does. */
  description: string;
  /** What values are allowed, as a user would type them. */
  allowed: string;
  /** A value for the example `config set` line. */
  example: string;
  /** The default, as `config list` shows it (undefined: no default, the setting is unset). */
  defaultText?: string;
  /** Secrets live in the keychain under this name, never in the config file. */
  secret?: SecretName;
}

export const settingsRegistry = z.registry<SettingMeta>();

const LOCATION_GID = /^gid:\/\/shopify\/Location\/\d+$/;
/** `30d`, `12h`, `90m`, `2w`: a rolling window back from now. */
export const RELATIVE_SINCE = /^(\d+)\s*([mhdw])$/;
const API_VERSION = /^\d{4}-(01|04|07|10)$/;

const bool = (description: string) =>
  z.boolean().optional().register(settingsRegistry, {
    kind: 'boolean',
    description,
    allowed: 'true or false (also yes/no, on/off, 1/0)',
    example: 'true',
    defaultText: 'false',
  });

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
      .register(settingsRegistry, {
        kind: 'location',
        description: "the 3PL's inventory location; shipments are exported from here",
        allowed: 'a location name or gid from `dsync locations list` (resolved to a gid on set)',
        example: '"Main Warehouse"',
      }),
    'fulfillment-service': z.string().min(1).optional().register(settingsRegistry, {
      kind: 'service',
      description: 'import only line items assigned to this fulfillment service',
      allowed: 'a handle from `dsync fulfillment-services list`, or `all`',
      example: 'all',
      defaultText: 'all',
    }),
    'filter-by-location': bool(
      'accept only orders (fulfillment orders) assigned to the fulfillment location',
    ),
    'exclude-empty-orders': bool('skip orders left with no line items after filtering'),
    'use-local-currency': bool("money in the buyer's (presentment) currency instead of the shop's"),
    'include-duplicate-skus': bool(
      'inventory push updates every variant sharing a SKU (default: skip ambiguous SKUs, with a warning)',
    ),
    'include-partial-fulfillments': bool('also import partially fulfilled orders (remaining lines only)'),
    'financial-status': z
      .array(z.enum(FINANCIAL_STATUSES))
      .min(1, 'at least one financial status is required')
      .optional()
      .register(settingsRegistry, {
        kind: 'financial-statuses',
        description: 'import only orders in these financial statuses',
        allowed: `a comma list of ${FINANCIAL_STATUSES.join(', ')}`,
        example: 'paid,partially_refunded',
        defaultText: 'paid',
      }),
    'accept-orders-after': z
      .string()
      .refine(isSinceValue, 'must be an ISO date/datetime or a window such as 30d or 12h')
      .optional()
      .register(settingsRegistry, {
        kind: 'since',
        description:
          'only orders created after this (30d = a rolling window of the last 30 days); at most 60 days back unless the token has read_all_orders',
        allowed: 'an ISO date or datetime (2026-01-31, 2026-01-31T08:00:00Z) or a window (30d, 12h)',
        example: '30d',
      }),
    'notify-customer': bool('let Shopify email tracking to the customer on shipment export'),
    'return-magic-api-key': z.string().min(1).optional().register(settingsRegistry, {
      kind: 'secret',
      description: 'Return Magic API key; stored in the keychain, never in the config file',
      allowed: 'the key, or `-` to read it from stdin',
      example: '-',
      secret: 'return-magic-api-key',
    }),
    'api-version': z
      .string()
      .regex(API_VERSION, 'must be a quarterly version YYYY-01, -04, -07 or -10')
      .optional()
      .register(settingsRegistry, {
        kind: 'api-version',
        description: 'Shopify Admin API version',
        allowed: 'YYYY-MM, a quarterly release (01, 04, 07, 10)',
        example: PINNED_API_VERSION,
        defaultText: PINNED_API_VERSION,
      }),
  })
  .strict();

export type SettingKey = keyof typeof settingsSchema.shape;
export type StoredSettings = z.infer<typeof settingsSchema>;

export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as string[]).includes(key);
}

export function settingMeta(key: SettingKey): SettingMeta {
  const meta = settingsRegistry.get(settingsSchema.shape[key]);
  if (!meta) throw new Error(`setting ${key} has no metadata`);
  return meta;
}

/** Keys whose values live in the keychain, not the config file. */
export const SECRET_KEYS = SETTING_KEYS.filter((key) => settingMeta(key).secret !== undefined);

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
