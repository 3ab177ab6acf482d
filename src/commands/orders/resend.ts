import { DsyncError, PartialFailureError, UsageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { createOutput } from '../../core/output.js';
import { parseWebhookUrl } from '../../core/webhook-url.js';
import type { Deps } from '../../core/deps.js';
import type { ResendOptions, ResendResult } from '../../services/import/resend.js';
import type { OutputFormat } from '../../services/import/sinks.js';
import type { CommandRun } from '../define.js';

/** The sink flags shared with `dsync import` (--out, --webhook, --format). */
export function sinkFlags(flags: Record<string, unknown>): Pick<ResendOptions, 'out' | 'webhook' | 'format'> {
  const out = flags.out === undefined ? undefined : String(flags.out);
  const webhook = flags.webhook === undefined ? undefined : parseWebhookUrl(String(flags.webhook));
  if (out !== undefined && webhook !== undefined) {
    throw new UsageError('--out and --webhook cannot be used together', { hint: 'pick one sink per run' });
  }
  return { out, webhook, format: String(flags.format ?? 'jsonl') as OutputFormat };
}

/** Runs a resend or replay and reports it: one line (or JSON) on stdout unless the events go there. */
export async function resendAndReport(deps: Deps, options: ResendOptions, what: string): Promise<void> {
  const output = createOutput(deps);
  options.note = (message) => output.warn(message);
  const { resendOrders } = await import('../../services/import/resend.js');
  const result: ResendResult = await resendOrders(deps, options);
  const line = `${what} ${result.shop}: ${result.resent.length} event${result.resent.length === 1 ? '' : 's'} delivered again, ${result.errors.length} failed`;
  if (result.sink === 'stdout') {
    if (deps.global.json) deps.stderr.write(`${JSON.stringify({ result })}\n`);
    else output.info(line);
  } else output.result(result, () => line);
  if (!deps.global.json) for (const error of result.errors) output.warn(`${error.order}: ${error.message}`);
  if (result.stopped !== null) {
    throw new DsyncError('resend_stopped', `${what} stopped: ${result.stopped}`, ExitCode.error, {
      resultPrinted: true,
    });
  }
  if (result.errors.length > 0) {
    const message = `${result.errors.length} order${result.errors.length === 1 ? '' : 's'} could not be delivered again`;
    const hint = 'see `dsync orders show <order>`';
    if (result.resent.length > 0) throw new PartialFailureError(message, { hint, resultPrinted: true });
    throw new DsyncError('resend_failed', message, ExitCode.error, { hint, resultPrinted: true });
  }
}

export const run: CommandRun = async (deps, args, flags) => {
  if (args.length === 0) {
    throw new UsageError('name at least one order to resend', {
      hint: "e.g. dsync orders resend '#1001' '#1002'",
    });
  }
  await resendAndReport(deps, { orders: args, ...sinkFlags(flags) }, 'resend');
};
