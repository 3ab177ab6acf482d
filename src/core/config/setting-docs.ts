import { PINNED_API_VERSION } from '../api-version.js';
import type { SecretName } from '../secrets/store.js';

/**
 * What each setting means, in words: help text, allowed values, examples, defaults as shown.
 * Kept free of zod so `dsync config --help` stays fast; settings.ts attaches each entry to its
 * field of the zod schema (which validates and gives the defaults), and the compiler checks that
 * both name exactly the same keys.
 */

/** Shopify's order financial statuses dsync can filter on. */
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
/** What an unset accept-orders-after means: said in these words by help, settings page and import. */
export const ACCEPT_ORDERS_AFTER_UNSET = 'the last 60 days (the most Shopify shows without read_all_orders)';

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

const BOOL = {
  kind: 'boolean',
  allowed: 'true or false (also yes/no, on/off, 1/0)',
  example: 'true',
  defaultText: 'false',
} as const;

export const SETTING_DOCS = {
  'fulfillment-location': {
    kind: 'location',
    description: "the 3PL's inventory location; shipments are exported from here",
    allowed: 'a location name or gid from `dsync locations list` (resolved to a gid on set)',
    example: '"Main Warehouse"',
  },
  'fulfillment-service': {
    kind: 'service',
    description: 'import only line items assigned to this fulfillment service',
    allowed: 'a handle from `dsync fulfillment-services list`, or `all`',
    example: 'all',
    defaultText: 'all',
  },
  'filter-by-location': {
    ...BOOL,
    description: 'accept only orders (fulfillment orders) assigned to the fulfillment location',
  },
  'exclude-empty-orders': {
    ...BOOL,
    description: 'skip orders left with no line items after filtering',
  },
  'use-local-currency': {
    ...BOOL,
    description: "money in the buyer's (presentment) currency instead of the shop's",
  },
  'include-duplicate-skus': {
    ...BOOL,
    description:
      'inventory push updates every variant sharing a SKU (default: skip ambiguous SKUs, with a warning)',
  },
  'include-partial-fulfillments': {
    ...BOOL,
    description: 'also import partially fulfilled orders (remaining lines only)',
  },
  'financial-status': {
    kind: 'financial-statuses',
    description: 'import only orders in these financial statuses',
    allowed: `a comma list of ${FINANCIAL_STATUSES.join(', ')}`,
    example: 'paid,partially_refunded',
    defaultText: 'paid',
  },
  'accept-orders-after': {
    kind: 'since',
    description:
      'only orders created after this (30d = a rolling window of the last 30 days); at most 60 days back unless the token has read_all_orders',
    allowed: 'an ISO date or datetime (2026-01-31, 2026-01-31T08:00:00Z) or a window (30d, 12h)',
    example: '30d',
    defaultText: ACCEPT_ORDERS_AFTER_UNSET,
  },
  'accept-fulfillment-requests': {
    ...BOOL,
    defaultText: 'true',
    description:
      "accept a fulfillment service's requests for the orders the import delivered (with fulfillment-service set)",
  },
  'notify-customer': {
    ...BOOL,
    description: 'let Shopify email tracking to the customer on shipment export',
  },
  'return-magic-api-key': {
    kind: 'secret',
    description: 'Return Magic API key; stored in the keychain, never in the config file',
    allowed: 'the key, read from stdin with `-` (or asked for on a terminal)',
    example: '- < key.txt',
    secret: 'return-magic-api-key',
  },
  'api-version': {
    kind: 'api-version',
    description: 'Shopify Admin API version',
    allowed: 'YYYY-MM, a quarterly release (01, 04, 07, 10)',
    example: PINNED_API_VERSION,
    defaultText: PINNED_API_VERSION,
  },
  'webhook-secret': {
    kind: 'secret',
    description:
      'signs webhook bodies (X-Dsync-Signature: sha256=<hex HMAC of the body>); stored in the keychain, never in the config file',
    allowed: 'the shared secret, read from stdin with `-` (or asked for on a terminal)',
    example: '- < webhook-secret.txt',
    secret: 'webhook-secret',
  },
} as const satisfies Record<string, SettingMeta>;

export type SettingKey = keyof typeof SETTING_DOCS;

export const SETTING_KEYS = Object.keys(SETTING_DOCS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_DOCS, key);
}

export function settingMeta(key: SettingKey): SettingMeta {
  return SETTING_DOCS[key];
}

/** Keys whose values live in the keychain, not the config file. */
export const SECRET_KEYS = SETTING_KEYS.filter((key) => settingMeta(key).secret !== undefined);

/** The settings section of `dsync config --help`: every key, what it takes, an example line. */
export function settingsHelpText(): string {
  const width = Math.max(...SETTING_KEYS.map((k) => k.length));
  const lines = ['Settings (per store):'];
  for (const key of SETTING_KEYS) {
    const meta = settingMeta(key);
    lines.push(`  ${key.padEnd(width)}  ${meta.description}`);
    lines.push(
      `  ${' '.repeat(width)}  allowed: ${meta.allowed}${meta.defaultText ? `; default: ${meta.defaultText}` : ''}`,
    );
  }
  lines.push('', 'Examples:');
  for (const key of SETTING_KEYS) {
    lines.push(`  dsync config set ${key} ${settingMeta(key).example}`);
  }
  return lines.join('\n');
}
