import { nearest } from '../../core/suggest.js';
import {
  isSettingKey,
  readSettings,
  SETTING_KEYS,
  type SettingKey,
  settingMeta,
  validateStoredSettings,
} from '../../core/config/settings.js';
import type { ConfigStore, StoreProfile } from '../../core/config/store.js';
import { UsageError } from '../../core/errors.js';
import type { SecretLocation, SecretSource, SecretStore } from '../../core/secrets/store.js';
import type { LiveStore } from '../locations/list.js';
import {
  beyondWindowError,
  checkAcceptOrdersAfter,
  maskSecret,
  parseApiVersion,
  parseBoolean,
  parseFinancialStatuses,
  resolveFulfillmentService,
  resolveLocation,
} from './values.js';

/** What the settings service needs: one store's config, its secrets and (lazily) the live store. */
export interface SettingsContext {
  shop: string;
  config: ConfigStore;
  secrets(): Promise<SecretStore>;
  /** Connects to the store on first use; only keys that need live data call it. */
  live(): Promise<LiveStore>;
  now: Date;
}

export type StoredValue = string | boolean | string[];

/** A validated value, ready to store, with what was resolved on the way. */
export interface PreparedValue {
  key: SettingKey;
  value: StoredValue;
  /** The location's name when a name or gid was resolved. */
  resolvedName?: string;
  /** Warnings worth showing (e.g. a location that fulfils no online orders). */
  warnings: string[];
}

/** Spelling-insensitive form of a key: `Fulfilment_Location` and `fulfillment-location` meet. */
const looseKey = (key: string) =>
  key
    .toLowerCase()
    .replace(/[-_ ]/g, '')
    .replace(/fulfil+/g, 'fulfill');

export function unknownKeyError(key: string): UsageError {
  const suggestion = SETTING_KEYS.find((k) => looseKey(k) === looseKey(key)) ?? nearest(key, SETTING_KEYS);
  return new UsageError(`unknown setting ${JSON.stringify(key)}`, {
    hint: `${suggestion ? `did you mean ${suggestion}? ` : ''}settings: ${SETTING_KEYS.join(', ')} (see \`dsync config --help\`)`,
    details: { key },
  });
}

export function requireKey(key: string): SettingKey {
  if (!isSettingKey(key)) throw unknownKeyError(key);
  return key;
}

/** Values not saved yet that a cross-check should see instead of the stored ones (the settings page). */
export type PendingValues = Partial<Record<SettingKey, StoredValue>>;

/**
 * Validates (and, for location/service/date, checks against the live store) a value for a key.
 * `pending` stands in for stored values in the location/service cross-check.
 */
export async function prepareSetting(
  ctx: SettingsContext,
  key: SettingKey,
  raw: string,
  pending: PendingValues = {},
): Promise<PreparedValue> {
  const meta = settingMeta(key);
  const warnings: string[] = [];
  switch (meta.kind) {
    case 'boolean':
      return { key, value: parseBoolean(key, raw), warnings };
    case 'financial-statuses':
      return { key, value: parseFinancialStatuses(raw), warnings };
    case 'api-version':
      return { key, value: parseApiVersion(raw), warnings };
    case 'since': {
      const check = checkAcceptOrdersAfter(raw, ctx.now);
      if (check.beyondWindow) {
        const scopes = await (await ctx.live()).grantedScopes();
        if (!scopes.includes('read_all_orders')) throw beyondWindowError(raw, check);
      }
      return { key, value: check.value, warnings };
    }
    case 'location': {
      const live = await ctx.live();
      const location = resolveLocation(raw, await live.locations());
      if (!location.fulfillsOnlineOrders)
        warnings.push(`${location.name} does not fulfil online orders in Shopify`);
      const handle = storedString(ctx, 'fulfillment-service', pending);
      if (handle && handle !== 'all') {
        const service = (await live.fulfillmentServices()).find((s) => s.handle === handle);
        if (service?.location && service.location.id !== location.id)
          warnings.push(
            `fulfillment-service ${handle} ships from "${service.location.name}", not "${location.name}" (see \`dsync doctor\`)`,
          );
      }
      return { key, value: location.id, resolvedName: location.name, warnings };
    }
    case 'service': {
      const live = await ctx.live();
      const services = await live.fulfillmentServices();
      const handle = resolveFulfillmentService(raw, services);
      const locationId = storedString(ctx, 'fulfillment-location', pending);
      const service = services.find((s) => s.handle === handle);
      if (locationId && service?.location && service.location.id !== locationId)
        warnings.push(
          `${handle} ships from "${service.location.name}" (${service.location.id}), but fulfillment-location is ${locationId} (see \`dsync doctor\`)`,
        );
      return { key, value: handle, warnings };
    }
    case 'secret': {
      const value = raw.trim();
      if (value === '')
        throw new UsageError(`${key} is empty`, { hint: `pipe the value in: dsync config set ${key} -` });
      return { key, value, warnings };
    }
  }
}

