import {
  acceptOrdersAfterDate,
  FINANCIAL_STATUSES,
  type FinancialStatus,
  parseAcceptOrdersAfter,
  type SettingKey,
  settingMeta,
} from '../../core/config/settings.js';
import { UsageError } from '../../core/errors.js';
import type { FulfillmentServiceNode } from '../../shopify/operations/shop.js';
import type { LocationNode } from '../../shopify/operations/locations.js';

/** Orders older than this need the read_all_orders scope. */
export const READABLE_WINDOW_DAYS = 60;
const DAY_MS = 86_400_000;

/** The error for a value a key does not accept: names the key, the value and what is allowed. */
export function invalidValue(key: SettingKey, value: string, reason?: string): UsageError {
  const meta = settingMeta(key);
  return new UsageError(
    `invalid value ${JSON.stringify(value)} for ${key}${reason ? `: ${reason}` : ''}; allowed: ${meta.allowed}`,
    { hint: `for example: dsync config set ${key} ${meta.example}`, details: { key, value } },
  );
}

const TRUE = new Set(['true', 'yes', 'on', '1', 'y']);
const FALSE = new Set(['false', 'no', 'off', '0', 'n']);

export function parseBoolean(key: SettingKey, text: string): boolean {
  const v = text.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw invalidValue(key, text);
}

