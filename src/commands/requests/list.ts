import { createOutput } from '../../core/output.js';
import { renderTable } from '../../core/table.js';
import { listRequests } from '../../services/requests/index.js';
import type { CommandRun } from '../define.js';
import { fleetAware } from '../fleet.js';

const listOneStore: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const kind = (flags.kind ?? 'all') as 'fulfillment' | 'cancellation' | 'all';
  const result = await listRequests(deps, { kind });
  output.result(result, () => {
    if (result.requests.length === 0)
      return `no pending ${kind === 'all' ? '' : `${kind} `}requests in ${result.shop}`;
    const table = renderTable(
      [
        { header: 'ORDER', value: (r) => r.orderName },
        { header: 'REQUEST', value: (r) => r.kind },
        {
          header: 'LINES',
          value: (r) =>
            r.lines
              .map((l) => `${l.quantity}× ${l.sku ?? l.title}`)
              .join(', ')
              .slice(0, 50),
        },
        { header: 'MESSAGE', value: (r) => (r.message ?? '').slice(0, 40) },
        { header: 'SENT', value: (r) => r.sentAt ?? '' },
        { header: 'LEDGER', value: (r) => r.ledgerStatus ?? 'not imported' },
      ],
      result.requests,
      (s) => output.paint.bold(s),
    );
    return `${table}\n${output.paint.dim(`${result.requests.length} pending · answer with \`dsync requests accept|reject <order>\``)}`;
  });
};

/** `dsync requests list`, for one store or with --all-stores for each. */
export const run: CommandRun = fleetAware(listOneStore, {
  describe: (result) => {
    const n = (result as { requests: unknown[] }).requests.length;
    return `${n} pending request${n === 1 ? '' : 's'}`;
  },
});
