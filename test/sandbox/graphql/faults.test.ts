import { describe, expect, it } from 'vitest';
import {
  drawMixFault,
  FaultPlan,
  FaultSpecError,
  parseFaultSpec,
  SLOW_PAST_CLIENT_TIMEOUT_MS,
  seededUniform,
  THROTTLED_BURST,
} from '../../../src/sandbox/graphql/faults.js';

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
    ['lost@7', [{ kind: 'lost', from: 7, count: 1 }]],
    ['revoke@40', [{ kind: 'revoke', from: 40, count: Number.POSITIVE_INFINITY }]],
    ['bulk-failed@2:objects=50', [{ kind: 'bulk-failed', from: 2, count: 1, objects: 50 }]],
    ['bulk-failed', [{ kind: 'bulk-failed', from: 1, count: 1, objects: 100 }]],
    ['bulk-stuck@1x2', [{ kind: 'bulk-stuck', from: 1, count: 2 }]],
    [
      'mix:rate=0.1:seed=7',
      [
        {
          kind: 'mix',
          rate: 0.1,
          seed: 7,
          delayMs: SLOW_PAST_CLIENT_TIMEOUT_MS,
          retryAfterSeconds: 1,
          count: Number.POSITIVE_INFINITY,
        },
      ],
    ],
    [
      'mix:rate=1:seed=2:slow-ms=2500:retry-after=0',
      [{ kind: 'mix', rate: 1, seed: 2, delayMs: 2500, retryAfterSeconds: 0 }],
    ],
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
    ['mix:rate=2', /rate is a probability/],
    ['mix@3:rate=0.1', /no @N or xM/],
    ['mix:ms=1', /"ms" does not apply to mix/],
    ['revoke:objects=1', /"objects" does not apply to revoke/],
    ['bulk-stuck:objects=1', /"objects" does not apply to bulk-stuck/],
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

describe('seeded mix', () => {
  const query = { mutation: false, bulkQuery: false };
  const mutation = { mutation: true, bulkQuery: false };
  const bulk = { mutation: true, bulkQuery: true };
  const [mix] = parseFaultSpec('mix:rate=0.1:seed=7');

  it('draws uniform numbers that depend only on seed, request and stream', () => {
    const draws = Array.from({ length: 20_000 }, (_, i) => seededUniform(7, i + 1, 0));
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(seededUniform(7, 5, 0)).toBe(seededUniform(7, 5, 0));
    expect(seededUniform(7, 5, 0)).not.toBe(seededUniform(8, 5, 0));
    expect(seededUniform(7, 5, 0)).not.toBe(seededUniform(7, 5, 1));
  });

  it('faults about `rate` of the requests, the same ones for the same seed', () => {
    const faulted = (seed: number) =>
      Array.from({ length: 5000 }, (_, i) => i + 1).filter(
        (n) => drawMixFault({ ...mix!, seed }, n, query) !== undefined,
      );
    const seven = faulted(7);
    expect(seven.length).toBeGreaterThan(400);
    expect(seven.length).toBeLessThan(600);
    expect(faulted(7)).toEqual(seven);
    expect(faulted(8)).not.toEqual(seven);
  });

  it('draws every kind; lost answers only for mutations; bulk queries fail with partial data', () => {
    const always = { ...mix!, rate: 1 };
    const kinds = (shape: typeof query) =>
      new Set(
        Array.from({ length: 2000 }, (_, i) => {
          const f = drawMixFault(always, i + 1, shape);
          return f?.kind === 'status' || f?.kind === 'applied-status' ? `${f.kind}:${f.status}` : f?.kind;
        }),
      );
    expect([...kinds(query)].sort()).toEqual(
      ['reset', 'slow', 'status:429', 'status:500', 'status:502', 'status:503', 'throttled'].sort(),
    );
    expect([...kinds(mutation)].sort()).toEqual(
      [
        'applied-reset',
        'applied-status:500',
        'reset',
        'slow',
        'status:429',
        'status:500',
        'status:502',
        'status:503',
        'throttled',
      ].sort(),
    );
    expect([...kinds(bulk)]).toEqual(['bulk-failed']);
    const slow = Array.from({ length: 200 }, (_, i) => drawMixFault(always, i + 1, query)).find(
      (f) => f?.kind === 'slow',
    );
    expect(slow).toEqual({ kind: 'slow', delayMs: SLOW_PAST_CLIENT_TIMEOUT_MS });
    expect(SLOW_PAST_CLIENT_TIMEOUT_MS).toBeGreaterThan(60_000);
    const late = Array.from({ length: 200 }, (_, i) => drawMixFault(always, i + 1, query)).find(
      (f) => f?.kind === 'status' && f.status === 429,
    );
    expect(late).toEqual({ kind: 'status', status: 429, retryAfterSeconds: 1 });
  });

  it('turns a THROTTLED draw into a burst, and counts what it injected', () => {
    const plan = new FaultPlan(parseFaultSpec('mix:rate=0.3:seed=3'));
    const answers = Array.from({ length: 400 }, () => plan.resolve(plan.ticket(), query));
    const first = answers.findIndex((a) => a !== undefined && a !== 'revoke' && a.kind === 'throttled');
    expect(first).toBeGreaterThanOrEqual(0);
    for (let i = first; i < first + THROTTLED_BURST; i++) {
      expect(answers[i]).toEqual({ kind: 'throttled' });
    }
    const total = Object.values(plan.injected).reduce((a, b) => a + b, 0);
    expect(total).toBe(answers.filter((a) => a !== undefined).length);
    expect(plan.requests).toBe(400);
  });

  it('lets fixed rules win over the mix, revokes once, and counts bulk queries apart', () => {
    const plan = new FaultPlan(parseFaultSpec('500@2,lost@3,revoke@4,bulk-stuck@2,mix:rate=0'));
    const answers = Array.from({ length: 6 }, () => plan.resolve(plan.ticket(), query));
    expect(answers).toEqual([
      undefined,
      { kind: 'status', status: 500 },
      { kind: 'applied-reset' },
      'revoke',
      undefined,
      undefined,
    ]);
    expect([plan.nextBulk(), plan.nextBulk(), plan.nextBulk()]).toEqual([
      undefined,
      { kind: 'bulk-stuck' },
      undefined,
    ]);
  });
});
