import { UsageError } from '../../core/errors.js';
import {
  ACTIVITY_RATE_FORMS,
  type ActivityRate,
  ActivityRateError,
  parseActivityRate,
} from '../../sandbox/activity/rate.js';

export type SandboxPlanName = 'standard' | 'advanced' | 'plus' | 'enterprise';
const PLANS: readonly SandboxPlanName[] = ['standard', 'advanced', 'plus', 'enterprise'];

export interface SandboxCommandOptions {
  port: number;
  orders: number;
  seed: number;
  plan: SandboxPlanName;
  autoApprove: boolean;
  faults: string | undefined;
  tokenTtlSeconds: number | undefined;
  /** `--activity <rate>`: the store changes on its own at this rate. */
  activity: ActivityRate | undefined;
}

export const MAX_ORDERS = 100_000;

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
    orders: integer('--orders', flags.orders ?? 50, 0, MAX_ORDERS),
    seed: integer('--seed', flags.seed ?? 1, 0, 2 ** 31 - 1),
    plan,
    autoApprove: flags.autoApprove === true,
    faults,
    tokenTtlSeconds:
      flags.tokenTtl === undefined
        ? undefined
        : integer('--token-ttl', flags.tokenTtl, 1, 10 * 365 * 24 * 3600),
    activity: flags.activity === undefined ? undefined : activityRate(flags.activity),
  };
}
