import { z } from 'zod';
import type { CrashHook } from '../../core/crash-points.js';
import type { Deps } from '../../core/deps.js';
import type { Ledger, ReturnRef } from '../../core/ledger/ledger.js';
import { type DisposeData, DisposeReturnItems } from '../../shopify/operations/returns.js';
import type { AdminClient } from '../../shopify/types.js';
import { parseRows, type RowError, rowFields, rowsForStore } from '../files/rows.js';
import { withReturnsContext } from './context.js';
import { returnDocument } from './lifecycle.js';
import {
  DISPOSITIONS,
  type Disposition,
  dispositionType,
  planReceipt,
  type ReceiptRequest,
  receiptKey,
  withDisposed,
} from './receive-plan.js';
import { findReturn, readReturn } from './read.js';
import { type ReturnDocument, returnRefOf } from './return-document.js';

/** The received-returns file: `return,sku,quantity,disposition` (SPEC.md, "Files"). */
export const RECEIPT_COLUMNS = ['return', 'sku', 'quantity', 'disposition'] as const;

interface ReceiptRowValue {
  store?: string;
  return: string;
  sku: string;
  quantity: number;
  disposition: Disposition;
}

export const receiptRowSchema = z
  .object({
    store: rowFields.text(255).optional(),
    return: rowFields
      .text(100)
      .refine(
        (s) => /^#?[^\s]+-R\d+$/i.test(s) || /^gid:\/\/shopify\/Return\/\d+$/.test(s) || /^\d+$/.test(s),
        'must be a return name (#1001-R1) or id',
      ),
    sku: rowFields.text(255),
    quantity: rowFields.count(1),
    disposition: z
      .string()
      .transform((s) => s.toLowerCase())
      .refine((s): s is Disposition => (DISPOSITIONS as readonly string[]).includes(s), {
        message: `must be one of ${DISPOSITIONS.join(', ')}`,
      }),
  })
  .strict() as unknown as z.ZodType<ReceiptRowValue>;

export const RECEIPT_SPEC = {
  columns: RECEIPT_COLUMNS,
  required: RECEIPT_COLUMNS,
  schema: receiptRowSchema,
};

export type ReceiptStatus = 'disposed' | 'planned' | 'already_applied' | 'failed';

export interface ReceiptResult {
  line: number;
  return: string;
  returnId: string | null;
  sku: string;
  quantity: number;
  disposition: Disposition;
  status: ReceiptStatus;
  message: string | null;
}

export interface ReceiveOptions {
  file: string;
  bytes: Uint8Array;
  dryRun: boolean;
  onResult?: (result: ReceiptResult) => void;
}

export interface ReceiveSummary {
  shop: string;
  file: string;
  format: 'csv' | 'jsonl';
  dryRun: boolean;
  locationId: string;
  counts: {
    rows: number;
    disposed: number;
    planned: number;
    alreadyApplied: number;
    failed: number;
    rowErrors: number;
  };
  results: ReceiptResult[];
  rowErrors: RowError[];
}

/** What is known of a return named in the file: read once, kept up to date as rows dispose. */
interface Known {
  document: ReturnDocument | undefined;
  /** Set when a disposition's outcome is unknown and the return could not be read again. */
  blocked: string | null;
}

/**
 * `dsync returns receive`: for each row, in file order, read → decide → record the intent →
 * dispose → record the outcome. Rows are independent: a refused row changes nothing.
 */
