import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import type { LedgerReceipt, LedgerReturn, ReturnActivityEntry } from '../../core/ledger/ledger.js';
import { openExistingLedger } from '../../core/state/state.js';
import { selectStore } from '../../core/store-selection.js';

export interface ReturnShowResult {
  shop: string;
  return: LedgerReturn;
  activity: ReturnActivityEntry[];
  received: LedgerReceipt[];
}

/** `dsync returns show #1001-R1`: one return's life in the ledger (events, rows received). */
export async function showReturn(
  deps: Pick<Deps, 'global' | 'config' | 'state'>,
  ref: string,
): Promise<ReturnShowResult> {
  const shop = await selectStore(deps);
  const notFound = () =>
    new UsageError(`return ${ref} is not in the ledger of ${shop}`, {
      hint: 'returns appear once `dsync returns import` or `dsync returns receive` has seen them',
    });
  // Writable: a ledger from before returns gets its returns tables.
  const ledger = await openExistingLedger(await deps.state(), shop);
  if (!ledger) throw notFound();
  try {
    const found = await ledger.findReturn(ref);
    if (!found) throw notFound();
    return {
      shop,
      return: found,
      activity: await ledger.returnActivity(found.returnId),
      received: await ledger.receiptsOf(found.returnId),
    };
  } finally {
    await ledger.close();
  }
}
