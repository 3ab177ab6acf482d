import { describe, expect, it } from 'vitest';
import { formatDuration, terminalProgress } from '../../src/commands/orders/progress.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return {
    isTTY,
    columns: 100,
    written,
    write(text: string) {
      written.push(text);
      return true;
    },
  } as unknown as NodeJS.WritableStream & { isTTY: boolean; written: string[] };
}

describe('import progress', () => {
  it('draws count, rate and ETA on a terminal, and clears the line', () => {
    const out = stream(true);
    let now = 0;
    const progress = terminalProgress(out, () => now);
    now = 10_000;
    progress.update({ processed: 50, total: 150, delivered: 20, errors: 1, phase: 'fetching' });
    const line = out.written.at(-1) ?? '';
    expect(line).toContain('50/150 orders');
    expect(line).toContain('5.0/s');
    expect(line).toContain('ETA 20.0s');
    expect(line).toContain('20 sent');
    expect(line).toContain('1 errors');
    progress.clear();
    expect(out.written.at(-1)).toBe('\r\x1b[K');
  });

  it('says when the run waits for the API rate limit, instead of sitting on "counting"', () => {
    const out = stream(true);
    let now = 0;
    const progress = terminalProgress(out, () => now);
    progress.update({ processed: 0, total: undefined, delivered: 0, errors: 0, phase: 'counting' });
    now = 200;
    progress.waiting({ ms: 2500, reason: 'rate_limit' });
    expect(out.written.at(-1)).toContain('waiting 2.5s for the API rate limit');
    now = 1000;
    progress.update({ processed: 250, total: 1000, delivered: 250, errors: 0, phase: 'fetching' });
    expect(out.written.at(-1)).toContain('250/1000 orders');
    expect(out.written.at(-1)).toContain('waiting 2.5s for the API rate limit');
    // Once the wait is over the line is the plain count again; short waits are not mentioned.
    now = 5000;
    progress.waiting({ ms: 100, reason: 'rate_limit' });
    progress.update({ processed: 500, total: 1000, delivered: 500, errors: 0, phase: 'fetching' });
    expect(out.written.at(-1)).not.toContain('waiting');
    progress.waiting({ ms: 4000, reason: 'retry' });
    expect(out.written.at(-1)).toContain('waiting 4.0s to retry a failed request');
  });

  it('draws nothing off a terminal (cron gets the summary line only)', () => {
    const out = stream(false);
    const progress = terminalProgress(out, () => 1000);
    progress.update({ processed: 5, total: undefined, delivered: 0, errors: 0, phase: 'fetching' });
    progress.clear();
    expect(out.written).toEqual([]);
  });

  it.each([
    [0.25, '250ms'],
    [12.34, '12.3s'],
    [125, '2m05s'],
    [3725, '1h02m'],
  ])('formats %s s as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
