import type { Deps } from '../../core/deps.js';
import { withReturnsContext } from './context.js';
import { returnDocument } from './lifecycle.js';
import { readReturnsOf } from './read.js';
import type { ReturnDocument } from './return-document.js';

export type ReturnsListStatus = 'open' | 'closed' | 'all';

/**
 * Shopify's order return statuses for each filter: the orders whose returns may be in it. An
 * order's return status sums up all its returns, so the filter is a superset; each return's own
 * status decides.
 */
const ORDER_RETURN_STATUSES: Record<ReturnsListStatus, string[]> = {
  open: ['return_requested', 'in_progress', 'inspection_complete'],
  closed: ['in_progress', 'returned', 'inspection_complete', 'return_failed'],
  all: ['return_requested', 'in_progress', 'returned', 'inspection_complete', 'return_failed'],
};

const RETURN_STATUSES: Record<ReturnsListStatus, readonly string[]> = {
  open: ['REQUESTED', 'OPEN'],
  closed: ['CLOSED'],
  all: ['REQUESTED', 'OPEN', 'CLOSED', 'CANCELED', 'DECLINED'],
};

/** `(return_status:a OR return_status:b)`: Shopify's search for orders with returns in these states. */
export function returnStatusFilter(statuses: readonly string[]): string {
  const terms = statuses.map((s) => `return_status:${s}`);
  return terms.length === 1 ? (terms[0] as string) : `(${terms.join(' OR ')})`;
}

export interface ReturnsListResult {
  shop: string;
  locationId: string;
  status: ReturnsListStatus;
  returns: ReturnDocument[];
}

/** `dsync returns list`: the returns coming back (or that came back) to the fulfillment location. */
export async function listReturns(
  deps: Deps,
  options: { status: ReturnsListStatus },
): Promise<ReturnsListResult> {
  return withReturnsContext(
    deps,
    { scopes: ['read_returns'], ledger: 'none', command: 'returns list' },
    async ({ store, locationId }) => {
      const returns: ReturnDocument[] = [];
      const query = returnStatusFilter(ORDER_RETURN_STATUSES[options.status]);
      const wanted = RETURN_STATUSES[options.status];
      for await (const found of readReturnsOf(store.client, query, deps.signal)) {
        const document = returnDocument(found.raw, found.order, store.shop, locationId);
        if (document.lines.length > 0 && wanted.includes(document.status)) returns.push(document);
      }
      return { shop: store.shop, locationId, status: options.status, returns };
    },
  );
}
