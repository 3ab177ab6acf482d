import { existsSync } from 'node:fs';
import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import {
  type LedgerReceipt,
  type LedgerReturn,
  ledgerPath,
  openLedger,
  type ReturnActivityEntry,
} from '../../core/ledger/ledger.js';
import { selectStore } from '../../core/store-selection.js';

export interface ReturnShowResult {
  shop: string;
  return: LedgerReturn;
  activity: ReturnActivityEntry[];
  received: LedgerReceipt[];
}

/** `dsync returns show #1001-R1`: one return's life in the ledger (events, rows received). */
export async function showReturn(
  deps: Pick<Deps, 'global' | 'config' | 'configDir' | 'credentialsDir'>,
  ref: string,
): Promise<ReturnShowResult> {
  const shop = await selectStore(deps);
  const path = ledgerPath(deps.configDir, shop);
  const notFound = () =>
    new UsageError(`return ${ref} is not in the ledger of ${shop}`, {
      hint: 'returns appear once `dsync returns import` or `dsync returns receive` has seen them',
    });
  if (!existsSync(path)) throw notFound();
  // Writable: a ledger from before returns gets its returns tables.
  const ledger = await openLedger(path);
  try {
    const found = ledger.findReturn(ref);
    if (!found) throw notFound();
    return {
      shop,
      return: found,
      activity: ledger.returnActivity(found.returnId),
      received: ledger.receiptsOf(found.returnId),
    };
  } finally {
    ledger.close();
  }
}
