import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the state-store tests run against: DSYNC_TEST_POSTGRES_URL, started by
 * `scripts/pg-cluster.sh start` (CI does this). Each test file gets a database of its own.
 */
export const postgresUrl = process.env.DSYNC_TEST_POSTGRES_URL;

/** Why the PostgreSQL tests are skipped, or undefined when they run. In CI they must run. */
export const postgresSkipReason =
  postgresUrl === undefined || postgresUrl === ''
    ? 'DSYNC_TEST_POSTGRES_URL is not set: `eval "$(scripts/pg-cluster.sh start)"` starts a throwaway server'
    : undefined;

if (postgresSkipReason && process.env.CI) {
  throw new Error(`PostgreSQL tests cannot run in CI: ${postgresSkipReason}`);
}

/** A fresh, empty database on the test server; returns its URL. */
export async function freshDatabase(label: string): Promise<string> {
  if (postgresSkipReason) throw new Error(postgresSkipReason);
  const base = new URL(postgresUrl ?? '');
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  return base.toString();
}

/** Runs SQL on a database (tests read what dsync wrote, as an operator's psql would). */
export async function sql<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}
