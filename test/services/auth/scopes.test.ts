import { describe, expect, it } from 'vitest';
import {
  ALL_SCOPES,
  featureScopes,
  missingScopes,
  parseScopeList,
  READ_SCOPES,
  type ScopeSettings,
  scopeGaps,
  scopesFor,
} from '../../../src/services/auth/scopes.js';

const READ = [
  'read_locations',
  'read_orders',
  'read_products',
  'read_inventory',
  'read_fulfillments',
  'read_returns',
  'read_merchant_managed_fulfillment_orders',
  'read_third_party_fulfillment_orders',
  'read_assigned_fulfillment_orders',
];
const LOCATION = 'gid://shopify/Location/1';
const none: ScopeSettings = { fulfillmentLocation: undefined, fulfillmentService: 'all' };
const atLocation: ScopeSettings = { fulfillmentLocation: LOCATION, fulfillmentService: 'all' };
const asService: ScopeSettings = { fulfillmentLocation: LOCATION, fulfillmentService: 'acme-3pl' };
const serviceOnly: ScopeSettings = { fulfillmentLocation: undefined, fulfillmentService: 'acme-3pl' };

describe('the scopes the settings need', () => {
  it.each([
    ['no profile yet: reading only', undefined, READ],
    ['nothing configured: reading only', none, READ],
    [
      'a fulfillment location: shipping, stock and returns at it',
      atLocation,
      [
        ...READ,
        'write_merchant_managed_fulfillment_orders',
        'write_third_party_fulfillment_orders',
        'write_inventory',
        'write_returns',
      ],
    ],
    [
      'a fulfillment service: its assigned fulfillment orders, shipping and requests',
      asService,
      [...READ, 'write_assigned_fulfillment_orders', 'write_inventory', 'write_returns'],
    ],
    [
      'a service without a location: answering requests',
      serviceOnly,
      [...READ, 'write_assigned_fulfillment_orders'],
    ],
  ])('%s', (_name, settings, scopes) => {
    expect(scopesFor(settings)).toEqual(scopes);
  });

  it('names the features and the setting that turns each on', () => {
    expect(featureScopes(asService).map((f) => [f.feature, f.enabledBy])).toEqual([
      ['read', null],
      ['shipping', 'fulfillment-location'],
      ['stock', 'fulfillment-location'],
      ['returns', 'fulfillment-location'],
      ['fulfillment-requests', 'fulfillment-service'],
    ]);
  });

  it.each([
    ['reading scopes, nothing configured', READ, none, []],
    ['reading scopes, a location configured', READ, atLocation, scopesFor(atLocation).slice(READ.length)],
    ['everything, a location configured', [...ALL_SCOPES], atLocation, []],
    [
      'write implies read',
      [
        'write_locations',
        'write_orders',
        'write_products',
        'write_inventory',
        'write_fulfillments',
        'write_returns',
        'write_merchant_managed_fulfillment_orders',
        'write_third_party_fulfillment_orders',
        'write_assigned_fulfillment_orders',
      ],
      asService,
      [],
    ],
    ['nothing', [], none, READ],
    [
      'read_all_orders does not stand in for read_orders',
      [...READ.slice(0, 1), 'read_all_orders', ...READ.slice(2)],
      none,
      ['read_orders'],
    ],
  ])('%s', (_name, granted, settings, missing) => {
    expect(missingScopes(granted, settings)).toEqual(missing);
  });

  it('says which feature lacks which scope', () => {
    const gaps = scopeGaps([...READ, 'write_inventory'], atLocation);
    expect(gaps.filter((g) => g.missing.length > 0).map((g) => [g.feature, g.missing])).toEqual([
      ['shipping', ['write_merchant_managed_fulfillment_orders', 'write_third_party_fulfillment_orders']],
      ['returns', ['write_returns']],
    ]);
  });

  it('every scope dsync can use is the reading scopes and the five write scopes', () => {
    expect(ALL_SCOPES.slice(0, READ.length)).toEqual(READ_SCOPES);
    expect(ALL_SCOPES.length).toBe(READ.length + 5);
  });

  it('parses Shopify scope lists', () => {
    expect(parseScopeList('read_orders,write_inventory, read_orders')).toEqual([
      'read_orders',
      'write_inventory',
    ]);
    expect(parseScopeList('')).toEqual([]);
  });
});
