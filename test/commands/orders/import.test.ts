import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { importOptionsFromFlags } from '../../../src/commands/orders/import.js';
import { registerImport, registerOrders } from '../../../src/commands/orders/register.js';
import { UsageError } from '../../../src/core/errors.js';

const NOW = new Date('2026-11-26T12:00:00Z');

/** argv → the flags commander hands the import command (as `dsync <argv>` would). */
function flagsOf(argv: string[]): Record<string, unknown> {
  let flags: Record<string, unknown> | undefined;
  const program = new Command().exitOverride();
  const ctx = {
    action:
      () =>
      async (...args: unknown[]) => {
        flags = (args[args.length - 1] as Command).opts();
      },
  };
  registerImport(program, ctx);
  registerOrders(program, ctx);
  program.parse(argv, { from: 'user' });
  if (!flags) throw new Error('the import action did not run');
  return flags;
}

const options = (argv: string[]) => importOptionsFromFlags(flagsOf(argv), NOW);

function usageError(argv: string[]): UsageError {
  try {
    options(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('dsync import flags', () => {
  it.each([
    [['import'], 'last', undefined],
    [['import', '--since', '2h', '--until', '30m'], '2026-11-26T10:00:00.000Z', '2026-11-26T11:30:00.000Z'],
    [['import', '--until', '2d'], 'last', '2026-11-24T12:00:00.000Z'],
    [['import', '--until', '1w'], 'last', '2026-11-19T12:00:00.000Z'],
    [
      ['import', '--since', '2026-11-01', '--until', '2026-11-25T08:00:00Z'],
      '2026-11-01T00:00:00.000Z',
      '2026-11-25T08:00:00.000Z',
    ],
    [
      ['orders', 'import', '--since', '7d', '--until', '2026-11-26T12:00:00Z'],
      '2026-11-19T12:00:00.000Z',
      NOW.toISOString(),
    ],
  ])('%j → since %s, until %s', (argv, since, until) => {
    const parsed = options(argv);
    expect(parsed.since.kind === 'last' ? 'last' : parsed.since.at.toISOString()).toBe(since);
    expect(parsed.until?.toISOString()).toBe(until);
  });

  it.each([
    [['import'], undefined],
    [['import', '--bulk'], true],
    [['import', '--no-bulk'], false],
  ])('%j → bulk %s', (argv, bulk) => {
    expect(options(argv).bulk).toBe(bulk);
  });

  it.each([
    [['import', '--until', 'last'], '--until "last" is not a time'],
    [['import', '--until', 'tomorrow'], '--until "tomorrow" is not a time'],
    [['import', '--until', '0m'], '--until "0m" is not a time'],
    [
      ['import', '--since', '2h', '--until', '3h'],
      '--since 2h is after --until 3h: the window would be empty; did you mean --since 3h --until 2h?',
    ],
    [
      ['import', '--since', '2026-11-20', '--until', '7d'],
      '--since 2026-11-20 is after --until 7d: the window would be empty; did you mean --since 7d --until 2026-11-20?',
    ],
    [
      ['import', '--since', '2026-11-25', '--until', '2026-11-25T00:00:00Z'],
      '--since 2026-11-25 and --until 2026-11-25T00:00:00Z are the same time: the window would be empty',
    ],
    [
      ['import', '--since', '2026-12-01'],
      '--since 2026-12-01 is in the future (it is 2026-11-26T12:00:00Z now): no order can be in the window',
    ],
    [
      ['import', '--since', '2h', '--until', '2026-11-26T12:00:01Z'],
      '--until 2026-11-26T12:00:01Z is in the future (it is 2026-11-26T12:00:00Z now)',
    ],
    [['import', '--bulk', '--no-bulk'], '--bulk and --no-bulk cannot be used together'],
    [['import', '--no-bulk', '--bulk'], '--bulk and --no-bulk cannot be used together'],
    [['orders', 'import', '--no-bulk', '--bulk'], '--bulk and --no-bulk cannot be used together'],
  ])('%j is refused: %s', (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toBeTruthy();
  });
});
