import { GraphQLEnumType, GraphQLInputObjectType, type GraphQLResolveInfo } from 'graphql';
import type { ResolverMap, SandboxRequestContext } from '../context.js';
import {
  accessDenied,
  FULFILLMENT_ORDERS_READ_SCOPES,
  fulfillmentOrderVisible,
  fulfillmentOrderWriteScopes,
  hasAnyScope,
  orderVisible,
  requireScope,
} from './access.js';
import { bulkOwner, cancelBulkOperation, currentBulkOperation, runBulkQuery } from './bulk.js';
import { type ConnectionArgs, paginate } from './connection.js';
import { gid, parseGid, splitGid, isoTime } from './gid.js';
import { runIdempotent } from './idempotency.js';
import { INVALID_REASON_MESSAGE, INVENTORY_REASONS } from './merchant.js';
import { merchantMutations } from './merchant-resolvers.js';
import { returnMutations, returnNode, returnQueries } from './return-resolvers.js';
import {
  type FulfillmentOrderRecord,
  type LocationRecord,
  onHandOf,
  type TrackingInfoRecord,
} from './model.js';
import {
  fulfillmentOrderSort,
  INVENTORY_ITEM_SEARCH,
  OrderIndex,
  VARIANT_SEARCH,
  visibleFulfillmentOrders,
} from './queries.js';
import { compileSearch, parseSearchQuery } from './search.js';
import type { SandboxData } from './store.js';
import { Views } from './views.js';

type Args = Record<string, unknown>;
type Info = GraphQLResolveInfo;

/** `assignmentStatus` of assignedFulfillmentOrders: requested (submitted), cancellation requested, accepted. */
function matchesAssignment(fo: FulfillmentOrderRecord, status: unknown): boolean {
  switch (status) {
    case 'FULFILLMENT_REQUESTED':
      return fo.requestStatus === 'SUBMITTED';
    case 'CANCELLATION_REQUESTED':
      return fo.requestStatus === 'CANCELLATION_REQUESTED';
    case 'FULFILLMENT_ACCEPTED':
      return fo.requestStatus === 'ACCEPTED';
    case 'FULFILLMENT_UNSUBMITTED':
      return fo.requestStatus === 'UNSUBMITTED';
    default:
      return fo.status !== 'CLOSED' && fo.status !== 'CANCELLED';
  }
}

const ORDERS_SCOPES = ['read_orders'];
const PRODUCTS_SCOPES = ['read_products'];
const INVENTORY_SCOPES = ['read_inventory', 'read_products'];
const LOCATIONS_SCOPES = ['read_locations'];
const FO_READ_SCOPES = FULFILLMENT_ORDERS_READ_SCOPES;

function conn(args: Args): ConnectionArgs {
  return args as ConnectionArgs;
}

/** The first enum value the served schema knows (the pinned and the 2026 names differ). */
function enumValue(info: Info, typeName: string, candidates: string[]): string {
  const type = info.schema.getType(typeName);
  if (type instanceof GraphQLEnumType) {
    for (const c of candidates) if (type.getValue(c)) return c;
  }
  return candidates[candidates.length - 1] as string;
}

function inputHasField(info: Info, typeName: string, field: string): boolean {
  const type = info.schema.getType(typeName);
  return type instanceof GraphQLInputObjectType && field in type.getFields();
}

const INVENTORY_REASON_SET = new Set(INVENTORY_REASONS);

interface TrackingInput {
  company?: string | null;
  number?: string | null;
  numbers?: string[] | null;
  url?: string | null;
  urls?: string[] | null;
}

/** FulfillmentTrackingInput → one record per tracking number (numbers/urls pair up by position). */
function trackingRecords(t: TrackingInput | null): TrackingInfoRecord[] {
  const tracking: TrackingInfoRecord[] = [];
  if (!t) return tracking;
  const numbers = t.numbers && t.numbers.length > 0 ? t.numbers : t.number ? [t.number] : [];
  const urls = t.urls && t.urls.length > 0 ? t.urls : t.url ? [t.url] : [];
  if (numbers.length === 0 && (t.company || urls.length > 0)) {
    tracking.push({ company: t.company ?? null, number: null, url: urls[0] ?? null });
  }
  numbers.forEach((number, k) => {
    tracking.push({ company: t.company ?? null, number, url: urls[k] ?? urls[0] ?? null });
  });
  return tracking;
}

