/**
 * Shopify's cost-based leaky bucket, one per access token. The bucket holds up to
 * `maximumAvailable` points and refills at `restoreRate` points per second. A request is charged
 * its requested cost up front (refused with THROTTLED when that is more than is available) and
 * refunded the difference once its actual cost is known.
 */

export type SandboxPlan = 'standard' | 'advanced' | 'plus' | 'enterprise';

export const SANDBOX_PLANS: readonly SandboxPlan[] = ['standard', 'advanced', 'plus', 'enterprise'];

export interface PlanLimits {
  /** Points restored per second (Shopify's documented per-plan rates). */
  restoreRate: number;
  /** Bucket size. 2000 is what a standard store reports; the others are 20 × the restore rate. */
  maximumAvailable: number;
}

export const PLAN_LIMITS: Record<SandboxPlan, PlanLimits> = {
  standard: { restoreRate: 100, maximumAvailable: 2000 },
  advanced: { restoreRate: 200, maximumAvailable: 4000 },
  plus: { restoreRate: 1000, maximumAvailable: 20000 },
  enterprise: { restoreRate: 2000, maximumAvailable: 40000 },
};

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    readonly limits: PlanLimits,
    nowMs: number,
  ) {
    this.available = limits.maximumAvailable;
    this.updatedAt = nowMs;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedAt) / 1000;
    this.available = Math.min(
      this.limits.maximumAvailable,
      this.available + elapsed * this.limits.restoreRate,
    );
    this.updatedAt = Math.max(this.updatedAt, nowMs);
  }

  /** Charges `cost` if it is available; otherwise charges nothing and returns false. */
  charge(cost: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back points charged but not used (never above the bucket size). */
  refund(points: number, nowMs: number): void {
    this.refill(nowMs);
    this.available = Math.min(this.limits.maximumAvailable, this.available + Math.max(0, points));
  }

  status(nowMs: number): ThrottleStatus {
    this.refill(nowMs);
    return {
      maximumAvailable: this.limits.maximumAvailable,
      // Shopify reports whole points.
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.limits.restoreRate,
    };
  }
}

/** One bucket per access token (Shopify: per app and store). */
export class Throttle {
  private readonly buckets = new Map<string, LeakyBucket>();

  constructor(
    readonly limits: PlanLimits,
    private readonly nowMs: () => number,
  ) {}

  bucket(accessToken: string): LeakyBucket {
    let bucket = this.buckets.get(accessToken);
    if (!bucket) {
      bucket = new LeakyBucket(this.limits, this.nowMs());
      this.buckets.set(accessToken, bucket);
    }
    return bucket;
  }

  now(): number {
    return this.nowMs();
  }
}

export function planLimits(plan: SandboxPlan, maximumAvailable?: number): PlanLimits {
  const base = PLAN_LIMITS[plan];
  return maximumAvailable === undefined ? base : { ...base, maximumAvailable };
}
