export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Optional styling applied after padding, so colour codes never break alignment. */
  style?: (text: string, row: Row) => string;
  align?: 'left' | 'right';
}

const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** A plain aligned table: header, then one line per row. Empty input gives just the header. */
export function renderTable<Row>(
  columns: Column<Row>[],
  rows: Row[],
  headerStyle: (s: string) => string = (s) => s,
): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...cells.map((c) => visibleWidth(c[i] ?? ''))),
  );
  const pad = (text: string, i: number, align: 'left' | 'right' = 'left') => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(text)));
    return align === 'right' ? gap + text : text + gap;
  };
  const header = columns.map((column, i) => headerStyle(pad(column.header, i))).join('  ');
  const lines = rows.map((row, r) =>
    columns
      .map((column, i) => {
        const padded = pad(cells[r]?.[i] ?? '', i, column.align);
        return column.style ? column.style(padded, row) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  return [header.trimEnd(), ...lines].join('\n');
}
