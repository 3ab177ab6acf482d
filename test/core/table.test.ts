import { describe, expect, it } from 'vitest';
import { renderTable, visibleWidth } from '../../src/core/table.js';

describe('renderTable', () => {
  it('aligns columns by the widest cell and right-aligns numbers when asked', () => {
    const text = renderTable(
      [
        { header: 'NAME', value: (r: { name: string; qty: number }) => r.name },
        { header: 'QTY', value: (r) => String(r.qty), align: 'right' },
      ],
      [
        { name: 'Warehouse', qty: 5 },
        { name: 'Shop', qty: 120 },
      ],
    );
    expect(text.split('\n')).toEqual(['NAME       QTY', 'Warehouse    5', 'Shop       120']);
  });

  it('keeps alignment when cells are coloured', () => {
    const text = renderTable(
      [
        { header: 'A', value: (r: string) => r, style: (s) => `\x1b[32m${s}\x1b[39m` },
        { header: 'B', value: () => 'x' },
      ],
      ['long-value', 'v'],
    );
    const rows = text.split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(rows[1]?.indexOf('x')).toBe(rows[2]?.indexOf('x'));
    expect(visibleWidth('\x1b[1mab\x1b[22m')).toBe(2);
  });
});