export async function receiveFile(deps: Deps, options: ReceiveOptions): Promise<ReceiveSummary> {
  const parsed = parseRows(options.file, options.bytes, RECEIPT_SPEC);
  return withReturnsContext(
    deps,
    {
      scopes: ['read_returns', 'write_returns'],
      ledger: options.dryRun ? 'read' : 'write',
      command: 'returns receive',
    },
    async ({ store, locationId, ledger }) => {
      const forStore = rowsForStore(options.file, parsed.rows, store.shop, 'receives');
      const rowErrors: RowError[] = [...parsed.errors, ...forStore.errors];
      const results: ReceiptResult[] = [];
      const known = new Map<string, Known>();
      const occurrences = new Map<string, number>();

      const load = async (ref: string): Promise<Known> => {
        const cached = known.get(ref);
        if (cached) return cached;
        const recorded = await ledger?.findReturn(ref);
        const found = await findReturn(store.client, ref, recorded?.returnId, deps.signal);
        const entry: Known = {
          document: found ? returnDocument(found.raw, found.order, store.shop, locationId) : undefined,
          blocked: null,
        };
        known.set(ref, entry);
        if (entry.document) known.set(entry.document.id, entry);
        return entry;
      };

      for (const row of forStore.rows) {
        const request: ReceiptRequest = {
          line: row.line,
          returnRef: row.value.return,
          sku: row.value.sku,
          quantity: row.value.quantity,
          disposition: row.value.disposition,
        };
        const entry = await load(request.returnRef);
        const document = entry.document;
        const base = {
          line: row.line,
          return: document?.name ?? request.returnRef,
          returnId: document?.id ?? null,
          sku: request.sku,
          quantity: request.quantity,
          disposition: request.disposition,
        };
        const finish = (result: ReceiptResult) => {
          results.push(result);
          options.onResult?.(result);
          if (result.status === 'failed')
            rowErrors.push({
              file: options.file,
              line: row.line,
              field: result.message?.startsWith('SKU') ? 'sku' : null,
              message: result.message ?? 'failed',
            });
        };
        if (entry.blocked) {
          finish({ ...base, status: 'failed', message: entry.blocked });
          continue;
        }
        let key: string | null = null;
        if (document) {
          const identity = receiptKey(document.id, request, 0);
          const n = occurrences.get(identity) ?? 0;
          occurrences.set(identity, n + 1);
          key = receiptKey(document.id, request, n);
        }
        const recorded = key ? await ledger?.receipt(key) : undefined;
        const decision = planReceipt(request, document, recorded, locationId);
        if (decision.kind === 'refused') {
          rowErrors.push({
            file: options.file,
            line: row.line,
            field: decision.field,
            message: decision.message,
          });
          results.push({ ...base, status: 'failed', message: decision.message });
          options.onResult?.(results[results.length - 1] as ReceiptResult);
          continue;
        }
        const ref = document ? returnRefOf(document) : undefined;
        if (decision.kind === 'already_applied') {
          if (decision.source === 'store' && key && ref && !options.dryRun)
            await ledger?.recordReceiptApplied(
              ref,
              key,
              `${describe(request)} (found in the store)`,
              deps.clock.now(),
            );
          finish({
            ...base,
            status: 'already_applied',
            message:
              decision.source === 'ledger'
                ? 'already received (recorded in the ledger)'
                : 'already received (the return has these dispositions)',
          });
          continue;
        }
        if (!document || !key || !ref) continue;
        if (options.dryRun) {
          entry.document = withDisposed(document, decision.inputs, request.disposition);
          finish({ ...base, status: 'planned', message: null });
          continue;
        }
        const outcome = await dispose(store.client, ledger, {
          ref,
          key,
          request,
          inputs: decision.inputs,
          baseline: decision.baseline,
          locationId,
          now: () => deps.clock.now(),
          signal: deps.signal,
          crashAt: deps.crashAt,
        });
        if (outcome.kind === 'disposed') {
          entry.document = withDisposed(document, decision.inputs, request.disposition);
          finish({ ...base, status: 'disposed', message: null });
        } else if (outcome.kind === 'refused') {
          finish({ ...base, status: 'failed', message: outcome.message });
        } else {
          // The answer was lost: read the return again to learn whether the units were disposed.
          let again: ReturnDocument | undefined;
          try {
            const found = await readReturn(store.client, document.id, deps.signal);
            again = found ? returnDocument(found.raw, found.order, store.shop, locationId) : undefined;
          } catch {
            again = undefined;
          }
          if (
            again &&
            planReceipt(request, again, await ledger?.receipt(key), locationId).kind === 'already_applied'
          ) {
            await ledger?.recordReceiptApplied(
              ref,
              key,
              `${describe(request)} (found in the store)`,
              deps.clock.now(),
            );
            entry.document = again;
            finish({ ...base, status: 'disposed', message: null });
            continue;
          }
          await ledger?.recordReceiptFailed(ref, key, outcome.message, deps.clock.now());
          if (again) entry.document = again;
          else
            entry.blocked = `not attempted: the outcome of line ${row.line} on ${document.name} is unknown; run the file again`;
          finish({ ...base, status: 'failed', message: outcome.message });
        }
      }

      rowErrors.sort((a, b) => a.line - b.line);
      results.sort((a, b) => a.line - b.line);
      const count = (status: ReceiptStatus) => results.filter((r) => r.status === status).length;
      return {
        shop: store.shop,
        file: options.file,
        format: parsed.format,
        dryRun: options.dryRun,
        locationId,
        counts: {
          rows: parsed.rows.length + parsed.errors.length,
          disposed: count('disposed'),
          planned: count('planned'),
          alreadyApplied: count('already_applied'),
          failed: count('failed'),
          rowErrors: rowErrors.length,
        },
        results,
        rowErrors,
      };
    },
  );
}

function describe(request: ReceiptRequest): string {
  return `${request.sku} × ${request.quantity} ${request.disposition.replace(/_/g, ' ')}`;
}

type DisposeOutcome =
  | { kind: 'disposed' }
  | { kind: 'refused'; message: string }
  | { kind: 'unknown'; message: string };

/** Records the intent, disposes, records the outcome (a lost answer is left for the caller to check). */
async function dispose(
  client: AdminClient,
  ledger: Ledger | null,
  work: {
    ref: ReturnRef;
    key: string;
    request: ReceiptRequest;
    inputs: { reverseFulfillmentOrderLineItemId: string; quantity: number }[];
    baseline: number;
    locationId: string;
    now: () => Date;
    signal: AbortSignal;
    crashAt?: CrashHook;
  },
): Promise<DisposeOutcome> {
  const { ref, key, request } = work;
  await ledger?.recordReceiptIntent(
    ref,
    {
      key,
      sku: request.sku,
      quantity: request.quantity,
      disposition: request.disposition,
      baseline: work.baseline,
    },
    work.now(),
  );
  let payload: DisposeData['reverseFulfillmentOrderDispose'];
  try {
    const { data } = await client.request(
      DisposeReturnItems,
      {
        inputs: work.inputs.map((i) => ({
          ...i,
          locationId: work.locationId,
          dispositionType: dispositionType(request.disposition),
        })),
      },
      { signal: work.signal },
    );
    payload = data.reverseFulfillmentOrderDispose;
  } catch (error) {
    if (work.signal.aborted) throw error;
    return { kind: 'unknown', message: `disposing on ${ref.name}: ${(error as Error).message}` };
  }
  const errors = payload?.userErrors ?? [];
  if (!payload || errors.length > 0) {
    const message = `Shopify refused the disposition on ${ref.name}: ${errors.map((e) => e.message).join('; ') || 'no answer'}`;
    await ledger?.recordReceiptFailed(ref, key, message, work.now());
    return { kind: 'refused', message };
  }
  work.crashAt?.('returns.disposed');
  await ledger?.recordReceiptApplied(ref, key, describe(request), work.now());
  return { kind: 'disposed' };
}
