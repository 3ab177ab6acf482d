import type { Clock } from '../core/clock.js';
import type { ThrottleStatus } from './types.js';

/** Requested cost assumed for an operation not seen yet: a connection page of modest size. */
export const DEFAULT_ESTIMATED_COST = 100;

/** The least we wait after a THROTTLED answer when Shopify's numbers say "now" (clock skew, rounding). */
export const MIN_THROTTLED_WAIT_MS = 1000;

export interface ObservedThrottle {
  status: ThrottleStatus;
  /** Epoch ms when the status was observed. */
  observedAt: number;
}

/** Points available at `now`: observed + restoreRate × elapsed, capped at the bucket size. */
export function projectedAvailable(observed: ObservedThrottle, now: number): number {
  const { currentlyAvailable, restoreRate, maximumAvailable } = observed.status;
  const elapsedSeconds = Math.max(0, now - observed.observedAt) / 1000;
  return Math.min(maximumAvailable, currentlyAvailable + restoreRate * elapsedSeconds);
}

/**
 * How long to wait before sending a request estimated to cost `estimatedCost`, so that the bucket
 * holds enough points. A cost above the bucket size only waits for a full bucket.
 */
export function pacingDelayMs(
  observed: ObservedThrottle | undefined,
  estimatedCost: number,
  now: number,
): number {
  if (!observed) return 0;
  const { restoreRate, maximumAvailable } = observed.status;
  if (!(restoreRate > 0)) return 0;
  const needed = Math.min(Math.max(0, estimatedCost), maximumAvailable);
  const available = projectedAvailable(observed, now);
  if (available >= needed) return 0;
  return Math.ceil(((needed - available) / restoreRate) * 1000);
}

/** Wait after a THROTTLED answer: `(requested - currentlyAvailable) / restoreRate` seconds. */
export function throttledDelayMs(
  requestedCost: number | undefined,
  status: ThrottleStatus | undefined,
): number {
  if (requestedCost === undefined || !status || !(status.restoreRate > 0)) return MIN_THROTTLED_WAIT_MS;
  const needed = Math.min(requestedCost, status.maximumAvailable);
  const ms = Math.ceil(((needed - status.currentlyAvailable) / status.restoreRate) * 1000);
  return Math.max(MIN_THROTTLED_WAIT_MS, ms);
}

/**
 * `Retry-After` (seconds or an HTTP date) in ms; undefined when absent or unreadable. Capped so
 * a bogus header cannot park the process for hours.
 */
export function retryAfterMs(header: string | undefined, now: number, capMs = 120_000): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(capMs, Math.max(0, Math.ceil(ms)));
}

/** How many items a request's variables ask for: the longest list among them (at least 1). */
export function requestUnits(variables: unknown): number {
  if (variables === null || typeof variables !== 'object') return 1;
  let units = 1;
  for (const value of Object.values(variables as Record<string, unknown>))
    if (Array.isArray(value)) units = Math.max(units, value.length);
  return units;
}

/**
 * Paces requests against Shopify's leaky bucket. Pacing decisions are serialized, and requests
 * already sent but not yet answered count against the bucket, so concurrent requests wait for
 * each other's points too.
 */
export class ThrottleGate {
  private observed: ObservedThrottle | undefined;
  private readonly costs = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly defaultCost = DEFAULT_ESTIMATED_COST,
  ) {}

  /**
   * The cost we expect `operation` to request for `units` items (the length of its list variable,
   * e.g. the ids of a `nodes` query): the last cost Shopify reported, per item, else the default.
   */
  estimate(operation: string, units = 1): number {
    const perUnit = this.costs.get(operation);
    return perUnit === undefined ? this.defaultCost : Math.ceil(perUnit * Math.max(1, units));
  }

  get status(): ObservedThrottle | undefined {
    return this.observed;
  }

  /**
   * Waits (abortably) until the bucket should hold enough points for `operation`, counting the
   * points of requests still in flight, and reserves them until `release()` is called (once the
   * response is in). Resolves to the time waited in ms.
   */
  acquire(
    operation: string,
    signal?: AbortSignal,
    units = 1,
    onWait?: (ms: number) => void,
  ): Promise<{ waited: number; release: () => void }> {
    const run = this.queue.then(async () => {
      const cost = this.estimate(operation, units);
      const now = this.clock.now().getTime();
      const view = this.observed
        ? {
            status: {
              ...this.observed.status,
              currentlyAvailable: projectedAvailable(this.observed, now) - this.inFlight,
            },
            observedAt: now,
          }
        : undefined;
      const waited = pacingDelayMs(view, cost, now);
      if (waited > 0) {
        onWait?.(waited);
        await this.clock.sleep(waited, signal);
      }
      this.inFlight += cost;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.inFlight -= cost;
      };
      return { waited, release };
    });
    // The next decision waits for this one, whether it succeeded or was aborted.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Records what Shopify reported for a response to `operation`. */
  observe(
    operation: string,
    requestedCost: number | undefined,
    status: ThrottleStatus | undefined,
    units = 1,
  ): void {
    if (requestedCost !== undefined && Number.isFinite(requestedCost))
      this.costs.set(operation, requestedCost / Math.max(1, units));
    if (status) this.observed = { status: { ...status }, observedAt: this.clock.now().getTime() };
  }
}
