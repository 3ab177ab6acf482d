import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpSqliteLedger } from '../../src/core/state/sqlite-dump.js';
import { createPostgresStateStore } from '../../src/core/state/postgres/index.js';
import { runCli, startCli } from '../support/cli.js';
import { configureStores, eventsUnder } from '../support/fleet.js';
import { merchant } from '../support/merchant.js';
import { freshDatabase, postgresSkipReason, sql } from '../support/postgres.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: reports and rows are inspected field by field
type Json = any;

const TABLES = {
  orders: 'order_id',
  activity: 'id',
  meta: 'key',
  shipments: 'key',
  returns: 'return_id',
  return_activity: 'id',
  return_receipts: 'key',
} as const;
/** Columns that hold the time of the run that wrote them: two runs never share these. */
const RUN_TIMES = new Set(['first_seen_at', 'changed_at', 'at', 'created_at', 'updated_at']);

function withoutRunTimes(rows: Json[]): Json[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([column]) => !RUN_TIMES.has(column) && column !== 'id')),
  );
}

/** A store's rows in PostgreSQL, read with SQL as an operator would, run times aside. */
async function postgresRows(url: string, shop: string): Promise<Record<string, Json[]>> {
  const out: Record<string, Json[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const rows = await sql(url, `SELECT * FROM dsync.${table} WHERE shop = $1 ORDER BY ${order}`, [shop]);
    out[table] = withoutRunTimes(rows.map(({ shop: _shop, ...rest }) => rest));
  }
  return out;
}

/** The same store's rows in a SQLite ledger, run times aside. */
function sqliteRows(configDir: string, shop: string): Record<string, Json[]> {
  const dump = dumpSqliteLedger(configDir, shop);
  if (!dump) throw new Error(`no SQLite ledger for ${shop} in ${configDir}`);
  return {
    orders: withoutRunTimes(dump.orders),
    activity: withoutRunTimes(dump.activity),
    meta: withoutRunTimes(dump.meta),
    shipments: withoutRunTimes(dump.shipments),
    returns: withoutRunTimes(dump.returns),
    return_activity: withoutRunTimes(dump.returnActivity),
    return_receipts: withoutRunTimes(dump.returnReceipts),
  };
}

