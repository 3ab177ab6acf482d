/**
 * The sandbox's seeded store data, its Admin API resolvers, and the bulk-result file route.
 * Independent of dsync's client code (src/shopify, src/services): see STYLE.md #10.
 *
 * The merchant's side (orderCreate, orderCancel, refundCreate, order edits, holds, moves,
 * requests to a fulfillment service, inventoryAdjustQuantities) lives in merchant.ts as
 * `data.merchant` (rules answering `{ ok, … } | { ok: false, errors }`), served by
 * merchant-resolvers.ts. Tests should change the store through those mutations, as an app does;
 * the hooks below that overlap them (updateOrder, markPaid, cancelOrder, addOrder with lines,
 * holdFulfillmentOrder) run the same rules and throw when the rules refuse.
 *
 * Returns (returnCreate … reverseFulfillmentOrderDispose) live in returns.ts as `data.returnRules`,
 * served by return-resolvers.ts; seeded returns come from seed-returns.ts (see README "Returns").
 *
 * Test hooks on SandboxData (change the store between CLI runs; each change bumps updatedAt):
 * - `findOrder('#1001' | gid | id)`, `updateOrder(ref, patch)`, `setUpdatedAt(ref, date)`,
 *   `markPaid(ref)`, `cancelOrder(ref, reason)`, `addOrder({ lines, presentmentCurrency, ... })`,
 *   `fulfillOrder(ref, tracking)`, `fulfill(requests, tracking)`, `holdFulfillmentOrder(foId)`,
 *   `acceptFulfillmentRequest(foId)`, `setInventory(itemId, locationId, quantities)`,
 *   `setNow(date | null)` (freeze the store clock used to stamp changes).
 * - Bulk: `failNextBulkOperationAfter(n)` (FAILED, INTERNAL_SERVER_ERROR, partialDataUrl),
 *   `holdBulkOperations()` / `releaseBulkOperations()` (stay RUNNING until released).
 *   Timing: `bulk: { startupMs, objectsPerSecond }` in the options (default DEFAULT_BULK_TIMING,
 *   real time; INSTANT_BULK_TIMING when a test only wants the file).
 * Seeded facts tests can rely on: `LOCATION_IDS` (warehouse, store, closed (inactive), acme3pl
 * (the `acme-3pl` fulfillment service's location), overflow); SKUs `MUG-CLASSIC` and
 * `TOTE-CANVAS` are shared by two variants each; `GIFT-25`/`GIFT-50` are gift cards.
 */
import { SandboxData, type SandboxDataOptions } from './store.js';

export {
  type BulkTiming,
  BulkTimingError,
  DEFAULT_BULK_TIMING,
  INSTANT_BULK_TIMING,
  resolveBulkTiming,
} from './bulk-timing.js';
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
export type { MerchantError, Outcome } from './merchant.js';
export type { ReturnRecord, ReverseFulfillmentOrderRecord } from './model.js';
export { orderReturnStatus, ReturnRules } from './returns.js';
export { Merchant } from './merchant.js';
export { LOCATION_IDS } from './seed.js';

/** Builds the store, deterministic for `seed`; orders span the 90 days before `now`. */
export function createSandboxData(opts: SandboxDataOptions): SandboxData {
  return new SandboxData(opts);
}
