/** Shopify global ids: `gid://shopify/{Type}/{id}` (InventoryLevel ids carry a query string). */

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id of `gid://shopify/{type}/{n}`, or null when the gid is malformed or of another type. */
export function parseGid(value: unknown, type: string): number | null {
  if (typeof value !== 'string') return null;
  const prefix = `gid://shopify/${type}/`;
  if (!value.startsWith(prefix)) return null;
  const rest = value.slice(prefix.length);
  if (!/^[1-9][0-9]{0,17}$/.test(rest)) return null;
  const n = Number(rest);
  return Number.isSafeInteger(n) ? n : null;
}

/** Splits any gid into type and id part, or null. */
export function splitGid(value: unknown): { type: string; id: string } | null {
  if (typeof value !== 'string') return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(.+)$/.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { type: m[1], id: m[2] };
}

/** ISO-8601 the way Shopify prints DateTime: whole seconds, `Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Shopify's Decimal strings: no trailing zeros beyond one decimal place ("10.0", "24.99", "7.5"). */
export function decimal(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  let fracText = String(frac).padStart(2, '0');
  if (fracText.endsWith('0')) fracText = fracText.slice(0, 1);
  return `${negative ? '-' : ''}${whole}.${fracText}`;
}
