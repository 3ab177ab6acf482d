/**
 * Shopify's search syntax for the `query:` argument, as documented for the Admin API:
 * `field:value`, comparators `field:>value` `:>=` `:<` `:<=`, quoted values ('…' or "…"),
 * implicit AND between terms, `AND`, `OR` (lower precedence than AND), `NOT term` / `-term`,
 * parentheses, and bare words (free text). Matching is per resource (orders, variants, items).
 */

/** The sandbox shop's time zone (Shop.ianaTimezone): bare dates in searches are its days. */
export const SHOP_TIME_ZONE = 'America/New_York';

export type Comparator = '=' | '>' | '>=' | '<' | '<=';

export type SearchNode =
  | { kind: 'and'; items: SearchNode[] }
  | { kind: 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  | { kind: 'term'; field: string | null; op: Comparator; value: string };

type Token =
  | { t: 'open' }
  | { t: 'close' }
  | { t: 'and' }
  | { t: 'or' }
  | { t: 'not' }
  | { t: 'term'; field: string | null; op: Comparator; value: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      tokens.push({ t: 'open' });
      i++;
      continue;
    }
    if (c === ')') {
      tokens.push({ t: 'close' });
      i++;
      continue;
    }
    if (c === '-' && i + 1 < input.length && !/[\s)]/.test(input[i + 1] as string)) {
      tokens.push({ t: 'not' });
      i++;
      continue;
    }
    // One term: up to whitespace or ')' outside quotes; quotes are removed.
    let raw = '';
    let quoted = false;
    while (i < input.length) {
      const ch = input[i] as string;
      if (ch === "'" || ch === '"') {
        const end = input.indexOf(ch, i + 1);
        if (end === -1) {
          raw += input.slice(i + 1);
          i = input.length;
        } else {
          raw += input.slice(i + 1, end);
          i = end + 1;
        }
        quoted = true;
        continue;
      }
      if (/\s/.test(ch) || ch === ')' || (ch === '(' && raw === '')) break;
      raw += ch;
      i++;
    }
    if (!quoted && raw === 'AND') tokens.push({ t: 'and' });
    else if (!quoted && raw === 'OR') tokens.push({ t: 'or' });
    else if (!quoted && raw === 'NOT') tokens.push({ t: 'not' });
    else tokens.push(termToken(raw));
  }
  return tokens;
}

function termToken(raw: string): Token {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*):(.*)$/s.exec(raw);
  if (!m) return { t: 'term', field: null, op: '=', value: raw };
  const field = (m[1] as string).toLowerCase();
  let rest = m[2] as string;
  let op: Comparator = '=';
  for (const candidate of ['>=', '<=', '>', '<', '='] as const) {
    if (rest.startsWith(candidate)) {
      op = candidate;
      rest = rest.slice(candidate.length);
      break;
    }
  }
  return { t: 'term', field, op, value: rest };
}

/** Parses a search string; null for an empty query (matches everything). Never throws. */
export function parseSearchQuery(input: string | null | undefined): SearchNode | null {
  if (input === null || input === undefined) return null;
  const tokens = tokenize(input);
  let pos = 0;

  const parseOr = (): SearchNode | null => {
    const items: SearchNode[] = [];
    const first = parseAnd();
    if (first) items.push(first);
    while (tokens[pos]?.t === 'or') {
      pos++;
      const next = parseAnd();
      if (next) items.push(next);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? (items[0] as SearchNode) : { kind: 'or', items };
  };

  const parseAnd = (): SearchNode | null => {
    const items: SearchNode[] = [];
    for (;;) {
      const tok = tokens[pos];
      if (!tok || tok.t === 'close' || tok.t === 'or') break;
      if (tok.t === 'and') {
        pos++;
        continue;
      }
      const unary = parseUnary();
      if (unary) items.push(unary);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? (items[0] as SearchNode) : { kind: 'and', items };
  };

  const parseUnary = (): SearchNode | null => {
    const tok = tokens[pos];
    if (!tok) return null;
    if (tok.t === 'not') {
      pos++;
      const item = parseUnary();
      return item ? { kind: 'not', item } : null;
    }
    if (tok.t === 'open') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t === 'close') pos++;
      return inner;
    }
    if (tok.t === 'term') {
      pos++;
      return { kind: 'term', field: tok.field, op: tok.op, value: tok.value };
    }
    pos++;
    return null;
  };

  const root = parseOr();
  // Stray closing parentheses: keep reading what follows as further AND terms.
  const rest: SearchNode[] = root ? [root] : [];
  while (pos < tokens.length) {
    pos++;
    const more = parseOr();
    if (more) rest.push(more);
  }
  if (rest.length === 0) return null;
  return rest.length === 1 ? (rest[0] as SearchNode) : { kind: 'and', items: rest };
}

