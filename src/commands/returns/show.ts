import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { showReturn } from '../../services/returns/show.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps, args) => {
  const output = createOutput(deps);
  const ref = args[0];
  if (!ref) throw new UsageError('which return?', { hint: "e.g. dsync returns show '#1001-R1'" });
  const result = await showReturn(deps, ref);
  output.result(result, () => {
    const r = result.return;
    const rows: [string, string][] = [
      ['return', `${r.name} (${r.returnId})`],
      ['order', `${r.orderName} (${r.orderId})`],
      ['status in Shopify', r.status.toLowerCase()],
      ['warehouse', r.warehouse],
      ...(r.lastEvent
        ? ([['last event', `${r.lastEvent} ${r.lastEventId ?? ''}`.trim()]] as [string, string][])
        : []),
      ['first seen', r.firstSeenAt],
      ['changed', r.changedAt],
    ];
    const head = rows.map(([k, v]) => `${output.paint.bold(k.padEnd(19))}${v}`).join('\n');
    const received = result.received
      .map(
        (x) =>
          `  ${x.updatedAt}  ${`${x.sku} × ${x.quantity} ${x.disposition.replace(/_/g, ' ')}`.padEnd(36)} ${x.state}${x.message ? `: ${x.message}` : ''}`,
      )
      .join('\n');
    const log = result.activity
      .map((a) => `  ${a.at}  ${a.action.padEnd(17)} ${a.detail ?? ''}`.trimEnd())
      .join('\n');
    return `${head}\n\n${output.paint.bold('received')}\n${received || '  (none)'}\n\n${output.paint.bold('activity')}\n${log || '  (none)'}`;
  });
};