function storedString(ctx: SettingsContext, key: SettingKey, pending: PendingValues): string | undefined {
  const value = key in pending ? pending[key] : ctx.config.getProfile(ctx.shop)?.settings[key];
  return typeof value === 'string' ? value : undefined;
}

function profileOf(ctx: SettingsContext): StoreProfile {
  return ctx.config.getProfile(ctx.shop) ?? { shop: ctx.shop, settings: {} };
}

export interface SetResult {
  shop: string;
  key: SettingKey;
  /** What is now stored (a secret shows masked). */
  value: StoredValue;
  previous: StoredValue | undefined;
  resolvedName?: string;
  /** Where a secret went. */
  storage?: SecretLocation;
  warnings: string[];
}

/**
 * Saves prepared values: the config-file settings in one write first, then secrets, so a
 * keychain failure never loses the other answers (the settings page saves everything at the end).
 */
/** The profile with new settings and their labels; no empty `labels` is written to the file. */
function withSettings(
  profile: StoreProfile,
  settings: StoreProfile['settings'],
  labels: Record<string, string>,
): StoreProfile {
  const { labels: _previous, ...rest } = profile;
  return { ...rest, settings, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
}

export async function savePrepared(ctx: SettingsContext, prepared: PreparedValue[]): Promise<SetResult[]> {
  const plain = prepared.filter((p) => !settingMeta(p.key).secret);
  const secret = prepared.filter((p) => settingMeta(p.key).secret);
  const results: SetResult[] = [];
  if (plain.length > 0) {
    // Only the keys written now are validated: a bad hand-edited key elsewhere is kept as it is
    // (and reported when read), never dropped.
    validateStoredSettings(Object.fromEntries(plain.map((p) => [p.key, p.value])), ctx.config.path);
    const profile = profileOf(ctx);
    const settings = { ...profile.settings };
    const labels = { ...(profile.labels ?? {}) };
    for (const item of plain) {
      const previous = settings[item.key] as StoredValue | undefined;
      settings[item.key] = item.value;
      if (item.resolvedName) labels[item.key] = item.resolvedName;
      else delete labels[item.key];
      results.push({
        shop: ctx.shop,
        key: item.key,
        value: item.value,
        previous,
        ...(item.resolvedName ? { resolvedName: item.resolvedName } : {}),
        warnings: item.warnings,
      });
    }
    ctx.config.saveProfile(withSettings(profile, settings, labels));
  }
  for (const item of secret) {
    const name = settingMeta(item.key).secret;
    if (!name) continue;
    const secrets = await ctx.secrets();
    let before: string | undefined;
    try {
      before = (await secrets.get(ctx.shop, name))?.value;
    } catch {
      // The old value is only shown masked; failing to read it must not stop the write.
    }
    const storage = await secrets.set(ctx.shop, name, String(item.value));
    results.push({
      shop: ctx.shop,
      key: item.key,
      value: maskSecret(String(item.value)),
      previous: before === undefined ? undefined : maskSecret(before),
      storage,
      warnings: item.warnings,
    });
  }
  return results;
}

export async function setSetting(ctx: SettingsContext, key: string, raw: string): Promise<SetResult> {
  const prepared = await prepareSetting(ctx, requireKey(key), raw);
  const [result] = await savePrepared(ctx, [prepared]);
  return result as SetResult;
}

/** One line of `config list` / the answer of `config get`. */
export interface SettingEntry {
  key: SettingKey;
  /** Effective value; secrets masked; null when unset without a default. */
  value: StoredValue | null;
  /** True when no value is stored and the default applies. */
  isDefault: boolean;
  secret: boolean;
  /** For secrets: where it is stored, when set. */
  storage?: SecretSource;
  /** For secrets: why it could not be read (keychain unavailable). */
  unavailable?: string;
  /** The value's name in the store when it was set (a location's name beside its gid). */
  name?: string;
  description: string;
}

function effectiveValue(
  key: SettingKey,
  profile: StoreProfile | undefined,
  path: string,
): StoredValue | null {
  const s = readSettings(profile, path);
  switch (key) {
    case 'fulfillment-location':
      return s.fulfillmentLocation ?? null;
    case 'fulfillment-service':
      return s.fulfillmentService;
    case 'filter-by-location':
      return s.filterByLocation;
    case 'exclude-empty-orders':
      return s.excludeEmptyOrders;
    case 'use-local-currency':
      return s.useLocalCurrency;
    case 'include-duplicate-skus':
      return s.includeDuplicateSkus;
    case 'include-partial-fulfillments':
      return s.includePartialFulfillments;
    case 'financial-status':
      return s.financialStatus;
    case 'accept-orders-after':
      return s.acceptOrdersAfter?.text ?? null;
    case 'accept-fulfillment-requests':
      return s.acceptFulfillmentRequests;
    case 'notify-customer':
      return s.notifyCustomer;
    case 'api-version':
      return s.apiVersion;
    case 'return-magic-api-key':
    case 'webhook-secret':
      return null;
  }
}

export async function getSetting(ctx: SettingsContext, key: string): Promise<SettingEntry> {
  const k = requireKey(key);
  const meta = settingMeta(k);
  if (meta.secret) {
    const found = await (await ctx.secrets()).get(ctx.shop, meta.secret);
    return {
      key: k,
      value: found ? maskSecret(found.value) : null,
      isDefault: false,
      secret: true,
      ...(found ? { storage: found.location } : {}),
      description: meta.description,
    };
  }
  const profile = ctx.config.getProfile(ctx.shop);
  const name = profile?.settings[k] === undefined ? undefined : profile.labels?.[k];
  return {
    key: k,
    value: effectiveValue(k, profile, ctx.config.path),
    isDefault: profile?.settings[k] === undefined,
    secret: false,
    ...(name ? { name } : {}),
    description: meta.description,
  };
}

/** Every setting. A keychain that cannot be read does not hide the rest: that entry says why. */
export async function listSettings(ctx: SettingsContext): Promise<SettingEntry[]> {
  const entries: SettingEntry[] = [];
  for (const key of SETTING_KEYS) {
    try {
      entries.push(await getSetting(ctx, key));
    } catch (error) {
      const meta = settingMeta(key);
      if (!meta.secret) throw error;
      entries.push({
        key,
        value: null,
        isDefault: false,
        secret: true,
        unavailable: error instanceof Error ? error.message : String(error),
        description: meta.description,
      });
    }
  }
  return entries;
}

export interface UnsetResult {
  shop: string;
  key: string;
  /** Whether anything was removed. */
  removed: boolean;
  /** The effective value now (the default), null when none. */
  value: StoredValue | null;
}

/** Removes a stored value so the default applies again. An unknown hand-edited key can be removed too. */
export async function unsetSetting(ctx: SettingsContext, key: string): Promise<UnsetResult> {
  const profile = ctx.config.getProfile(ctx.shop);
  if (!isSettingKey(key)) {
    if (profile && key in profile.settings) {
      const { [key]: _removed, ...rest } = profile.settings;
      ctx.config.saveProfile({ ...profile, settings: rest });
      return { shop: ctx.shop, key, removed: true, value: null };
    }
    throw unknownKeyError(key);
  }
  const meta = settingMeta(key);
  if (meta.secret) {
    const removedFrom = await (await ctx.secrets()).delete(ctx.shop, meta.secret);
    return { shop: ctx.shop, key, removed: removedFrom.length > 0, value: null };
  }
  if (!profile || !(key in profile.settings)) {
    return { shop: ctx.shop, key, removed: false, value: effectiveValue(key, profile, ctx.config.path) };
  }
  const { [key]: _removed, ...rest } = profile.settings;
  const { [key]: _label, ...labels } = profile.labels ?? {};
  const next = withSettings(profile, rest, labels);
  ctx.config.saveProfile(next);
  let value: StoredValue | null = null;
  try {
    value = effectiveValue(key, next, ctx.config.path);
  } catch {
    // Another hand-edited key is invalid; the removal itself succeeded and `config list` reports it.
  }
  return { shop: ctx.shop, key, removed: true, value };
}
