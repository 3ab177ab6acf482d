import { createOutput } from '../../core/output.js';
import type { ReturnsListStatus } from '../../services/returns/list.js';
import type { ReturnDocument } from '../../services/returns/return-document.js';
import type { CommandRun } from '../define.js';

/** A return as a few lines: name, order, status, tracking, then one line per item. */
export function renderReturn(r: ReturnDocument): string {
  const tracking = r.tracking.map((t) => [t.carrier, t.number ?? t.url].filter(Boolean).join(' ')).join(', ');
  const head = `${r.name.padEnd(12)} ${r.order.name.padEnd(8)} ${r.status.toLowerCase().padEnd(10)} ${r.id}${tracking ? `  tracking ${tracking}` : ''}`;
  const items = r.lines.map((l) => {
    const notes = [l.reasonNote, l.customerNote ? `customer: "${l.customerNote}"` : null]
      .filter(Boolean)
      .join('; ');
    return `    ${(l.sku ?? '(no sku)').padEnd(16)} × ${String(l.quantity).padEnd(4)} ${l.reason.toLowerCase().replace(/_/g, ' ')}${notes ? ` — ${notes}` : ''}`;
  });
  return [head, ...items].join('\n');
}

export const run: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const status = (typeof flags.status === 'string' ? flags.status : 'open') as ReturnsListStatus;
  const { listReturns } = await import('../../services/returns/list.js');
  const result = await listReturns(deps, { status });
  output.result(result, () =>
    result.returns.length === 0
      ? `no ${status === 'all' ? '' : `${status} `}returns coming back to the fulfillment location`
      : result.returns.map(renderReturn).join('\n'),
  );
};
