import { describe, expect, it } from 'vitest';
import { LeakyBucket, PLAN_LIMITS, planLimits, Throttle } from '../../../src/sandbox/graphql/throttle.js';

describe('leaky bucket', () => {
  it('starts full, charges up front and refunds the unused part', () => {
    const bucket = new LeakyBucket({ restoreRate: 100, maximumAvailable: 2000 }, 0);
    expect(bucket.status(0).currentlyAvailable).toBe(2000);
    expect(bucket.charge(651, 0)).toBe(true);
    expect(bucket.status(0).currentlyAvailable).toBe(1349);
    bucket.refund(651 - 134, 0);
    expect(bucket.status(0).currentlyAvailable).toBe(1866);
  });

  it('refuses without charging when the cost is more than is available', () => {
    const bucket = new LeakyBucket({ restoreRate: 100, maximumAvailable: 1000 }, 0);
    expect(bucket.charge(900, 0)).toBe(true);
    expect(bucket.charge(101, 0)).toBe(false);
    expect(bucket.status(0).currentlyAvailable).toBe(100);
    expect(bucket.charge(100, 0)).toBe(true);
  });

  it.each([
    // [restore rate, elapsed ms, available after draining to 0]
    [100, 0, 0],
    [100, 10, 1],
    [100, 1000, 100],
    [200, 2500, 500],
    [1000, 1500, 1500],
    [2000, 60_000, 2000], // capped at the bucket size
  ])('restores %i points/s: after %i ms → %i', (restoreRate, elapsed, expected) => {
    const bucket = new LeakyBucket({ restoreRate, maximumAvailable: 2000 }, 0);
    bucket.charge(2000, 0);
    expect(bucket.status(elapsed).currentlyAvailable).toBe(expected);
  });

  it('never refunds above the bucket size', () => {
    const bucket = new LeakyBucket({ restoreRate: 100, maximumAvailable: 2000 }, 0);
    bucket.charge(10, 0);
    bucket.refund(500, 0);
    expect(bucket.status(0).currentlyAvailable).toBe(2000);
  });

  it('keeps one bucket per token', () => {
    const throttle = new Throttle(PLAN_LIMITS.standard, () => 0);
    throttle.bucket('a').charge(2000, 0);
    expect(throttle.bucket('a').status(0).currentlyAvailable).toBe(0);
    expect(throttle.bucket('b').status(0).currentlyAvailable).toBe(2000);
  });
});

describe('plans', () => {
  it.each([
    ['standard', 100, 2000],
    ['advanced', 200, 4000],
    ['plus', 1000, 20000],
    ['enterprise', 2000, 40000],
  ] as const)('%s restores %i/s into a bucket of %i', (plan, rate, max) => {
    expect(planLimits(plan)).toEqual({ restoreRate: rate, maximumAvailable: max });
  });

  it('lets the bucket size be overridden', () => {
    expect(planLimits('standard', 50)).toEqual({ restoreRate: 100, maximumAvailable: 50 });
  });
});
