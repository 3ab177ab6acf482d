import { describe, expect, it } from 'vitest';
import { createPaint } from '../../src/core/paint.js';

describe('createPaint', () => {
  const on = createPaint(true);

  it('wraps text in the basic ANSI codes', () => {
    expect(on.green('ok')).toBe('\x1b[32mok\x1b[39m');
    expect(on.bold('KEY')).toBe('\x1b[1mKEY\x1b[22m');
    expect(on.gray('[debug]')).toBe('\x1b[90m[debug]\x1b[39m');
  });

  it('chains styles, outer first', () => {
    expect(on.green.bold('ok')).toBe('\x1b[32m\x1b[1mok\x1b[22m\x1b[39m');
  });

  it('reopens the outer style after a nested one closes', () => {
    expect(on.dim(`a ${on.dim('b')} c`)).toBe('\x1b[2ma \x1b[2mb\x1b[22m\x1b[2m c\x1b[22m');
  });

  it('closes and reopens around line breaks', () => {
    expect(on.red('a\nb')).toBe('\x1b[31ma\x1b[39m\n\x1b[31mb\x1b[39m');
  });

  it('works unbound, and leaves empty text empty', () => {
    const { yellow } = on;
    expect(yellow('w')).toBe('\x1b[33mw\x1b[39m');
    expect(on.cyan('')).toBe('');
  });

  it('returns the text unchanged when colour is off', () => {
    const off = createPaint(false);
    expect(off.green.bold('ok')).toBe('ok');
    expect(off.dim('a\nb')).toBe('a\nb');
  });
});
