import { describe, expect, it } from 'vitest';
import { colorEnabled, isInteractive } from '../../src/core/interactive.js';

describe('isInteractive', () => {
  const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {}, noInput: false };
  it.each([
    ['both TTYs', tty, true],
    ['stdin piped', { ...tty, stdinIsTTY: false }, false],
    ['stdout piped', { ...tty, stdoutIsTTY: undefined }, false],
    ['--no-input', { ...tty, noInput: true }, false],
    ['CI=true', { ...tty, env: { CI: 'true' } }, false],
    ['CI=0 does not count', { ...tty, env: { CI: '0' } }, true],
    ['DSYNC_NO_INPUT=1', { ...tty, env: { DSYNC_NO_INPUT: '1' } }, false],
  ])('%s', (_name, input, expected) => {
    expect(isInteractive(input)).toBe(expected);
  });
});

describe('colorEnabled', () => {
  it.each([
    ['TTY', { streamIsTTY: true, env: {}, noColor: false }, true],
    ['pipe', { streamIsTTY: false, env: {}, noColor: false }, false],
    ['NO_COLOR', { streamIsTTY: true, env: { NO_COLOR: '1' }, noColor: false }, false],
    ['--no-color', { streamIsTTY: true, env: {}, noColor: true }, false],
    ['TERM=dumb', { streamIsTTY: true, env: { TERM: 'dumb' }, noColor: false }, false],
    ['FORCE_COLOR on a pipe', { streamIsTTY: false, env: { FORCE_COLOR: '1' }, noColor: false }, true],
  ])('%s', (_name, input, expected) => {
    expect(colorEnabled(input)).toBe(expected);
  });
});
