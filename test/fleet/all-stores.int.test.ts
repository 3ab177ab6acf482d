import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/core/fleet/shard.js';
import { ALL_SANDBOX_SCOPES } from '../../src/sandbox/index.js';
import { type CliResult, runCli } from '../support/cli.js';
import { configureStores, eventsUnder } from '../support/fleet.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: results are inspected field by field
type Json = any;

const SHOPS = 5;
const ORDERS = Number(process.env.DSYNC_TEST_FLEET_ORDERS ?? 50);

const configure = configureStores;

describe('--all-stores against a sandbox serving several stores', () => {
  let sandbox: TestSandbox;
  /** When each GraphQL request of each store was in flight, from the sandbox's request log. */
  const spans: { shop: string; start: number; end: number }[] = [];
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    sandbox = await startTestSandbox({
      shops: SHOPS,
      orders: ORDERS,
      onRequest: (entry) => {
        if (!entry.shop || !entry.path.endsWith('graphql.json')) return;
        const end = Date.now();
        spans.push({ shop: entry.shop, start: end - entry.ms, end });
      },
    });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await sandbox?.stop();
  });

  it('imports every good store fully, reports the one with a revoked token (exit 4), exits with the worst', async () => {
    const [good1, good2, bad] = sandbox.shops.map((s) => s.shop);
    if (!good1 || !good2 || !bad) throw new Error('three stores expected');
    const third = sandbox.shops[2];
    if (!third) throw new Error('three stores expected');
    const badToken = third.tokens.issue({
      clientId: sandbox.clientId,
      scopes: [...ALL_SANDBOX_SCOPES],
    }).accessToken;
    const setup = await configure(sandbox, [good1, good2, bad], { [bad]: badToken });
    cleanups.push(setup.cleanup);
    // The merchant uninstalls the app from the third store after login: its token is refused.
    third.tokens.revoke(badToken);

    const out = join(setup.dir, 'spool');
    const result = await runCli(['import', '--all-stores', '--out', out, '--json'], {
      env: setup.env,
    });
    expect(result.code, result.stderr).toBe(4);
    const report: Json[] = JSON.parse(result.stdout);
    const byShop = new Map(report.map((r) => [r.shop, r]));
    expect([...byShop.keys()].sort()).toEqual([good1, good2, bad].sort());
    expect([good1, good2, bad].map((shop) => byShop.get(shop).exitCode)).toEqual([0, 0, 4]);
    const refused = byShop.get(bad);
    expect(refused.status).toBe('auth');
    expect(refused.error.message).toMatch(/token/i);
    expect(refused.error.hint).toContain(`dsync auth login --store ${bad}`);

    for (const shop of [good1, good2]) {
      const events = eventsUnder(join(out, shop));
      expect(events.length).toBeGreaterThan(0);
      expect(byShop.get(shop).result.summary).toBeDefined();
      // Every event is this store's order, as the store's own Admin API tells it.
      const store = merchant(sandbox, shop);
      for (const event of events) {
        expect(event.order.shop).toBe(shop);
        const live: Json = await store.order(event.order.id);
        expect(live.name).toBe(event.order.name);
        expect(live.createdAt).toBe(event.order.createdAt);
      }
      // The same store imported alone, into another config dir, delivers the same orders.
      const alone = await configure(sandbox, [shop]);
      cleanups.push(alone.cleanup);
      const single = await runCli(['import', '--out', join(alone.dir, 'spool'), '--json'], {
        env: { ...alone.env, DSYNC_STORE: shop },
      });
      expect(single.code, single.stderr).toBe(0);
      const names = (list: Json[]) => list.map((e) => `${e.type} ${e.order.name}`).sort();
      expect(names(events)).toEqual(names(eventsUnder(join(alone.dir, 'spool'))));
    }
    // Nothing of the refused store was delivered (its directory may exist, empty).
    const badDir = join(out, bad);
    expect(existsSync(badDir) ? eventsUnder(badDir) : []).toEqual([]);
  });

  it('prints one line per store when stdout is not a terminal', async () => {
    const shops = sandbox.shops.slice(0, 2).map((s) => s.shop);
    const setup = await configure(sandbox, shops);
    cleanups.push(setup.cleanup);
    const result = await runCli(['requests', 'list', '--all-stores'], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([...shops].sort());
    for (const line of lines) expect(line).toMatch(/^\S+ ok exit=0 \d+ pending requests?$/);
  });

  it('splits the stores by --shard: each store in exactly one shard, stable when a store is added', async () => {
    const all = sandbox.shops.map((s) => s.shop);
    const four = all.slice(0, 4);
    const setup = await configure(sandbox, four);
    cleanups.push(setup.cleanup);
    const run = async (shard: string): Promise<string[]> => {
      const result = await runCli(['requests', 'list', '--all-stores', '--shard', shard, '--json'], {
        env: setup.env,
      });
      expect(result.code, result.stderr).toBe(0);
      const report: Json[] = JSON.parse(result.stdout);
      for (const r of report) expect(Array.isArray(r.result.requests)).toBe(true);
      return report.map((r) => r.shop);
    };
    const before = [await run('1/2'), await run('2/2')];
    expect([...before[0]!, ...before[1]!].sort()).toEqual([...four].sort());
    expect(before[0]!.filter((s) => before[1]!.includes(s))).toEqual([]);
    // The split is the documented hash, so a script can tell where a store goes.
    for (const [i, shard] of before.entries()) for (const shop of shard) expect(shardOf(shop, 2)).toBe(i + 1);

    const fifth = all[4];
    if (!fifth) throw new Error('five stores expected');
    const login = await runCli(['auth', 'login', '--with-token', '--store', fifth], {
      env: setup.env,
      input: sandbox.shops[4]?.accessToken,
    });
    expect(login.code, login.stderr).toBe(0);
    const after = [await run('1/2'), await run('2/2')];
    expect([...after[0]!, ...after[1]!].sort()).toEqual([...all].sort());
    for (const [i, shard] of before.entries()) for (const shop of shard) expect(after[i]).toContain(shop);
  });

  it('runs at most --concurrency stores at once', async () => {
    const all = sandbox.shops.map((s) => s.shop);
    const setup = await configure(sandbox, all);
    cleanups.push(setup.cleanup);
    const started = Date.now();
    const result: CliResult = await runCli(
      ['import', '--all-stores', '--concurrency', '2', '--out', join(setup.dir, 'spool'), '--json'],
      { env: setup.env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).map((r: Json) => r.exitCode)).toEqual(all.map(() => 0));
    const mine = spans.filter((s) => s.start >= started - 5);
    // Each store's requests, as one interval from its first request to its last.
    const byShop = new Map<string, { start: number; end: number }>();
    for (const s of mine) {
      const seen = byShop.get(s.shop);
      byShop.set(s.shop, seen ? { start: Math.min(seen.start, s.start), end: Math.max(seen.end, s.end) } : s);
    }
    expect([...byShop.keys()].sort()).toEqual([...all].sort());
    let most = 0;
    for (const { start } of byShop.values()) {
      const overlapping = [...byShop.values()].filter((o) => o.start <= start && start < o.end).length;
      most = Math.max(most, overlapping);
    }
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('--json: an array of {shop, exitCode, status, result, error, ms} for returns import and doctor too', async () => {
    const shops = sandbox.shops.slice(0, 2).map((s) => s.shop);
    const setup = await configure(sandbox, shops);
    cleanups.push(setup.cleanup);
    // The first store knows its warehouse; the second does not: a configuration error (exit 2).
    const set = await runCli(
      [
        'config',
        'set',
        'fulfillment-location',
        'gid://shopify/Location/70000000001',
        '--store',
        shops[0] ?? '',
      ],
      { env: setup.env },
    );
    expect(set.code, set.stderr).toBe(0);
    const returns = await runCli(
      ['returns', 'import', '--all-stores', '--out', join(setup.dir, 'returns'), '--json'],
      { env: setup.env },
    );
    expect(returns.code, returns.stdout + returns.stderr).toBe(2);
    const report: Json[] = JSON.parse(returns.stdout);
    expect(report.map((r) => r.shop).sort()).toEqual([...shops].sort());
    for (const r of report) {
      expect(Object.keys(r).sort()).toEqual(['error', 'exitCode', 'ms', 'result', 'shop', 'status']);
    }
    const [configured, unconfigured] = shops.map((shop) => report.find((r) => r.shop === shop));
    expect(configured).toMatchObject({ exitCode: 0, status: 'ok', error: null });
    expect(configured.result.summary.counts).toBeDefined();
    expect(unconfigured).toMatchObject({ exitCode: 2, status: 'usage', result: null });
    expect(unconfigured.error.message).toContain('fulfillment-location');
    const doctor = await runCli(['doctor', '--all-stores', '--json'], { env: setup.env });
    const checks: Json[] = JSON.parse(doctor.stdout);
    expect(checks.map((r) => r.shop).sort()).toEqual([...shops].sort());
    for (const r of checks) {
      expect(r.result.shop).toBe(r.shop);
      expect(Array.isArray(r.result.checks)).toBe(true);
      // A store's exit code is what `dsync doctor --store <shop>` exits with.
      const alone = await runCli(['doctor', '--store', r.shop, '--json'], { env: setup.env });
      expect(r.exitCode).toBe(alone.code);
    }
  });

  it('refuses --shard without --all-stores, and --all-stores with --store', async () => {
    const env = {
      DSYNC_API_ORIGIN: sandbox.origin,
      DSYNC_KEYCHAIN: 'off',
      DSYNC_CONFIG_DIR: sandbox.configDir,
    };
    const shard = await runCli(['import', '--shard', '1/2', '--out', '/tmp/x'], { env });
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('--shard works only with --all-stores');
    const both = await runCli(['doctor', '--all-stores', '--store', sandbox.shop], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--all-stores and --store');
    const stdout = await runCli(['import', '--all-stores'], { env });
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toContain('--out DIR or --webhook URL');
  });
});