/** A field matcher: given a term, returns whether the record matches, or undefined for an unknown field. */
export type FieldMatcher<T> = (record: T, term: { op: Comparator; value: string }) => boolean;

export interface SearchFields<T> {
  fields: Record<string, FieldMatcher<T>>;
  /** Bare words. */
  text: (record: T, word: string) => boolean;
}

/**
 * Compiles a parsed query into a predicate. Unknown fields match everything (Shopify ignores
 * them and reports a warning); they are returned in `unknownFields`.
 */
export function compileSearch<T>(
  node: SearchNode | null,
  spec: SearchFields<T>,
): { test: (record: T) => boolean; unknownFields: string[] } {
  const unknownFields: string[] = [];
  const build = (n: SearchNode): ((r: T) => boolean) => {
    switch (n.kind) {
      case 'and': {
        const parts = n.items.map(build);
        return (r) => parts.every((p) => p(r));
      }
      case 'or': {
        const parts = n.items.map(build);
        return (r) => parts.some((p) => p(r));
      }
      case 'not': {
        const inner = build(n.item);
        return (r) => !inner(r);
      }
      case 'term': {
        if (n.field === null) {
          const word = n.value;
          return (r) => spec.text(r, word);
        }
        const matcher = spec.fields[n.field];
        if (!matcher) {
          unknownFields.push(n.field);
          return () => true;
        }
        const term = { op: n.op, value: n.value };
        return (r) => matcher(r, term);
      }
    }
  };
  return { test: node ? build(node) : () => true, unknownFields };
}

/** Compares numbers or strings with a comparator. */
export function compare<V extends number | string>(actual: V, op: Comparator, expected: V): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
  }
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (e.g. -5 h for New York in winter). */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant of local midnight starting `date` (YYYY-MM-DD) in `timeZone`. */
function zonedMidnight(date: string, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let instant = guess - zoneOffset(guess, timeZone);
  instant = guess - zoneOffset(instant, timeZone);
  return instant;
}

/**
 * A date/time value from a query: ISO datetimes, or a bare date meaning that whole day in the
 * shop's time zone (as Shopify reads it). Returns [start, end) in ms, or null when unparseable.
 */
export function parseSearchTime(value: string, timeZone = 'UTC'): [number, number] | null {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    if (Number.isNaN(Date.parse(`${v}T00:00:00Z`))) return null;
    const next = new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return [zonedMidnight(v, timeZone), zonedMidnight(next, timeZone)];
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : [t, t + 1];
}

/** A time field matcher: `=` on a bare date matches that day; comparators compare instants. */
export function timeMatcher<T>(get: (r: T) => number | null, timeZone = SHOP_TIME_ZONE): FieldMatcher<T> {
  const cache = new Map<string, [number, number] | null>();
  return (record, { op, value }) => {
    let range = cache.get(value);
    if (range === undefined) {
      range = parseSearchTime(value, timeZone);
      cache.set(value, range);
    }
    const actual = get(record);
    if (range === null || actual === null) return false;
    const [start, end] = range;
    switch (op) {
      case '=':
        return actual >= start && actual < end;
      case '>':
        return actual >= end;
      case '>=':
        return actual >= start;
      case '<':
        return actual < start;
      case '<=':
        return actual < end;
    }
  };
}

/** `value` with an optional trailing `*` for prefix matching. */
export function textEquals(actual: string | null, value: string, caseSensitive: boolean): boolean {
  if (actual === null) return false;
  const a = caseSensitive ? actual : actual.toLowerCase();
  const v = caseSensitive ? value : value.toLowerCase();
  if (v.endsWith('*')) return a.startsWith(v.slice(0, -1));
  return a === v;
}
