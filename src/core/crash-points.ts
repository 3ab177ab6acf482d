import { UsageError } from './errors.js';

/**
 * A testing aid, not a feature: `DSYNC_CRASH_AT=<point>[:<n>]` kills the process with SIGKILL
 * the n-th time (default: the first) execution reaches the named point, so a test can stop a run
 * exactly where a power cut or an OOM kill would hurt most and prove that a rerun ends where an
 * uninterrupted run does. Unset (always, outside tests), reaching a point does nothing.
 */
export const CRASH_POINTS = [
  /** The import's sink accepted an event (file written, webhook answered); the ledger has not recorded it. */
  'import.delivered',
  /** The ledger recorded one order of a page; the page's other orders and the checkpoint are not. */
  'import.recorded',
  /** Every order of a page is recorded; the checkpoint is about to move. */
  'import.checkpoint',
  /** One line of a bulk export's results was read; the rest of the download is not. */
  'import.bulk-line',
  /** Shopify created a fulfillment; the ledger has not recorded it. */
  'ship.created',
  /** Shopify applied an inventorySetQuantities batch; the run has not counted it. */
  'inventory.applied',
  /** Shopify recorded a disposition of returned items; the ledger has not. */
  'returns.disposed',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Called when execution reaches a named point. */
export type CrashHook = (point: CrashPoint) => void;

export const noCrash: CrashHook = () => {};

/**
 * The hook `DSYNC_CRASH_AT` asks for. `kill` ends the process at once (SIGKILL in the CLI: no
 * handler, no finally block, no flush runs, as in a real crash).
 */
export function crashHook(value: string | undefined, kill: () => void): CrashHook {
  if (value === undefined || value.trim() === '') return noCrash;
  const match = /^([a-z.-]+)(?::(\d+))?$/.exec(value.trim());
  const point = match?.[1];
  if (!match || !CRASH_POINTS.includes(point as CrashPoint)) {
    throw new UsageError(
      `DSYNC_CRASH_AT=${value}: expected <point>[:<n>], point one of ${CRASH_POINTS.join(', ')}`,
      { hint: 'DSYNC_CRASH_AT is a testing aid; unset it' },
    );
  }
  const nth = match[2] === undefined ? 1 : Number(match[2]);
  let reached = 0;
  return (at) => {
    if (at !== point) return;
    reached += 1;
    if (reached === nth) kill();
  };
}
