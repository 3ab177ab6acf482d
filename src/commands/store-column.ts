import type { Deps } from '../core/deps.js';
import { UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { createOutput } from '../core/output.js';
import { configuredStores } from '../core/store-selection.js';
import { formatRowError } from '../services/files/rows.js';
import { groupByStore, scanStores, shareOf } from '../services/files/store-column.js';
import { runFleet } from '../services/fleet/run.js';
import type { CommandRun } from './define.js';
import { type FleetCommand, failIfAnyFailed, type ReportedOutcome, renderFleet } from './fleet.js';
import { DEFAULT_CONCURRENCY } from './fleet-options.js';
import { readInputFile } from './input-file.js';

/** The file a command applies, read once. */
export interface InputFile {
  file: string;
  bytes: Uint8Array;
}

/** One store's run of a file command, given the file (or its share of it). */
export type FileCommandRun = (deps: Deps, flags: Record<string, unknown>, input: InputFile) => Promise<void>;

/**
 * Wraps a command that applies a warehouse file (ship, inventory push, returns receive). A file
 * without a `store` column, or any file with --store (DSYNC_STORE), runs once for the selected
 * store as before (rows naming another store are refused there). A file with a `store` column and
 * no --store runs once per store it names, each with that store's rows (other lines emptied, so
 * line numbers stay the file's), credentials, settings, ledger and lock, reported as
 * `--all-stores` reports. Rows naming no configured store are refused by line; the rest still go.
 */
export function storeColumnAware(
  single: FileCommandRun,
  fleet: FleetCommand,
  usage: { example: string; what: string },
): CommandRun {
  return async (deps, _args, flags) => {
    const input = await readInputFile(flags, usage);
    if (deps.global.store) return single(deps, flags, input);
    const scan = scanStores(input.file, input.bytes);
    if (!scan?.hasColumn) return single(deps, flags, input);
    if (deps.env.DSYNC_ACCESS_TOKEN) {
      throw new UsageError(
        `${input.file} names its stores in a store column; DSYNC_ACCESS_TOKEN is one store’s token`,
        {
          hint: 'pass --store <shop> to apply that store’s rows, or unset DSYNC_ACCESS_TOKEN and log each store in with `dsync auth login --store <shop>`',
        },
      );
    }
    const configured = await configuredStores(deps);
    const { groups, refused } = groupByStore(input.file, scan.rows, configured);
    const out = createOutput(deps);
    if (!deps.global.json) for (const error of refused) out.warn(formatRowError(error));
    const outcomes: ReportedOutcome[] = await runFleet(deps, {
      stores: [...groups.keys()],
      concurrency: DEFAULT_CONCURRENCY,
      run: (storeDeps, shop) =>
        single(storeDeps, flags, {
          file: input.file,
          bytes: Buffer.from(shareOf(input.bytes, scan.headerLines, groups.get(shop) ?? []), 'utf8'),
        }),
    });
    const unassigned = { rowErrors: refused };
    if (refused.length > 0) {
      outcomes.push({
        shop: null,
        exitCode: ExitCode.partial,
        result: unassigned,
        error: {
          code: 'rows_refused',
          message: `${refused.length} row${refused.length === 1 ? '' : 's'} of ${input.file} name${refused.length === 1 ? 's' : ''} no configured store (line${refused.length === 1 ? '' : 's'} ${refused.map((e) => e.line).join(', ')})`,
          hint: 'fix the store cells named above (or log the stores in) and run the same file again: nothing is applied twice',
        },
        ms: 0,
      });
    }
    renderFleet(deps, out, outcomes, {
      ...fleet,
      describe: (result) => (result === unassigned ? '' : fleet.describe(result)),
    });
    failIfAnyFailed(outcomes);
  };
}
