import { PartialFailureError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import type { Deps } from '../../core/deps.js';
import { type AnswerOptions, answerRequests, type RejectionReason } from '../../services/requests/index.js';

/** `requests accept` and `requests reject`: the same flow, one decision apart. */
export async function runAnswer(
  deps: Deps,
  decision: 'accept' | 'reject',
  args: string[],
  flags: Record<string, unknown>,
): Promise<void> {
  const output = createOutput(deps);
  const options: AnswerOptions = {
    refs: args,
    decision,
    kind: flags.cancellation === true ? 'cancellation' : 'fulfillment',
    reason: flags.reason === undefined ? undefined : (String(flags.reason) as RejectionReason),
    message: flags.message === undefined ? undefined : String(flags.message),
  };
  const summary = await answerRequests(deps, options);
  const verb = decision === 'accept' ? 'accepted' : 'rejected';
  const what = options.kind === 'fulfillment' ? 'fulfillment request' : 'cancellation request';
  output.result(summary, () =>
    summary.results
      .map((r) =>
        r.ok
          ? `${output.paint.green('✓')} ${r.orderName}: ${what} ${verb} (${r.fulfillmentOrders.length} fulfillment order${r.fulfillmentOrders.length === 1 ? '' : 's'})`
          : `${output.paint.red('✗')} ${r.orderName ?? r.ref}: ${r.message}`,
      )
      .join('\n'),
  );
  if (summary.failed > 0) {
    throw new PartialFailureError(
      `${summary.failed} of ${summary.results.length} order${summary.results.length === 1 ? '' : 's'} not answered`,
      { hint: 'see `dsync requests list` for what is pending', resultPrinted: true },
    );
  }
}
