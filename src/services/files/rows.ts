import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { normalizeShop } from '../../core/shop.js';

/**
 * The warehouse's files (shipments, stock, received returns) as validated rows: CSV with a header
 * or JSON lines with the same fields. Every problem is tied to the file, the line and the field,
 * and a bad row never stops the good ones. Pure: the caller reads the bytes.
 */

export interface RowError {
  file: string;
  /** 1-based line in the file where the row starts (the header is line 1 of a CSV). */
  line: number;
  /** The column the problem is in, when there is one. */
  field: string | null;
  message: string;
}

export interface Row<T> {
  line: number;
  value: T;
}

export interface RowFile<T> {
  format: 'csv' | 'jsonl';
  rows: Row<T>[];
  errors: RowError[];
}

export interface RowSpec<T> {
  /** Column names, in the documented order (without the optional leading `store`). */
  columns: readonly string[];
  /** Columns a CSV header must name. */
  required: readonly string[];
  /** Validates one row whose values are trimmed strings; blank cells are absent. */
  schema: z.ZodType<T>;
}

/** The optional column naming the store a row belongs to (files that hold several merchants). */
export const STORE_COLUMN = 'store';

/** A row longer than this is refused (a broken or hostile file, not a warehouse export). */
const MAX_RECORD_BYTES = 64 * 1024;

/** The message of a row error, as printed: `stock.csv:7: quantity: must be a whole number`. */
export function formatRowError(error: RowError): string {
  return `${error.file}:${error.line}: ${error.field ? `${error.field}: ` : ''}${error.message}`;
}

/** `.csv` is CSV; `.jsonl`/`.ndjson` JSON lines; otherwise the first character decides. */
export function detectFormat(name: string, text: string): 'csv' | 'jsonl' {
  const ext = extname(name).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'jsonl'
    : 'csv';
}

/** Decodes bytes as UTF-8; invalid sequences become U+FFFD, which the row check then refuses. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

export function parseRows<T>(name: string, input: string | Uint8Array, spec: RowSpec<T>): RowFile<T> {
  const text = typeof input === 'string' ? input : decodeText(input);
  const format = detectFormat(name, text);
  const raw = format === 'csv' ? csvRecords(name, text, spec) : jsonlRecords(name, text);
  const rows: Row<T>[] = [];
  const errors: RowError[] = [...raw.errors];
  for (const record of raw.records) {
    const bad = Object.entries(record.values).find(([, v]) => typeof v === 'string' && v.includes('\uFFFD'));
    if (bad) {
      errors.push({ file: name, line: record.line, field: bad[0], message: 'is not valid UTF-8 text' });
      continue;
    }
    const parsed = spec.schema.safeParse(record.values);
    if (parsed.success) {
      rows.push({ line: record.line, value: parsed.data });
      continue;
    }
    const reported = new Set<string | null>();
    for (const issue of parsed.error.issues) {
      const field = issue.path.length > 0 ? String(issue.path[0]) : null;
      // One message per field: the first problem is the one to fix.
      if (reported.has(field)) continue;
      reported.add(field);
      errors.push({ file: name, line: record.line, field, message: issueMessage(issue, field) });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { format, rows, errors };
}

function issueMessage(issue: z.core.$ZodIssue, field: string | null): string {
  if (issue.code === 'invalid_type' && field !== null) return 'is required';
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return issue.message;
}

interface RawRecord {
  line: number;
  values: Record<string, string>;
}

function cell(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function compact(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const text = cell(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

/**
 * Lines longer than a record may be, blanked (their line ends kept, so every other line keeps its
 * number) and reported: the CSV parser would otherwise give up on the whole file at the first one.
 */
function withoutLongLines(name: string, text: string): { text: string; errors: RowError[] } {
  const errors: RowError[] = [];
  const long = new RegExp(`[^\\r\\n]{${MAX_RECORD_BYTES + 1},}`, 'g');
  let line = 1;
  let counted = 0;
  const bounded = text.replace(long, (match, offset: number) => {
    line += text.slice(counted, offset).match(/\r\n|\r|\n/g)?.length ?? 0;
    counted = offset;
    errors.push({
      file: name,
      line,
      field: null,
      message: `the line is longer than ${MAX_RECORD_BYTES / 1024} KiB (${match.length} characters); it is not read`,
    });
    return '';
  });
  return { text: bounded, errors };
}

function csvRecords<T>(
  name: string,
  input: string,
  spec: RowSpec<T>,
): { records: RawRecord[]; errors: RowError[] } {
  const { text, errors } = withoutLongLines(name, input);
  const result = csvRecordsOf(name, text, spec);
  return { records: result.records, errors: [...errors, ...result.errors] };
}

