import { UsageError } from '../../core/errors.js';
import type { LedgerStatus } from '../../core/ledger/ledger.js';
import { createOutput } from '../../core/output.js';
import { renderTable } from '../../core/table.js';
import { listOrders } from '../../services/orders/ledger-view.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const limit = Number(flags.limit ?? 50);
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new UsageError(`--limit ${JSON.stringify(flags.limit)} is not a positive whole number`, {
      hint: 'e.g. --limit 100',
    });
  }
  const status = flags.status === undefined ? undefined : (String(flags.status) as LedgerStatus);
  const result = await listOrders(deps, { status, limit });
  const paint = output.paint;
  const colour: Record<string, (s: string) => string> = {
    imported: paint.green,
    shipped: paint.cyan,
    partially_shipped: paint.cyan,
    skipped: paint.dim,
    error: paint.red,
    cancelled: paint.yellow,
  };
  output.result(result, () => {
    if (result.orders.length === 0) {
      return result.counts === null
        ? `no imports yet for ${result.shop}; run \`dsync import\``
        : `no ${status ?? ''} orders in the ledger of ${result.shop}`.replace('  ', ' ');
    }
    const table = renderTable(
      [
        { header: 'ORDER', value: (o) => o.name },
        {
          header: 'STATUS',
          value: (o) => o.status,
          style: (text, o) => (colour[o.status] ?? ((s: string) => s))(text),
        },
        {
          header: 'REASON / MESSAGE',
          value: (o) =>
            (o.reason ? `${o.reason}: ${o.message ?? ''}` : (o.message ?? o.lastEvent ?? '')).slice(0, 70),
        },
        { header: 'UPDATED IN SHOPIFY', value: (o) => o.orderUpdatedAt ?? '' },
        { header: 'CHANGED', value: (o) => o.changedAt },
      ],
      result.orders,
      (s) => paint.bold(s),
    );
    const counts = result.counts
      ? Object.entries(result.counts)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ')
      : '';
    return `${table}\n${paint.dim(`${result.orders.length} shown · ledger: ${counts || 'empty'}`)}`;
  });
};