interface QuantityInput {
  inventoryItemId?: unknown;
  locationId?: unknown;
  quantity?: unknown;
  compareQuantity?: unknown;
  changeFromQuantity?: unknown;
}

/**
 * The resolver map for the served Admin schema: root query fields and mutations over `data`.
 * Nested fields are plain properties or `(args, context)` methods on the views.
 */
export function createResolvers(data: SandboxData): ResolverMap {
  const index = new OrderIndex(data);
  const views = new Views(data);

  const nodeFor = (id: unknown, ctx: SandboxRequestContext): unknown => {
    const parts = splitGid(id);
    if (!parts) return null;
    const n = Number(parts.id.split('?')[0]);
    switch (parts.type) {
      case 'Order': {
        requireScope(ctx, 'node', ORDERS_SCOPES);
        const order = data.ordersById.get(n);
        return order && orderVisible(ctx, order) ? views.order(order) : null;
      }
      case 'FulfillmentOrder': {
        const fo = data.fulfillmentOrders.get(n);
        if (!fo || !fulfillmentOrderVisible(ctx, data.location(fo.locationId))) return null;
        const order = data.ordersById.get(fo.orderId);
        return order && orderVisible(ctx, order) ? views.fulfillmentOrder(fo) : null;
      }
      case 'Fulfillment': {
        requireScope(ctx, 'node', ['read_fulfillments', 'read_orders']);
        const f = data.fulfillments.get(n);
        const order = f ? data.ordersById.get(f.orderId) : undefined;
        return f && order && orderVisible(ctx, order) ? views.fulfillment(f) : null;
      }
      case 'Location': {
        requireScope(ctx, 'node', LOCATIONS_SCOPES);
        const l = data.location(n);
        return l ? views.location(l) : null;
      }
      case 'Product': {
        requireScope(ctx, 'node', PRODUCTS_SCOPES);
        const p = data.products.get(n);
        return p ? views.product(p) : null;
      }
      case 'ProductVariant': {
        requireScope(ctx, 'node', PRODUCTS_SCOPES);
        const v = data.variants.get(n);
        return v ? views.variant(v) : null;
      }
      case 'InventoryItem': {
        requireScope(ctx, 'node', INVENTORY_SCOPES);
        const i = data.inventoryItems.get(n);
        return i ? views.inventoryItem(i) : null;
      }
      case 'Return':
      case 'ReverseFulfillmentOrder':
      case 'ReverseDelivery':
        return returnNode(data, views, parts.type, String(id), ctx);
      case 'BulkOperation': {
        const op = data.bulkOperations.get(n);
        return op && op.owner === bulkOwner(ctx) ? views.bulkOperation(op) : null;
      }
      default:
        return null;
    }
  };

  const query: Record<
    string,
    (parent: unknown, args: Args, ctx: SandboxRequestContext, info: Info) => unknown
  > = {
    shop: () => views.shop(),

    currentAppInstallation: (_p, _a, ctx) => ({
      __typename: 'AppInstallation',
      id: gid('AppInstallation', 1),
      accessScopes: [...ctx.scopes]
        .sort()
        .map((handle) => ({ __typename: 'AccessScope', handle, description: handle })),
      launchUrl: `https://${data.shop.myshopifyDomain}/admin/apps/dsync`,
      app: {
        __typename: 'App',
        id: gid('App', 1),
        title: 'dsync (sandbox app)',
        handle: 'dsync',
        apiKey: 'sandbox',
      },
    }),

    locations: (_p, args, ctx) => {
      requireScope(ctx, 'locations', LOCATIONS_SCOPES);
      let list = data.locations.filter(
        (l) =>
          (args.includeInactive === true || l.isActive) &&
          (args.includeLegacy === true || !l.fulfillmentServiceHandle),
      );
      const q = typeof args.query === 'string' ? args.query : null;
      if (q) {
        const { test } = compileSearch<LocationRecord>(parseSearchQuery(q), {
          fields: {
            name: (l, { value }) => l.name.toLowerCase().includes(value.toLowerCase().replace(/\*$/, '')),
            id: (l, { value }) => String(l.id) === value.replace(/^gid:\/\/shopify\/Location\//, ''),
            active: (l, { value }) => l.isActive === (value === 'true'),
          },
          text: (l, word) => l.name.toLowerCase().includes(word.toLowerCase()),
        });
        list = list.filter(test);
      }
      const byName = args.sortKey === 'NAME';
      return paginate(
        list,
        conn(args),
        byName ? { value: (l) => l.name, id: (l) => l.id } : { value: (l) => l.id, id: (l) => l.id },
        (l) => views.location(l),
      );
    },

    location: (_p, args, ctx) => {
      requireScope(ctx, 'location', LOCATIONS_SCOPES);
      if (args.id === undefined || args.id === null) {
        const primary = data.locations[0];
        return primary ? views.location(primary) : null;
      }
      const n = parseGid(args.id, 'Location');
      const l = n === null ? undefined : data.location(n);
      return l ? views.location(l) : null;
    },

    orders: (_p, args, ctx) => {
      requireScope(ctx, 'orders', ORDERS_SCOPES);
      const { list, sort } = index.list(
        ctx,
        typeof args.query === 'string' ? args.query : null,
        args.sortKey,
      );
      return paginate(list, conn(args), sort, (o) => views.order(o));
    },

    order: (_p, args, ctx) => {
      requireScope(ctx, 'order', ORDERS_SCOPES);
      const n = parseGid(args.id, 'Order');
      const order = n === null ? undefined : data.ordersById.get(n);
      return order && orderVisible(ctx, order) ? views.order(order) : null;
    },

    fulfillmentOrder: (_p, args, ctx) => {
      requireScope(ctx, 'fulfillmentOrder', FO_READ_SCOPES);
      return nodeFor(
        typeof args.id === 'string' && args.id.includes('/FulfillmentOrder/') ? args.id : null,
        ctx,
      );
    },

    fulfillment: (_p, args, ctx) => {
      requireScope(ctx, 'fulfillment', ['read_fulfillments', 'read_orders']);
      return nodeFor(typeof args.id === 'string' && args.id.includes('/Fulfillment/') ? args.id : null, ctx);
    },

    fulfillmentOrders: (_p, args, ctx) => {
      requireScope(ctx, 'fulfillmentOrders', FO_READ_SCOPES);
      const list = visibleFulfillmentOrders(data, ctx, {
        query: typeof args.query === 'string' ? args.query : null,
        includeClosed: args.includeClosed === true,
      });
      return paginate(list, conn(args), fulfillmentOrderSort(args.sortKey), (fo) =>
        views.fulfillmentOrder(fo),
      );
    },

    assignedFulfillmentOrders: (_p, args, ctx) => {
      requireScope(ctx, 'assignedFulfillmentOrders', [
        'read_assigned_fulfillment_orders',
        'read_third_party_fulfillment_orders',
      ]);
      const locationIds = Array.isArray(args.locationIds)
        ? new Set(args.locationIds.map((id) => parseGid(id, 'Location')))
        : null;
      const list = [...data.fulfillmentOrders.values()].filter((fo) => {
        const location = data.location(fo.locationId);
        // Only fulfillment orders assigned to a fulfillment service's location are "assigned" ones.
        if (!location?.fulfillmentServiceHandle) return false;
        if (locationIds && locationIds.size > 0 && !locationIds.has(fo.locationId)) return false;
        if (!matchesAssignment(fo, args.assignmentStatus)) return false;
        const order = data.ordersById.get(fo.orderId);
        return order !== undefined && orderVisible(ctx, order);
      });
      return paginate(list, conn(args), fulfillmentOrderSort(args.sortKey), (fo) =>
        views.fulfillmentOrder(fo),
      );
    },

    ordersCount: (_p, args, ctx) => {
      requireScope(ctx, 'ordersCount', ORDERS_SCOPES);
      const { list } = index.list(ctx, typeof args.query === 'string' ? args.query : null, 'ID');
      const limit = typeof args.limit === 'number' ? args.limit : 10_000;
      return {
        __typename: 'Count',
        count: Math.min(list.length, limit),
        precision: list.length > limit ? 'AT_LEAST' : 'EXACT',
      };
    },

    node: (_p, args, ctx) => nodeFor(args.id, ctx),
    nodes: (_p, args, ctx) => (Array.isArray(args.ids) ? args.ids.map((id) => nodeFor(id, ctx)) : []),

    productVariants: (_p, args, ctx) => {
      requireScope(ctx, 'productVariants', PRODUCTS_SCOPES);
      const { test } = compileSearch(
        parseSearchQuery(typeof args.query === 'string' ? args.query : null),
        VARIANT_SEARCH,
      );
      const list = [...data.variants.values()].filter(test);
      return paginate(list, conn(args), { value: (v) => v.id, id: (v) => v.id }, (v) => views.variant(v));
    },
    productVariant: (_p, args, ctx) => {
      requireScope(ctx, 'productVariant', PRODUCTS_SCOPES);
      const n = parseGid(args.id, 'ProductVariant');
      const v = n === null ? undefined : data.variants.get(n);
      return v ? views.variant(v) : null;
    },

    inventoryItems: (_p, args, ctx) => {
      requireScope(ctx, 'inventoryItems', INVENTORY_SCOPES);
      const { test } = compileSearch(
        parseSearchQuery(typeof args.query === 'string' ? args.query : null),
        INVENTORY_ITEM_SEARCH,
      );
      const list = [...data.inventoryItems.values()].filter(test);
      return paginate(list, conn(args), { value: (i) => i.id, id: (i) => i.id }, (i) =>
        views.inventoryItem(i),
      );
    },
    inventoryItem: (_p, args, ctx) => {
      requireScope(ctx, 'inventoryItem', INVENTORY_SCOPES);
      const n = parseGid(args.id, 'InventoryItem');
      const i = n === null ? undefined : data.inventoryItems.get(n);
      return i ? views.inventoryItem(i) : null;
    },

    bulkOperation: (_p, args, ctx) => {
      const n = parseGid(args.id, 'BulkOperation');
      const op = n === null ? undefined : data.bulkOperations.get(n);
      return op && op.owner === bulkOwner(ctx) ? views.bulkOperation(op) : null;
    },
    currentBulkOperation: (_p, args, ctx) => {
      if (args.type === 'MUTATION') return null;
      const op = currentBulkOperation(data, ctx);
      return op ? views.bulkOperation(op) : null;
    },

    ...returnQueries(data, views),
  };

  const mutation: Record<
    string,
    (parent: unknown, args: Args, ctx: SandboxRequestContext, info: Info) => unknown
  > = {
    bulkOperationRunQuery: (_p, args, ctx, info) => {
      const result = runBulkQuery(data, ctx, info.schema, String(args.query ?? ''), {
        groupObjects: typeof args.groupObjects === 'boolean' ? args.groupObjects : null,
      });
      return {
        bulkOperation: result.operation ? views.bulkOperation(result.operation) : null,
        userErrors: result.userErrors.map((e) => ({ __typename: 'BulkOperationUserError', ...e })),
      };
    },

    bulkOperationCancel: (_p, args, ctx) => {
      const n = parseGid(args.id, 'BulkOperation');
      const op = n === null ? undefined : data.bulkOperations.get(n);
      if (!op || op.owner !== bulkOwner(ctx)) {
        return {
          bulkOperation: null,
          userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }],
        };
      }
      const error = cancelBulkOperation(data, op);
      return {
        bulkOperation: views.bulkOperation(op),
        userErrors: error ? [{ field: null, message: error }] : [],
      };
    },

    fulfillmentCreate: (_p, args, ctx) => fulfillmentCreate(args.fulfillment, ctx),

    fulfillmentOrderRejectFulfillmentRequest: (_p, args, ctx) =>
      answerFulfillmentRequest('fulfillmentOrderRejectFulfillmentRequest', args, ctx, (id) =>
        data.rejectFulfillmentRequest(id),
      ),

    fulfillmentTrackingInfoUpdate: (_p, args, ctx) => {
      requireScope(ctx, 'fulfillmentTrackingInfoUpdate', [
        'write_merchant_managed_fulfillment_orders',
        'write_third_party_fulfillment_orders',
        'write_assigned_fulfillment_orders',
      ]);
      const n = parseGid(args.fulfillmentId, 'Fulfillment');
      const f = n === null ? undefined : data.fulfillments.get(n);
      const order = f ? data.ordersById.get(f.orderId) : undefined;
      if (!f || !order || !orderVisible(ctx, order)) {
        return {
          fulfillment: null,
          userErrors: [{ field: ['fulfillmentId'], message: 'Fulfillment does not exist.' }],
        };
      }
      data.updateTracking(f.id, trackingRecords(args.trackingInfoInput as TrackingInput | null));
      return { fulfillment: views.fulfillment(f), userErrors: [] };
    },

    fulfillmentOrderAcceptFulfillmentRequest: (_p, args, ctx) =>
      answerFulfillmentRequest('fulfillmentOrderAcceptFulfillmentRequest', args, ctx, (id) =>
        data.acceptFulfillmentRequest(id),
      ),

    inventorySetQuantities: (_p, args, ctx, info) => {
      requireScope(ctx, 'inventorySetQuantities', ['write_inventory']);
      return runIdempotent(data, ctx, info, args, () =>
        inventorySetQuantities(args.input as Args, ctx, info),
      );
    },

    ...merchantMutations(data, views),
    ...returnMutations(data, views),
  };

  /** Accept and reject share Shopify's checks and answer shape; only the change differs. */
  function answerFulfillmentRequest(
    field: string,
    args: Record<string, unknown>,
    ctx: SandboxRequestContext,
    apply: (foId: number) => { ok: true; fo: FulfillmentOrderRecord } | { ok: false; message: string },
  ): unknown {
    requireScope(ctx, field, ['write_assigned_fulfillment_orders', 'write_third_party_fulfillment_orders']);
    const n = parseGid(args.id, 'FulfillmentOrder');
    const fo = n === null ? undefined : data.fulfillmentOrders.get(n);
    if (!fo || !fulfillmentOrderVisible(ctx, data.location(fo.locationId))) {
      return {
        fulfillmentOrder: null,
        userErrors: [{ field: ['id'], message: 'Fulfillment order does not exist.' }],
      };
    }
    const result = apply(fo.id);
    if (!result.ok) {
      return {
        fulfillmentOrder: views.fulfillmentOrder(fo),
        userErrors: [{ field: ['id'], message: result.message }],
      };
    }
    return { fulfillmentOrder: views.fulfillmentOrder(result.fo), userErrors: [] };
  }

  function fulfillmentCreate(input: unknown, ctx: SandboxRequestContext): unknown {
    const f = (input ?? {}) as {
      lineItemsByFulfillmentOrder?: {
        fulfillmentOrderId?: unknown;
        fulfillmentOrderLineItems?: { id?: unknown; quantity?: unknown }[] | null;
      }[];
      trackingInfo?: TrackingInput | null;
      notifyCustomer?: boolean | null;
    };
    if (
      !hasAnyScope(ctx, [
        'write_merchant_managed_fulfillment_orders',
        'write_third_party_fulfillment_orders',
        'write_assigned_fulfillment_orders',
      ])
    ) {
      throw accessDenied('fulfillmentCreate', [
        'write_merchant_managed_fulfillment_orders',
        'write_third_party_fulfillment_orders',
        'write_assigned_fulfillment_orders',
      ]);
    }
    const userErrors: { field: string[] | null; message: string }[] = [];
    const requests = (f.lineItemsByFulfillmentOrder ?? []).map((group, r) => {
      const foId = parseGid(group.fulfillmentOrderId, 'FulfillmentOrder');
      const fo = foId === null ? undefined : data.fulfillmentOrders.get(foId);
      const order = fo ? data.ordersById.get(fo.orderId) : undefined;
      const location = fo ? data.location(fo.locationId) : undefined;
      const field = ['fulfillment', 'lineItemsByFulfillmentOrder', String(r), 'fulfillmentOrderId'];
      if (!fo || !order || !orderVisible(ctx, order) || !fulfillmentOrderVisible(ctx, location)) {
        userErrors.push({ field, message: 'Fulfillment order does not exist.' });
      } else if (!hasAnyScope(ctx, fulfillmentOrderWriteScopes(location))) {
        throw accessDenied('fulfillmentCreate', fulfillmentOrderWriteScopes(location));
      }
      const lines =
        group.fulfillmentOrderLineItems === null || group.fulfillmentOrderLineItems === undefined
          ? undefined
          : group.fulfillmentOrderLineItems.map((l, k) => {
              const id = parseGid(l.id, 'FulfillmentOrderLineItem');
              if (id === null) {
                userErrors.push({
                  field: [
                    'fulfillment',
                    'lineItemsByFulfillmentOrder',
                    String(r),
                    'fulfillmentOrderLineItems',
                    String(k),
                    'id',
                  ],
                  message: 'Fulfillment order line item does not exist.',
                });
              }
              return { id: id ?? -1, quantity: typeof l.quantity === 'number' ? l.quantity : Number.NaN };
            });
      return { fulfillmentOrderId: foId ?? -1, lines };
    });
    if (requests.length === 0) {
      userErrors.push({
        field: ['fulfillment', 'lineItemsByFulfillmentOrder'],
        message: 'Line items by fulfillment order must not be empty.',
      });
    }
    if (userErrors.length > 0) return { fulfillment: null, userErrors };
    const tracking = trackingRecords(f.trackingInfo ?? null);
    const result = data.fulfill(requests, tracking, f.notifyCustomer === true);
    if (!result.ok) return { fulfillment: null, userErrors: result.errors };
    return { fulfillment: views.fulfillment(result.fulfillment), userErrors: [] };
  }

  function inventorySetQuantities(input: Args, ctx: SandboxRequestContext, info: Info): unknown {
    const errorType = 'InventorySetQuantitiesUserError';
    const errors: { __typename: string; field: string[]; message: string; code: string }[] = [];
    const err = (field: string[], message: string, code: string) =>
      errors.push({ __typename: errorType, field, message, code });
    const name = String(input.name ?? '');
    if (name !== 'available' && name !== 'on_hand') {
      err(['input', 'name'], 'The quantity name must be either `available` or `on_hand`.', 'INVALID_NAME');
    }
    const reason = String(input.reason ?? '');
    if (!INVENTORY_REASON_SET.has(reason)) err(['input', 'reason'], INVALID_REASON_MESSAGE, 'INVALID_REASON');
    const modern = inputHasField(info, 'InventoryQuantityInput', 'changeFromQuantity');
    const ignoreCompare = input.ignoreCompareQuantity === true;
    const quantities = Array.isArray(input.quantities) ? (input.quantities as QuantityInput[]) : [];
    const seen = new Set<string>();
    const plan: { itemId: number; locationId: number; quantity: number }[] = [];
    quantities.forEach((q, k) => {
      const field = ['input', 'quantities', String(k)];
      const itemId = parseGid(q.inventoryItemId, 'InventoryItem');
      const locationId = parseGid(q.locationId, 'Location');
      const item = itemId === null ? undefined : data.inventoryItems.get(itemId);
      const location = locationId === null ? undefined : data.location(locationId);
      if (!item || itemId === null) {
        err(
          [...field, 'inventoryItemId'],
          'The specified inventory item could not be found.',
          'INVALID_INVENTORY_ITEM',
        );
        return;
      }
      if (!location || locationId === null) {
        err([...field, 'locationId'], 'The specified location could not be found.', 'INVALID_LOCATION');
        return;
      }
      const pairKey = `${itemId}:${locationId}`;
      if (seen.has(pairKey)) {
        err(
          field,
          'The combination of inventoryItemId and locationId must be unique.',
          'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR',
        );
        return;
      }
      seen.add(pairKey);
      const level = data.level(itemId, locationId);
      if (!level) {
        err(
          [...field, 'locationId'],
          'The specified inventory item is not stocked at the location.',
          'ITEM_NOT_STOCKED_AT_LOCATION',
        );
        return;
      }
      const quantity = typeof q.quantity === 'number' ? q.quantity : Number.NaN;
      if (!Number.isInteger(quantity) || quantity < 0) {
        err([...field, 'quantity'], 'The quantity can\u2019t be negative.', 'INVALID_QUANTITY_NEGATIVE');
        return;
      }
      if (quantity > 1_000_000_000) {
        err(
          [...field, 'quantity'],
          'The quantity can\u2019t be higher than 1,000,000,000.',
          'INVALID_QUANTITY_TOO_HIGH',
        );
        return;
      }
      const current = name === 'on_hand' ? onHandOf(level) : level.available;
      if (modern) {
        if (!('changeFromQuantity' in q) || q.changeFromQuantity === undefined) {
          if (ctx.apiVersion >= '2026-04') {
            err(
              [...field, 'changeFromQuantity'],
              'changeFromQuantity is required. Pass null to opt out of the compare-and-swap check.',
              enumValue(info, 'InventorySetQuantitiesUserErrorCode', [
                'CHANGE_FROM_QUANTITY_REQUIRED',
                'COMPARE_QUANTITY_REQUIRED',
              ]),
            );
            return;
          }
        } else if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
          err(
            [...field, 'changeFromQuantity'],
            'The changeFromQuantity doesn\u2019t match the current quantity. Read the quantity again and retry.',
            enumValue(info, 'InventorySetQuantitiesUserErrorCode', [
              'CHANGE_FROM_QUANTITY_STALE',
              'COMPARE_QUANTITY_STALE',
            ]),
          );
          return;
        }
      }
      if (!modern || !('changeFromQuantity' in q)) {
        if (!ignoreCompare && !modern) {
          if (q.compareQuantity === undefined || q.compareQuantity === null) {
            err(
              [...field, 'compareQuantity'],
              'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.',
              'COMPARE_QUANTITY_REQUIRED',
            );
            return;
          }
          if (q.compareQuantity !== current) {
            err(
              [...field, 'compareQuantity'],
              'The specified compare quantity does not match the current quantity.',
              'COMPARE_QUANTITY_STALE',
            );
            return;
          }
        }
      }
      plan.push({ itemId, locationId, quantity });
    });
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };

    const at = data.now();
    const changes: Record<string, unknown>[] = [];
    for (const step of plan) {
      const level = data.level(step.itemId, step.locationId);
      if (!level) continue;
      const before = name === 'on_hand' ? onHandOf(level) : level.available;
      const delta = step.quantity - before;
      level.available += delta;
      level.updatedAt = at;
      const item = data.inventoryItems.get(step.itemId);
      const location = data.location(step.locationId);
      if (item) item.updatedAt = at;
      changes.push({
        __typename: 'InventoryChange',
        name,
        delta,
        quantityAfterChange: step.quantity,
        ledgerDocumentUri: null,
        item: item ? views.inventoryItem(item) : null,
        location: location ? views.location(location) : null,
      });
      if (name === 'available') {
        changes.push({
          __typename: 'InventoryChange',
          name: 'on_hand',
          delta,
          quantityAfterChange: onHandOf(level),
          ledgerDocumentUri: null,
          item: item ? views.inventoryItem(item) : null,
          location: location ? views.location(location) : null,
        });
      }
    }
    data.version++;
    const groupId = data.ids.take('bulkOperation') + 900_000_000_000;
    return {
      inventoryAdjustmentGroup: {
        __typename: 'InventoryAdjustmentGroup',
        id: gid('InventoryAdjustmentGroup', groupId),
        createdAt: isoTime(at),
        reason,
        referenceDocumentUri:
          typeof input.referenceDocumentUri === 'string' ? input.referenceDocumentUri : null,
        changes: (args: Args) => {
          const names = Array.isArray(args.quantityNames) ? (args.quantityNames as string[]) : null;
          return names ? changes.filter((c) => names.includes(String(c.name))) : changes;
        },
      },
      userErrors: [],
    };
  }

  return { QueryRoot: query, Mutation: mutation } as unknown as ResolverMap;
}
