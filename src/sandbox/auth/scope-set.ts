/**
 * Shopify's scope rules as the sandbox applies them:
 * - a scope list is comma separated (whitespace tolerated, duplicates ignored);
 * - a `write_x` scope also grants `read_x` ("any scope that writes a resource also grants read
 *   access to it"), so a token's effective set is expanded with the implied reads;
 * - the `scope` string Shopify returns with a token is the compressed list: a `read_x` that a
 *   granted `write_x` implies is left out (apps compare scopes after expanding them).
 */

/** Splits a requested scope parameter into a sorted, de-duplicated list. */
export function parseScopeList(raw: string): string[] {
  const parts = raw
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return [...new Set(parts)].sort();
}

/** The set of scopes a token with `granted` actually has, implied reads included. */
export function expandScopes(granted: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const scope of granted) {
    out.add(scope);
    const implied = impliedRead(scope);
    if (implied !== undefined) out.add(implied);
  }
  return out;
}

/** The list Shopify reports: implied reads dropped, sorted. */
export function compressScopes(granted: Iterable<string>): string[] {
  const all = expandScopes(granted);
  const out: string[] = [];
  for (const scope of all) {
    if (scope.startsWith('read_') && all.has(`write_${scope.slice('read_'.length)}`)) continue;
    out.push(scope);
  }
  return out.sort();
}

function impliedRead(scope: string): string | undefined {
  if (scope.startsWith('write_')) return `read_${scope.slice('write_'.length)}`;
  if (scope.startsWith('unauthenticated_write_')) {
    return `unauthenticated_read_${scope.slice('unauthenticated_write_'.length)}`;
  }
  return undefined;
}