/** A CSV record with the line it ends on. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * How every warehouse CSV is read: a BOM dropped, rows of any width (columns are checked by
 * name later), blank lines skipped, each record with its line. Throws csv-parse's error.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  return parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  }) as unknown as CsvRecord[];
}

function csvRecordsOf<T>(
  name: string,
  text: string,
  spec: RowSpec<T>,
): { records: RawRecord[]; errors: RowError[] } {
  let parsed: CsvRecord[];
  try {
    parsed = parseCsvRecords(text);
  } catch (error) {
    const err = error as { message?: string; lines?: number };
    return {
      records: [],
      errors: [
        {
          file: name,
          line: err.lines ?? 1,
          field: null,
          message: `not readable as CSV: ${(err.message ?? String(error)).replace(/^Invalid Record Length: /, '')}`,
        },
      ],
    };
  }
  const [head, ...body] = parsed;
  if (!head)
    return { records: [], errors: [{ file: name, line: 1, field: null, message: 'the file is empty' }] };
  const header = head.record.map((h) => h.trim().toLowerCase());
  const known = new Set([STORE_COLUMN, ...spec.columns]);
  const problems: RowError[] = [];
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length > 0) {
    problems.push({
      file: name,
      line: head.info.lines,
      field: unknown[0] ?? null,
      message: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the header is ${expectedHeader(spec)}`,
    });
  }
  const missing = spec.required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    problems.push({
      file: name,
      line: head.info.lines,
      field: missing[0] ?? null,
      message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the header is ${expectedHeader(spec)}`,
    });
  }
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length > 0) {
    problems.push({
      file: name,
      line: head.info.lines,
      field: repeated[0] ?? null,
      message: `column ${repeated[0]} appears twice`,
    });
  }
  // Without a usable header no row can be read safely: every row would land in the wrong field.
  if (problems.length > 0) return { records: [], errors: problems };

  const records: RawRecord[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of body) {
    // info.lines is the line the record ends on; a quoted newline makes a record span lines.
    const line = info.lines - (record.join(',').match(/\n/g)?.length ?? 0);
    if (record.length !== header.length) {
      errors.push({
        file: name,
        line,
        field: null,
        message: `has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${header.length}`,
      });
      continue;
    }
    records.push({ line, values: compact(Object.fromEntries(header.map((h, i) => [h, record[i]]))) });
  }
  return { records, errors };
}

function expectedHeader<T>(spec: RowSpec<T>): string {
  return `${spec.columns.join(',')} (optionally led by ${STORE_COLUMN})`;
}

function jsonlRecords(name: string, text: string): { records: RawRecord[]; errors: RowError[] } {
  const records: RawRecord[] = [];
  const errors: RowError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    if (content.length > MAX_RECORD_BYTES) {
      errors.push({ file: name, line, field: null, message: `is longer than ${MAX_RECORD_BYTES} bytes` });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      errors.push({ file: name, line, field: null, message: 'is not valid JSON' });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push({ file: name, line, field: null, message: 'is not a JSON object' });
      return;
    }
    const nested = Object.entries(value).find(([, v]) => v !== null && typeof v === 'object');
    if (nested) {
      errors.push({ file: name, line, field: nested[0], message: 'must be a string or a number' });
      return;
    }
    records.push({ line, values: compact(value as Record<string, unknown>) });
  });
  return { records, errors };
}

/** Field validators for row schemas: values arrive as trimmed, non-blank strings. */
export const rowFields = {
  /** A whole number of at least `min` ("2", not "2.5" or "-1"). */
  count(min: number) {
    return z
      .string()
      .refine((s) => /^-?\d+(\.\d+)?$/.test(s), { message: 'must be a number', abort: true })
      .refine((s) => /^-?\d+$/.test(s), { message: 'must be a whole number', abort: true })
      .transform(Number)
      .refine((n) => n >= min, `must be ${min} or more`)
      .refine((n) => n <= 1_000_000_000, 'must be at most 1,000,000,000');
  },
  /** Free text up to `max` characters, without control characters. */
  text(max: number) {
    return z
      .string()
      .max(max, `must be at most ${max} characters`)
      .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'must not contain control characters');
  },
};

/**
 * Rows whose `store` column names another store are refused (files may hold several merchants);
 * rows without one, or naming this store, are kept. `what` says what the run does, for the message.
 */
export function rowsForStore<T extends { store?: string | undefined }>(
  file: string,
  rows: Row<T>[],
  shop: string,
  what: string,
): { rows: Row<T>[]; errors: RowError[] } {
  const kept: Row<T>[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const named = row.value.store;
    if (named === undefined) {
      kept.push(row);
      continue;
    }
    let normalized: string | undefined;
    try {
      normalized = normalizeShop(named);
    } catch {
      normalized = undefined;
    }
    if (normalized === shop) kept.push(row);
    else
      errors.push({
        file,
        line: row.line,
        field: STORE_COLUMN,
        message: `is ${named}, not ${shop} (the store this run ${what} for; pick the store with --store)`,
      });
  }
  return { rows: kept, errors };
}
