/**
 * Text a spreadsheet would run as a formula (a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * CR) gets a leading `'`, so a file opened in Excel cannot call out. Numbers and phone numbers a
 * warehouse ingests (`-5`, `+44 20 7946 0958`, `-(3)`) are left as they are: a sign followed by
 * digits, spaces, dots, dashes and parentheses only computes nothing.
 */
export function guardCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (!/^[=+\-@\t\r]/.test(text)) return text;
  if (/^[+-][\d\s().-]*\d[\d\s().-]*$/.test(text)) return text;
  return `'${text}`;
}