/** `paid, partially_refunded` → ['paid', 'partially_refunded'] (deduplicated, in the order given). */
export function parseFinancialStatuses(text: string): FinancialStatus[] {
  const parts = text
    .split(',')
    .map((p) => p.trim().toLowerCase().replace(/-/g, '_'))
    .filter((p) => p !== '');
  if (parts.length === 0) throw invalidValue('financial-status', text, 'at least one status is required');
  const unknown = parts.filter((p) => !(FINANCIAL_STATUSES as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw invalidValue('financial-status', text, `unknown status ${unknown.map((u) => `"${u}"`).join(', ')}`);
  return [...new Set(parts)] as FinancialStatus[];
}

export function parseApiVersion(text: string): string {
  const v = text.trim();
  if (!/^\d{4}-(01|04|07|10)$/.test(v)) throw invalidValue('api-version', text);
  return v;
}

export interface SinceCheck {
  /** The value to store (trimmed text). */
  value: string;
  /** The instant it means now. */
  at: Date;
  /** Whole days back from now. */
  daysBack: number;
  /** True when it reaches further back than the readable window. */
  beyondWindow: boolean;
}

/** Parses `accept-orders-after` and measures it against the 60-day window (scopes checked by the caller). */
export function checkAcceptOrdersAfter(text: string, now: Date): SinceCheck {
  const parsed = parseAcceptOrdersAfter(text);
  if (!parsed) throw invalidValue('accept-orders-after', text);
  const at = acceptOrdersAfterDate(parsed, now) ?? now;
  if (at.getTime() > now.getTime() + 60_000) {
    throw invalidValue(
      'accept-orders-after',
      text,
      `${at.toISOString()} is in the future, so no order would be imported`,
    );
  }
  const daysBack = (now.getTime() - at.getTime()) / DAY_MS;
  return {
    value: parsed.text,
    at,
    daysBack: Math.floor(daysBack),
    beyondWindow: daysBack > READABLE_WINDOW_DAYS,
  };
}

/** The refusal for a date beyond the readable window when the token lacks read_all_orders. */
export function beyondWindowError(text: string, check: SinceCheck): UsageError {
  return new UsageError(
    `accept-orders-after ${JSON.stringify(text)} is ${check.daysBack} days back, but this token can only read the last ${READABLE_WINDOW_DAYS} days of orders: it does not hold the read_all_orders scope`,
    {
      hint: `choose a date within ${READABLE_WINDOW_DAYS} days (e.g. \`dsync config set accept-orders-after 30d\`), or authorize again with read_all_orders (\`dsync auth login --scopes …,read_all_orders\`)`,
      details: { key: 'accept-orders-after', value: text, daysBack: check.daysBack },
    },
  );
}

const describeLocation = (l: LocationNode) => `"${l.name}" (${l.id}${l.isActive ? '' : ', inactive'})`;

function candidatesText(locations: LocationNode[], limit = 10): string {
  const shown = locations.slice(0, limit).map(describeLocation).join(', ');
  return locations.length > limit ? `${shown}, and ${locations.length - limit} more` : shown;
}

/**
 * Resolves a location name or gid (or bare numeric id) against the live list. Exact name first,
 * then case-insensitive; unknown or ambiguous input is an error listing the candidates, and an
 * inactive location is refused.
 */
export function resolveLocation(input: string, locations: LocationNode[]): LocationNode {
  const text = input.trim();
  const key = 'fulfillment-location';
  const gid = /^\d+$/.test(text) ? `gid://shopify/Location/${text}` : text;
  let matches = locations.filter((l) => l.id === gid);
  if (matches.length === 0) matches = locations.filter((l) => l.name === text);
  if (matches.length === 0)
    matches = locations.filter((l) => l.name.trim().toLowerCase() === text.toLowerCase());
  if (matches.length === 0) {
    const partial = locations.filter((l) => l.name.toLowerCase().includes(text.toLowerCase()));
    const candidates = partial.length > 0 ? partial : locations;
    throw new UsageError(
      `fulfillment-location: no location named or with the id ${JSON.stringify(text)} in this store${
        candidates.length > 0
          ? `; ${partial.length > 0 ? 'did you mean' : 'locations are'}: ${candidatesText(candidates)}`
          : ' (the store has no locations)'
      }`,
      {
        hint: 'see `dsync locations list`, then `dsync config set fulfillment-location "<name or gid>"`',
        details: { key, value: text, candidates: candidates.map((l) => ({ id: l.id, name: l.name })) },
      },
    );
  }
  if (matches.length > 1) {
    throw new UsageError(
      `fulfillment-location: the location name ${JSON.stringify(text)} is ambiguous: ${candidatesText(matches)}`,
      {
        hint: `pass the gid instead, e.g. \`dsync config set fulfillment-location ${matches[0]?.id}\``,
        details: { key, value: text, candidates: matches.map((l) => ({ id: l.id, name: l.name })) },
      },
    );
  }
  const location = matches[0] as LocationNode;
  if (!location.isActive) {
    const active = locations.filter((l) => l.isActive);
    throw new UsageError(
      `fulfillment-location: the location ${describeLocation(location)} is inactive and cannot be the fulfillment location`,
      {
        hint:
          active.length > 0
            ? `reactivate it in Shopify admin, or choose an active one: ${candidatesText(active, 5)}`
            : 'reactivate it in Shopify admin (Settings → Locations)',
        details: { key, value: text },
      },
    );
  }
  return location;
}

/** Resolves `all` or a fulfillment service handle (case-insensitive; a service name hints its handle). */
export function resolveFulfillmentService(input: string, services: FulfillmentServiceNode[]): string {
  const text = input.trim();
  if (text.toLowerCase() === 'all') return 'all';
  const exact = services.find((s) => s.handle === text);
  if (exact) return exact.handle;
  const folded = services.filter((s) => s.handle.toLowerCase() === text.toLowerCase());
  if (folded.length === 1 && folded[0]) return folded[0].handle;
  const byName = services.filter((s) => s.serviceName.toLowerCase() === text.toLowerCase());
  const handles = services.map((s) => s.handle);
  throw new UsageError(
    `fulfillment-service: no fulfillment service with the handle ${JSON.stringify(text)} in this store; ${
      handles.length > 0
        ? `handles are: all, ${handles.join(', ')}`
        : 'the store has none, so only `all` is possible'
    }`,
    {
      hint:
        byName.length === 1 && byName[0]
          ? `"${byName[0].serviceName}" is a service name; its handle is ${byName[0].handle}: \`dsync config set fulfillment-service ${byName[0].handle}\``
          : 'see `dsync fulfillment-services list`',
      details: { key: 'fulfillment-service', value: text, candidates: ['all', ...handles] },
    },
  );
}

/** Masks a secret for display: the last four characters of a long value, nothing of a short one. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••';
}
