import { DsyncError, PartialFailureError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { createOutput } from '../../core/output.js';
import type { ReturnsImportSummary } from '../../services/returns/import.js';
import type { CommandRun } from '../define.js';
import { fleetAware, perStoreOut, requireFileOrWebhook } from '../fleet.js';
import { importOptionsFromFlags } from '../orders/import.js';

export function renderImportSummary(s: ReturnsImportSummary): string {
  const c = s.counts;
  return `${s.dryRun ? 'dry run: ' : ''}${c.read} return${c.read === 1 ? '' : 's'} read: ${c.opened} opened, ${c.updated} updated, ${c.cancelled} cancelled, ${c.closed} closed, ${c.skipped} skipped, ${c.failed} failed`;
}

/** One store's returns import. */
const importOneStore: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const parsed = importOptionsFromFlags(flags, deps.clock.now());
  const { importReturns } = await import('../../services/returns/import.js');
  const summary = await importReturns(deps, {
    since: parsed.since,
    out: parsed.out,
    webhook: parsed.webhook,
    format: parsed.format,
    dryRun: parsed.dryRun,
    note: (message) => output.warn(message),
  });
  const line = renderImportSummary(summary);
  // With the stdout sink, stdout carries the events: the summary is talk (stderr).
  if (summary.sink === 'stdout') {
    if (deps.global.json) deps.stderr.write(`${JSON.stringify({ summary })}\n`);
    else output.info(line);
  } else {
    output.result({ summary }, () => line);
  }
  if (!deps.global.json) {
    for (const failure of summary.failures) output.warn(`${failure.name}: ${failure.message}`);
    if (summary.dryRun) output.hint('dry run: nothing was sent or recorded, and the checkpoint did not move');
  }
  if (summary.stopped !== null) {
    throw new DsyncError('import_stopped', `returns import stopped: ${summary.stopped}`, ExitCode.error, {
      hint: 'nothing after the last delivered event was recorded; the next run sends the rest',
      resultPrinted: true,
    });
  }
  if (summary.failures.length > 0) {
    const n = summary.failures.length;
    throw new PartialFailureError(`${n} return${n === 1 ? '' : 's'} failed to deliver`, {
      hint: 'the next run tries them again (the checkpoint stays before them)',
      resultPrinted: true,
      details: { failed: n },
    });
  }
};

/** `dsync returns import`, for one store or with --all-stores for each. */
export const run: CommandRun = fleetAware(importOneStore, {
  check: requireFileOrWebhook,
  flagsFor: perStoreOut,
  describe: (result) => renderImportSummary((result as { summary: ReturnsImportSummary }).summary),
});
