import { PartialFailureError } from '../../core/errors.js';
import { createOutput, type Output } from '../../core/output.js';
import { renderTable } from '../../core/table.js';
import { formatRowError } from '../../services/files/rows.js';
import { type PushOptions, type PushSummary, pushStock } from '../../services/inventory/push.js';
import type { CommandRun } from '../define.js';
import { type FileCommandRun, type InputFile, storeColumnAware } from '../store-column.js';

/** Flags and the file (read by the caller, so a missing one is a usage error) → PushOptions. */
export function pushOptions(flags: Record<string, unknown>, { file, bytes }: InputFile): PushOptions {
  return { file, bytes, dryRun: flags.dryRun === true };
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The diff as a table (stdout), then warnings and row problems (stderr). */
export function renderPush(summary: PushSummary, out: Output): void {
  if (summary.diff.length > 0) {
    out.print(
      renderTable(
        [
          { header: 'SKU', value: (d) => d.sku },
          { header: 'CURRENT', value: (d) => String(d.current), align: 'right' },
          { header: 'NEW', value: (d) => String(d.new), align: 'right' },
          { header: 'DELTA', value: (d) => signed(d.delta), align: 'right' },
          { header: 'LINE', value: (d) => String(d.line), align: 'right' },
          ...(summary.dryRun ? [] : [{ header: 'STATUS', value: (d: { status: string }) => d.status }]),
        ],
        summary.diff,
        (s) => out.paint.bold(s),
      ),
    );
  }
  for (const d of summary.duplicates) {
    out.warn(
      `${summary.file}:${d.line}: ${d.sku} is shared by ${d.variants.length} variants at ${summary.location.name}: ${d.variants
        .map((v) => `${v.displayName} (${v.id || v.itemId})`)
        .join(', ')}; skipped (set every one with \`dsync config set include-duplicate-skus true\`)`,
    );
  }
  for (const d of summary.diff) {
    if (d.readBefore !== undefined)
      out.warn(
        `${summary.file}:${d.line}: ${d.sku} changed in Shopify from ${d.readBefore} to ${d.current} while the push ran; set to ${d.new} to keep that change`,
      );
  }
  for (const problem of summary.problems) out.warn(formatRowError(problem));
  out.info(pushSummaryLine(summary));
  if (summary.dryRun) out.hint('dry run: nothing was sent');
}

/** `4 rows, 2 changed, 2 unchanged at Shop location (…)`. */
export function pushSummaryLine(summary: PushSummary): string {
  const parts = [
    `${summary.rows} row${summary.rows === 1 ? '' : 's'}`,
    `${summary.changed} ${summary.dryRun ? 'to change' : 'changed'}`,
    `${summary.unchanged} unchanged`,
    ...(summary.failed > 0 ? [`${summary.failed} failed`] : []),
    ...(summary.skippedDuplicates > 0 ? [`${summary.skippedDuplicates} shared SKUs skipped`] : []),
    ...(summary.retried > 0 ? [`${summary.retried} re-read after a change in Shopify`] : []),
  ];
  return `${parts.join(', ')} at ${summary.location.name} (${summary.requests.reads} reads, ${summary.requests.writes} writes; run ${summary.runId})`;
}

/** One store's stock push (the whole command when the file has no store column). */
const pushOneStore: FileCommandRun = async (deps, flags, input) => {
  const out = createOutput(deps);
  const options = pushOptions(flags, input);
  const summary = await pushStock(deps, options);
  if (out.json) out.result(summary, () => '');
  else renderPush(summary, out);
  if (summary.failed > 0) {
    throw new PartialFailureError(
      `${summary.failed} row${summary.failed === 1 ? '' : 's'} failed; ${summary.changed} ${summary.dryRun ? 'would change' : 'changed'}`,
      {
        hint: 'fix the rows named above and push the file again: rows already at their quantity are not sent again',
        resultPrinted: true,
        details: { failed: summary.failed },
      },
    );
  }
};

/** `dsync inventory push`: once, or once per store named in the file's store column. */
export const run: CommandRun = storeColumnAware(
  pushOneStore,
  { describe: (result) => pushSummaryLine(result as PushSummary) },
  { example: 'dsync inventory push --file stock.csv', what: 'a CSV (sku,quantity) or JSON lines stock file' },
);
