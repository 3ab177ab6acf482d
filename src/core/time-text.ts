/**
 * How dsync reads times typed by people: one reader for every flag and setting, so
 * `--since 2026-02-31` and `config set accept-orders-after 2026-02-31` give the same answer.
 */

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `90s`, `30m`, `12h`, `7d`, `2w` (a positive whole amount of a unit) as milliseconds, else undefined. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (!(amount > 0)) return undefined;
  return amount * (UNIT_MS[(match[2] ?? '').toLowerCase()] ?? 0);
}

/**
 * An ISO 8601 date or datetime (`2026-01-31`, `2026-01-31T10:00:00Z`, with an offset), else
 * undefined. A date alone is midnight UTC and a datetime without an offset is UTC, so the same
 * text means the same instant on every machine; dates JavaScript would roll over
 * (2026-02-31 → March 3) are refused.
 */
export function parseIsoDate(value: string): Date | undefined {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(text))
    return undefined;
  const withZone = /T|\s/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text}Z` : text;
  const date = new Date(withZone.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) return undefined;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== (m ?? 1) - 1 || check.getUTCDate() !== d)
    return undefined;
  return date;
}
