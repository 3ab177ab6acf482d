import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import {
  acceptOrdersAfterDate,
  parseAcceptOrdersAfter,
  parseIsoDate,
  readSettings,
  SECRET_KEYS,
  SETTING_KEYS,
  settingMeta,
} from '../../../src/core/config/settings.js';
import { PINNED_API_VERSION } from '../../../src/shopify/types.js';

describe('readSettings', () => {
  it('gives the documented defaults for an empty profile', () => {
    expect(readSettings(undefined)).toEqual({
      fulfillmentLocation: undefined,
      fulfillmentService: 'all',
      filterByLocation: false,
      excludeEmptyOrders: false,
      useLocalCurrency: false,
      includeDuplicateSkus: false,
      includePartialFulfillments: false,
      financialStatus: ['paid'],
      acceptOrdersAfter: undefined,
      acceptFulfillmentRequests: true,
      notifyCustomer: false,
      apiVersion: PINNED_API_VERSION,
    });
  });

  it('returns stored values', () => {
    const settings = readSettings({
      settings: {
        'fulfillment-location': 'gid://shopify/Location/7',
        'fulfillment-service': 'acme-3pl',
        'filter-by-location': true,
        'financial-status': ['paid', 'refunded'],
        'accept-orders-after': '2026-01-01T00:00:00Z',
        'api-version': '2026-07',
      },
    });
    expect(settings.fulfillmentLocation).toBe('gid://shopify/Location/7');
    expect(settings.fulfillmentService).toBe('acme-3pl');
    expect(settings.filterByLocation).toBe(true);
    expect(settings.financialStatus).toEqual(['paid', 'refunded']);
    expect(settings.acceptOrdersAfter).toMatchObject({ kind: 'absolute' });
    expect(settings.apiVersion).toBe('2026-07');
  });

  it.each([
    [{ 'filter-by-location': 'yes' }, /filter-by-location.*in \/x\/config\.json: must be boolean/],
    [{ 'financial-status': ['paid', 'expired'] }, /financial-status/],
    [{ 'financial-status': [] }, /at least one/],
    [{ 'fulfilment-location': 'x' }, /unknown setting "fulfilment-location" in \/x\/config\.json/],
    [{ 'return-magic-api-key': 'abc' }, /return-magic-api-key is a secret/],
    [{ 'webhook-secret': 'abc' }, /webhook-secret is a secret/],
    [{ 'accept-orders-after': 'yesterday' }, /accept-orders-after/],
    [{ 'fulfillment-location': 'Main' }, /gid/],
    [{ 'api-version': '2026-02' }, /quarterly/],
  ])('refuses a hand-edited bad value %j naming the key and file', (settings, message) => {
    const read = () => readSettings({ settings }, '/x/config.json');
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });
});

describe('accept-orders-after', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it.each([
    ['30d', '2026-01-30T12:00:00.000Z'],
    ['12h', '2026-03-01T00:00:00.000Z'],
    ['2w', '2026-02-15T12:00:00.000Z'],
    ['2026-02-01', '2026-02-01T00:00:00.000Z'],
    ['2026-02-01T08:30:00Z', '2026-02-01T08:30:00.000Z'],
    ['2026-02-01T08:30:00+02:00', '2026-02-01T06:30:00.000Z'],
    ['2026-02-01T08:30', '2026-02-01T08:30:00.000Z'],
  ])('%s means %s', (text, iso) => {
    expect(acceptOrdersAfterDate(parseAcceptOrdersAfter(text), now)?.toISOString()).toBe(iso);
  });

  it.each(['0d', '30', 'd', '2026-02-31', '2026-13-01', 'soon', '-5d'])('refuses %s', (text) => {
    expect(parseAcceptOrdersAfter(text)).toBeUndefined();
  });

  it('parses dates strictly', () => {
    expect(parseIsoDate('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoDate('2025-02-29')).toBeUndefined();
  });
});

describe('the schema as the single source', () => {
  it('has help text, allowed values and an example for every key', () => {
    expect(SETTING_KEYS).toContain('fulfillment-location');
    expect(SETTING_KEYS).toHaveLength(14);
    for (const key of SETTING_KEYS) {
      const meta = settingMeta(key);
      expect(meta.description.length).toBeGreaterThan(10);
      expect(meta.allowed.length).toBeGreaterThan(3);
      expect(meta.example.length).toBeGreaterThan(0);
    }
    expect(SECRET_KEYS).toEqual(['return-magic-api-key', 'webhook-secret']);
    expect(settingMeta('webhook-secret')).toMatchObject({ kind: 'secret', secret: 'webhook-secret' });
  });
});
