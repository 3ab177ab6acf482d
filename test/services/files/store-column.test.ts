import { describe, expect, it } from 'vitest';
import { groupByStore, scanStores, shareOf } from '../../../src/services/files/store-column.js';
import { parseStockFile } from '../../../src/services/inventory/stock-file.js';

const A = 'acme.myshopify.com';
const B = 'bolt.myshopify.com';

describe('scanStores', () => {
  it('finds the store column of a CSV, with each row’s first and last line', () => {
    const scan = scanStores(
      'stock.csv',
      'SKU,Store,quantity\r\n\r\nTEE,acme,1\r\n"two\nlines",bolt.myshopify.com,2\r\nCAP, ,3\r\n',
    );
    expect(scan).toEqual({
      hasColumn: true,
      headerLines: 1,
      rows: [
        { line: 3, endLine: 3, store: 'acme' },
        { line: 4, endLine: 5, store: 'bolt.myshopify.com' },
        { line: 6, endLine: 6, store: undefined },
      ],
    });
  });

  it('a CSV without the column, and JSON lines without any store, have none', () => {
    expect(scanStores('s.csv', 'sku,quantity\nTEE,1\n')?.hasColumn).toBe(false);
    expect(scanStores('s.jsonl', '{"sku":"TEE","quantity":1}\n')?.hasColumn).toBe(false);
  });

  it('JSON lines: a row naming a store gives the file the column; unreadable lines have no store', () => {
    const scan = scanStores(
      's.jsonl',
      '{"store":"acme","sku":"TEE"}\n\nnot json\n{"sku":"CAP","store":""}\n',
    );
    expect(scan).toEqual({
      hasColumn: true,
      headerLines: 0,
      rows: [
        { line: 1, endLine: 1, store: 'acme' },
        { line: 3, endLine: 3, store: undefined },
        { line: 4, endLine: 4, store: undefined },
      ],
    });
  });

  it('a file the CSV reader cannot read is left to the store’s run to report', () => {
    expect(scanStores('s.csv', 'sku,quantity\n"unterminated,1\n')).toBeNull();
  });
});

describe('groupByStore', () => {
  const rows = [
    { line: 2, endLine: 2, store: 'bolt' },
    { line: 3, endLine: 3, store: 'ACME.myshopify.com' },
    { line: 4, endLine: 4, store: 'zeta' },
    { line: 5, endLine: 5, store: undefined },
    { line: 6, endLine: 6, store: 'not a shop!' },
    { line: 7, endLine: 7, store: 'acme' },
  ];

  it('groups rows by normalised store, in the configured order; refuses the rest by line', () => {
    const { groups, refused } = groupByStore('f.csv', rows, [A, B]);
    expect([...groups.entries()].map(([shop, list]) => [shop, list.map((r) => r.line)])).toEqual([
      [A, [3, 7]],
      [B, [2]],
    ]);
    expect(refused.map((e) => [e.line, e.field])).toEqual([
      [4, 'store'],
      [5, 'store'],
      [6, 'store'],
    ]);
    expect(refused[0]?.message).toBe(
      `store zeta.myshopify.com is not configured; configured: ${A}, ${B} — run \`dsync auth login --store zeta.myshopify.com\``,
    );
    expect(refused[1]?.message).toMatch(/^is empty; .*--store <shop>/);
    expect(refused[2]?.message).toMatch(/is not a store name/);
  });

  it('leaves out configured stores no row names', () => {
    const { groups } = groupByStore('f.csv', [{ line: 2, endLine: 2, store: 'bolt' }], [A, B]);
    expect([...groups.keys()]).toEqual([B]);
  });
});

describe('shareOf', () => {
  it('keeps the header and the store’s rows on their own lines, every other line emptied', () => {
    const text = 'store,sku,quantity\r\nacme,TEE,1\r\nbolt,"CAP\nX",2\r\nacme,SOCK,3\r\n';
    const share = shareOf(text, 1, [{ line: 3, endLine: 4, store: 'bolt' }]);
    expect(share).toBe('store,sku,quantity\r\n\r\nbolt,"CAP\nX",2\r\n\r\n');
    // Read as the store's run reads it, the row is where it is in the file.
    const parsed = parseStockFile('stock.csv', share);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.line)).toEqual([3]);
  });
});
