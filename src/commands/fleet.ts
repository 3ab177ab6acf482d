import { join } from 'node:path';
import type { Deps } from '../core/deps.js';
import { DsyncError, UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { parseShard, type Shard, storesInShard } from '../core/fleet/shard.js';
import { worstExit } from '../core/fleet/worst-exit.js';
import { createOutput, type Output } from '../core/output.js';
import { configuredStores, mountHint } from '../core/store-selection.js';
import { renderTable } from '../core/table.js';
import { runFleet, type StoreOutcome } from '../services/fleet/run.js';
import type { CommandRun } from './define.js';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './fleet-options.js';

/** How a command runs for many stores. */
export interface FleetCommand {
  /** Refuses flags that cannot work for many stores, before any store runs. */
  check?(flags: Record<string, unknown>): void;
  /** One store's flags (e.g. `--out DIR` becomes `DIR/<shop>`). */
  flagsFor?(flags: Record<string, unknown>, shop: string): Record<string, unknown>;
  /** One line about a store's --json result. */
  describe(result: unknown): string;
}

/** The options of a many-store run, parsed. */
export interface FleetFlags {
  concurrency: number;
  shard: Shard | undefined;
}

/** Parses --concurrency and --shard; undefined when --all-stores is not given (and neither may be). */
export function fleetFlags(flags: Record<string, unknown>): FleetFlags | undefined {
  const all = flags.allStores === true;
  if (!all) {
    for (const [key, flag] of [
      ['shard', '--shard'],
      ['concurrency', '--concurrency'],
    ] as const) {
      if (flags[key] !== undefined) {
        throw new UsageError(`${flag} works only with --all-stores`, {
          hint: `dsync import --all-stores ${flag} ${flag === '--shard' ? '1/2' : '4'} --out DIR`,
        });
      }
    }
    return undefined;
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (flags.concurrency !== undefined) {
    const text = String(flags.concurrency);
    concurrency = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(concurrency >= 1 && concurrency <= MAX_CONCURRENCY)) {
      throw new UsageError(
        `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${text}"`,
        {
          hint: `--concurrency ${DEFAULT_CONCURRENCY}`,
        },
      );
    }
  }
  let shard: Shard | undefined;
  if (flags.shard !== undefined) {
    shard = parseShard(String(flags.shard));
    if (!shard) {
      throw new UsageError(`--shard must be i/N with 1 ≤ i ≤ N, got "${String(flags.shard)}"`, {
        hint: 'e.g. --shard 2/4 on the second of four machines',
      });
    }
  }
  return { concurrency, shard };
}

/**
 * Wraps a single-store command: without --all-stores it runs as before; with it, it runs once
 * per configured store (or per store of --shard), N at a time, and reports every store.
 */
export function fleetAware(single: CommandRun, fleet: FleetCommand): CommandRun {
  return async (deps, args, flags, command) => {
    const parsed = fleetFlags(flags);
    if (!parsed) return single(deps, args, flags, command);
    if (deps.global.store) {
      throw new UsageError('--all-stores and --store (or DSYNC_STORE) cannot be used together', {
        hint: 'drop --store to run every configured store, or --all-stores to run one',
      });
    }
    if (deps.env.DSYNC_ACCESS_TOKEN) {
      throw new UsageError('DSYNC_ACCESS_TOKEN names one store’s token and cannot serve --all-stores', {
        hint: 'unset DSYNC_ACCESS_TOKEN and log each store in with `dsync auth login --store <shop>`',
      });
    }
    fleet.check?.(flags);
    const configured = await configuredStores(deps);
    if (configured.length === 0) {
      throw new UsageError('no store is configured', {
        hint:
          deps.credentialsDir === undefined
            ? 'run `dsync auth login --store <shop>` for each store'
            : mountHint(deps.credentialsDir),
      });
    }
    const stores = parsed.shard ? storesInShard(configured, parsed.shard) : configured;
    const out = createOutput(deps);
    if (parsed.shard) {
      out.info(
        `shard ${parsed.shard.index}/${parsed.shard.count}: ${stores.length} of ${configured.length} stores`,
      );
    }
    const outcomes = await runFleet(deps, {
      stores,
      concurrency: parsed.concurrency,
      run: (storeDeps, shop) =>
        single(storeDeps, args, fleet.flagsFor ? fleet.flagsFor(flags, shop) : flags, command),
    });
    renderFleet(deps, out, outcomes, fleet);
    failIfAnyFailed(outcomes);
  };
}

/** Throws with the worst store's exit code when a store did not succeed (the report is printed). */
export function failIfAnyFailed(outcomes: readonly ReportedOutcome[]): void {
  const worst = worstExit(outcomes.map((o) => o.exitCode));
  if (worst === ExitCode.ok) return;
  const failing = outcomes.filter((o) => o.exitCode !== ExitCode.ok);
  throw new DsyncError(
    'stores_failed',
    `${failing.length} of ${outcomes.length} store${outcomes.length === 1 ? '' : 's'} did not succeed: ${failing
      .map((o) => `${o.shop ?? NO_STORE} (exit ${o.exitCode})`)
      .join(', ')}`,
    worst,
    { resultPrinted: true, hint: failing.find((o) => o.exitCode === worst)?.error?.hint ?? undefined },
  );
}

/**
 * A store's outcome as reported; `shop` is null for the rows of a file that no configured store
 * could take (see store-column.ts).
 */
export type ReportedOutcome = Omit<StoreOutcome, 'shop'> & { shop: string | null };

/** How the report names the rows that belong to no configured store. */
export const NO_STORE = '(unassigned)';

/** The words for an exit code in the per-store report. */
export function exitWord(code: number): string {
  switch (code) {
    case ExitCode.ok:
      return 'ok';
    case ExitCode.partial:
      return 'partial';
    case ExitCode.auth:
      return 'auth';
    case ExitCode.locked:
      return 'locked';
    case ExitCode.usage:
      return 'usage';
    case ExitCode.interrupted:
      return 'interrupted';
    default:
      return 'error';
  }
}

/** What a store's row says: the result's line, or the error's message. */
function storeLine(outcome: ReportedOutcome, fleet: FleetCommand): string {
  const described = outcome.result === null ? '' : safeDescribe(fleet, outcome.result);
  if (outcome.error && outcome.exitCode !== ExitCode.ok) {
    return described && outcome.exitCode === ExitCode.partial
      ? `${described}; ${outcome.error.message}`
      : outcome.error.message;
  }
  return described;
}

function safeDescribe(fleet: FleetCommand, result: unknown): string {
  try {
    return fleet.describe(result);
  } catch {
    return '';
  }
}

/**
 * `--json`: an array of `{shop, exitCode, status, result, error, ms}`. A terminal: a table. Not a
 * terminal (cron): one line per store, `<shop> <status> exit=<code> <summary>`.
 */
export function renderFleet(
  deps: Deps,
  out: Output,
  outcomes: readonly ReportedOutcome[],
  fleet: FleetCommand,
): void {
  if (deps.global.json) {
    out.print(
      JSON.stringify(
        outcomes.map((o) => ({
          shop: o.shop,
          exitCode: o.exitCode,
          status: exitWord(o.exitCode),
          result: o.result,
          error: o.error,
          ms: o.ms,
        })),
        null,
        2,
      ),
    );
    return;
  }
  if (outcomes.length === 0) {
    out.info('no store to run (see `dsync stores list`)');
    return;
  }
  const p = out.paint;
  if (deps.stdout.isTTY) {
    const paintStatus = (text: string, o: ReportedOutcome) =>
      o.exitCode === ExitCode.ok
        ? p.green(text)
        : o.exitCode === ExitCode.partial
          ? p.yellow(text)
          : p.red(text);
    out.print(
      renderTable(
        [
          { header: 'STORE', value: (o) => o.shop ?? NO_STORE },
          { header: 'STATUS', value: (o) => exitWord(o.exitCode), style: paintStatus },
          { header: 'EXIT', value: (o) => String(o.exitCode), align: 'right' },
          { header: 'TIME', value: (o) => `${(o.ms / 1000).toFixed(1)}s`, align: 'right' },
          { header: 'SUMMARY', value: (o) => storeLine(o, fleet) },
        ],
        [...outcomes],
        (s) => p.bold(s),
      ),
    );
    return;
  }
  for (const o of outcomes) {
    out.print(
      `${o.shop ?? NO_STORE} ${exitWord(o.exitCode)} exit=${o.exitCode} ${storeLine(o, fleet)}`.trimEnd(),
    );
  }
}

/** `--out DIR` for many stores: each store's files go to `DIR/<shop>/`. */
export function perStoreOut(flags: Record<string, unknown>, shop: string): Record<string, unknown> {
  return flags.out === undefined ? flags : { ...flags, out: join(String(flags.out), shop) };
}

/** The event sinks a many-store import can use: stdout carries the per-store report. */
export function requireFileOrWebhook(flags: Record<string, unknown>): void {
  if (flags.out === undefined && flags.webhook === undefined) {
    throw new UsageError(
      '--all-stores needs --out DIR or --webhook URL: stdout carries the per-store report',
      {
        hint: 'dsync import --all-stores --out /var/spool/3pl   (each store writes to /var/spool/3pl/<shop>/)',
      },
    );
  }
}
