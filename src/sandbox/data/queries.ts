import type { SandboxRequestContext } from '../context.js';
import { fulfillmentOrderVisible, orderVisible } from './access.js';
import { type SortSpec, sortItems } from './connection.js';
import type {
  FulfillmentOrderRecord,
  FulfillmentStatus,
  InventoryItemRecord,
  OrderRecord,
  VariantRecord,
} from './model.js';
import {
  compare,
  compileSearch,
  parseSearchQuery,
  type SearchFields,
  textEquals,
  timeMatcher,
} from './search.js';
import type { SandboxData } from './store.js';

/**
 * `fulfillment_status:` values and the displayFulfillmentStatus values they select.
 * `unshipped`: nothing shipped yet; `unfulfilled`: anything not completely shipped (incl. partial).
 */
export const FULFILLMENT_STATUS_QUERY: Record<string, readonly FulfillmentStatus[]> = {
  shipped: ['FULFILLED'],
  fulfilled: ['FULFILLED'],
  partial: ['PARTIALLY_FULFILLED'],
  unshipped: ['UNFULFILLED', 'OPEN', 'PENDING_FULFILLMENT', 'IN_PROGRESS', 'REQUEST_DECLINED'],
  unfulfilled: [
    'UNFULFILLED',
    'OPEN',
    'PENDING_FULFILLMENT',
    'IN_PROGRESS',
    'REQUEST_DECLINED',
    'PARTIALLY_FULFILLED',
    'ON_HOLD',
    'SCHEDULED',
  ],
  scheduled: ['SCHEDULED'],
  on_hold: ['ON_HOLD'],
  request_declined: ['REQUEST_DECLINED'],
  restocked: ['RESTOCKED'],
  in_progress: ['IN_PROGRESS'],
  open: ['OPEN'],
  pending_fulfillment: ['PENDING_FULFILLMENT'],
};

function idNumber(value: string, type: string): number | null {
  const v = value.startsWith('gid://') ? value.slice(`gid://shopify/${type}/`.length) : value;
  return /^\d+$/.test(v) ? Number(v) : null;
}

export const ORDER_SEARCH: SearchFields<OrderRecord> = {
  fields: {
    created_at: timeMatcher((o) => o.createdAt),
    updated_at: timeMatcher((o) => o.updatedAt),
    processed_at: timeMatcher((o) => o.processedAt),
    cancelled_at: timeMatcher((o) => o.cancelledAt),
    financial_status: (o, { value }) => {
      const v = value.toLowerCase();
      return v === 'any' || o.financialStatus.toLowerCase() === v;
    },
    fulfillment_status: (o, { value }) => {
      const v = value.toLowerCase();
      if (v === 'any') return true;
      return (FULFILLMENT_STATUS_QUERY[v] ?? []).includes(o.fulfillmentStatus);
    },
    // `return_status:return_requested|in_progress|inspection_complete|returned|return_failed|no_return`.
    return_status: (o, { value }) => (o.returnStatus ?? 'NO_RETURN').toLowerCase() === value.toLowerCase(),
    status: (o, { value }) => {
      switch (value.toLowerCase()) {
        case 'open':
          return o.closedAt === null && o.cancelledAt === null;
        case 'closed':
          return o.closedAt !== null;
        case 'cancelled':
        case 'canceled':
          return o.cancelledAt !== null;
        case 'any':
          return true;
        default:
          return false;
      }
    },
    name: (o, { value }) => {
      const v = value.startsWith('#') ? value : `#${value}`;
      return textEquals(o.name, v, false);
    },
    id: (o, { op, value }) => {
      const n = idNumber(value, 'Order');
      return n !== null && compare(o.id, op, n);
    },
    test: (o, { value }) => o.test === (value.toLowerCase() === 'true'),
    email: (o, { value }) => textEquals(o.email, value, false),
    tag: (o, { value }) => o.tags.some((t) => textEquals(t, value, false)),
    sku: (o, { value }) => o.lineItems.some((li) => textEquals(li.sku, value, true)),
    customer_id: (o, { value }) =>
      o.customer !== null && String(o.customer.id) === (idNumber(value, 'Customer') ?? -1).toString(),
    gift_card: (o, { value }) => o.lineItems.some((li) => li.isGiftCard) === (value.toLowerCase() === 'true'),
  },
  text: (o, word) => {
    const w = word.toLowerCase();
    return (
      o.name.toLowerCase() === (w.startsWith('#') ? w : `#${w}`) ||
      (o.email ?? '').toLowerCase().includes(w) ||
      (o.customer !== null && `${o.customer.firstName} ${o.customer.lastName}`.toLowerCase().includes(w))
    );
  },
};

const ORDER_SORTS: Record<string, SortSpec<OrderRecord>> = {
  ID: { value: (o) => o.id, id: (o) => o.id },
  RELEVANCE: { value: (o) => o.id, id: (o) => o.id },
  CREATED_AT: { value: (o) => o.createdAt, id: (o) => o.id },
  UPDATED_AT: { value: (o) => o.updatedAt, id: (o) => o.id },
  PROCESSED_AT: { value: (o) => o.processedAt, id: (o) => o.id },
  ORDER_NUMBER: { value: (o) => o.number, id: (o) => o.id },
  CUSTOMER_NAME: {
    value: (o) => (o.customer ? `${o.customer.lastName} ${o.customer.firstName}` : ''),
    id: (o) => o.id,
  },
  FINANCIAL_STATUS: { value: (o) => o.financialStatus, id: (o) => o.id },
  FULFILLMENT_STATUS: { value: (o) => o.fulfillmentStatus, id: (o) => o.id },
  TOTAL_ITEMS_QUANTITY: { value: (o) => o.lineItems.reduce((s, li) => s + li.quantity, 0), id: (o) => o.id },
  TOTAL_PRICE: {
    value: (o) => o.lineItems.reduce((s, li) => s + (li.unitPrice - li.unitDiscount) * li.quantity, 0),
    id: (o) => o.id,
  },
  DESTINATION: { value: (o) => o.shippingAddress?.countryCode ?? '', id: (o) => o.id },
  PO_NUMBER: { value: (o) => o.id, id: (o) => o.id },
};

