import type { FulfillmentServiceNode } from '../../shopify/operations/shop.js';
import { ShopFulfillmentServices, ShopGrantedScopes } from '../../shopify/operations/shop.js';
import { type LocationNode, LocationsList } from '../../shopify/operations/locations.js';
import type { AdminClient } from '../../shopify/types.js';
import { once } from '../../core/once.js';

export type { FulfillmentServiceNode, LocationNode };

/** Every location of the store (all pages; inactive and legacy ones included), sorted by name. */
export async function fetchLocations(client: AdminClient, signal?: AbortSignal): Promise<LocationNode[]> {
  const out: LocationNode[] = [];
  for await (const node of client.paginate(LocationsList, {}, (data) => data.locations, { signal })) {
    out.push(node);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The store's fulfillment services, sorted by handle. */
export async function fetchFulfillmentServices(
  client: AdminClient,
  signal?: AbortSignal,
): Promise<FulfillmentServiceNode[]> {
  const { data } = await client.request(ShopFulfillmentServices, {}, { signal });
  return [...data.shop.fulfillmentServices].sort((a, b) => a.handle.localeCompare(b.handle));
}

/** The scopes the token holds, as the store reports them. */
export async function fetchGrantedScopes(client: AdminClient, signal?: AbortSignal): Promise<string[]> {
  const { data } = await client.request(ShopGrantedScopes, {}, { signal });
  return data.currentAppInstallation.accessScopes.map((s) => s.handle).sort();
}

/** The store's live lists, each fetched at most once. Services take this so tests can fake it. */
export interface LiveStore {
  readonly shop: string;
  locations(): Promise<LocationNode[]>;
  fulfillmentServices(): Promise<FulfillmentServiceNode[]>;
  grantedScopes(): Promise<string[]>;
}

export function createLiveStore(client: AdminClient, signal?: AbortSignal): LiveStore {
  return {
    shop: client.shop,
    locations: once(() => fetchLocations(client, signal)),
    fulfillmentServices: once(() => fetchFulfillmentServices(client, signal)),
    grantedScopes: once(() => fetchGrantedScopes(client, signal)),
  };
}

/** A row of `dsync locations list`. */
export interface LocationRow {
  id: string;
  name: string;
  active: boolean;
  fulfillsOnlineOrders: boolean;
  shipsInventory: boolean;
  fulfillmentService: string | null;
  configured: boolean;
}

export function locationRows(locations: LocationNode[], configured: string | undefined): LocationRow[] {
  return locations.map((l) => ({
    id: l.id,
    name: l.name,
    active: l.isActive,
    fulfillsOnlineOrders: l.fulfillsOnlineOrders,
    shipsInventory: l.shipsInventory,
    fulfillmentService: l.isFulfillmentService ? (l.fulfillmentService?.handle ?? '') : null,
    configured: l.id === configured,
  }));
}

/** A row of `dsync fulfillment-services list`. */
export interface FulfillmentServiceRow {
  handle: string;
  name: string;
  type: string;
  location: { id: string; name: string } | null;
  inventoryManagement: boolean;
  trackingSupport: boolean;
  configured: boolean;
}

export function fulfillmentServiceRows(
  services: FulfillmentServiceNode[],
  configured: string,
): FulfillmentServiceRow[] {
  return services.map((s) => ({
    handle: s.handle,
    name: s.serviceName,
    type: s.type,
    location: s.location ? { id: s.location.id, name: s.location.name } : null,
    inventoryManagement: s.inventoryManagement,
    trackingSupport: s.trackingSupport,
    configured: s.handle === configured,
  }));
}
