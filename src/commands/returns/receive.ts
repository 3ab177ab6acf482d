import { PartialFailureError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import type { ReceiptResult, ReceiveOptions, ReceiveSummary } from '../../services/returns/receive.js';
import type { CommandRun } from '../define.js';
import { type FileCommandRun, type InputFile, storeColumnAware } from '../store-column.js';

/** Flags and the file (read by the caller, so a missing one is a usage error) → ReceiveOptions. */
export function receiveOptions(flags: Record<string, unknown>, { file, bytes }: InputFile): ReceiveOptions {
  return { file, bytes, dryRun: flags.dryRun === true };
}

/** One line per row: `line 2  #1001-R1  TEE-BLK-M × 1 restocked  disposed`. */
export function renderReceipt(r: ReceiptResult): string {
  const what = `${r.sku} × ${r.quantity} ${r.disposition.replace(/_/g, ' ')}`;
  const status = r.status.replace('_', ' ');
  return `line ${String(r.line).padEnd(4)} ${r.return.padEnd(12)} ${what.padEnd(36)} ${status}${r.status === 'failed' && r.message ? `: ${r.message}` : ''}`.trimEnd();
}

export function renderReceiveSummary(s: ReceiveSummary): string {
  const c = s.counts;
  const done = s.dryRun ? `${c.planned} to dispose` : `${c.disposed} disposed`;
  return `${s.dryRun ? 'dry run: ' : ''}${c.rows} row${c.rows === 1 ? '' : 's'}: ${done}, ${c.alreadyApplied} already received, ${c.failed} failed, ${c.rowErrors} row error${c.rowErrors === 1 ? '' : 's'}`;
}

/** One store's received returns (the whole command when the file has no store column). */
const receiveOneStore: FileCommandRun = async (deps, flags, input) => {
  const output = createOutput(deps);
  const options = receiveOptions(flags, input);
  const { receiveFile } = await import('../../services/returns/receive.js');
  const { formatRowError } = await import('../../services/files/rows.js');
  const summary = await receiveFile(deps, options);
  output.result(summary, () =>
    [...summary.results.map(renderReceipt), renderReceiveSummary(summary)].join('\n'),
  );
  if (!deps.global.json) {
    for (const error of summary.rowErrors) output.warn(formatRowError(error));
    if (summary.dryRun) output.hint('dry run: nothing was disposed or recorded');
  }
  const bad = summary.rowErrors.length;
  if (bad > 0) {
    throw new PartialFailureError(`${bad} row${bad === 1 ? '' : 's'} failed`, {
      hint: 'fix the rows named above and run the same file again: nothing is disposed twice',
      resultPrinted: true,
      details: { failed: summary.counts.failed, rowErrors: bad },
    });
  }
};

/** `dsync returns receive`: once, or once per store named in the file's store column. */
export const run: CommandRun = storeColumnAware(
  receiveOneStore,
  { describe: (result) => renderReceiveSummary(result as ReceiveSummary) },
  { example: 'dsync returns receive --file received.csv', what: 'a .csv or .jsonl file of received returns' },
);
