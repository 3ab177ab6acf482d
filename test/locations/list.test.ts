import { describe, expect, it } from 'vitest';
import { createLiveStore, fulfillmentServiceRows, locationRows } from '../../src/services/locations/list.js';
import type { LocationNode } from '../../src/shopify/operations/locations.js';
import type { FulfillmentServiceNode } from '../../src/shopify/operations/shop.js';
import type { AdminClient, Connection } from '../../src/shopify/types.js';

const loc = (id: number, name: string, over: Partial<LocationNode> = {}): LocationNode => ({
  id: `gid://shopify/Location/${id}`,
  name,
  isActive: true,
  fulfillsOnlineOrders: true,
  shipsInventory: true,
  hasActiveInventory: true,
  isFulfillmentService: false,
  fulfillmentService: null,
  address: { city: null, countryCode: null },
  ...over,
});

/** A client whose paginate yields the given pages and counts requests. */
function fakeClient(pages: LocationNode[][]): AdminClient & { requests: string[] } {
  const requests: string[] = [];
  return {
    shop: 'acme.myshopify.com',
    apiVersion: '2026-10',
    requests,
    request: async (operation) => {
      requests.push(operation.name);
      return {
        data: {
          currentAppInstallation: {
            accessScopes: [{ handle: 'read_orders' }, { handle: 'read_all_orders' }],
          },
        },
        cost: undefined,
        requestId: undefined,
      } as never;
    },
    paginate: ((
      operation: { name: string },
      _vars: unknown,
      connection: (d: unknown) => Connection<LocationNode>,
    ) => {
      requests.push(operation.name);
      return (async function* () {
        for (const page of pages) {
          for (const node of connection({
            locations: { nodes: page, pageInfo: { hasNextPage: false, endCursor: null } },
          }).nodes)
            yield node;
        }
      })();
    }) as never,
  };
}

describe('live store', () => {
  it('collects every page, sorts by name, and asks the store once', async () => {
    const client = fakeClient([[loc(2, 'Zeta'), loc(1, 'alpha')], [loc(3, 'Beta')]]);
    const live = createLiveStore(client);
    expect((await live.locations()).map((l) => l.name)).toEqual(['alpha', 'Beta', 'Zeta']);
    await live.locations();
    expect(await live.grantedScopes()).toEqual(['read_all_orders', 'read_orders']);
    await live.grantedScopes();
    expect(client.requests).toEqual(['LocationsList', 'ShopGrantedScopes']);
  });
});

describe('rows', () => {
  it('marks the configured location and names the service of service locations', () => {
    const rows = locationRows(
      [
        loc(1, 'Main'),
        loc(4, 'Acme 3PL', {
          isFulfillmentService: true,
          fulfillmentService: { handle: 'acme-3pl', serviceName: 'Acme' },
        }),
      ],
      'gid://shopify/Location/4',
    );
    expect(rows.map((r) => [r.name, r.configured, r.fulfillmentService])).toEqual([
      ['Main', false, null],
      ['Acme 3PL', true, 'acme-3pl'],
    ]);
  });

  it('marks the configured fulfillment service', () => {
    const service: FulfillmentServiceNode = {
      id: 'gid://shopify/FulfillmentService/1',
      handle: 'acme-3pl',
      serviceName: 'Acme 3PL',
      callbackUrl: null,
      inventoryManagement: true,
      trackingSupport: false,
      permitsSkuSharing: true,
      type: 'THIRD_PARTY',
      location: null,
    };
    expect(fulfillmentServiceRows([service], 'acme-3pl')[0]).toMatchObject({
      configured: true,
      location: null,
      trackingSupport: false,
    });
    expect(fulfillmentServiceRows([service], 'all')[0]?.configured).toBe(false);
  });
});
