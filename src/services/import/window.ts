/**
 * The import window: where a run starts (checkpoint, flag or accept-orders-after), where it
 * stops, the 60-day limit without read_all_orders, and the Shopify search string for it.
 */
import { parseDuration, parseIsoDate } from '../../core/time-text.js';

export const CHECKPOINT_OVERLAP_MS = 2 * 60_000;
export const SIXTY_DAYS_MS = 60 * 86_400_000;

export type SinceOption = { kind: 'last' } | { kind: 'at'; at: Date; text: string };

/** `last`, `30m`, `2h`, `7d`, `1w` or an ISO date/datetime; undefined when unreadable. */
export function parseSince(text: string, now: Date): SinceOption | undefined {
  const value = text.trim();
  if (value.toLowerCase() === 'last') return { kind: 'last' };
  const ms = parseDuration(value);
  if (ms !== undefined) return { kind: 'at', at: new Date(now.getTime() - ms), text: value };
  const at = parseIsoDate(value);
  return at ? { kind: 'at', at, text: value } : undefined;
}

/** `--until`: the same forms as `--since` (`30m`, `2h`, `7d`, `1w`, ISO) but not `last`. */
export function parseUntil(text: string, now: Date): Date | undefined {
  const parsed = parseSince(text, now);
  return parsed?.kind === 'at' ? parsed.at : undefined;
}

export interface WindowInput {
  since: SinceOption;
  until: Date | undefined;
  /** The stored checkpoint (ISO), if any. */
  checkpoint: string | undefined;
  /** accept-orders-after resolved at `now`, if set. */
  acceptOrdersAfter: Date | undefined;
  /** Whether the token may read orders older than 60 days. */
  readAllOrders: boolean;
  now: Date;
}

export interface ImportWindow {
  /** Orders updated at or after this (undefined: no lower bound on updatedAt). */
  updatedSince: Date | undefined;
  updatedUntil: Date | undefined;
  /** Orders created at or after this. */
  createdAfter: Date;
  /** Where `updatedSince` came from, for the summary. */
  source: 'checkpoint' | 'flag' | 'first-run';
  /**
   * Whether this run may move the checkpoint: not when an explicit --since starts after it (or
   * there is none), since the time between the two has not been read by any run.
   */
  advancesCheckpoint: boolean;
  /** Set when accept-orders-after asked for more than the token may read. */
  clampedFrom: Date | undefined;
}

export function resolveWindow(input: WindowInput): ImportWindow {
  const floor = new Date(input.now.getTime() - SIXTY_DAYS_MS);
  let createdAfter = input.acceptOrdersAfter ?? floor;
  let clampedFrom: Date | undefined;
  if (!input.readAllOrders && createdAfter.getTime() < floor.getTime()) {
    clampedFrom = input.acceptOrdersAfter;
    createdAfter = floor;
  }
  const checkpoint = input.checkpoint !== undefined ? parseIsoDate(input.checkpoint) : undefined;
  if (input.since.kind === 'at') {
    return {
      updatedSince: input.since.at,
      updatedUntil: input.until,
      createdAfter,
      source: 'flag',
      clampedFrom,
      advancesCheckpoint: checkpoint !== undefined && input.since.at.getTime() <= checkpoint.getTime(),
    };
  }
  if (checkpoint) {
    return {
      updatedSince: new Date(checkpoint.getTime() - CHECKPOINT_OVERLAP_MS),
      updatedUntil: input.until,
      createdAfter,
      source: 'checkpoint',
      clampedFrom,
      advancesCheckpoint: true,
    };
  }
  return {
    updatedSince: undefined,
    updatedUntil: input.until,
    createdAfter,
    source: 'first-run',
    clampedFrom,
    advancesCheckpoint: true,
  };
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The terms that let Shopify drop, before they cost anything, the orders a new import would skip
 * anyway: open (not cancelled or archived), in one of the accepted financial statuses, with
 * nothing shipped yet (or not completely shipped, with include-partial-fulfillments). Each term
 * selects a superset of what the lifecycle accepts; the lifecycle still decides every order read.
 */
export function newOrderFilters(settings: {
  financialStatuses: readonly string[];
  includePartialFulfillments: boolean;
}): string[] {
  const financial = settings.financialStatuses.map((status) => `financial_status:${status}`);
  return [
    'status:open',
    financial.length === 1 ? (financial[0] as string) : `(${financial.join(' OR ')})`,
    settings.includePartialFulfillments ? 'fulfillment_status:unfulfilled' : 'fulfillment_status:unshipped',
  ];
}

/**
 * Shopify orders search syntax for the window. With `following` (the warehouse holds orders that
 * may have been created before the window, and must hear of every change to them) the search is
 * every order updated since the checkpoint: no created_at bound, no filters; the lifecycle tells
 * new orders outside the window apart. Otherwise only new orders can matter, and `filters`
 * (newOrderFilters) let Shopify leave out the ones that would be skipped.
 */
export function searchQuery(
  window: ImportWindow,
  options: { following?: boolean; filters?: readonly string[] } = {},
): string {
  const following = options.following === true && window.updatedSince !== undefined;
  const parts: string[] = [];
  if (window.updatedSince) parts.push(`updated_at:>='${iso(window.updatedSince)}'`);
  if (window.updatedUntil) parts.push(`updated_at:<='${iso(window.updatedUntil)}'`);
  if (!following) {
    parts.push(`created_at:>='${iso(window.createdAfter)}'`);
    parts.push(...(options.filters ?? []));
  }
  return parts.join(' ');
}

/**
 * Where the next run starts: the newest updatedAt handled, never beyond the run's start (a write
 * racing the run may carry an older timestamp), and never past the first order that failed
 * to deliver (so it is fetched again). Undefined keeps the old checkpoint.
 */
export function nextCheckpoint(input: {
  previous: string | undefined;
  newestHandled: string | undefined;
  firstFailed: string | undefined;
  runStartedAt: Date;
}): string | undefined {
  const candidates: number[] = [];
  if (input.newestHandled) candidates.push(Date.parse(input.newestHandled));
  else return input.previous;
  candidates.push(input.runStartedAt.getTime());
  if (input.firstFailed) candidates.push(Date.parse(input.firstFailed) - 1);
  const next = Math.min(...candidates.filter((n) => !Number.isNaN(n)));
  const prev = input.previous ? Date.parse(input.previous) : Number.NEGATIVE_INFINITY;
  // A checkpoint never moves back, except to retry a failure.
  if (next < prev && input.firstFailed === undefined) return input.previous;
  return new Date(next).toISOString();
}
