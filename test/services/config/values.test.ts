import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { unknownKeyError } from '../../../src/services/config/settings.js';
import {
  checkAcceptOrdersAfter,
  maskSecret,
  parseBoolean,
  parseFinancialStatuses,
  resolveFulfillmentService,
  resolveLocation,
} from '../../../src/services/config/values.js';
import type { FulfillmentServiceNode } from '../../../src/shopify/operations/shop.js';
import type { LocationNode } from '../../../src/shopify/operations/locations.js';

const loc = (id: number, name: string, over: Partial<LocationNode> = {}): LocationNode => ({
  id: `gid://shopify/Location/${id}`,
  name,
  isActive: true,
  fulfillsOnlineOrders: true,
  shipsInventory: true,
  hasActiveInventory: true,
  isFulfillmentService: false,
  fulfillmentService: null,
  address: { city: null, countryCode: 'US' },
  ...over,
});

const LOCATIONS = [
  loc(1, 'Main Warehouse'),
  loc(2, 'Brooklyn Store'),
  loc(3, 'Old Depot', { isActive: false }),
  loc(4, 'East'),
  loc(5, 'east'),
];

function thrown(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('resolveLocation', () => {
  it.each([
    ['Main Warehouse', 1],
    ['main warehouse', 1],
    ['gid://shopify/Location/2', 2],
    ['2', 2],
    ['East', 4],
    ['east', 5],
  ])('%j → location %i', (input, id) => {
    expect(resolveLocation(input, LOCATIONS).id).toBe(`gid://shopify/Location/${id}`);
  });

  it('lists candidates for an unknown name', () => {
    const error = thrown(() => resolveLocation('Nowhere', LOCATIONS));
    expect(error.message).toContain('locations are: "Main Warehouse" (gid://shopify/Location/1)');
    expect(error.exitCode).toBe(2);
  });

  it('refuses a case-insensitive match that is ambiguous', () => {
    const error = thrown(() => resolveLocation('EAST', LOCATIONS));
    expect(error.message).toContain('ambiguous');
    expect(error.message).toContain('gid://shopify/Location/4');
    expect(error.message).toContain('gid://shopify/Location/5');
  });

  it('refuses an inactive location, naming active ones', () => {
    const error = thrown(() => resolveLocation('Old Depot', LOCATIONS));
    expect(error.message).toContain('inactive');
    expect(error.hint).toContain('"Main Warehouse"');
  });

  it('says when the store has no locations', () => {
    expect(thrown(() => resolveLocation('x', [])).message).toContain('the store has no locations');
  });
});

describe('resolveFulfillmentService', () => {
  const service = (handle: string, serviceName: string): FulfillmentServiceNode => ({
    id: `gid://shopify/FulfillmentService/${handle}`,
    handle,
    serviceName,
    callbackUrl: null,
    inventoryManagement: false,
    trackingSupport: false,
    permitsSkuSharing: false,
    type: 'THIRD_PARTY',
    location: null,
  });
  const SERVICES = [service('acme-3pl', 'Acme 3PL'), service('manual', 'Manual')];

  it.each([
    ['all', 'all'],
    ['ALL', 'all'],
    ['acme-3pl', 'acme-3pl'],
    ['ACME-3PL', 'acme-3pl'],
  ])('%j → %j', (input, handle) => {
    expect(resolveFulfillmentService(input, SERVICES)).toBe(handle);
  });

  it('refuses unknown handles, listing them, and maps names to handles in the hint', () => {
    const error = thrown(() => resolveFulfillmentService('Acme 3PL', SERVICES));
    expect(error.message).toContain('handles are: all, acme-3pl, manual');
    expect(error.hint).toContain('its handle is acme-3pl');
  });
});

describe('parsers', () => {
  it.each([
    ['true', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['off', false],
    ['0', false],
  ])('parseBoolean(%j) = %s', (text, value) => {
    expect(parseBoolean('notify-customer', text)).toBe(value);
  });

  it('parseBoolean refuses other words naming key, value and allowed', () => {
    expect(() => parseBoolean('notify-customer', 'maybe')).toThrow(
      'invalid value "maybe" for notify-customer; allowed: true or false',
    );
  });

  it.each([
    ['paid', ['paid']],
    ['Paid, pending ,paid', ['paid', 'pending']],
    ['partially-refunded', ['partially_refunded']],
  ])('parseFinancialStatuses(%j)', (text, list) => {
    expect(parseFinancialStatuses(text)).toEqual(list);
  });

  it.each(['', ',', 'paid,expired', 'shipped'])('parseFinancialStatuses refuses %j', (text) => {
    expect(() => parseFinancialStatuses(text)).toThrow(/financial-status/);
  });

  it('measures accept-orders-after against the 60-day window', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(checkAcceptOrdersAfter('60d', now)).toMatchObject({ daysBack: 60, beyondWindow: false });
    expect(checkAcceptOrdersAfter('61d', now)).toMatchObject({ daysBack: 61, beyondWindow: true });
    expect(checkAcceptOrdersAfter('2026-04-01', now)).toMatchObject({
      value: '2026-04-01',
      beyondWindow: true,
    });
    expect(() => checkAcceptOrdersAfter('2026-07-01', now)).toThrow(/in the future/);
  });

  it.each([
    ['rm_live_0123456789abcdef', '••••cdef'],
    ['short', '••••'],
  ])('maskSecret(%j) = %j', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
  });
});

describe('unknown keys', () => {
  it.each([
    ['fulfilment-location', 'fulfillment-location'],
    ['fulfillment_location', 'fulfillment-location'],
    ['Financial_Status', 'financial-status'],
    ['notifycustomer', 'notify-customer'],
  ])('%j suggests %j', (key, suggestion) => {
    const error = unknownKeyError(key);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain(`did you mean ${suggestion}?`);
  });

  it('lists the settings when nothing is close', () => {
    expect(unknownKeyError('colour').hint).toMatch(/^settings: fulfillment-location, /);
  });
});
