/**
 * How a person or a file names an order: by name (`#1001`, `1001`) or by id (a gid, or a bare
 * number of 10 or more digits — order numbers are short, Shopify's ids long). One reading for
 * every command that takes orders, so `#1001` means the same order everywhere.
 */
export type OrderRef = { kind: 'name'; name: string } | { kind: 'id'; id: string };

export function parseOrderRef(text: string): OrderRef | null {
  const t = text.trim();
  const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(t);
  if (gid) return { kind: 'id', id: `gid://shopify/Order/${gid[1]}` };
  if (/^\d{10,}$/.test(t)) return { kind: 'id', id: `gid://shopify/Order/${t}` };
  const name = /^#?([A-Za-z0-9][A-Za-z0-9_-]*)$/.exec(t);
  if (name) return { kind: 'name', name: `#${name[1]}` };
  return null;
}

/** A stable key for a reference (names compare without case). */
export function orderRefKey(text: string): string {
  const ref = parseOrderRef(text);
  if (!ref) return text.trim();
  return ref.kind === 'id' ? ref.id : ref.name.toLowerCase();
}

/** Whether an order the store returned is the one a reference names. */
export function refMatches(ref: OrderRef, order: { id: string; name: string }): boolean {
  return ref.kind === 'id' ? order.id === ref.id : order.name.toLowerCase() === ref.name.toLowerCase();
}

/** The orders search term that finds the order (`id:123` or `name:"#1001"`). */
export function searchTerm(ref: OrderRef): string {
  return ref.kind === 'id'
    ? `id:${ref.id.replace(/^gid:\/\/shopify\/Order\//, '')}`
    : `name:${JSON.stringify(ref.name)}`;
}
