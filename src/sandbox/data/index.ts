/**
 * The sandbox's seeded store data, its Admin API resolvers, and the bulk-result file route.
 * Independent of dsync's client code (src/shopify, src/services): see STYLE.md #10.
 */
import { SandboxData, type SandboxDataOptions } from './store.js';

export { createResolvers } from './resolvers.js';
export { createDataRoutes } from './routes.js';
export type { FulfillRequest, FulfillResult, OrderPatch, SandboxDataOptions } from './store.js';
export { SandboxData } from './store.js';
export type {
  BulkOperationRecord,
  FulfillmentOrderRecord,
  InventoryLevelRecord,
  OrderRecord,
} from './model.js';
export { LOCATION_IDS } from './seed.js';

/** Builds the store, deterministic for `seed`; orders span the 90 days before `now`. */
export function createSandboxData(opts: SandboxDataOptions): SandboxData {
  return new SandboxData(opts);
}
