import { existsSync } from 'node:fs';
import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import {
  type ActivityEntry,
  type LedgerOrder,
  type LedgerStatus,
  ledgerPath,
  openLedger,
} from '../../core/ledger/ledger.js';
import { selectStore } from '../../core/store-selection.js';

export interface OrdersListResult {
  shop: string;
  ledger: string;
  status: LedgerStatus | null;
  counts: Record<LedgerStatus, number> | null;
  orders: LedgerOrder[];
}

export interface OrderShowResult {
  shop: string;
  order: LedgerOrder;
  activity: ActivityEntry[];
}

/** `dsync orders list`: the ledger's orders, newest change first. No ledger yet: an empty list. */
export async function listOrders(
  deps: Pick<Deps, 'global' | 'config' | 'configDir' | 'credentialsDir'>,
  filter: { status?: LedgerStatus; limit: number },
): Promise<OrdersListResult> {
  const shop = await selectStore(deps);
  const path = ledgerPath(deps.configDir, shop);
  if (!existsSync(path))
    return { shop, ledger: path, status: filter.status ?? null, counts: null, orders: [] };
  const ledger = await openLedger(path, { readonly: true });
  try {
    return {
      shop,
      ledger: path,
      status: filter.status ?? null,
      counts: ledger.counts(),
      orders: ledger.list(filter),
    };
  } finally {
    ledger.close();
  }
}

/** `dsync orders show #1001`: one order's status and activity log. */
export async function showOrder(
  deps: Pick<Deps, 'global' | 'config' | 'configDir' | 'credentialsDir'>,
  ref: string,
): Promise<OrderShowResult> {
  const shop = await selectStore(deps);
  const path = ledgerPath(deps.configDir, shop);
  const notFound = () =>
    new UsageError(`order ${ref} is not in the ledger of ${shop}`, {
      hint: 'orders appear once `dsync import` has seen them; see `dsync orders list`',
    });
  if (!existsSync(path)) throw notFound();
  const ledger = await openLedger(path, { readonly: true });
  try {
    const order = ledger.find(ref);
    if (!order) throw notFound();
    return { shop, order, activity: ledger.activity(order.orderId) };
  } finally {
    ledger.close();
  }
}
