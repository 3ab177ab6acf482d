import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import {
  decodeText,
  detectFormat,
  parseRows,
  STORE_COLUMN,
  type RowFile,
  type RowSpec,
  rowFields,
} from '../files/rows.js';
import type { StockRow } from './plan.js';

/**
 * The stock file: CSV with the header `sku,quantity` (optionally led by `store`) or JSON lines
 * with the same fields. What `dsync inventory pull` writes is accepted unchanged: its
 * `available` column stands for `quantity`, and `on_hand`, `variant_id` and
 * `inventory_item_id` are read for information only.
 */

/** A CSV cell a spreadsheet guard prefixed with `'` (`'=SKU`, `'-10`): the text without it. */
export function unguard(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

const quantity = rowFields.count(0);

const schema = z
  .strictObject({
    store: rowFields.text(255).optional(),
    sku: rowFields.text(255).transform(unguard),
    quantity: quantity.optional(),
    available: quantity.optional(),
    on_hand: z.string().optional(),
    variant_id: rowFields.text(255).optional(),
    inventory_item_id: rowFields.text(255).optional(),
  })
  .superRefine((row, ctx) => {
    if (row.quantity === undefined && row.available === undefined)
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'is required' });
    else if (row.quantity !== undefined && row.available !== undefined && row.quantity !== row.available)
      ctx.addIssue({
        code: 'custom',
        path: ['available'],
        message: `is ${row.available} but quantity is ${row.quantity}; give one of them`,
      });
  })
  .transform((row): StockRow => {
    const out: StockRow = { sku: row.sku, quantity: row.quantity ?? row.available ?? 0 };
    if (row.store !== undefined) out.store = row.store;
    return out;
  });

export const STOCK_SPEC: RowSpec<StockRow> = {
  columns: ['sku', 'quantity', 'available', 'on_hand', 'variant_id', 'inventory_item_id'],
  required: ['sku'],
  schema,
};

export function parseStockFile(name: string, bytes: string | Uint8Array): RowFile<StockRow> {
  const text = typeof bytes === 'string' ? bytes : decodeText(bytes);
  if (detectFormat(name, text) === 'csv') {
    const header = csvHeader(text);
    const known = new Set([STORE_COLUMN, ...STOCK_SPEC.columns]);
    // Unknown columns are reported by the reader; a header of known columns lacking the quantity is named here.
    if (
      header?.every((h) => known.has(h)) &&
      header.includes('sku') &&
      !header.includes('quantity') &&
      !header.includes('available')
    ) {
      return {
        format: 'csv',
        rows: [],
        errors: [
          {
            file: name,
            line: 1,
            field: 'quantity',
            message: 'missing column quantity; the header is sku,quantity (optionally led by store)',
          },
        ],
      };
    }
  }
  return parseRows(name, text, STOCK_SPEC);
}

/** The CSV header's column names, lower-cased, or undefined when it cannot be read. */
function csvHeader(text: string): string[] | undefined {
  try {
    const [first] = parse(text, { bom: true, to_line: 1, relax_column_count: true }) as string[][];
    return first?.map((h) => h.trim().toLowerCase());
  } catch {
    return undefined;
  }
}
