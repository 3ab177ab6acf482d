import { UsageError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * `DSYNC_API_ORIGIN` redirects API and OAuth traffic to a local sandbox. It is accepted only
 * for loopback origins, so an environment variable can never send a token to another host.
 */
export function parseApiOrigin(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw refused(value);
  }
  const pathOk = url.pathname === '/' || url.pathname === '';
  if (
    url.protocol !== 'http:' ||
    !LOOPBACK_HOSTS.has(url.hostname) ||
    url.username !== '' ||
    url.password !== '' ||
    url.port === '0' ||
    !pathOk ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw refused(value);
  }
  return url.origin;
}

/** Where requests for a shop go: the sandbox origin when set, otherwise `https://{shop}`. */
export function shopOrigin(shop: string, apiOrigin: string | undefined): string {
  return apiOrigin ?? `https://${shop}`;
}

function refused(value: string): UsageError {
  return new UsageError(`DSYNC_API_ORIGIN ${JSON.stringify(value)} is not a loopback origin`, {
    hint: 'use http://127.0.0.1:<port>, http://localhost:<port> or http://[::1]:<port>, or unset DSYNC_API_ORIGIN',
  });
}
