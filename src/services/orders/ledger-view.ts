import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import type { ActivityEntry, LedgerOrder, LedgerStatus } from '../../core/ledger/ledger.js';
import { ledgerLocation } from '../../core/state/state.js';
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
  deps: Pick<Deps, 'global' | 'config' | 'state'>,
  filter: { status?: LedgerStatus; limit: number },
): Promise<OrdersListResult> {
  const shop = await selectStore(deps);
  const state = await deps.state();
  const ledger = await state.openLedgerReadonly(shop);
  if (!ledger)
    return {
      shop,
      ledger: ledgerLocation(state, shop),
      status: filter.status ?? null,
      counts: null,
      orders: [],
    };
  try {
    return {
      shop,
      ledger: ledger.location,
      status: filter.status ?? null,
      counts: await ledger.counts(),
      orders: await ledger.list(filter),
    };
  } finally {
    await ledger.close();
  }
}

/** `dsync orders show #1001`: one order's status and activity log. */
export async function showOrder(
  deps: Pick<Deps, 'global' | 'config' | 'state'>,
  ref: string,
): Promise<OrderShowResult> {
  const shop = await selectStore(deps);
  const notFound = () =>
    new UsageError(`order ${ref} is not in the ledger of ${shop}`, {
      hint: 'orders appear once `dsync import` has seen them; see `dsync orders list`',
    });
  const ledger = await (await deps.state()).openLedgerReadonly(shop);
  if (!ledger) throw notFound();
  try {
    const order = await ledger.find(ref);
    if (!order) throw notFound();
    return { shop, order, activity: await ledger.activity(order.orderId) };
  } finally {
    await ledger.close();
  }
}
