import { describe, expect, it } from 'vitest';
import { parseRows, type RowSpec } from '../../../src/services/files/rows.js';
import { STOCK_SPEC } from '../../../src/services/inventory/stock-file.js';
import { RECEIPT_SPEC } from '../../../src/services/returns/receive.js';
import { SHIPMENT_SPEC } from '../../../src/services/ship/index.js';

/**
 * Broken and hostile warehouse files against the three real file specs (shipments, stock,
 * received returns): every problem is named by line and field, good rows still come through,
 * and nothing is read into the wrong field.
 */
const SPECS: [string, RowSpec<unknown>, string, string][] = [
  [
    'shipments',
    SHIPMENT_SPEC as RowSpec<unknown>,
    'order,sku,quantity,carrier,tracking_number,tracking_url',
    '#1001,TEE-BLK-M,1,UPS,1Z1,',
  ],
  ['stock', STOCK_SPEC as RowSpec<unknown>, 'sku,quantity', 'TEE-BLK-M,4'],
  [
    'received',
    RECEIPT_SPEC as RowSpec<unknown>,
    'return,sku,quantity,disposition',
    '#1001-R1,TEE-BLK-M,1,restocked',
  ],
];

/** The same row with its quantity cell replaced. */
function withQuantity(header: string, row: string, quantity: string): string {
  const at = header.split(',').indexOf('quantity');
  return row
    .split(',')
    .map((cell, i) => (i === at ? quantity : cell))
    .join(',');
}

describe.each(SPECS)('%s files', (_name, spec, header, good) => {
  const csv = (...rows: string[]) => `${header}\n${rows.join('\n')}\n`;

  it.each([
    ['-1', /./],
    ['1.5', /./],
    ['1e3', /./],
    ['0x10', /./],
    [' 2 ', null],
    ['99999999999999999999', /./],
    ['Infinity', /./],
    ['NaN', /./],
  ])('quantity %j: refused with its line and field, the good row kept', (quantity, refused) => {
    const file = parseRows('f.csv', csv(good, withQuantity(header, good, quantity)), spec);
    if (refused === null) {
      expect(file.errors).toEqual([]);
      expect(file.rows).toHaveLength(2);
      return;
    }
    expect(file.rows.map((r) => r.line)).toEqual([2]);
    expect(file.errors).toEqual([expect.objectContaining({ file: 'f.csv', line: 3, field: 'quantity' })]);
  });

  it('a missing required column refuses the file at the header, naming the column and the header expected', () => {
    const cut = header.split(',').slice(1).join(',');
    const file = parseRows('f.csv', `${cut}\n${good.split(',').slice(1).join(',')}\n`, spec);
    expect(file.rows).toEqual([]);
    expect(file.errors).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining(`the header is ${header}`) }),
    ]);
  });

  it('columns in another order are read by name', () => {
    const columns = header.split(',');
    const cells = good.split(',');
    const order = columns.map((_, i) => columns.length - 1 - i);
    const file = parseRows(
      'f.csv',
      `${order.map((i) => columns[i]).join(',')}\n${order.map((i) => cells[i]).join(',')}\n`,
      spec,
    );
    expect(file.errors).toEqual([]);
    expect(file.rows.map((r) => r.value)).toEqual(
      parseRows('f.csv', csv(good), spec).rows.map((r) => r.value),
    );
  });

  it.each([['__proto__'], ['constructor'], ['prototype']])(
    'a %s column is an unknown column, not an object key',
    (column) => {
      const file = parseRows('f.csv', `${header},${column}\n${good},polluted\n`, spec);
      expect(file.rows).toEqual([]);
      expect(file.errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('unknown column') });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('BOM, CRLF, bare CR line ends and blank lines read the same rows', () => {
    const plain = parseRows('f.csv', csv(good, good), spec);
    for (const text of [
      `\uFEFF${header}\r\n${good}\r\n${good}\r\n`,
      `${header}\r${good}\r${good}\r`,
      `${header}\n\n${good}\n\n\n${good}\n`,
    ]) {
      const file = parseRows('f.csv', text, spec);
      expect(file.errors).toEqual([]);
      expect(file.rows.map((r) => r.value)).toEqual(plain.rows.map((r) => r.value));
    }
  });

  it('bytes that are not UTF-8 refuse that row only', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${header}\n${good}\n`),
      Buffer.from(good.replace('TEE-BLK-M', 'TEE-\xff\xfe-M'), 'latin1'),
      Buffer.from('\n'),
    ]);
    const file = parseRows('f.csv', bytes, spec);
    expect(file.rows.map((r) => r.line)).toEqual([2]);
    expect(file.errors).toEqual([expect.objectContaining({ line: 3, message: 'is not valid UTF-8 text' })]);
  });

  it('a huge CSV line is refused with its line, and the rows before it are kept', () => {
    const huge = good.replace('TEE-BLK-M', 'x'.repeat(70_000));
    const file = parseRows('f.csv', csv(good, huge, good), spec);
    expect(file.errors).toEqual([
      expect.objectContaining({
        line: 3,
        field: null,
        message: expect.stringContaining('longer than 64 KiB'),
      }),
    ]);
    expect(file.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('a huge JSON line is refused with its line; the other lines are read', () => {
    const record = Object.fromEntries(header.split(',').map((c, i) => [c, good.split(',')[i]]));
    const line = JSON.stringify(record);
    const huge = JSON.stringify({ ...record, sku: 'x'.repeat(70_000) });
    const file = parseRows('f.jsonl', `${line}\n${huge}\n${line}\n`, spec);
    expect(file.rows.map((r) => r.line)).toEqual([1, 3]);
    expect(file.errors).toEqual([expect.objectContaining({ line: 2 })]);
  });

  it.each([
    ['[1,2]'],
    ['"a string"'],
    ['null'],
    ['42'],
    ['{"__proto__":{"polluted":true}}'],
    ['{"sku":{"nested":"object"}}'],
    ['{not json'],
  ])('JSON line %s is refused with its line, the others read', (bad) => {
    const record = Object.fromEntries(header.split(',').map((c, i) => [c, good.split(',')[i]]));
    const file = parseRows('f.jsonl', `${JSON.stringify(record)}\n${bad}\n`, spec);
    expect(file.rows.map((r) => r.line)).toEqual([1]);
    expect(file.errors).toEqual([expect.objectContaining({ file: 'f.jsonl', line: 2 })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
