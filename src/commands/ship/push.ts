import { PartialFailureError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import type { ShipmentResult, ShipOptions, ShipSummary } from '../../services/ship/index.js';
import type { CommandRun } from '../define.js';
import { type FileCommandRun, type InputFile, storeColumnAware } from '../store-column.js';

/** Flags and the file (read by the caller, so a missing one is a usage error) → ShipOptions. */
export function shipOptions(flags: Record<string, unknown>, { file, bytes }: InputFile): ShipOptions {
  return {
    file,
    bytes,
    dryRun: flags.dryRun === true,
    notifyCustomer: typeof flags.notifyCustomer === 'boolean' ? flags.notifyCustomer : undefined,
  };
}

function lines(r: ShipmentResult): string {
  if (r.plan)
    return r.plan.flatMap((fo) => fo.lines.map((l) => `${l.sku ?? l.id} × ${l.quantity}`)).join(', ');
  return r.lines
    .map((l) => (l.sku === null ? 'whole order' : `${l.sku} × ${l.quantity ?? 'all'}`))
    .join(', ');
}

/** One line per shipment: `#1001  1Z999  created  TEE-BLK-M × 1  gid://shopify/Fulfillment/…`. */
export function renderShipment(r: ShipmentResult): string {
  const status = r.status.replace('_', ' ');
  const detail =
    r.status === 'failed'
      ? (r.message ?? '')
      : r.status === 'planned'
        ? (r.plan ?? [])
            .map(
              (fo) =>
                `${fo.accept ? 'accept + ' : ''}${fo.fulfillmentOrderId}: ${fo.lines.map((l) => `${l.sku ?? l.id} × ${l.quantity}`).join(', ')}`,
            )
            .join('; ')
        : `${lines(r)}${r.fulfillmentId ? `  ${r.fulfillmentId}` : ''}`;
  return `${r.order.padEnd(8)} ${r.trackingNumber.padEnd(20)} ${status.padEnd(15)} ${detail}`.trimEnd();
}

export function renderSummary(s: ShipSummary): string {
  const c = s.counts;
  const done = s.dryRun ? `${c.planned} to create` : `${c.created} created`;
  return `${s.dryRun ? 'dry run: ' : ''}${c.shipments} shipment${c.shipments === 1 ? '' : 's'} from ${c.rows} row${c.rows === 1 ? '' : 's'}: ${done}, ${c.alreadyApplied} already applied, ${c.failed} failed, ${c.rowErrors} row error${c.rowErrors === 1 ? '' : 's'}`;
}

/** One store's shipments (the whole command when the file has no store column). */
const shipOneStore: FileCommandRun = async (deps, flags, input) => {
  const output = createOutput(deps);
  const options = shipOptions(flags, input);
  const { shipFile } = await import('../../services/ship/index.js');
  const { formatRowError } = await import('../../services/files/rows.js');
  const summary = await shipFile(deps, options);
  output.result(summary, () => [...summary.shipments.map(renderShipment), renderSummary(summary)].join('\n'));
  if (!deps.global.json) {
    for (const error of summary.rowErrors) output.warn(formatRowError(error));
    if (summary.dryRun) output.hint('dry run: nothing was created or recorded');
  }
  const { failed } = summary.counts;
  const bad = summary.rowErrors.length;
  if (failed > 0 || bad > 0) {
    throw new PartialFailureError(
      `${failed} shipment${failed === 1 ? '' : 's'} failed, ${bad} row error${bad === 1 ? '' : 's'}`,
      {
        hint: 'fix what is named above and run the same file again: nothing is shipped twice',
        resultPrinted: true,
        details: { failed, rowErrors: bad },
      },
    );
  }
};

/** `dsync ship`: once, or once per store named in the file's store column. */
export const run: CommandRun = storeColumnAware(
  shipOneStore,
  { describe: (result) => renderSummary(result as ShipSummary) },
  { example: 'dsync ship --file shipments.csv', what: 'a .csv or .jsonl shipments file' },
);
