import { defineOperation } from '../operation.js';

export interface FulfillmentServiceNode {
  id: string;
  handle: string;
  serviceName: string;
  callbackUrl: string | null;
  inventoryManagement: boolean;
  trackingSupport: boolean;
  permitsSkuSharing: boolean;
  type: 'GIFT_CARD' | 'MANUAL' | 'THIRD_PARTY';
  location: { id: string; name: string } | null;
}

export interface ShopFulfillmentServicesData {
  shop: {
    name: string;
    myshopifyDomain: string;
    fulfillmentServices: FulfillmentServiceNode[];
  };
}

/** The store's fulfillment services (there is no top-level list: they hang off `shop`). */
export const ShopFulfillmentServices = defineOperation<ShopFulfillmentServicesData, Record<string, never>>(
  'ShopFulfillmentServices',
  'query',
  /* GraphQL */ `
  query ShopFulfillmentServices {
    shop {
      name
      myshopifyDomain
      fulfillmentServices {
        id
        handle
        serviceName
        callbackUrl
        inventoryManagement
        trackingSupport
        permitsSkuSharing
        type
        location {
          id
          name
        }
      }
    }
  }
`,
);

export interface ShopGrantedScopesData {
  currentAppInstallation: { accessScopes: { handle: string }[] };
}

/** The scopes the calling token actually holds (the 60-day order window depends on read_all_orders). */
export const ShopGrantedScopes = defineOperation<ShopGrantedScopesData, Record<string, never>>(
  'ShopGrantedScopes',
  'query',
  /* GraphQL */ `
  query ShopGrantedScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`,
);