export function orderSort(sortKey: unknown): SortSpec<OrderRecord> {
  return (
    ORDER_SORTS[typeof sortKey === 'string' ? sortKey : 'ID'] ?? (ORDER_SORTS.ID as SortSpec<OrderRecord>)
  );
}

interface CacheEntry {
  version: number;
  list: OrderRecord[];
}

const MAX_CACHE = 16;

/**
 * The orders a request may see that match `query`, sorted ascending by `sortKey`. Results are
 * cached per (store version, query, sort, visibility window) so paging through a large store
 * does not re-filter and re-sort for every page.
 */
export class OrderIndex {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly data: SandboxData) {}

  list(
    ctx: Pick<SandboxRequestContext, 'scopes' | 'now'>,
    query: string | null | undefined,
    sortKey: unknown,
  ): { list: OrderRecord[]; sort: SortSpec<OrderRecord> } {
    const sort = orderSort(sortKey);
    const allVisible = ctx.scopes.has('read_all_orders');
    // Visibility depends on the request clock (minute resolution is plenty for a 60-day window).
    const windowKey = allVisible ? 'all' : String(Math.floor(ctx.now.getTime() / 60_000));
    const key = `${windowKey}|${String(sortKey ?? 'ID')}|${query ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === this.data.version) return { list: hit.list, sort };
    const { test } = compileSearch(parseSearchQuery(query), ORDER_SEARCH);
    const filtered = this.data.orders.filter((o) => orderVisible(ctx, o) && test(o));
    const list = sortItems(filtered, sort);
    if (this.cache.size >= MAX_CACHE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { version: this.data.version, list });
    return { list, sort };
  }
}

export const VARIANT_SEARCH: SearchFields<VariantRecord> = {
  fields: {
    sku: (v, { value }) => textEquals(v.sku, value, true),
    id: (v, { op, value }) => {
      const n = idNumber(value, 'ProductVariant');
      return n !== null && compare(v.id, op, n);
    },
    product_id: (v, { value }) => String(v.productId) === String(idNumber(value, 'Product')),
    barcode: (v, { value }) => textEquals(v.barcode, value, true),
    title: (v, { value }) => textEquals(v.title, value, false),
    updated_at: timeMatcher((v) => v.updatedAt),
    created_at: timeMatcher((v) => v.createdAt),
  },
  text: (v, word) => (v.sku ?? '').includes(word) || v.title.toLowerCase().includes(word.toLowerCase()),
};

export const INVENTORY_ITEM_SEARCH: SearchFields<InventoryItemRecord> = {
  fields: {
    sku: (i, { value }) => textEquals(i.sku, value, true),
    id: (i, { op, value }) => {
      const n = idNumber(value, 'InventoryItem');
      return n !== null && compare(i.id, op, n);
    },
    updated_at: timeMatcher((i) => i.updatedAt),
    created_at: timeMatcher((i) => i.createdAt),
  },
  text: (i, word) => (i.sku ?? '').includes(word),
};

export const FULFILLMENT_ORDER_SEARCH: SearchFields<FulfillmentOrderRecord> = {
  fields: {
    status: (fo, { value }) => fo.status.toLowerCase() === value.toLowerCase(),
    request_status: (fo, { value }) => fo.requestStatus.toLowerCase() === value.toLowerCase(),
    assigned_location_id: (fo, { value }) =>
      String(fo.locationId) === value.replace(/^gid:\/\/shopify\/Location\//, ''),
    order_id: (fo, { value }) => String(fo.orderId) === value.replace(/^gid:\/\/shopify\/Order\//, ''),
    updated_at: timeMatcher((fo) => fo.updatedAt),
    created_at: timeMatcher((fo) => fo.createdAt),
  },
  text: () => true,
};

export function fulfillmentOrderSort(sortKey: unknown): SortSpec<FulfillmentOrderRecord> {
  if (sortKey === 'UPDATED_AT') return { value: (fo) => fo.updatedAt, id: (fo) => fo.id };
  if (sortKey === 'CREATED_AT') return { value: (fo) => fo.createdAt, id: (fo) => fo.id };
  return { value: (fo) => fo.id, id: (fo) => fo.id };
}

/**
 * The fulfillment orders `fulfillmentOrders(query:, includeClosed:)` shows this token, in store
 * order: open ones unless `includeClosed`, of orders it may read, at locations its scopes cover.
 * The paged query and the bulk root both read this list.
 */
export function visibleFulfillmentOrders(
  data: SandboxData,
  ctx: Pick<SandboxRequestContext, 'scopes' | 'now'>,
  args: { query: string | null; includeClosed: boolean },
): FulfillmentOrderRecord[] {
  const { test } = compileSearch(parseSearchQuery(args.query), FULFILLMENT_ORDER_SEARCH);
  return [...data.fulfillmentOrders.values()].filter((fo) => {
    if (!args.includeClosed && (fo.status === 'CLOSED' || fo.status === 'CANCELLED')) return false;
    const order = data.ordersById.get(fo.orderId);
    return (
      order !== undefined &&
      orderVisible(ctx, order) &&
      fulfillmentOrderVisible(ctx, data.location(fo.locationId)) &&
      test(fo)
    );
  });
}
