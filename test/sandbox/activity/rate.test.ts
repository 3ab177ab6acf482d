import { describe, expect, it } from 'vitest';
import { parseSandboxFlags } from '../../../src/commands/sandbox/options.js';
import { UsageError } from '../../../src/core/errors.js';
import { ActivityRateError, parseActivityRate } from '../../../src/sandbox/activity/rate.js';

describe('parseActivityRate', () => {
  it.each([
    ['30/min', 30, 'min', 0.5, '30/min'],
    ['2/s', 2, 's', 2, '2/s'],
    ['120/h', 120, 'h', 120 / 3600, '120/h'],
    ['600/min', 600, 'min', 10, '600/min'],
    ['0.5/s', 0.5, 's', 0.5, '0.5/s'],
    [' 10 / minute ', 10, 'min', 10 / 60, '10/min'],
    ['3/sec', 3, 's', 3, '3/s'],
    ['5/mins', 5, 'min', 5 / 60, '5/min'],
    ['1/hour', 1, 'h', 1 / 3600, '1/h'],
    ['4/HR', 4, 'h', 4 / 3600, '4/h'],
  ])('%s', (raw, count, unit, perSecond, text) => {
    const rate = parseActivityRate(raw);
    expect(rate).toEqual({ count, unit, perSecond: expect.closeTo(perSecond, 12), text });
  });

  it.each(['', '30', 'fast', '30/', '/min', '30/day', '30/ms', '-2/s', '1e3/s', '2 per second'])(
    'refuses %j, naming the accepted forms',
    (raw) => {
      expect(() => parseActivityRate(raw)).toThrow(ActivityRateError);
      expect(() => parseActivityRate(raw)).toThrow('<n>/s, <n>/min or <n>/h');
    },
  );

  it('refuses a zero rate and one faster than the sandbox keeps up with', () => {
    expect(() => parseActivityRate('0/min')).toThrow('more than 0');
    expect(() => parseActivityRate('51/s')).toThrow('at most 50/s');
    expect(parseActivityRate('3000/min').perSecond).toBe(50);
  });
});

describe('dsync sandbox --activity', () => {
  const defaults = { port: '3457', orders: '50', seed: '1', plan: 'standard' };

  it('is off unless given', () => {
    expect(parseSandboxFlags(defaults).activity).toBeUndefined();
  });

  it('carries the parsed rate', () => {
    expect(parseSandboxFlags({ ...defaults, activity: '30/min' }).activity).toMatchObject({
      perSecond: 0.5,
      text: '30/min',
    });
  });

  it('is a usage error (exit 2) naming the accepted forms', () => {
    let error: unknown;
    try {
      parseSandboxFlags({ ...defaults, activity: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(
      /^--activity: "lots" is not a rate: use <n>\/s, <n>\/min or <n>\/h/,
    );
    expect((error as UsageError).hint).toContain('--activity 30/min');
  });
});
