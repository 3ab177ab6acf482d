import { acceptOrdersAfterDate, type Settings } from '../../core/config/settings.js';
import { ConfigError } from '../../core/errors.js';
import { ShopFulfillmentServices } from '../../shopify/operations/shop.js';
import type { AdminClient } from '../../shopify/types.js';
import type { SelectionSettings } from './select.js';

/**
 * Turns the store's effective settings into what the selection needs: the fulfillment service
 * handle becomes the gid of its location (looked up live), accept-orders-after an instant.
 */
export async function resolveSelectionSettings(
  settings: Settings,
  client: AdminClient,
  now: Date,
  shop: string,
  signal?: AbortSignal,
): Promise<SelectionSettings> {
  let serviceLocationId: string | undefined;
  if (settings.fulfillmentService !== 'all') {
    const { data } = await client.request(ShopFulfillmentServices, {}, { signal });
    const service = data.shop.fulfillmentServices.find((s) => s.handle === settings.fulfillmentService);
    if (!service) {
      throw new ConfigError(
        `the fulfillment service "${settings.fulfillmentService}" does not exist in ${shop}`,
        {
          hint: 'see `dsync fulfillment-services list`, then `dsync config set fulfillment-service <handle|all>`',
        },
      );
    }
    if (!service.location) {
      throw new ConfigError(`the fulfillment service "${service.handle}" has no location in ${shop}`, {
        hint: 'pick another with `dsync config set fulfillment-service <handle|all>`',
      });
    }
    serviceLocationId = service.location.id;
  }
  if (settings.filterByLocation && !settings.fulfillmentLocation) {
    throw new ConfigError('filter-by-location is on but fulfillment-location is not set', {
      hint: 'run `dsync config set fulfillment-location "<name>"` (see `dsync locations list`), or `dsync config set filter-by-location false`',
    });
  }
  return {
    financialStatuses: settings.financialStatus,
    includePartialFulfillments: settings.includePartialFulfillments,
    acceptOrdersAfter: acceptOrdersAfterDate(settings.acceptOrdersAfter, now),
    serviceLocationId,
    filterLocationId: settings.filterByLocation ? settings.fulfillmentLocation : undefined,
    excludeEmptyOrders: settings.excludeEmptyOrders,
    useLocalCurrency: settings.useLocalCurrency,
  };
}
