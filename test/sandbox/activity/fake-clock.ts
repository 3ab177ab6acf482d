import type { ActivityClock } from '../../../src/sandbox/activity/scheduler.js';

/** Lets async work started by a timer run to its next wait on a timer (or to the end). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A clock whose time moves only when the test says so; timers fire in due order. */
export class FakeClock implements ActivityClock {
  private time: number;
  private seq = 0;
  private timers: { id: number; at: number; callback: () => void }[] = [];

  constructor(start = Date.parse('2026-11-20T12:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.push({ id, at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = end;
  }

  /** Advances in steps until `done()` holds (or gives up after `limitMs` of fake time). */
  async advanceUntil(done: () => boolean, stepMs = 1000, limitMs = 24 * 3600_000): Promise<void> {
    for (let spent = 0; !done(); spent += stepMs) {
      if (spent > limitMs) throw new Error('fake clock: condition never held');
      await this.advance(stepMs);
    }
  }
}
