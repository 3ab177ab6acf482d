import { describe, expect, it } from 'vitest';
import { crashHook } from '../../src/core/crash-points.js';
import { UsageError } from '../../src/core/errors.js';

describe('DSYNC_CRASH_AT', () => {
  it.each([
    [undefined, 'import.delivered', 5, 0],
    ['', 'import.delivered', 5, 0],
    ['import.delivered', 'import.delivered', 5, 1],
    ['import.delivered:3', 'import.delivered', 5, 1],
    ['import.delivered:3', 'import.delivered', 2, 0],
    ['import.delivered:3', 'import.recorded', 5, 0],
  ])('%j kills once at the n-th time the named point is reached', (value, point, reached, kills) => {
    let killed = 0;
    let at = -1;
    const hook = crashHook(value, () => {
      killed += 1;
    });
    for (let i = 1; i <= reached; i += 1) {
      const before = killed;
      hook(point as 'import.delivered');
      if (killed > before) at = i;
    }
    expect(killed).toBe(kills);
    if (kills > 0) expect(at).toBe(value?.includes(':') ? 3 : 1);
  });

  it.each([['nowhere'], ['import.delivered:x'], ['import.delivered:'], ['IMPORT.DELIVERED']])(
    'refuses %j as a usage error naming the points',
    (value) => {
      expect(() => crashHook(value, () => {})).toThrow(UsageError);
      expect(() => crashHook(value, () => {})).toThrow(/import\.delivered/);
    },
  );
});
