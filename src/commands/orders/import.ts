import { DsyncError, PartialFailureError, UsageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { createOutput } from '../../core/output.js';
import { type ImportOptions, importOrders } from '../../services/import/index.js';
import { renderSummaryLine } from '../../services/import/summary.js';
import type { OutputFormat } from '../../services/import/sinks.js';
import { parseIso, parseSince } from '../../services/import/window.js';
import type { CommandRun } from '../define.js';
import { terminalProgress } from './progress.js';

/** Flags → ImportOptions; every unreadable flag is a usage error naming it. */
export function importOptionsFromFlags(flags: Record<string, unknown>, now: Date): ImportOptions {
  const sinceText = String(flags.since ?? 'last');
  const since = parseSince(sinceText, now);
  if (!since) {
    throw new UsageError(`--since ${JSON.stringify(sinceText)} is not a window`, {
      hint: 'use last, 30m, 2h, 7d or an ISO date such as 2026-01-31T08:00:00Z',
    });
  }
  let until: Date | undefined;
  if (flags.until !== undefined) {
    until = parseIso(String(flags.until));
    if (!until)
      throw new UsageError(`--until ${JSON.stringify(flags.until)} is not an ISO date`, {
        hint: 'e.g. --until 2026-01-31T08:00:00Z',
      });
  }
  const webhook = flags.webhook === undefined ? undefined : String(flags.webhook);
  if (webhook !== undefined) {
    let url: URL;
    try {
      url = new URL(webhook);
    } catch {
      throw new UsageError(`--webhook ${JSON.stringify(webhook)} is not a URL`, {
        hint: 'e.g. --webhook https://wms.example/hooks/orders',
      });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UsageError('--webhook must be an http(s) URL', {
        hint: 'e.g. --webhook https://wms.example/hooks/orders',
      });
    }
  }
  const out = flags.out === undefined ? undefined : String(flags.out);
  if (out !== undefined && webhook !== undefined) {
    throw new UsageError('--out and --webhook cannot be used together', { hint: 'pick one sink per run' });
  }
  const format = String(flags.format ?? 'jsonl') as OutputFormat;
  return {
    since,
    until,
    out,
    webhook,
    format,
    dryRun: flags.dryRun === true,
    bulk: flags.bulk === true ? true : flags.bulk === false ? false : undefined,
  };
}

export const run: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const options = importOptionsFromFlags(flags, deps.clock.now());
  const progress = terminalProgress(deps.stderr, () => deps.clock.now().getTime());
  options.onProgress = progress.update;
  options.note = (message) => {
    progress.clear();
    output.warn(message);
  };
  let result: Awaited<ReturnType<typeof importOrders>>;
  try {
    result = await importOrders(deps, options);
  } finally {
    progress.clear();
  }
  const { summary } = result;
  const line = renderSummaryLine(summary);
  // With the stdout sink, stdout carries the events: the summary is talk (stderr).
  if (result.sink === 'stdout') {
    if (deps.global.json) deps.stderr.write(`${JSON.stringify({ summary })}\n`);
    else output.info(line);
  } else {
    output.result({ summary, sink: result.sink, ledger: result.ledger }, () => line);
  }
  if (!deps.global.json) {
    for (const error of summary.errors.slice(0, 20)) output.warn(`${error.name}: ${error.message}`);
    if (summary.errors.length > 20)
      output.warn(`…and ${summary.errors.length - 20} more (see \`dsync orders list --status error\`)`);
    if (summary.dryRun) output.hint('dry run: nothing was sent or recorded, and the checkpoint did not move');
  }
  if (summary.errors.length > 0) {
    const delivered = summary.created + summary.updated + summary.cancelled;
    const message = `${summary.errors.length} order${summary.errors.length === 1 ? '' : 's'} failed${delivered > 0 ? `; ${delivered} delivered` : ''}`;
    const hint = 'see `dsync orders list --status error`; failed orders are retried on the next run';
    if (delivered > 0 || summary.skippedTotal > 0 || summary.unchanged > 0) {
      throw new PartialFailureError(message, {
        hint,
        resultPrinted: true,
        details: { errors: summary.errors.length },
      });
    }
    throw new DsyncError('import_failed', message, ExitCode.error, { hint, resultPrinted: true });
  }
};
