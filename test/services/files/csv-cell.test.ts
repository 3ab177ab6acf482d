import { describe, expect, it } from 'vitest';
import { guardCell } from '../../../src/services/files/csv-cell.js';

describe('guardCell: formulas neutralised, numbers and phone numbers intact', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['+cmd|"/c calc"!A1', `'+cmd|"/c calc"!A1`],
    ['-2+3+cmd|"/c calc"!A1', `'-2+3+cmd|"/c calc"!A1`],
    ['\tTAB', `'\tTAB`],
    ['\rCR', `'\rCR`],
    ['-5', '-5'],
    ['-12.50', '-12.50'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['+1 (555) 010-9999', '+1 (555) 010-9999'],
    ['TEE-BLK-M', 'TEE-BLK-M'],
    ['#1001', '#1001'],
    ['-', `'-`],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(guardCell(input)).toBe(expected);
  });

  it('writes numbers and absent values as they are', () => {
    expect(guardCell(-3)).toBe('-3');
    expect(guardCell(null)).toBe('');
    expect(guardCell(undefined)).toBe('');
  });
});
