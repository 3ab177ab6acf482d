/**
 * Which Admin API version a request path names, and what Shopify does with it. Shopify releases
 * a stable version each quarter (YYYY-01/04/07/10) and supports each for a year, so four are
 * supported at any time; the next quarter's is the release candidate, and `unstable` exists too.
 * A request for a well-formed version that is no longer supported is answered by the oldest
 * supported one (the `X-Shopify-API-Version` response header says which); anything else is 404.
 */

export const VERSION_PATTERN = /^\d{4}-(01|04|07|10)$/;

export interface ApiVersions {
  /** Newest first. */
  supported: string[];
  latest: string;
  oldest: string;
  releaseCandidate: string;
}

function quarter(year: number, monthIndex: number): string {
  return `${year}-${String(monthIndex + 1).padStart(2, '0')}`;
}

/** The version the sandbox's schema implements: never older than this is "latest". */
export const SCHEMA_VERSION = '2026-10';

export function apiVersionsAt(now: Date): ApiVersions {
  const floor = new Date(`${SCHEMA_VERSION}-01T00:00:00Z`);
  const at = now.getTime() < floor.getTime() ? floor : now;
  let year = at.getUTCFullYear();
  let month = Math.floor(at.getUTCMonth() / 3) * 3;
  const supported: string[] = [];
  for (let i = 0; i < 4; i++) {
    supported.push(quarter(year, month));
    month -= 3;
    if (month < 0) {
      month += 12;
      year -= 1;
    }
  }
  const latest = supported[0]!;
  const [ly, lm] = latest.split('-').map(Number) as [number, number];
  const rcMonth = lm - 1 + 3;
  const releaseCandidate = quarter(ly + Math.floor(rcMonth / 12), rcMonth % 12);
  return { supported, latest, oldest: supported[supported.length - 1]!, releaseCandidate };
}

/** The version that answers a request for `requested`, or undefined for 404. */
export function resolveApiVersion(requested: string, now: Date): string | undefined {
  const versions = apiVersionsAt(now);
  if (requested === 'unstable' || requested === versions.releaseCandidate) return requested;
  if (!VERSION_PATTERN.test(requested)) return undefined;
  if (versions.supported.includes(requested)) return requested;
  if (requested < versions.oldest) return versions.oldest;
  return undefined;
}
