import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { openStateStore } from '../../../src/core/state/open.js';
import type { StateStore } from '../../../src/core/state/state.js';

/** A PostgreSQL loader that records the URL it was given instead of connecting. */
function fakePostgres() {
  const urls: string[] = [];
  const load = async (url: string): Promise<StateStore> => {
    urls.push(url);
    return { kind: 'postgres', location: 'postgres://fake' } as StateStore;
  };
  return { urls, load };
}

describe('openStateStore', () => {
  it.each([[undefined], [''], ['   ']])(
    'keeps state in SQLite below the config dir when the URL is %j',
    async (url) => {
      const postgres = fakePostgres();
      const store = await openStateStore({ configDir: '/cfg', url }, postgres.load);
      expect(store.kind).toBe('sqlite');
      expect(store.location).toBe(join('/cfg', 'stores'));
      expect(postgres.urls).toEqual([]);
    },
  );

  it.each([
    ['postgres://dsync@db.internal:5432/dsync'],
    ['postgresql://dsync:secret@localhost/dsync?sslmode=require'],
    ['POSTGRES://dsync@db/dsync'],
  ])('hands %s to the PostgreSQL store', async (url) => {
    const postgres = fakePostgres();
    const store = await openStateStore({ configDir: '/cfg', url }, postgres.load);
    expect(store.kind).toBe('postgres');
    expect(postgres.urls).toEqual([url]);
  });

  it.each([
    ['mysql://dsync:hunter2@db/dsync', 'a mysql: URL'],
    ['sqlite:///var/lib/dsync.db', 'a sqlite: URL'],
    ['postgres:/dsync:hunter2@db', 'a postgres: URL'],
    ['/var/lib/dsync', 'something that is not a URL'],
    ['hunter2@db:5432/dsync', 'something that is not a URL'],
  ])('refuses %s with a usage error naming DSYNC_STATE_URL and both accepted forms', async (url, got) => {
    const postgres = fakePostgres();
    const error = await openStateStore({ configDir: '/cfg', url }, postgres.load).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.exitCode).toBe(2);
    expect(usage.message).toContain('DSYNC_STATE_URL');
    expect(usage.message).toContain('postgres://');
    expect(usage.message).toContain('postgresql://');
    expect(usage.message).toContain(got);
    // The value may carry a password: it is never repeated.
    expect(`${usage.message} ${usage.hint}`).not.toContain('hunter2');
    expect(postgres.urls).toEqual([]);
  });
});
