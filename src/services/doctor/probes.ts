import { statSync } from 'node:fs';
import { request } from 'undici';
import { shopOrigin } from '../../core/api-origin.js';
import { PINNED_API_VERSION } from '../../core/api-version.js';
import type { Deps } from '../../core/deps.js';

/**
 * What `dsync doctor` measures outside the Admin API: the store's clock and the config file's
 * mode. Kept here so the command only turns flags into a report.
 */

/**
 * The store's `Date` header from a plain request to the Admin API endpoint of the version in use
 * (no token sent), and the local time at mid-flight.
 */
export async function serverTime(
  deps: Pick<Deps, 'apiOrigin' | 'clock' | 'dispatcher' | 'signal'>,
  shop: string,
  apiVersion: string = PINNED_API_VERSION,
): Promise<{ server: Date; local: Date } | undefined> {
  const origin = shopOrigin(shop, deps.apiOrigin);
  const before = deps.clock.now().getTime();
  const response = await request(`${origin}/admin/api/${apiVersion}/graphql.json`, {
    method: 'HEAD',
    dispatcher: await deps.dispatcher(),
    signal: deps.signal,
  });
  await response.body.dump();
  const after = deps.clock.now().getTime();
  const header = response.headers.date;
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  const server = new Date(text);
  if (Number.isNaN(server.getTime())) return undefined;
  // The header has one-second resolution and is stamped when the reply starts: compare with
  // the middle of the round trip.
  return { server, local: new Date((before + after) / 2) };
}

/** The permission bits of a file, or undefined when it does not exist. */
export function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}
