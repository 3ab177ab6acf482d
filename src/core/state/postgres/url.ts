import { UsageError } from '../../errors.js';

/** What a postgres:// state URL names, for messages: never its password. */
export interface PostgresTarget {
  /** postgres://user@host:port/database, without password or query. */
  readonly display: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly hasPassword: boolean;
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text.trim());
}

/**
 * Reads a `postgres://` or `postgresql://` URL. A password in it is accepted from the environment
 * (DSYNC_STATE_URL), but never shown: `display` is what messages print.
 */
export function parsePostgresUrl(text: string, source = 'DSYNC_STATE_URL'): PostgresTarget {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`${source} is not a valid URL`, {
      hint: 'expected postgres://user@host:5432/database (the password in PGPASSWORD or ~/.pgpass)',
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`${source} must be a postgres:// URL, got ${url.protocol}//…`, {
      hint: 'expected postgres://user@host:5432/database (the password in PGPASSWORD or ~/.pgpass)',
    });
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const host = url.hostname === '' ? 'localhost' : url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 5432 : Number(url.port);
  const who = user === undefined ? '' : `${encodeURIComponent(user)}@`;
  const at = url.hostname === '' ? 'localhost' : url.hostname;
  return {
    display: `postgres://${who}${at}:${port}/${encodeURIComponent(database)}`,
    host,
    port,
    database,
    user,
    hasPassword: url.password !== '',
  };
}
