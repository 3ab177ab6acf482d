import { normalizeShop } from '../../core/shop.js';
import {
  type CsvRecord,
  decodeText,
  detectFormat,
  parseCsvRecords,
  type RowError,
  STORE_COLUMN,
} from './rows.js';

/**
 * A warehouse file that holds several merchants: which store each row names, and each store's
 * share of the file. A store's share is the file with every other row blanked, so its rows keep
 * the file's own line numbers when the store's run reads it. Pure: the caller reads the bytes.
 */

/** A row's place in the file and the store cell it has (undefined when empty or absent). */
export interface StoreCell {
  /** First and last line of the row (a quoted CSV field may span lines). */
  line: number;
  endLine: number;
  store: string | undefined;
}

export interface StoreScan {
  /** Whether the file has a store column (CSV header) or any row naming a store (JSON lines). */
  hasColumn: boolean;
  /** Lines every share keeps: the CSV header. */
  headerLines: number;
  rows: StoreCell[];
}

/**
 * The store cell of every row; null when the file cannot be read this far (the store's run reads
 * it again and reports the problem by line).
 */
export function scanStores(name: string, input: string | Uint8Array): StoreScan | null {
  const text = typeof input === 'string' ? input : decodeText(input);
  return detectFormat(name, text) === 'csv' ? scanCsv(text) : scanJsonl(text);
}

function cell(value: unknown): string | undefined {
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function scanCsv(text: string): StoreScan | null {
  let parsed: CsvRecord[];
  try {
    parsed = parseCsvRecords(text);
  } catch {
    return null;
  }
  const [head, ...body] = parsed;
  if (!head) return null;
  const at = head.record.findIndex((h) => h.trim().toLowerCase() === STORE_COLUMN);
  const rows = body.map(({ record, info }) => ({
    line: info.lines - (record.join(',').match(/\n/g)?.length ?? 0),
    endLine: info.lines,
    store: at === -1 ? undefined : cell(record[at]),
  }));
  return { hasColumn: at !== -1, headerLines: head.info.lines, rows };
}

function scanJsonl(text: string): StoreScan {
  const rows: StoreCell[] = [];
  let hasColumn = false;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((content, index) => {
      if (content.trim() === '') return;
      let store: string | undefined;
      try {
        const value: unknown = JSON.parse(content);
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const named = (value as Record<string, unknown>)[STORE_COLUMN];
          if (named !== undefined) hasColumn = true;
          store = cell(named);
        }
      } catch {
        store = undefined;
      }
      rows.push({ line: index + 1, endLine: index + 1, store });
    });
  return { hasColumn, headerLines: 0, rows };
}

/** Each configured store's rows, and the rows no configured store can take. */
export interface StoreGroups {
  /** Shop → its rows, in the order of `configured`; stores no row names are left out. */
  groups: Map<string, StoreCell[]>;
  refused: RowError[];
}

/**
 * Groups rows by the store they name. A row naming a store that is not configured, naming no
 * store at all, or whose store cell is not a shop name is refused by line; the others still go.
 */
export function groupByStore(
  file: string,
  rows: readonly StoreCell[],
  configured: readonly string[],
): StoreGroups {
  const byShop = new Map<string, StoreCell[]>();
  const refused: RowError[] = [];
  const refuse = (line: number, message: string) =>
    refused.push({ file, line, field: STORE_COLUMN, message });
  for (const row of rows) {
    if (row.store === undefined) {
      refuse(
        row.line,
        'is empty; name the row’s store, or run with --store <shop> to let empty cells mean that store',
      );
      continue;
    }
    let shop: string;
    try {
      shop = normalizeShop(row.store);
    } catch {
      refuse(row.line, `${JSON.stringify(row.store)} is not a store name (acme or acme.myshopify.com)`);
      continue;
    }
    if (!configured.includes(shop)) {
      refuse(
        row.line,
        `store ${shop} is not configured; configured: ${configured.join(', ') || 'none'} — run \`dsync auth login --store ${shop}\``,
      );
      continue;
    }
    const list = byShop.get(shop) ?? [];
    list.push(row);
    byShop.set(shop, list);
  }
  const groups = new Map<string, StoreCell[]>();
  for (const shop of configured) {
    const list = byShop.get(shop);
    if (list) groups.set(shop, list);
  }
  return { groups, refused };
}

/**
 * The file with only the header and the given rows; every other line is emptied, its line end
 * kept, so each kept row is on the line it has in the file.
 */
export function shareOf(input: string | Uint8Array, headerLines: number, rows: readonly StoreCell[]): string {
  const text = typeof input === 'string' ? input : decodeText(input);
  const keep = new Set<number>();
  for (let line = 1; line <= headerLines; line += 1) keep.add(line);
  for (const row of rows) for (let line = row.line; line <= row.endLine; line += 1) keep.add(line);
  const parts = text.split(/(\r\n|\r|\n)/);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) {
    const line = i / 2 + 1;
    if (keep.has(line)) out += parts[i] ?? '';
    out += parts[i + 1] ?? '';
  }
  return out;
}
