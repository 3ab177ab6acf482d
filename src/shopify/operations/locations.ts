import { defineOperation } from '../operation.js';
import type { Connection } from '../types.js';

export interface LocationNode {
  id: string;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  shipsInventory: boolean;
  hasActiveInventory: boolean;
  isFulfillmentService: boolean;
  fulfillmentService: { handle: string; serviceName: string } | null;
  address: { city: string | null; countryCode: string | null };
}

export interface LocationsListData {
  locations: Connection<LocationNode>;
}

export interface LocationsListVariables {
  after?: string | null;
}

/** Every location, inactive and legacy (fulfillment-service) ones included, 250 a page. */
export const LocationsList = defineOperation<LocationsListData, LocationsListVariables>(
  'LocationsList',
  'query',
  /* GraphQL */ `
  query LocationsList($after: String) {
    locations(first: 250, after: $after, includeInactive: true, includeLegacy: true) {
      nodes {
        id
        name
        isActive
        fulfillsOnlineOrders
        shipsInventory
        hasActiveInventory
        isFulfillmentService
        fulfillmentService {
          handle
          serviceName
        }
        address {
          city
          countryCode
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
);
