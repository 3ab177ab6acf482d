import { describe, expect, it } from 'vitest';
import { ACTIVITY_MIX, drawActions } from '../../../src/sandbox/activity/mix.js';
import { parseActivityRate } from '../../../src/sandbox/activity/rate.js';
import { startScheduler, type Tick } from '../../../src/sandbox/activity/scheduler.js';
import { FakeClock } from './fake-clock.js';

interface Fired {
  index: number;
  at: number;
  draw: number;
}

/** Runs a scheduler on a fake clock until `count` ticks have fired; returns what fired when. */
async function run(rate: string, seed: number, count: number, work?: (tick: Tick) => Promise<void>) {
  const clock = new FakeClock(0);
  const fired: Fired[] = [];
  const scheduler = startScheduler({
    rate: parseActivityRate(rate),
    seed,
    clock,
    tick: async (tick) => {
      fired.push({ index: tick.index, at: clock.now(), draw: tick.rng.next() });
      await work?.(tick);
    },
  });
  const stepMs = 500 / parseActivityRate(rate).perSecond;
  await clock.advanceUntil(() => fired.length >= count, stepMs);
  await scheduler.stop();
  return { fired: fired.slice(0, count), clock };
}

describe('activity scheduler (fake clock)', () => {
  it('gives the same timetable and the same random draws for the same seed and rate', async () => {
    const a = await run('30/min', 7, 40);
    const b = await run('30/min', 7, 40);
    expect(b.fired).toEqual(a.fired);
    expect(a.fired.map((f) => f.index)).toEqual([...Array(40).keys()]);
  });

  it('gives another timetable for another seed', async () => {
    const a = await run('30/min', 7, 20);
    const c = await run('30/min', 8, 20);
    expect(c.fired.map((f) => f.at)).not.toEqual(a.fired.map((f) => f.at));
    expect(c.fired.map((f) => f.draw)).not.toEqual(a.fired.map((f) => f.draw));
  });

  it.each([
    ['30/min', 2000],
    ['2/s', 500],
    ['120/h', 30_000],
  ])('averages the rate: %s is one change every %i ms', async (rate, meanMs) => {
    const { fired } = await run(rate, 3, 400);
    const last = fired[fired.length - 1] as Fired;
    const mean = last.at / fired.length;
    expect(mean).toBeGreaterThan(meanMs * 0.85);
    expect(mean).toBeLessThan(meanMs * 1.15);
    // Gaps vary (a real store's changes do not come like clockwork) but never stall for long.
    const gaps = fired.slice(1).map((f, k) => f.at - (fired[k] as Fired).at);
    expect(new Set(gaps).size).toBeGreaterThan(100);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(meanMs * 4 + 1);
  });

  it('never overlaps ticks: a slow change holds the next one back, then the schedule resumes', async () => {
    let busy = false;
    let overlapped = false;
    const clock = new FakeClock(0);
    const fired: number[] = [];
    const scheduler = startScheduler({
      rate: parseActivityRate('10/s'),
      seed: 1,
      clock,
      tick: async (tick) => {
        if (busy) overlapped = true;
        busy = true;
        fired.push(clock.now());
        // The first change takes 5 s of the store's time.
        if (tick.index === 0) await new Promise<void>((resolve) => clock.setTimer(resolve, 5000));
        busy = false;
      },
    });
    await clock.advance(10_000);
    await scheduler.stop();
    expect(overlapped).toBe(false);
    const first = fired[0] as number;
    expect(fired[1]).toBeGreaterThanOrEqual(first + 5000);
    // No backlog burst after the slow one: about ten a second again, not fifty at once.
    expect(fired.filter((t) => t >= first + 5000 && t < first + 5100).length).toBeLessThanOrEqual(3);
    expect(fired.length).toBeGreaterThan(25);
  });

  it('stops: no tick after stop(), and stop() waits for the tick in progress', async () => {
    const clock = new FakeClock(0);
    let finished = 0;
    let started = 0;
    let release: () => void = () => {};
    const scheduler = startScheduler({
      rate: parseActivityRate('1/s'),
      seed: 2,
      clock,
      tick: async () => {
        started++;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        finished++;
      },
    });
    await clock.advanceUntil(() => started === 1, 100);
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await clock.advance(10);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(1);
    await clock.advance(60_000);
    expect(started).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('reports a tick that throws and goes on', async () => {
    const errors: unknown[] = [];
    const clock = new FakeClock(0);
    let ticks = 0;
    const scheduler = startScheduler({
      rate: parseActivityRate('5/s'),
      seed: 4,
      clock,
      onError: (error) => errors.push(error),
      tick: async (tick) => {
        ticks++;
        if (tick.index === 1) throw new Error('boom');
      },
    });
    await clock.advanceUntil(() => ticks >= 5, 200);
    await scheduler.stop();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('boom');
  });
});

describe('the mix', () => {
  it('draws every action once per tick, the first by weight', () => {
    let state = 0;
    const next = () => {
      state = (state * 9301 + 49297) % 233280;
      return state / 233280;
    };
    const firsts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const order = drawActions(next);
      expect(new Set(order).size).toBe(ACTIVITY_MIX.length);
      firsts.set(order[0] as string, (firsts.get(order[0] as string) ?? 0) + 1);
    }
    const total = ACTIVITY_MIX.reduce((sum, [, w]) => sum + w, 0);
    for (const [action, weight] of ACTIVITY_MIX) {
      expect((firsts.get(action) ?? 0) / 20_000).toBeCloseTo(weight / total, 1);
    }
  });
});
