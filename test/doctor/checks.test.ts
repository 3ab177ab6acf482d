import { describe, expect, it } from 'vitest';
import { readSettings } from '../../src/core/config/settings.js';
import { AuthError, ConfigError } from '../../src/core/errors.js';
import { type DoctorInputs, doctorExitCategory, runDoctor } from '../../src/services/doctor/checks.js';
import type { LiveStore } from '../../src/services/locations/list.js';
import type { LocationNode } from '../../src/shopify/operations/locations.js';
import type { FulfillmentServiceNode } from '../../src/shopify/operations/shop.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const ALL_SCOPES = [
  'read_locations',
  'read_orders',
  'read_products',
  'write_inventory',
  'read_fulfillments',
  'write_returns',
  'write_merchant_managed_fulfillment_orders',
  'write_third_party_fulfillment_orders',
  'write_assigned_fulfillment_orders',
];

const location = (id: number, name: string, isActive = true): LocationNode => ({
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

const service: FulfillmentServiceNode = {
  id: 'gid://shopify/FulfillmentService/1',
  handle: 'acme-3pl',
  serviceName: 'Acme 3PL',
  callbackUrl: null,
  inventoryManagement: true,
  trackingSupport: true,
  permitsSkuSharing: true,
  type: 'THIRD_PARTY',
  location: { id: 'gid://shopify/Location/4', name: 'Acme 3PL' },
};

function live(scopes = ALL_SCOPES): LiveStore {
  return {
    shop: 'acme.myshopify.com',
    locations: async () => [location(1, 'Main'), location(3, 'Closed', false), location(4, 'Acme 3PL')],
    fulfillmentServices: async () => [service],
    grantedScopes: async () => scopes,
  };
}

function inputs(settings: Record<string, unknown>, over: Partial<DoctorInputs> = {}): DoctorInputs {
  return {
    shop: 'acme.myshopify.com',
    configPath: '/c/config.json',
    fileMode: 0o600,
    settings: () => readSettings({ settings }, '/c/config.json'),
    connect: async () => ({ live: live(), tokenSource: 'keychain' }),
    serverTime: async () => ({ server: NOW, local: NOW }),
    now: NOW,
    ...over,
  };
}

const statuses = async (i: DoctorInputs) =>
  Object.fromEntries((await runDoctor(i)).checks.map((c) => [c.id, c.status]));

const GOOD = {
  'fulfillment-location': 'gid://shopify/Location/4',
  'fulfillment-service': 'acme-3pl',
};

describe('runDoctor', () => {
  it('passes a complete configuration', async () => {
    const report = await runDoctor(inputs(GOOD));
    expect(report.ok).toBe(true);
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(doctorExitCategory(report)).toBeUndefined();
  });

  it.each([
    ['unset location', {}, 'fulfillment-location', 'config'],
    [
      'inactive location',
      { 'fulfillment-location': 'gid://shopify/Location/3' },
      'fulfillment-location',
      'config',
    ],
    [
      'deleted location',
      { 'fulfillment-location': 'gid://shopify/Location/9' },
      'fulfillment-location',
      'config',
    ],
    ['unknown service', { ...GOOD, 'fulfillment-service': 'shipbob' }, 'fulfillment-service', 'config'],
    [
      'location not the service’s',
      { ...GOOD, 'fulfillment-location': 'gid://shopify/Location/1' },
      'location-service',
      'config',
    ],
    ['bad stored value', { ...GOOD, 'notify-customer': 'x' }, 'config-valid', 'config'],
  ])('%s fails %s', async (_name, settings, failing, category) => {
    const report = await runDoctor(inputs(settings));
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([failing]);
    expect(doctorExitCategory(report)).toBe(category);
  });

  it('skips what needs a token when there is none', async () => {
    const report = await runDoctor(
      inputs(GOOD, {
        connect: async () => {
          throw new AuthError('no access token for acme.myshopify.com');
        },
      }),
    );
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.token).toMatchObject({ status: 'fail', hint: 'run `dsync auth login`' });
    expect(byId.scopes?.status).toBe('skip');
    expect(byId['fulfillment-location']?.status).toBe('skip');
    expect(doctorExitCategory(report)).toBe('auth');
  });

  it('requires read_all_orders only when accept-orders-after reaches past 60 days', async () => {
    const limited = ALL_SCOPES;
    const within = await statuses(
      inputs(
        { ...GOOD, 'accept-orders-after': '59d' },
        { connect: async () => ({ live: live(limited), tokenSource: 'env' }) },
      ),
    );
    expect(within).toMatchObject({ scopes: 'pass', 'accept-orders-after': 'pass' });
    const beyond = await statuses(
      inputs(
        { ...GOOD, 'accept-orders-after': '2026-03-01' },
        { connect: async () => ({ live: live(limited), tokenSource: 'env' }) },
      ),
    );
    expect(beyond).toMatchObject({ scopes: 'fail', 'accept-orders-after': 'fail' });
    const granted = await statuses(
      inputs(
        { ...GOOD, 'accept-orders-after': '2026-03-01' },
        { connect: async () => ({ live: live([...limited, 'read_all_orders']), tokenSource: 'env' }) },
      ),
    );
    expect(granted).toMatchObject({ scopes: 'pass', 'accept-orders-after': 'pass' });
  });

  it.each([
    [0, 'pass'],
    [89_000, 'pass'],
    [-89_000, 'pass'],
    [91_000, 'fail'],
    [-600_000, 'fail'],
  ])('a clock %i ms off the store’s: %s', async (offset, status) => {
    const result = await statuses(
      inputs(GOOD, { serverTime: async () => ({ server: NOW, local: new Date(NOW.getTime() + offset) }) }),
    );
    expect(result.clock).toBe(status);
  });

  it.each([
    [0o600, 'pass'],
    [0o400, 'pass'],
    [0o644, 'fail'],
    [0o660, 'fail'],
  ])('config file mode %o: %s', async (mode, status) => {
    expect((await statuses(inputs(GOOD, { fileMode: mode })))['config-permissions']).toBe(status);
  });

  it('checks the credentials directory instead of credentials.json when DSYNC_CREDENTIALS_DIR is set', async () => {
    const withDir = (probe: () => Promise<void>) =>
      inputs(GOOD, {
        credentialsPath: '/c/credentials.json',
        credentialsMode: 0o644,
        credentialsDir: { path: '/var/run/dsync-tokens', probe },
      });
    const good = await runDoctor(withDir(async () => undefined));
    expect(good.checks.map((c) => c.id)).not.toContain('credentials-permissions');
    expect(good.checks.find((c) => c.id === 'credentials-dir')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('/var/run/dsync-tokens'),
    });
    const missing = await runDoctor(
      withDir(async () => {
        throw new ConfigError('DSYNC_CREDENTIALS_DIR names /var/run/dsync-tokens, which does not exist');
      }),
    );
    expect(missing.checks.find((c) => c.id === 'credentials-dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does not exist'),
    });
    expect(doctorExitCategory(missing)).toBe('config');
  });

  it('reports an unreadable config file as a failed check, not a crash', async () => {
    const report = await runDoctor(
      inputs(GOOD, {
        settings: () => {
          throw new ConfigError('cannot read the config file /c/config.json: not valid JSON');
        },
      }),
    );
    expect(report.checks[0]).toMatchObject({ id: 'config-valid', status: 'fail' });
    expect(report.checks[0]?.detail).toContain('/c/config.json');
  });
});
