import type { LedgerReceipt } from '../../core/ledger/ledger.js';
import type { ReturnDocument } from './return-document.js';

/**
 * What one row of a received-returns file comes to, as a pure decision:
 *
 *   (the row, the return now, what the ledger recorded for the row) → dispose, done, or refused.
 *
 * A row is recognised by its return, SKU, disposition, quantity and how many identical rows came
 * before it in the file (receiptKey), so the same file run twice disposes nothing more. A row
 * whose intent was recorded but whose outcome was not (a network failure mid-mutation) is
 * checked against the store: if the return holds at least `baseline + quantity` units with that
 * disposition, it went through.
 */

export const DISPOSITIONS = ['restocked', 'not_restocked', 'processing_required', 'missing'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export function dispositionType(
  disposition: Disposition,
): ReturnDocument['lines'][number]['dispositions'][number]['type'] {
  return disposition.toUpperCase() as 'RESTOCKED' | 'NOT_RESTOCKED' | 'PROCESSING_REQUIRED' | 'MISSING';
}

export interface ReceiptRequest {
  line: number;
  /** The return as the file names it (`#1001-R1` or a gid). */
  returnRef: string;
  sku: string;
  quantity: number;
  disposition: Disposition;
}

export function receiptKey(
  returnId: string,
  request: Pick<ReceiptRequest, 'sku' | 'disposition' | 'quantity'>,
  occurrence: number,
): string {
  return `${returnId}|${request.sku}|${request.disposition}|${request.quantity}|${occurrence}`;
}

export type ReceiptDecision =
  | {
      kind: 'dispose';
      /** Units per reverse fulfillment order line item. */
      inputs: { reverseFulfillmentOrderLineItemId: string; quantity: number }[];
      /** Units of the SKU the return holds with this disposition before this row. */
      baseline: number;
    }
  | { kind: 'already_applied'; source: 'ledger' | 'store' }
  | { kind: 'refused'; field: 'return' | 'sku' | 'quantity'; message: string };

const STATUS_WORDS: Record<string, string> = {
  REQUESTED: 'requested and not approved yet',
  CLOSED: 'closed',
  CANCELED: 'cancelled',
  DECLINED: 'declined',
};

export function planReceipt(
  request: ReceiptRequest,
  ret: ReturnDocument | undefined,
  recorded: LedgerReceipt | undefined,
  location: string,
): ReceiptDecision {
  if (recorded?.state === 'applied') return { kind: 'already_applied', source: 'ledger' };
  if (!ret) return { kind: 'refused', field: 'return', message: `return ${request.returnRef} was not found` };
  const lines = ret.lines.filter((l) => l.sku === request.sku);
  if (lines.length === 0) {
    return {
      kind: 'refused',
      field: 'sku',
      message: `SKU ${request.sku} is not on return ${ret.name} (of what comes back to ${location})`,
    };
  }
  const type = dispositionType(request.disposition);
  const withType = lines.reduce(
    (sum, l) => sum + l.dispositions.filter((d) => d.type === type).reduce((s, d) => s + d.quantity, 0),
    0,
  );
  if (recorded && withType >= recorded.baseline + request.quantity)
    return { kind: 'already_applied', source: 'store' };
  if (ret.status !== 'OPEN') {
    return {
      kind: 'refused',
      field: 'return',
      message: `return ${ret.name} is ${STATUS_WORDS[ret.status] ?? ret.status.toLowerCase()}: nothing can be received on it`,
    };
  }
  const open = lines
    .map((l) => ({
      id: l.reverseFulfillmentOrderLineItemId,
      left: l.quantity - l.dispositions.reduce((s, d) => s + d.quantity, 0),
    }))
    .filter((l): l is { id: string; left: number } => l.id !== null && l.left > 0);
  const left = open.reduce((sum, l) => sum + l.left, 0);
  const returned = lines.reduce((sum, l) => sum + l.quantity, 0);
  if (request.quantity > left) {
    return {
      kind: 'refused',
      field: 'quantity',
      message: `${request.quantity} of ${request.sku} is more than the ${left} left to receive on ${ret.name} (${returned} returned, ${returned - left} already received)`,
    };
  }
  const inputs: { reverseFulfillmentOrderLineItemId: string; quantity: number }[] = [];
  let wanted = request.quantity;
  for (const l of open) {
    if (wanted === 0) break;
    const take = Math.min(wanted, l.left);
    inputs.push({ reverseFulfillmentOrderLineItemId: l.id, quantity: take });
    wanted -= take;
  }
  return { kind: 'dispose', inputs, baseline: withType };
}

/** The return after a disposition (for the rows that follow in the same file, and dry runs). */
export function withDisposed(
  ret: ReturnDocument,
  inputs: { reverseFulfillmentOrderLineItemId: string; quantity: number }[],
  disposition: Disposition,
): ReturnDocument {
  const type = dispositionType(disposition);
  return {
    ...ret,
    lines: ret.lines.map((line) => {
      const added = inputs
        .filter((i) => i.reverseFulfillmentOrderLineItemId === line.reverseFulfillmentOrderLineItemId)
        .reduce((s, i) => s + i.quantity, 0);
      if (added === 0) return line;
      const existing = line.dispositions.find((d) => d.type === type);
      return {
        ...line,
        dispositions: existing
          ? line.dispositions.map((d) => (d.type === type ? { ...d, quantity: d.quantity + added } : d))
          : [...line.dispositions, { type, quantity: added }],
      };
    }),
  };
}
