import { GraphQLError } from 'graphql';

/** Relay connection arguments as Shopify accepts them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export type SortValue = number | string;

interface CursorPayload {
  last_id: number | string;
  last_value: SortValue;
}

export function encodeCursor(id: number | string, value: SortValue): string {
  const payload: CursorPayload = { last_id: id, last_value: value };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

export function decodeCursor(cursor: string): CursorPayload {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as unknown;
    if (
      parsed &&
      typeof parsed === 'object' &&
      'last_id' in parsed &&
      'last_value' in parsed &&
      (typeof parsed.last_id === 'number' || typeof parsed.last_id === 'string') &&
      (typeof parsed.last_value === 'number' || typeof parsed.last_value === 'string')
    ) {
      return { last_id: parsed.last_id, last_value: parsed.last_value };
    }
  } catch {
    // fall through
  }
  throw new GraphQLError('Invalid cursor for current pagination sort.', {
    extensions: { code: 'BAD_REQUEST' },
  });
}

/** A sort key: the value to sort by, then the id as tie-break (both ascending). */
export interface SortSpec<T> {
  value: (item: T) => SortValue;
  id: (item: T) => number | string;
}

function cmp(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sorts ascending by (value, id). Returns a new array. */
export function sortItems<T>(items: readonly T[], spec: SortSpec<T>): T[] {
  const keyed = items.map((item) => ({ item, v: spec.value(item), id: spec.id(item) }));
  keyed.sort((x, y) => cmp(x.v, y.v) || cmp(x.id, y.id));
  return keyed.map((k) => k.item);
}

/**
 * Slices a list already sorted ascending by `spec` into a page. Cursors carry (id, value), so a
 * page boundary stays put when other items are added or change elsewhere in the list.
 * `requireBound`: Shopify refuses a connection without `first` or `last` (bulk queries may omit it).
 */
export function paginate<T, N = T>(
  sorted: readonly T[],
  args: ConnectionArgs,
  spec: SortSpec<T>,
  toNode: (item: T) => N,
  requireBound = true,
): Connection<N> {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (requireBound && first === null && last === null) {
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  }
  if ((first !== null && first < 0) || (last !== null && last < 0)) {
    throw new GraphQLError('first and last must be non-negative', { extensions: { code: 'BAD_REQUEST' } });
  }
  const reverse = args.reverse === true;
  const n = sorted.length;
  // Work in "display order" positions 0..n-1; map to the ascending array.
  const at = (pos: number): T => sorted[reverse ? n - 1 - pos : pos] as T;
  const direction = reverse ? -1 : 1;
  const compareTo = (item: T, cursor: CursorPayload): number =>
    direction * (cmp(spec.value(item), cursor.last_value) || cmp(spec.id(item), cursor.last_id));
  /** First display position whose item is strictly after the cursor. */
  const firstAfter = (cursor: CursorPayload): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareTo(at(mid), cursor) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** First display position whose item is at or after the cursor. */
  const firstAtOrAfter = (cursor: CursorPayload): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareTo(at(mid), cursor) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let start = 0;
  let end = n;
  if (args.after) start = firstAfter(decodeCursor(args.after));
  if (args.before) end = Math.min(end, firstAtOrAfter(decodeCursor(args.before)));
  if (end < start) end = start;
  if (first !== null) end = Math.min(end, start + first);
  if (last !== null) start = Math.max(start, end - last);
  const edges: Edge<N>[] = [];
  const nodes: N[] = [];
  for (let pos = start; pos < end; pos++) {
    const item = at(pos);
    const node = toNode(item);
    edges.push({ cursor: encodeCursor(spec.id(item), spec.value(item)), node });
    nodes.push(node);
  }
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: end < n,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A small list (child connection) paginated by position in its natural order. */
export function paginateList<T, N = T>(
  items: readonly T[],
  args: ConnectionArgs,
  id: (item: T) => number | string,
  toNode: (item: T) => N,
  requireBound = true,
): Connection<N> {
  const indexed = items.map((item, index) => ({ item, index }));
  return paginate(
    indexed,
    args,
    { value: (x) => x.index, id: (x) => id(x.item) },
    (x) => toNode(x.item),
    requireBound,
  );
}
