import { createOutput } from '../../core/output.js';
import { type MigrateResult, migrateStore } from '../../services/state/migrate.js';
import type { CommandRun } from '../define.js';
import { fleetAware } from '../fleet.js';

const PARTS: [keyof MigrateResult['rows'], string][] = [
  ['orders', 'orders'],
  ['activity', 'activity entries'],
  ['shipments', 'shipments'],
  ['returns', 'returns'],
  ['returnActivity', 'return activity entries'],
  ['returnReceipts', 'receipts'],
  ['meta', 'checkpoints and marks'],
];

/** "120 orders, 560 activity entries, …" (the parts with rows). */
export function describeRows(rows: MigrateResult['rows']): string {
  const said = PARTS.filter(([part]) => rows[part] > 0).map(([part, words]) => `${rows[part]} ${words}`);
  return said.length > 0 ? said.join(', ') : 'no rows';
}

const single: CommandRun = async (deps, _args, flags) => {
  const out = createOutput(deps);
  const result = await migrateStore(deps, {
    to: flags.to === undefined ? undefined : String(flags.to),
    dryRun: flags.dryRun === true,
  });
  out.result(result, () => {
    if (result.status === 'empty') return `${result.shop}: no ledger in ${result.from}, nothing to copy`;
    const verb = result.status === 'dry-run' ? 'would copy' : 'copied';
    return `${result.shop}: ${verb} ${describeRows(result.rows)} to ${result.to}`;
  });
  if (!out.json && result.status === 'migrated') {
    out.hint(`run with DSYNC_STATE_URL=${result.to} from now on; ${result.from} is left as it was`);
  }
};

export const run: CommandRun = fleetAware(single, {
  describe(result) {
    const r = result as MigrateResult;
    if (r.status === 'empty') return 'nothing to copy';
    return `${r.status === 'dry-run' ? 'would copy' : 'copied'} ${describeRows(r.rows)}`;
  },
});
