import { Prng } from '../data/prng.js';
import type { ActivityRate } from './rate.js';

/** Time and timers for the scheduler, so tests can run hours of activity without waiting. */
export interface ActivityClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: ActivityClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A running activity alone never keeps the process alive.
    timer.unref?.();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One tick of the schedule: what the tick is given to decide and do its change. */
export interface Tick {
  /** 0, 1, 2, … */
  index: number;
  /** The tick's own random stream: the same for the same seed and index, whatever came before. */
  rng: Prng;
}

export interface SchedulerOptions {
  rate: ActivityRate;
  seed: number;
  clock?: ActivityClock;
  /** Does one change. Ticks never overlap: the next waits until this one settles. */
  tick(tick: Tick): Promise<void>;
  /** A tick that threw (a bug): reported, and the schedule goes on. */
  onError?(error: unknown): void;
}

export interface Scheduler {
  /** Stops after the tick in progress, if any, has settled. */
  stop(): Promise<void>;
}

/** Gaps longer than this many mean gaps are cut short, so a slow rate never stalls for long. */
const LONGEST_GAP = 4;

/**
 * The wait before each change: exponential gaps (changes arrive like a Poisson process, as a
 * real store's do) averaging 1/rate, drawn from the seed, so the same seed and rate give the
 * same timetable.
 */
export function activityGaps(rate: ActivityRate, seed: number): () => number {
  const rng = Prng.derive(seed, 0x5c4e);
  const mean = 1000 / rate.perSecond;
  return () => Math.min(-Math.log(1 - rng.next()) * mean, LONGEST_GAP * mean);
}

/** The tick stream for a seed: tick `index` draws from its own generator. */
export function tickRng(seed: number, index: number): Prng {
  return Prng.derive(seed, 0xac71, index);
}

/**
 * Runs `tick` at the activity rate until stopped. Each change is due a seeded gap after the
 * previous one was due; when a change takes longer than the gap, the next one starts at once
 * (without bunching up a backlog).
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? realClock;
  const gap = activityGaps(options.rate, options.seed);
  let stopped = false;
  let timer: unknown;
  let running: Promise<void> | null = null;
  let index = 0;
  let due = clock.now() + gap();

  const schedule = () => {
    if (stopped) return;
    timer = clock.setTimer(fire, Math.max(0, due - clock.now()));
  };
  const fire = () => {
    timer = undefined;
    if (stopped) return;
    const tick: Tick = { index, rng: tickRng(options.seed, index) };
    index++;
    running = options
      .tick(tick)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = null;
        due = Math.max(due + gap(), clock.now());
        schedule();
      });
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
      if (running) await running;
    },
  };
}
