import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { showOrder } from '../../services/orders/ledger-view.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps, args) => {
  const output = createOutput(deps);
  const ref = args[0];
  if (!ref) throw new UsageError('which order?', { hint: 'e.g. dsync orders show "#1001"' });
  const result = await showOrder(deps, ref);
  output.result(result, () => {
    const o = result.order;
    const rows: [string, string][] = [
      ['order', `${o.name} (${o.orderId})`],
      ['status', o.status],
      ...(o.reason ? ([['reason', o.reason]] as [string, string][]) : []),
      ...(o.message ? ([['detail', o.message]] as [string, string][]) : []),
      ...(o.lastEvent
        ? ([['last event', `${o.lastEvent} ${o.lastEventId ?? ''}`.trim()]] as [string, string][])
        : []),
      ['updated in Shopify', o.orderUpdatedAt ?? '-'],
      ['first seen', o.firstSeenAt],
      ['changed', o.changedAt],
    ];
    const head = rows.map(([k, v]) => `${output.paint.bold(k.padEnd(19))}${v}`).join('\n');
    const log = result.activity
      .map((a) => `  ${a.at}  ${a.action.padEnd(17)} ${a.detail ?? ''}`.trimEnd())
      .join('\n');
    return `${head}\n\n${output.paint.bold('activity')}\n${log || '  (none)'}`;
  });
};
