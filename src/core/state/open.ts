import { UsageError } from '../errors.js';
import { isPostgresUrl } from './postgres/url.js';
import { createSqliteStateStore } from './sqlite-state.js';
import type { StateStore } from './state.js';

export interface StateStoreOptions {
  configDir: string;
  /** DSYNC_STATE_URL: unset or empty keeps state in SQLite files below the config dir. */
  url: string | undefined;
}

/**
 * The state store DSYNC_STATE_URL asks for: SQLite below the config dir when unset, PostgreSQL
 * for a `postgres://` or `postgresql://` URL. Anything else is a usage error that never repeats
 * the value (it may carry a password).
 */
export async function openStateStore(
  options: StateStoreOptions,
  /** Opens a PostgreSQL store (tests pass their own). */
  loadPostgres: (url: string) => Promise<StateStore> = loadPostgresStateStore,
): Promise<StateStore> {
  const url = options.url?.trim() ?? '';
  if (url === '') return createSqliteStateStore(options.configDir);
  if (isPostgresUrl(url)) return loadPostgres(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new UsageError(
    `DSYNC_STATE_URL must be a postgres://user@host:port/db or postgresql://user@host:port/db URL, got ${scheme ? `a ${scheme}: URL` : 'something that is not a URL'}`,
    {
      hint: 'set DSYNC_STATE_URL=postgres://user@host:5432/dsync, or unset it to keep state in the config dir (DSYNC_CONFIG_DIR)',
    },
  );
}

/** The PostgreSQL store and node-postgres, loaded only when DSYNC_STATE_URL asks for them. */
async function loadPostgresStateStore(url: string): Promise<StateStore> {
  const { createPostgresStateStore } = await import('./postgres/index.js');
  return createPostgresStateStore(url);
}
