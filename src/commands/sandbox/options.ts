import { UsageError } from '../../core/errors.js';
import {
  ACTIVITY_RATE_FORMS,
  type ActivityRate,
  ActivityRateError,
  parseActivityRate,
} from '../../sandbox/activity/rate.js';
import { type BulkTiming, DEFAULT_BULK_TIMING } from '../../sandbox/data/bulk-timing.js';

/** The most stores `--shops` serves (the sandbox's MAX_SHOPS). */
const MAX_SHOPS = 1000;

export type SandboxPlanName = 'standard' | 'advanced' | 'plus' | 'enterprise';
const PLANS: readonly SandboxPlanName[] = ['standard', 'advanced', 'plus', 'enterprise'];

export interface SandboxCommandOptions {
  port: number;
  /** `--shops N`: stores served on the one origin. */
  shops: number;
  orders: number;
  /** `--products N`: generated products beyond the seeded catalog. */
  products: number;
  seed: number;
  plan: SandboxPlanName;
  autoApprove: boolean;
  faults: string | undefined;
  tokenTtlSeconds: number | undefined;
  /** `--activity <rate>`: the store changes on its own at this rate. */
  activity: ActivityRate | undefined;
  /** `--bulk-startup` / `--bulk-rate`: how long bulk operations take (Infinity = at once). */
  bulk: BulkTiming;
}

/** The forms `--bulk-startup` and `--bulk-rate` accept, for help and usage errors. */
export const BULK_STARTUP_FORMS = '<ms>, <n>ms or <n>s (0 = no queue wait)';
export const BULK_RATE_FORMS = '<n>, <n>/s or <n>/min objects, or "instant"';
/** An hour: longer start-up delays are a typo, not a test. */
const MAX_BULK_STARTUP_MS = 3_600_000;

export const MAX_ORDERS = 100_000;
export const MAX_PRODUCTS = 100_000;

function integer(flag: string, raw: unknown, min: number, max: number): number {
  const text = String(raw).trim();
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${String(raw)}"`, {
      hint: `dsync sandbox ${flag} ${min === 0 ? 0 : min}`,
    });
  }
  return value;
}

function activityRate(raw: unknown): ActivityRate {
  try {
    return parseActivityRate(String(raw));
  } catch (error) {
    if (!(error instanceof ActivityRateError)) throw error;
    throw new UsageError(`--activity: ${error.message}`, {
      hint: `dsync sandbox --activity 30/min   (accepted: ${ACTIVITY_RATE_FORMS})`,
    });
  }
}

/** `--bulk-startup 5000` | `5000ms` | `5s` → milliseconds. */
function bulkStartup(raw: unknown): number {
  const text = String(raw).trim().toLowerCase();
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!Number.isFinite(ms) || ms > MAX_BULK_STARTUP_MS) {
    throw new UsageError(
      `--bulk-startup must be a delay up to an hour: ${BULK_STARTUP_FORMS}, got "${String(raw)}"`,
      { hint: 'dsync sandbox --bulk-startup 5s' },
    );
  }
  return Math.round(ms);
}

/** `--bulk-rate 500` | `500/s` | `30000/min` | `instant` → objects per second. */
function bulkRate(raw: unknown): number {
  const text = String(raw).trim().toLowerCase();
  if (text === 'instant') return Number.POSITIVE_INFINITY;
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|min))?$/.exec(text);
  const perSecond = match ? Number(match[1]) / (match[2] === 'min' ? 60 : 1) : Number.NaN;
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new UsageError(`--bulk-rate must be more than 0: ${BULK_RATE_FORMS}, got "${String(raw)}"`, {
      hint: 'dsync sandbox --bulk-rate 500/s   (or --bulk-rate instant)',
    });
  }
  return perSecond;
}

/** `dsync sandbox` flags → options (no defaults hidden here: commander supplies them). */
export function parseSandboxFlags(flags: Record<string, unknown>): SandboxCommandOptions {
  const plan = String(flags.plan ?? 'standard') as SandboxPlanName;
  if (!PLANS.includes(plan)) {
    throw new UsageError(`--plan must be one of ${PLANS.join(', ')}, got "${plan}"`, {
      hint: 'dsync sandbox --plan standard',
    });
  }
  const faults = typeof flags.faults === 'string' && flags.faults.trim() !== '' ? flags.faults : undefined;
  return {
    port: integer('--port', flags.port ?? 3457, 0, 65535),
    shops: integer('--shops', flags.shops ?? 1, 1, MAX_SHOPS),
    orders: integer('--orders', flags.orders ?? 50, 0, MAX_ORDERS),
    products: integer('--products', flags.products ?? 0, 0, MAX_PRODUCTS),
    seed: integer('--seed', flags.seed ?? 1, 0, 2 ** 31 - 1),
    plan,
    autoApprove: flags.autoApprove === true,
    faults,
    tokenTtlSeconds:
      flags.tokenTtl === undefined
        ? undefined
        : integer('--token-ttl', flags.tokenTtl, 1, 10 * 365 * 24 * 3600),
    activity: flags.activity === undefined ? undefined : activityRate(flags.activity),
    bulk: {
      startupMs:
        flags.bulkStartup === undefined ? DEFAULT_BULK_TIMING.startupMs : bulkStartup(flags.bulkStartup),
      objectsPerSecond:
        flags.bulkRate === undefined ? DEFAULT_BULK_TIMING.objectsPerSecond : bulkRate(flags.bulkRate),
    },
  };
}