/** Every file under a config dir (its `out` spool aside) with its size and mtime: what a run wrote there. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (path === join(dir, 'out')) continue;
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else out[path] = `${st.size}@${st.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (existsSync(dir))
    for (const name of readdirSync(dir).sort()) out.set(name, readFileSync(join(dir, name), 'utf8'));
  return out;
}

describe.skipIf(postgresSkipReason !== undefined)('state in PostgreSQL (DSYNC_STATE_URL)', () => {
  let sandbox: TestSandbox;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    sandbox = await startTestSandbox({ shops: 4, orders: 300, seed: 7, plan: 'plus' });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await sandbox?.stop();
  });
  const shops = () => sandbox.shops.map((s) => s.shop);
  const fleet = async (extraEnv: Record<string, string> = {}) => {
    const setup = await configureStores(sandbox, shops(), {}, extraEnv);
    cleanups.push(setup.cleanup);
    return setup;
  };

  it('two workers racing for the same stores deliver every order once, and write nothing under the config dir', async () => {
    const url = await freshDatabase('race');
    const a = await fleet({ DSYNC_STATE_URL: url });
    const b = await fleet({ DSYNC_STATE_URL: url });
    const before = { a: tree(a.dir), b: tree(b.dir) };
    const args = (dir: string) => [
      'import',
      '--all-stores',
      '--concurrency',
      '4',
      '--out',
      join(dir, 'out'),
      '--json',
    ];
    const [ra, rb] = await Promise.all([
      startCli(args(a.dir), { env: a.env, timeoutMs: 180_000 }).result,
      startCli(args(b.dir), { env: b.env, timeoutMs: 180_000 }).result,
    ]);
    const reports = [ra, rb].map((r) => {
      expect([0, 5], r.stderr).toContain(r.code);
      return new Map<string, Json>(JSON.parse(r.stdout).map((o: Json) => [o.shop, o]));
    });
    let raced = 0;
    for (const shop of shops()) {
      const outcomes = reports.map((report) => report.get(shop));
      expect(outcomes.map((o) => o.exitCode).every((code) => code === 0 || code === 5)).toBe(true);
      if (outcomes.some((o) => o.exitCode === 5)) {
        raced += 1;
        const refused = outcomes.find((o) => o.exitCode === 5);
        expect(refused.error.message).toMatch(
          new RegExp(`another dsync import is running for ${shop.replace(/\./g, '\\.')}`),
        );
        expect(refused.error.message).toContain(hostname());
      }
      // One worker's events and the other's: no order twice, and together what one import delivers.
      const names = [a, b].flatMap((w) => {
        const dir = join(w.dir, 'out', shop);
        return existsSync(dir) ? eventsUnder(dir).map((e) => `${e.type} ${e.order.name}`) : [];
      });
      expect(new Set(names).size).toBe(names.length);
      const alone = await configureStores(sandbox, [shop]);
      cleanups.push(alone.cleanup);
      const single = await runCli(['import', '--out', join(alone.dir, 'out')], {
        env: { ...alone.env, DSYNC_STORE: shop },
      });
      expect(single.code, single.stderr).toBe(0);
      const expected = eventsUnder(join(alone.dir, 'out')).map((e) => `${e.type} ${e.order.name}`);
      expect(expected.length).toBeGreaterThan(0);
      expect(names.sort()).toEqual(expected.sort());
      // And the ledger the workers built together is the one that import built alone.
      expect(await postgresRows(url, shop)).toEqual(sqliteRows(alone.dir, shop));
    }
    // Both started at once, four stores each: they met on at least one store.
    expect(raced).toBeGreaterThan(0);
    // Ledgers, checkpoints and locks went to PostgreSQL: the config dirs hold what they held.
    expect(tree(a.dir)).toEqual(before.a);
    expect(tree(b.dir)).toEqual(before.b);
    expect(
      await sql(url, 'SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = $1', ['advisory']),
    ).toEqual([{ n: 0 }]);
  }, 300_000);

  it('a worker killed mid-run frees its store at once: another completes it, nothing lost or twice', async () => {
    const url = await freshDatabase('killed');
    const shop = shops()[1] as string;
    const reference = await configureStores(sandbox, [shop]);
    cleanups.push(reference.cleanup);
    const refRun = await runCli(['import', '--out', join(reference.dir, 'out')], {
      env: { ...reference.env, DSYNC_STORE: shop },
      timeoutMs: 120_000,
    });
    expect(refRun.code, refRun.stderr).toBe(0);

    // Two machines, one PostgreSQL, one spool both write to.
    const first = await configureStores(sandbox, [shop], {}, { DSYNC_STATE_URL: url, DSYNC_STORE: shop });
    const second = await configureStores(sandbox, [shop], {}, { DSYNC_STATE_URL: url, DSYNC_STORE: shop });
    cleanups.push(first.cleanup, second.cleanup);
    const spool = join(first.dir, 'spool');
    const killed = await startCli(['import', '--out', spool], {
      env: { ...first.env, DSYNC_CRASH_AT: 'import.delivered:40' },
      timeoutMs: 120_000,
    }).result;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const left = files(spool).size;
    expect(left).toBeGreaterThan(0);

    // No waiting for a stale lock: the dead worker's session ended, and its lock with it.
    const rerun = await runCli(['import', '--out', spool], { env: second.env, timeoutMs: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(files(spool)).toEqual(files(join(reference.dir, 'out')));
    expect(await postgresRows(url, shop)).toEqual(sqliteRows(reference.dir, shop));
  }, 300_000);

  it('keeps the same ledger as SQLite through runs and the merchant’s changes', async () => {
    const url = await freshDatabase('same');
    const shop = shops()[2] as string;
    const embedded = await configureStores(sandbox, [shop], {}, { DSYNC_STORE: shop });
    const shared = await configureStores(sandbox, [shop], {}, { DSYNC_STORE: shop, DSYNC_STATE_URL: url });
    cleanups.push(embedded.cleanup, shared.cleanup);
    const both = async () => {
      for (const setup of [embedded, shared]) {
        const result = await runCli(['import', '--out', join(setup.dir, 'out')], {
          env: setup.env,
          timeoutMs: 120_000,
        });
        expect(result.code, result.stderr).toBe(0);
      }
    };
    await both();
    const store = merchant(sandbox, shop);
    const delivered = eventsUnder(join(embedded.dir, 'out')).map((e) => e.order.id);
    const [cancelled, held] = delivered;
    await store.cancel(cancelled);
    const heldOrder = await store.order(held);
    await store.hold(heldOrder.fulfillmentOrders.nodes[0].id);
    await both();
    const rows = await postgresRows(url, shop);
    expect(rows).toEqual(sqliteRows(embedded.dir, shop));
    expect((rows.activity ?? []).map((a: Json) => a.action)).toEqual(
      expect.arrayContaining(['order.cancelled']),
    );
    // What the user reads back is the same too.
    const [fromSqlite, fromPostgres] = await Promise.all(
      [embedded, shared].map((setup) => runCli(['orders', 'show', cancelled, '--json'], { env: setup.env })),
    );
    expect(fromPostgres?.code, fromPostgres?.stderr).toBe(0);
    const strip = (text: string) => JSON.stringify(withoutRunTimes(JSON.parse(text).activity));
    expect(strip(fromPostgres?.stdout ?? '')).toBe(strip(fromSqlite?.stdout ?? ''));
  }, 300_000);

  it('refuses a store another worker holds (exit 5, naming it) until that worker’s connection ends', async () => {
    const url = await freshDatabase('held');
    const shop = shops()[3] as string;
    const setup = await configureStores(sandbox, [shop], {}, { DSYNC_STORE: shop, DSYNC_STATE_URL: url });
    cleanups.push(setup.cleanup);
    const other = await createPostgresStateStore(url);
    try {
      await other.lock(shop, { command: 'import', now: new Date('2026-11-30T08:00:00Z') });
      const refused = await runCli(['import', '--out', join(setup.dir, 'out'), '--json'], { env: setup.env });
      expect(refused.code).toBe(5);
      const error = JSON.parse(refused.stdout).error;
      expect(error.message).toBe(
        `another dsync import is running for ${shop} (pid ${process.pid} on ${hostname()}, since 2026-11-30T08:00:00.000Z)`,
      );
      expect(error.hint).toMatch(/session/);
      // The holder's connection is cut (a machine lost): the store is free at once.
      await sql(
        url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dsync'",
      );
      const done = await runCli(['import', '--out', join(setup.dir, 'out')], {
        env: setup.env,
        timeoutMs: 120_000,
      });
      expect(done.code, done.stderr).toBe(0);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('says what is wrong with the server without showing the password', async () => {
    const shop = shops()[0] as string;
    const setup = await configureStores(sandbox, [shop], {}, { DSYNC_STORE: shop });
    cleanups.push(setup.cleanup);
    const base = new URL(process.env.DSYNC_TEST_POSTGRES_URL ?? '');
    const unreachable = `postgres://dsync:s3cret-pw@127.0.0.1:1/dsync`;
    const down = await runCli(['import', '--json'], { env: { ...setup.env, DSYNC_STATE_URL: unreachable } });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout).error).toMatchObject({
      code: 'state_unreachable',
      message: expect.stringContaining('postgres://dsync@127.0.0.1:1/dsync'),
    });
    const wrong = `postgres://dsync:not-the-password@${base.host}${base.pathname}`;
    const refused = await runCli(['orders', 'list', '--json'], {
      env: { ...setup.env, DSYNC_STATE_URL: wrong, PGPASSWORD: '' },
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('state_auth');
    // doctor says the same in its own check, and that a reachable one is reachable.
    const stateCheck = async (url: string) => {
      const result = await runCli(['doctor', '--json'], { env: { ...setup.env, DSYNC_STATE_URL: url } });
      return { result, check: JSON.parse(result.stdout).checks.find((c: Json) => c.id === 'state') };
    };
    const doctorDown = await stateCheck(unreachable);
    expect(doctorDown.result.code).not.toBe(0);
    expect(doctorDown.check).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('cannot reach'),
    });
    const doctorUp = await stateCheck(await freshDatabase('doctor'));
    expect(doctorUp.check).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('reachable; no state'),
    });
    for (const result of [down, refused, doctorDown.result]) {
      expect(result.stdout + result.stderr).not.toMatch(/s3cret-pw|not-the-password/);
    }
  }, 60_000);
});
