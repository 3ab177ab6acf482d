/**
 * How long the sandbox's bulk operations take, in real time: CREATED for `startupMs` (Shopify's
 * queue), then RUNNING while objects are produced at `objectsPerSecond` (`objectCount` grows as
 * it goes), then COMPLETED. Shopify publishes neither figure; the defaults are assumptions, see
 * src/sandbox/README.md ("Bulk operation timing").
 */
export interface BulkTiming {
  /** Milliseconds an operation stays CREATED before it starts RUNNING. */
  startupMs: number;
  /** Objects (lines of the JSONL file) produced per second while RUNNING; Infinity = at once. */
  objectsPerSecond: number;
}

/** What `dsync sandbox` and `startSandbox()` use unless told otherwise. */
export const DEFAULT_BULK_TIMING: Readonly<BulkTiming> = Object.freeze({
  startupMs: 5_000,
  objectsPerSecond: 500,
});

/** For tests that only care about the result: no queue, the whole file at once. */
export const INSTANT_BULK_TIMING: Readonly<BulkTiming> = Object.freeze({
  startupMs: 0,
  objectsPerSecond: Number.POSITIVE_INFINITY,
});

export class BulkTimingError extends Error {
  override name = 'BulkTimingError';
}

/** The defaults with `overrides` applied; throws BulkTimingError on a value that makes no sense. */
export function resolveBulkTiming(overrides: Partial<BulkTiming> = {}): BulkTiming {
  const timing = { ...DEFAULT_BULK_TIMING, ...overrides };
  if (!Number.isFinite(timing.startupMs) || timing.startupMs < 0) {
    throw new BulkTimingError(`bulk startupMs must be a number of milliseconds ≥ 0, got ${timing.startupMs}`);
  }
  if (Number.isNaN(timing.objectsPerSecond) || timing.objectsPerSecond <= 0) {
    throw new BulkTimingError(
      `bulk objectsPerSecond must be a number > 0 (Infinity = at once), got ${timing.objectsPerSecond}`,
    );
  }
  return timing;
}
