import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { worstExit } from '../../../src/core/fleet/worst-exit.js';

describe('worstExit', () => {
  it.each([
    [[], ExitCode.ok],
    [[0, 0, 0], ExitCode.ok],
    [[0, 5, 0], ExitCode.locked],
    [[5, 3], ExitCode.partial],
    [[3, 1, 0], ExitCode.error],
    [[1, 4, 3], ExitCode.auth],
    [[4, 2, 1], ExitCode.usage],
    [[2, 130, 4], ExitCode.interrupted],
    [[0, 4, 0], ExitCode.auth],
  ] as [ExitCode[], ExitCode][])('%j → %i', (codes, worst) => {
    expect(worstExit(codes)).toBe(worst);
  });

  it('does not depend on the order of the stores', () => {
    const codes: ExitCode[] = [0, 3, 5, 1, 4, 2, 130];
    for (let i = 0; i < codes.length; i += 1) {
      const rotated = [...codes.slice(i), ...codes.slice(0, i)];
      expect(worstExit(rotated)).toBe(ExitCode.interrupted);
      expect(worstExit(rotated.filter((c) => c !== 130))).toBe(ExitCode.usage);
    }
  });
});
