import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPath } from '../../src/core/ledger/ledger.js';
import { runCli } from '../support/cli.js';
import { configureStores, eventsUnder } from '../support/fleet.js';
import { merchant } from '../support/merchant.js';
import { freshDatabase, postgresSkipReason, sql } from '../support/postgres.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: reports are inspected field by field
type Json = any;

describe.skipIf(postgresSkipReason !== undefined)('dsync state migrate --to postgres://…', () => {
  let sandbox: TestSandbox;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    sandbox = await startTestSandbox({ shops: 2, orders: 120, seed: 5 });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await sandbox?.stop();
  });

  it('carries a store’s history over: the next import with DSYNC_STATE_URL goes on where SQLite left off', async () => {
    const url = await freshDatabase('migrate');
    const shops = sandbox.shops.map((s) => s.shop);
    const setup = await configureStores(sandbox, shops);
    cleanups.push(setup.cleanup);
    const out = join(setup.dir, 'out');
    const first = await runCli(['import', '--all-stores', '--out', out], {
      env: setup.env,
      timeoutMs: 120_000,
    });
    expect(first.code, first.stderr).toBe(0);
    const listed = async (env: Record<string, string>, shop: string) => {
      const result = await runCli(['orders', 'list', '--json', '--store', shop], { env });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout);
    };
    const before = await Promise.all(shops.map((shop) => listed(setup.env, shop)));

    const dry = await runCli(['state', 'migrate', '--to', url, '--all-stores', '--dry-run', '--json'], {
      env: setup.env,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).map((o: Json) => o.result.status)).toEqual(['dry-run', 'dry-run']);
    expect(
      await sql(
        url,
        "SELECT to_regclass('dsync.orders') IS NULL OR NOT EXISTS (SELECT 1 FROM dsync.orders) AS empty",
      ),
    ).toEqual([{ empty: true }]);

    const moved = await runCli(['state', 'migrate', '--to', url, '--all-stores', '--json'], {
      env: setup.env,
    });
    expect(moved.code, moved.stderr).toBe(0);
    const report: Json[] = JSON.parse(moved.stdout);
    for (const [i, shop] of shops.entries()) {
      const entry = report.find((o) => o.shop === shop);
      expect(entry.result).toMatchObject({ status: 'migrated', from: ledgerPath(setup.dir, shop) });
      // Every order the SQLite ledger held is in PostgreSQL, as psql reads it.
      const rows = await sql<{ n: number }>(
        url,
        'SELECT COUNT(*)::int AS n FROM dsync.orders WHERE shop = $1',
        [shop],
      );
      expect(rows[0]?.n).toBe(before[i].orders.length);
      expect(entry.result.rows.orders).toBe(before[i].orders.length);
    }

    // From now on the state is PostgreSQL's: the same orders, and the checkpoint carried over.
    const env = { ...setup.env, DSYNC_STATE_URL: url };
    const after = await Promise.all(shops.map((shop) => listed(env, shop)));
    // The same orders and counts; only where the ledger is has changed.
    const aside = (list: Json) => ({ ...list, ledger: undefined });
    expect(after.map(aside)).toEqual(before.map(aside));
    expect(after[0].ledger).toContain(url.replace(/:[^:@/]*@/, '@'));
    const store = merchant(sandbox, shops[0]);
    const delivered = eventsUnder(join(out, shops[0] as string));
    await store.cancel(delivered[0].order.id);
    const next = await runCli(['import', '--all-stores', '--out', join(setup.dir, 'next'), '--json'], {
      env,
      timeoutMs: 120_000,
    });
    expect(next.code, next.stderr).toBe(0);
    const nextEvents = eventsUnder(join(setup.dir, 'next', shops[0] as string));
    // Only the merchant's change: nothing delivered before is delivered again as new.
    expect(nextEvents.map((e) => `${e.type} ${e.order.name}`)).toEqual([
      `order.cancelled ${delivered[0].order.name}`,
    ]);

    // A second migration finds the rows there and refuses, changing nothing.
    const again = await runCli(['state', 'migrate', '--to', url, '--store', shops[1] as string, '--json'], {
      env: setup.env,
    });
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).error.message).toMatch(/already has \d+ rows/);
  }, 300_000);

  it('refuses a password on the command line without echoing it', async () => {
    const setup = await configureStores(sandbox, [sandbox.shop]);
    cleanups.push(setup.cleanup);
    const result = await runCli(
      ['state', 'migrate', '--to', 'postgres://dsync:hunter2-secret@db:5432/dsync'],
      {
        env: { ...setup.env, DSYNC_STORE: sandbox.shop },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PGPASSWORD');
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });
});
