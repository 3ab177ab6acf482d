import { describe, expect, it } from 'vitest';
import { FaultPlan, FaultSpecError, parseFaultSpec } from '../../../src/sandbox/graphql/faults.js';

describe('fault spec', () => {
  it.each([
    ['500@3', [{ kind: 'status', status: 500, from: 3, count: 1 }]],
    ['429@2:retry-after=1', [{ kind: 'status', status: 429, from: 2, count: 1, retryAfterSeconds: 1 }]],
    ['429', [{ kind: 'status', status: 429, from: 1, count: 1, retryAfterSeconds: 2 }]],
    ['reset@5', [{ kind: 'reset', from: 5, count: 1 }]],
    ['slow@4:ms=2000', [{ kind: 'slow', from: 4, count: 1, delayMs: 2000 }]],
    ['slow', [{ kind: 'slow', from: 1, count: 1, delayMs: 2000 }]],
    ['500x2', [{ kind: 'status', status: 500, from: 1, count: 2 }]],
    ['503@2x3:retry-after=0.5', [{ kind: 'status', status: 503, from: 2, count: 3, retryAfterSeconds: 0.5 }]],
    ['throttled@6', [{ kind: 'throttled', from: 6, count: 1 }]],
    [
      ' 500@1 , reset@2 ',
      [
        { kind: 'status', status: 500, from: 1, count: 1 },
        { kind: 'reset', from: 2, count: 1 },
      ],
    ],
    ['', []],
  ])('%j', (spec, expected) => {
    expect(parseFaultSpec(spec)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it.each([
    ['boom@1', /unknown kind "boom"/],
    ['200@1', /between 400 and 599/],
    ['500@0', /counts from 1/],
    ['500x0', /at least 1/],
    ['500@x', /invalid fault "500@x"/],
    ['slow:ms=abc', /"ms=abc" is not key=number/],
    ['reset:retry-after=1', /"retry-after" does not apply to reset/],
    ['500:ms=1', /"ms" does not apply to 500/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('fault plan', () => {
  it('answers the requests the rules name, in order, deterministically', () => {
    const plan = new FaultPlan(parseFaultSpec('500x2,reset@4,429@4,slow@6'));
    const seen = Array.from({ length: 7 }, () => plan.next()?.source ?? '-');
    expect(seen).toEqual(['500x2', '500x2', '-', 'reset@4', '-', 'slow@6', '-']);
    expect(plan.requests).toBe(7);
  });
});
