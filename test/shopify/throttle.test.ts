import { describe, expect, it } from 'vitest';
import {
  MIN_THROTTLED_WAIT_MS,
  pacingDelayMs,
  requestUnits,
  retryAfterMs,
  ThrottleGate,
  throttledDelayMs,
} from '../../src/shopify/throttle.js';
import { backoffDelayMs } from '../../src/shopify/retry.js';

const T0 = 1_000_000;
const status = (currentlyAvailable: number, restoreRate = 100, maximumAvailable = 2000) => ({
  currentlyAvailable,
  restoreRate,
  maximumAvailable,
});

describe('pacingDelayMs', () => {
  it.each([
    { name: 'nothing observed yet', observed: undefined, cost: 500, elapsed: 0, wait: 0 },
    { name: 'enough points', observed: status(1000), cost: 500, elapsed: 0, wait: 0 },
    { name: 'exactly enough', observed: status(500), cost: 500, elapsed: 0, wait: 0 },
    { name: 'short by 100 at 100/s', observed: status(400), cost: 500, elapsed: 0, wait: 1000 },
    { name: 'refill since observed covers it', observed: status(400), cost: 500, elapsed: 1000, wait: 0 },
    { name: 'partial refill', observed: status(0), cost: 500, elapsed: 2000, wait: 3000 },
    { name: 'advanced plan restores faster', observed: status(0, 200), cost: 500, elapsed: 0, wait: 2500 },
    {
      name: 'negative balance after reservations',
      observed: status(-100),
      cost: 100,
      elapsed: 0,
      wait: 2000,
    },
    {
      name: 'cost above the bucket waits for a full bucket only',
      observed: status(0, 50, 1000),
      cost: 5000,
      elapsed: 0,
      wait: 20000,
    },
    {
      name: 'refill is capped at the bucket size',
      observed: status(0, 100, 1000),
      cost: 1000,
      elapsed: 60000,
      wait: 0,
    },
    { name: 'fractional waits round up', observed: status(0, 3), cost: 1, elapsed: 0, wait: 334 },
  ])('$name → $wait ms', ({ observed, cost, elapsed, wait }) => {
    const obs = observed ? { status: observed, observedAt: T0 } : undefined;
    expect(pacingDelayMs(obs, cost, T0 + elapsed)).toBe(wait);
  });
});

describe('throttledDelayMs', () => {
  it.each([
    { requested: 500, available: 100, rate: 50, wait: 8000 },
    { requested: 1000, available: 0, rate: 100, wait: 10000 },
    { requested: 102, available: 100, rate: 100, wait: MIN_THROTTLED_WAIT_MS },
    { requested: 5000, available: 0, rate: 100, wait: 20000 },
  ])(
    'requested $requested, available $available at $rate/s → $wait ms',
    ({ requested, available, rate, wait }) => {
      expect(throttledDelayMs(requested, status(available, rate))).toBe(wait);
    },
  );

  it('waits a second when Shopify gave no numbers', () => {
    expect(throttledDelayMs(undefined, undefined)).toBe(MIN_THROTTLED_WAIT_MS);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it.each([
    { header: undefined, ms: undefined },
    { header: '', ms: undefined },
    { header: '2', ms: 2000 },
    { header: '1.5', ms: 1500 },
    { header: 'Thu, 26 Nov 2026 12:00:05 GMT', ms: 5000 },
    { header: 'Thu, 26 Nov 2026 11:00:00 GMT', ms: 0 },
    { header: '86400', ms: 120000 },
    { header: 'soon', ms: undefined },
  ])('$header → $ms', ({ header, ms }) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    { attempt: 1, random: 1, ms: 500 },
    { attempt: 2, random: 1, ms: 1000 },
    { attempt: 3, random: 0.5, ms: 1000 },
    { attempt: 10, random: 1, ms: 10000 },
    { attempt: 4, random: 0, ms: 0 },
  ])('retry $attempt with random $random → $ms ms', ({ attempt, random, ms }) => {
    expect(backoffDelayMs(attempt, () => random)).toBe(ms);
  });
});

describe('ThrottleGate: estimates scale with the items a request asks for', () => {
  it('expects a nodes query for one id to cost a seventh of the same query for seven', () => {
    const gate = new ThrottleGate({ now: () => new Date(0), sleep: async () => {} });
    gate.observe('OrdersDetail', 728, undefined, 7);
    expect(gate.estimate('OrdersDetail', 7)).toBe(728);
    expect(gate.estimate('OrdersDetail', 1)).toBe(104);
    expect(requestUnits({ ids: ['a', 'b', 'c'], local: false })).toBe(3);
    expect(requestUnits({ first: 250 })).toBe(1);
  });
});
