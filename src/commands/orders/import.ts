import { DsyncError, PartialFailureError, UsageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { parseDuration } from '../../core/time-text.js';
import { parseWebhookUrl } from '../../core/webhook-url.js';
import { createOutput } from '../../core/output.js';
import { type ImportOptions, importOrders } from '../../services/import/index.js';
import { deliveredCount } from '../../services/import/run.js';
import { renderSummaryLine } from '../../services/import/summary.js';
import type { OutputFormat } from '../../services/import/sinks.js';
import { parseSince, parseUntil, type SinceOption } from '../../services/import/window.js';
import type { CommandRun } from '../define.js';
import { fleetAware, perStoreOut, requireFileOrWebhook } from '../fleet.js';
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
  const untilText = flags.until === undefined ? undefined : String(flags.until);
  if (untilText !== undefined) {
    until = parseUntil(untilText, now);
    if (!until)
      throw new UsageError(`--until ${JSON.stringify(untilText)} is not a time`, {
        hint: 'use 30m, 2h, 7d (that long ago) or an ISO date such as 2026-01-31T08:00:00Z',
      });
  }
  checkWindow(since, sinceText, until, untilText, now);
  if (flags.bulkAndNoBulk === true) {
    throw new UsageError('--bulk and --no-bulk cannot be used together', {
      hint: '--bulk always reads with a bulk operation, --no-bulk never does; give neither to let dsync choose by the number of orders',
    });
  }
  let bulkTimeoutMs: number | undefined;
  if (flags.bulkTimeout !== undefined) {
    bulkTimeoutMs = parseDuration(String(flags.bulkTimeout));
    if (bulkTimeoutMs === undefined)
      throw new UsageError(`--bulk-timeout ${JSON.stringify(String(flags.bulkTimeout))} is not a duration`, {
        hint: 'use 90s, 20m or 2h',
      });
  }
  const webhook = flags.webhook === undefined ? undefined : parseWebhookUrl(String(flags.webhook));
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
    ...(bulkTimeoutMs !== undefined ? { bulkTimeoutMs } : {}),
  };
}

/** A window that cannot hold an order is a mistake in the flags: say what was probably meant. */
function checkWindow(
  since: SinceOption,
  sinceText: string,
  until: Date | undefined,
  untilText: string | undefined,
  now: Date,
): void {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (since.kind === 'at' && since.at.getTime() > now.getTime()) {
    throw new UsageError(
      `--since ${sinceText} is in the future (it is ${stamp} now): no order can be in the window`,
      {
        hint: 'give a past time: 30m, 2h and 7d count back from now, ISO dates are UTC unless they name a zone',
      },
    );
  }
  if (until !== undefined && until.getTime() > now.getTime()) {
    throw new UsageError(`--until ${untilText} is in the future (it is ${stamp} now)`, {
      hint: 'leave --until out to import up to now',
    });
  }
  if (since.kind === 'at' && until !== undefined && since.at.getTime() >= until.getTime()) {
    const same = since.at.getTime() === until.getTime();
    throw new UsageError(
      same
        ? `--since ${sinceText} and --until ${untilText} are the same time: the window would be empty`
        : `--since ${sinceText} is after --until ${untilText}: the window would be empty; did you mean --since ${untilText} --until ${sinceText}?`,
      { hint: '--since is where the window starts, --until where it ends' },
    );
  }
}

/** One store's import (the whole command without --all-stores). */
const importOneStore: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const options = importOptionsFromFlags(flags, deps.clock.now());
  if (flags.replay === true) {
    if (options.since.kind !== 'at' || options.dryRun || options.until !== undefined) {
      throw new UsageError('--replay needs --since (and takes neither --until nor --dry-run)', {
        hint: 'e.g. dsync import --replay --since 7d --out /var/spool/3pl: every event delivered in the last 7 days, again',
      });
    }
    const { resendAndReport } = await import('./resend.js');
    await resendAndReport(
      deps,
      { since: options.since.at, out: options.out, webhook: options.webhook, format: options.format },
      'replay',
    );
    return;
  }
  const progress = terminalProgress(deps.stderr, () => deps.clock.now().getTime());
  options.onProgress = progress.update;
  options.onWait = progress.waiting;
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
    for (const failure of summary.fulfillmentRequests?.failures ?? []) {
      output.warn(
        `${failure.orderName ? `${failure.orderName}: ` : ''}fulfillment request not accepted: ${failure.message}`,
      );
    }
    if (summary.dryRun) output.hint('dry run: nothing was sent or recorded, and the checkpoint did not move');
  }
  if (summary.stopped !== null) {
    throw new DsyncError('import_stopped', `import stopped: ${summary.stopped}`, ExitCode.error, {
      hint: 'nothing after the last delivered event was recorded; the next run sends the rest',
      resultPrinted: true,
    });
  }
  if (summary.errors.length > 0 || summary.unresolved > 0) {
    const delivered = deliveredCount(summary);
    const failing = Math.max(summary.errors.length, summary.unresolved);
    const message = `${failing} order${failing === 1 ? '' : 's'} failed${delivered > 0 ? `; ${delivered} delivered` : ''}`;
    const hint =
      'see `dsync orders list --status error`; failing orders are read again by id on every run until they go through';
    if (delivered > 0 || summary.skippedTotal > 0 || summary.unchanged > 0 || summary.errors.length === 0) {
      throw new PartialFailureError(message, {
        hint,
        resultPrinted: true,
        details: { errors: failing },
      });
    }
    throw new DsyncError('import_failed', message, ExitCode.error, { hint, resultPrinted: true });
  }
  const refused = summary.fulfillmentRequests?.failures.length ?? 0;
  if (refused > 0) {
    throw new PartialFailureError(
      `${refused} fulfillment request${refused === 1 ? '' : 's'} could not be accepted; the orders were delivered`,
      {
        hint: 'the next run tries again; see `dsync requests list` and `dsync requests accept <order>`',
        resultPrinted: true,
      },
    );
  }
};

/** `dsync import`, for one store or with --all-stores for each (files under `--out DIR/<shop>/`). */
export const run: CommandRun = fleetAware(importOneStore, {
  check: requireFileOrWebhook,
  flagsFor: perStoreOut,
  describe: (result) =>
    renderSummaryLine((result as { summary: Parameters<typeof renderSummaryLine>[0] }).summary),
});
