import { describe, expect, it } from 'vitest';
import { apiVersionsAt, resolveApiVersion } from '../../../src/sandbox/graphql/versions.js';

describe('API versions', () => {
  it('supports the last four quarterly versions, newest first', () => {
    expect(apiVersionsAt(new Date('2027-02-10T00:00:00Z'))).toEqual({
      supported: ['2027-01', '2026-10', '2026-07', '2026-04'],
      latest: '2027-01',
      oldest: '2026-04',
      releaseCandidate: '2027-04',
    });
  });

  it('never treats its own schema version (2026-10) as unreleased', () => {
    expect(apiVersionsAt(new Date('2026-02-01T00:00:00Z')).latest).toBe('2026-10');
  });

  it.each([
    ['2026-10', '2026-10'],
    ['2026-01', '2026-01'],
    ['2025-10', '2026-01'], // unsupported: the oldest supported version answers
    ['2019-04', '2026-01'],
    ['2027-01', '2027-01'], // release candidate
    ['unstable', 'unstable'],
    ['2027-04', undefined],
    ['2026-02', undefined],
    ['26-10', undefined],
    ['', undefined],
  ])('%j → %s', (requested, served) => {
    expect(resolveApiVersion(requested, new Date('2026-11-27T00:00:00Z'))).toBe(served);
  });
});
