import { describe, expect, it } from 'vitest';
import { missingScopes, parseScopeList, REQUIRED_SCOPES } from '../../../src/services/auth/scopes.js';

const fo = (kind: string) => [`read_${kind}_fulfillment_orders`, `write_${kind}_fulfillment_orders`];
const base = [
  'read_locations',
  'read_orders',
  'read_products',
  'read_inventory',
  'write_inventory',
  'read_fulfillments',
  'read_returns',
  'write_returns',
];

describe('scopes dsync needs', () => {
  it('asks for every base scope and all three fulfillment-order pairs', () => {
    expect(REQUIRED_SCOPES).toEqual([
      ...base,
      ...fo('merchant_managed'),
      ...fo('third_party'),
      ...fo('assigned'),
    ]);
  });

  it.each([
    ['everything', [...REQUIRED_SCOPES], {}, []],
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
      {},
      [],
    ],
    ['nothing', [], {}, [...REQUIRED_SCOPES]],
    [
      'no fulfillment-order scopes',
      base,
      {},
      [...fo('merchant_managed'), ...fo('third_party'), ...fo('assigned')],
    ],
    [
      'only the kind the setup uses',
      [...base, ...fo('third_party')],
      { fulfillmentOrderKinds: ['third_party' as const] },
      [],
    ],
    [
      'read without write for the setup',
      [...base, 'read_assigned_fulfillment_orders'],
      { fulfillmentOrderKinds: ['assigned' as const] },
      ['write_assigned_fulfillment_orders'],
    ],
    [
      'read_all_orders is optional',
      [...REQUIRED_SCOPES].filter((s) => s !== 'read_orders').concat('read_all_orders'),
      {},
      ['read_orders'],
    ],
  ])('%s', (_name, granted, options, missing) => {
    expect(missingScopes(granted, options)).toEqual(missing);
  });

  it('parses Shopify scope lists', () => {
    expect(parseScopeList('read_orders,write_inventory, read_orders')).toEqual([
      'read_orders',
      'write_inventory',
    ]);
    expect(parseScopeList('')).toEqual([]);
  });
});
