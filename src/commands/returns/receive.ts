import { PartialFailureError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import type { ReceiptResult, ReceiveOptions, ReceiveSummary } from '../../services/returns/receive.js';
import type { CommandRun } from '../define.js';
import { readInputFile } from '../input-file.js';

/** Flags → ReceiveOptions: the file is read here, so a missing or unreadable one is a usage error. */
export async function receiveOptionsFromFlags(flags: Record<string, unknown>): Promise<ReceiveOptions> {
  const { file, bytes } = await readInputFile(flags, {
    example: 'dsync returns receive --file received.csv',
    what: 'a .csv or .jsonl file of received returns',
  });
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

export const run: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const options = await receiveOptionsFromFlags(flags);
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
