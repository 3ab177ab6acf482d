import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatRowError, parseRows, rowFields } from '../../../src/services/files/rows.js';

const stock = {
  columns: ['sku', 'quantity'],
  required: ['sku', 'quantity'],
  schema: z.strictObject({
    store: z.string().optional(),
    sku: rowFields.text(255),
    quantity: rowFields.count(0),
  }),
};

describe('parseRows', () => {
  it('reads CSV with a BOM, CRLF line ends and quoted fields', () => {
    const text = '\uFEFFsku,quantity\r\n"TEE,BLK",4\r\nMUG-CLASSIC,"7"\r\n';
    const file = parseRows('stock.csv', text, stock);
    expect(file.errors).toEqual([]);
    expect(file.rows).toEqual([
      { line: 2, value: { sku: 'TEE,BLK', quantity: 4 } },
      { line: 3, value: { sku: 'MUG-CLASSIC', quantity: 7 } },
    ]);
  });

  it('names file, line and field of each bad row and keeps the good ones', () => {
    const text = 'sku,quantity\nA,-1\nB,2.5\nC,x\n,3\nD,5\n';
    const file = parseRows('stock.csv', text, stock);
    expect(file.rows.map((r) => r.value.sku)).toEqual(['D']);
    expect(file.errors.map(formatRowError)).toEqual([
      'stock.csv:2: quantity: must be 0 or more',
      'stock.csv:3: quantity: must be a whole number',
      'stock.csv:4: quantity: must be a number',
      'stock.csv:5: sku: is required',
    ]);
  });

  it('refuses a header with missing or unknown columns, naming the header expected', () => {
    const missing = parseRows('stock.csv', 'sku\nA\n', stock);
    expect(missing.rows).toEqual([]);
    expect(formatRowError(missing.errors[0]!)).toContain('stock.csv:1: quantity: missing column quantity');
    const unknown = parseRows('stock.csv', 'sku,qty\nA,1\n', stock);
    expect(unknown.errors.map((e) => e.message).join(' ')).toContain('unknown column "qty"');
  });

  it('accepts a leading store column', () => {
    const file = parseRows('stock.csv', 'store,sku,quantity\nacme.myshopify.com,A,1\n', stock);
    expect(file.rows[0]?.value).toEqual({ store: 'acme.myshopify.com', sku: 'A', quantity: 1 });
  });

  it('refuses a row with the wrong number of fields', () => {
    const file = parseRows('stock.csv', 'sku,quantity\nA,1,9\nB,2\n', stock);
    expect(file.rows.map((r) => r.value.sku)).toEqual(['B']);
    expect(file.errors[0]).toMatchObject({ line: 2, message: 'has 3 fields, the header has 2' });
  });

  it('refuses bytes that are not UTF-8 in that row only', () => {
    const bytes = Buffer.concat([
      Buffer.from('sku,quantity\nA'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',1\nB,2\n'),
    ]);
    const file = parseRows('stock.csv', bytes, stock);
    expect(file.rows.map((r) => r.value.sku)).toEqual(['B']);
    expect(file.errors[0]).toMatchObject({ line: 2, field: 'sku', message: 'is not valid UTF-8 text' });
  });

  it('reads JSON lines, numbers or strings, and reports bad lines', () => {
    const text =
      '{"sku":"A","quantity":3}\n\n{"sku":"B","quantity":"4"}\nnot json\n{"sku":"C","quantity":1,"extra":1}\n[1]\n';
    const file = parseRows('stock.jsonl', text, stock);
    expect(file.rows).toEqual([
      { line: 1, value: { sku: 'A', quantity: 3 } },
      { line: 3, value: { sku: 'B', quantity: 4 } },
    ]);
    expect(file.errors.map(formatRowError)).toEqual([
      'stock.jsonl:4: is not valid JSON',
      'stock.jsonl:5: unknown field extra',
      'stock.jsonl:6: is not a JSON object',
    ]);
  });

  it('reports an unterminated quote with its line instead of losing the file silently', () => {
    const file = parseRows('stock.csv', 'sku,quantity\nA,1\n"B,2\n', stock);
    expect(file.errors).toHaveLength(1);
    expect(file.errors[0]?.message).toMatch(/not readable as CSV/);
  });

  it('refuses a huge line', () => {
    const file = parseRows(
      'stock.jsonl',
      `{"sku":"${'x'.repeat(70_000)}","quantity":1}\n{"sku":"B","quantity":1}\n`,
      stock,
    );
    expect(file.rows.map((r) => r.value.sku)).toEqual(['B']);
    expect(file.errors[0]?.line).toBe(1);
  });
});
