// A fleet's five-minute cron tick: `dsync import --all-stores` over BENCH_FLEET_STORES stores
// (default 100) of one sandbox, each store with BENCH_FLEET_CHANGES merchant changes (default 20)
// since the last run. The goal: one machine serves 100 stores in under 60 s.
//
// Setup (not measured): a sandbox serving the stores at the Standard plan's throttle (restore
// 100/s, bucket 2000 per store and app: the plan most merchants are on, and the slowest one
// dsync has to pace for), each seeded with BENCH_FLEET_ORDERS orders (default 120: at the
// default settings about a sixth of them are open, paid, unshipped and from the last 60 days,
// so each store's ledger follows some 20 orders, enough for the changes below to land on orders
// the warehouse holds); a config dir with every store logged in (`dsync auth login --with-token
// --store <shop>`, DSYNC_KEYCHAIN=off); and a first `dsync import --all-stores --out`.
//
// The checkpoint overlap: a first import leaves each store's checkpoint at the newest order it
// handled, which on a freshly seeded store may be days old, so the next run would list every
// seeded order updated since. A store in use has its checkpoint at its last change. So, before
// the first import and at least the 2-minute overlap after the stores were seeded (logging 100
// stores in takes most of that wait), the merchant adds a note to one order per store that the
// import will deliver: the import handles it last, its checkpoint lands on the note, and the
// measured run's window (checkpoint − 2 min) holds no seeded order, only that one order, met
// again as it was and not read in full (`overlap` below).
//
// Changes (not measured): per store, through a token of its own (another app, its own throttle
// bucket), a fifth cancellations, a fifth holds, a fifth shipping-address updates, each on an
// order the first import delivered, and the rest new paid orders; a change the store refuses
// becomes a new order instead.
//
// A, measured: `dsync import --all-stores --concurrency 16 --out DIR --json`, state in SQLite
// files: wall time, peak RSS, events by type, stores ok, requests. It passes under 60 s with every
// store ok and every changed order's event delivered.
//
// Tick, measured when DSYNC_TEST_POSTGRES_URL is set: the checkpoint moved to a note made the
// overlap after round 1's last change (as before A), by a run on SQLite that has one change per
// store for no warehouse to hear of: the fixed cost of a tick.
//
// B, measured when DSYNC_TEST_POSTGRES_URL is set (`eval "$(bash scripts/pg-cluster.sh start)"`):
// the state copied into two fresh PostgreSQL databases with `dsync state migrate --all-stores`
// after that tick, another round of the same changes, then two workers started together on the
// first database (`--shard 1/2` and `--shard 2/2`) and two plain `--all-stores` workers racing on
// the second (each store run by the worker that takes its advisory lock first; the other reports
// it locked, exit 5, or runs it again once free and finds nothing new).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { merchant } from './lib/merchant.js';
import { root, runCli, runDsync, startSandbox, tempDir } from './lib/support.js';

const STORES = Number(process.env.BENCH_FLEET_STORES ?? 100);
const CHANGES = Number(process.env.BENCH_FLEET_CHANGES ?? 20);
const ORDERS = Number(process.env.BENCH_FLEET_ORDERS ?? 120);
const CONCURRENCY = Number(process.env.BENCH_FLEET_CONCURRENCY ?? 16);
const LIMIT_MS = 60_000;
const OVERLAP_MS = 2 * 60_000;
const PG_URL = process.env.DSYNC_TEST_POSTGRES_URL || undefined;
/** A directory for a CPU profile of run A (node --cpu-prof), to see where its time goes. */
const CPU_PROF_DIR = process.env.BENCH_FLEET_CPU_PROF || undefined;

const { ALL_SANDBOX_SCOPES } = await import(join(root, 'dist', 'sandbox', 'index.js'));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => Number((ms / 1000).toFixed(2));

/** Runs `task` over `items`, `width` at a time. */
async function pool(items, width, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < items.length; at = next++) results[at] = await task(items[at], at);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** A store's merchant side, through the Admin API with Shopify's client and a token of its own. */
function merchantOf(sandbox, store) {
  const accessToken = store.tokens.issue({
    clientId: sandbox.clientId,
    scopes: [...ALL_SANDBOX_SCOPES],
  }).accessToken;
  return merchant(store, accessToken);
}

/** Every event file under a run's `--out` directory, per store. */
function eventsByShop(dir) {
  const byShop = new Map();
  let shops = [];
  try {
    shops = readdirSync(dir);
  } catch {
    return byShop;
  }
  for (const shop of shops) {
    const events = readdirSync(join(dir, shop))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, shop, f), 'utf8')));
    byShop.set(shop, events);
  }
  return byShop;
}

/** How many of each kind of change one round makes (a fifth each of three kinds, the rest new orders). */
function mixFor(n) {
  const fifth = Math.floor(n / 5);
  return { cancel: fifth, hold: fifth, address: fifth, create: n - 3 * fifth };
}

/**
 * One round of changes on one store: the orders the first import delivered that no earlier round
 * touched, in their files' order. Returns the changed orders (id → kind) and what was refused.
 */
async function changeStore(state, round) {
  const { shop, docs, used } = state;
  const mix = mixFor(CHANGES);
  const changed = new Map();
  const refused = {};
  let extraCreates = 0;
  const apply = async (kind, fits, change) => {
    for (let done = 0; done < mix[kind]; ) {
      const doc = docs.find((d) => !used.has(d.id) && d.lines.length > 0 && fits(d));
      if (!doc) {
        extraCreates += mix[kind] - done;
        return;
      }
      used.add(doc.id);
      try {
        await change(doc);
        changed.set(doc.id, kind);
        done += 1;
      } catch {
        refused[kind] = (refused[kind] ?? 0) + 1;
      }
    }
  };
  // A hold on one of several fulfillment orders leaves the rest to ship (an update, not a hold):
  // holds go to orders with one fulfillment order, first, before the other kinds take them.
  await apply(
    'hold',
    (doc) => doc.fulfillmentOrderIds.length === 1,
    (doc) => shop.hold(doc.fulfillmentOrderIds[0]),
  );
  await apply(
    'cancel',
    () => true,
    (doc) => shop.cancel(doc.id),
  );
  await apply(
    'address',
    () => true,
    (doc) => shop.updateAddress(doc.id, `${doc.legacyId} New Street`),
  );
  const creates = mix.create + extraCreates + Object.values(refused).reduce((a, b) => a + b, 0);
  const variants = state.variants;
  for (let k = 0; k < creates; k++) {
    const first = (2 * (k + round * CHANGES)) % Math.max(1, variants.length - 1);
    const created = await shop.createOrder({
      lineItems: variants.slice(first, first + 2).map((v) => ({ variantId: v.id, quantity: 1 })),
      financialStatus: 'PAID',
      email: `fleet-${round}-${k}@example.com`,
    });
    changed.set(created.order.id, 'create');
  }
  return { changed, refused };
}

/** One round of changes on every store; counts by kind and the changed orders of each store. */
async function changeRound(states, round) {
  const started = Date.now();
  const results = await pool(states, 8, (state) => changeStore(state, round));
  const byKind = {};
  const refused = {};
  const changedByShop = new Map();
  results.forEach((r, i) => {
    changedByShop.set(states[i].domain, r.changed);
    for (const kind of r.changed.values()) byKind[kind] = (byKind[kind] ?? 0) + 1;
    for (const [kind, n] of Object.entries(r.refused)) refused[kind] = (refused[kind] ?? 0) + n;
  });
  return { byKind, refused, changedByShop, seconds: seconds(Date.now() - started), endedAt: Date.now() };
}

/** Events in `dirs` by type, and whether each changed order got the event its change calls for. */
function checkEvents(dirs, changedByShop) {
  const expected = {
    cancel: 'order.cancelled',
    hold: 'order.on_hold',
    address: 'order.updated',
    create: 'order.created',
  };
  const byType = {};
  const byChange = {};
  const missing = [];
  const seen = new Map();
  for (const dir of dirs) {
    for (const [shop, events] of eventsByShop(dir)) {
      for (const event of events) {
        byType[event.type] = (byType[event.type] ?? 0) + 1;
        const key = `${shop} ${event.order.id}`;
        seen.set(key, [...(seen.get(key) ?? []), event.type]);
      }
    }
  }
  for (const [shop, changed] of changedByShop) {
    for (const [id, kind] of changed) {
      const got = seen.get(`${shop} ${id}`) ?? [];
      const ok = got.includes(expected[kind]);
      if (!ok) missing.push({ shop, id, kind, got });
      byChange[kind] ??= {};
      const label = got.length === 0 ? 'none' : got.join('+');
      byChange[kind][label] = (byChange[kind][label] ?? 0) + 1;
    }
  }
  return { byType, byChange, missing: missing.length, missingSample: missing.slice(0, 5) };
}

/** Sums of the per-store summaries of an `--all-stores --json` report. */
function totals(reports) {
  const t = { stores: 0, ok: 0, locked: 0, failed: 0, fetched: 0, requests: 0, actualCost: 0, errors: 0 };
  const events = { created: 0, updated: 0, cancelled: 0, onHold: 0, withdrawn: 0, released: 0 };
  const storeMs = [];
  for (const report of reports) {
    for (const store of report) {
      t.stores += 1;
      if (store.status === 'ok') t.ok += 1;
      else if (store.status === 'locked') t.locked += 1;
      else t.failed += 1;
      const s = store.result?.summary;
      if (!s) continue;
      storeMs.push(store.ms);
      t.fetched += s.fetched;
      t.requests += s.requests;
      t.actualCost += s.actualCost;
      t.errors += s.errors.length;
      for (const key of Object.keys(events)) events[key] += s[key] ?? 0;
    }
  }
  storeMs.sort((a, b) => a - b);
  const at = (q) => storeMs[Math.min(storeMs.length - 1, Math.floor(q * storeMs.length))] ?? 0;
  return { ...t, events, storeMs: { median: at(0.5), p95: at(0.95), max: at(1) } };
}

/** The sandbox's request log over a window: GraphQL requests and the time the sandbox spent on them. */
function requestLog() {
  let entries = [];
  return {
    onRequest(entry) {
      if (entry.path.endsWith('graphql.json')) entries.push({ at: Date.now(), ms: entry.ms });
    },
    take() {
      const taken = entries;
      entries = [];
      const ms = taken.reduce((a, e) => a + e.ms, 0);
      return {
        graphqlRequests: taken.length,
        sandboxMs: Math.round(ms),
        meanRequestMs: taken.length ? Number((ms / taken.length).toFixed(1)) : 0,
      };
    },
  };
}

/** A fresh database on the PostgreSQL server of DSYNC_TEST_POSTGRES_URL, and whether it runs with fsync. */
async function freshDatabase(label) {
  const { default: pg } = await import('pg');
  const base = new URL(PG_URL);
  const name = `bench_fleet_${label}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  let fsync;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    fsync = (await admin.query('SHOW fsync')).rows[0].fsync;
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  return { url: base.toString(), fsync };
}

/** Two workers started together: wall time of the pair, each one's peak RSS and report. */
async function pair(argsA, argsB, env) {
  const started = Date.now();
  const options = { summaryOnStdout: true, whole: true, exitCodes: [0, 5] };
  const [a, b] = await Promise.all([runDsync(argsA, env, options), runDsync(argsB, env, options)]);
  return { ms: Date.now() - started, runs: [a, b] };
}

const startedAt = Date.now();
const log = requestLog();
const { sandbox } = await startSandbox({
  shops: STORES,
  orders: ORDERS,
  plan: 'standard',
  onRequest: (entry) => log.onRequest(entry),
});
const seededAt = Date.now();
const config = tempDir('dsync-bench-fleet-');
try {
  const env = {
    DSYNC_API_ORIGIN: sandbox.origin,
    DSYNC_CONFIG_DIR: config.dir,
    DSYNC_KEYCHAIN: 'off',
    DSYNC_NO_INPUT: '1',
  };
  // Setup: every store logged in with its own token, two at a time (one per CPU).
  await pool(sandbox.shops, 2, async (store) => {
    const login = await runCli(
      ['auth', 'login', '--with-token', '--store', store.shop],
      env,
      store.accessToken,
    );
    if (login.code !== 0) throw new Error(`auth login --store ${store.shop}: ${login.stderr}`);
  });
  const loginSeconds = seconds(Date.now() - seededAt);
  const states = sandbox.shops.map((store) => ({
    domain: store.shop,
    shop: merchantOf(sandbox, store),
    docs: [],
    used: new Set(),
    variants: [],
  }));

  // The checkpoint where a store in use has it: a note, the overlap after seeding, on an order
  // the first import delivers (open, paid, unshipped, from the last 60 days).
  await sleep(Math.max(0, seededAt + OVERLAP_MS + 5_000 - Date.now()));
  const since = new Date(Date.now() - 59 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await pool(states, 8, async (state) => {
    const id = await state.shop.firstOrder(
      `status:open financial_status:paid fulfillment_status:unshipped created_at:>='${since}'`,
    );
    if (!id) throw new Error(`${state.domain}: no order the first import would deliver`);
    await state.shop.note(id, 'leave at the back door');
    state.noted = id;
    state.variants = await state.shop.physicalVariants();
  });
  log.take();
  const out = (name) => join(config.dir, name);
  const setup = await runDsync(
    ['import', '--all-stores', '--concurrency', String(CONCURRENCY), '--out', out('setup'), '--json'],
    env,
    { summaryOnStdout: true, whole: true },
  );
  const setupTotals = totals([setup.summary]);
  const setupLog = log.take();
  const setupEvents = eventsByShop(out('setup'));
  for (const state of states) {
    state.docs = (setupEvents.get(state.domain) ?? [])
      .filter((e) => e.type === 'order.created' && e.order.id !== state.noted)
      .map((e) => e.order);
  }

  // Round 1 of changes, then A.
  const round1 = await changeRound(states, 0);
  const changes1 = [...round1.changedByShop.values()].reduce((n, m) => n + m.size, 0);
  const loadBeforeA = readFileSync('/proc/loadavg', 'utf8').trim();
  log.take();
  const a = await runDsync(
    ['import', '--all-stores', '--concurrency', String(CONCURRENCY), '--out', out('a'), '--json'],
    env,
    {
      summaryOnStdout: true,
      whole: true,
      nodeArgs: CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [],
    },
  );
  const aLog = log.take();
  const aTotals = totals([a.summary]);
  // The next round may change the orders A delivered too (they are followed now).
  for (const [shop, events] of eventsByShop(out('a'))) {
    const state = states.find((st) => st.domain === shop);
    for (const event of events) if (event.type === 'order.created') state?.docs.push(event.order);
  }
  const aEvents = checkEvents([out('a')], round1.changedByShop);
  const measuredA = {
    seconds: seconds(a.ms),
    peakRssMb: a.peakRssMb,
    cpuSeconds: a.cpuSeconds,
    loadavgBefore: loadBeforeA,
    ...aTotals,
    eventFiles: aEvents.byType,
    eventsByChange: aEvents.byChange,
    missingEvents: aEvents.missing,
    missingSample: aEvents.missingSample,
    overlap: aTotals.fetched - changes1,
    storesPerSecond: Number((aTotals.ok / (a.ms / 1000)).toFixed(2)),
    sandbox: aLog,
  };

  let measuredB = null;
  // As before A: the checkpoint where a store in use has it, at a note made the overlap after the
  // last change of round 1, read by a run on SQLite (a tick with one change per store that
  // concerns no warehouse) before the state is copied for B.
  let tick = null;
  if (PG_URL) {
    await sleep(Math.max(0, round1.endedAt + OVERLAP_MS + 5_000 - Date.now()));
    await pool(states, 8, (state) => state.shop.note(state.noted, 'ring twice'));
    const loadBeforeTick = readFileSync('/proc/loadavg', 'utf8').trim();
    log.take();
    const quiet = await runDsync(
      ['import', '--all-stores', '--concurrency', String(CONCURRENCY), '--out', out('tick'), '--json'],
      env,
      { summaryOnStdout: true, whole: true },
    );
    const quietTotals = totals([quiet.summary]);
    tick = {
      seconds: seconds(quiet.ms),
      peakRssMb: quiet.peakRssMb,
      cpuSeconds: quiet.cpuSeconds,
      loadavgBefore: loadBeforeTick,
      ...quietTotals,
      storesPerSecond: Number((quietTotals.ok / (quiet.ms / 1000)).toFixed(2)),
      sandbox: log.take(),
    };
  }
  if (PG_URL) {
    // The SQLite state as left by that run, copied into two fresh databases.
    const shardsDb = await freshDatabase('shards');
    const raceDb = await freshDatabase('race');
    for (const db of [shardsDb, raceDb]) {
      const migrate = await runCli(['state', 'migrate', '--all-stores', '--to', db.url, '--json'], env);
      if (migrate.code !== 0) throw new Error(`state migrate: ${migrate.stderr}`);
    }
    const round2 = await changeRound(states, 1);
    const changes2 = [...round2.changedByShop.values()].reduce((n, m) => n + m.size, 0);
    const pgEnv = (db) => ({ ...env, DSYNC_STATE_URL: db.url });
    const importArgs = (dir, ...extra) => [
      'import',
      '--all-stores',
      ...extra,
      '--concurrency',
      String(CONCURRENCY),
      '--out',
      out(dir),
      '--json',
    ];
    const workers = (p) =>
      p.runs.map((run) => ({
        seconds: seconds(run.ms),
        peakRssMb: run.peakRssMb,
        cpuSeconds: run.cpuSeconds,
        ...totals([run.summary]),
      }));

    const loadBeforeShards = readFileSync('/proc/loadavg', 'utf8').trim();
    log.take();
    const shards = await pair(
      importArgs('b-shard-1', '--shard', '1/2'),
      importArgs('b-shard-2', '--shard', '2/2'),
      pgEnv(shardsDb),
    );
    const shardsLog = log.take();
    const shardsEvents = checkEvents([out('b-shard-1'), out('b-shard-2')], round2.changedByShop);

    const loadBeforeRace = readFileSync('/proc/loadavg', 'utf8').trim();
    const race = await pair(importArgs('b-race-1'), importArgs('b-race-2'), pgEnv(raceDb));
    const raceLog = log.take();
    const raceEvents = checkEvents([out('b-race-1'), out('b-race-2')], round2.changedByShop);
    const pairFigures = (p, load, events, sandboxLog) => {
      const all = totals(p.runs.map((r) => r.summary));
      return {
        seconds: seconds(p.ms),
        loadavgBefore: load,
        workers: workers(p),
        storesOk: all.ok,
        locked: all.locked,
        failed: all.failed,
        fetched: all.fetched,
        overlap: all.fetched - changes2,
        requests: all.requests,
        events: all.events,
        eventFiles: events.byType,
        eventsByChange: events.byChange,
        missingEvents: events.missing,
        missingSample: events.missingSample,
        storesPerSecond: Number(
          (
            new Set(p.runs.flatMap((r) => r.summary.filter((s) => s.status === 'ok').map((s) => s.shop)))
              .size /
            (p.ms / 1000)
          ).toFixed(2),
        ),
        sandbox: sandboxLog,
      };
    };
    measuredB = {
      postgres: { fsync: shardsDb.fsync },
      changes: changes2,
      changesByKind: round2.byKind,
      changesRefused: round2.refused,
      shards: pairFigures(shards, loadBeforeShards, shardsEvents, shardsLog),
      race: pairFigures(race, loadBeforeRace, raceEvents, raceLog),
    };
  }

  const result = {
    name: 'fleet',
    plan: 'standard',
    stores: STORES,
    ordersPerStore: ORDERS,
    concurrency: CONCURRENCY,
    changes: changes1,
    changesByKind: round1.byKind,
    changesRefused: round1.refused,
    changesSeconds: round1.seconds,
    setup: {
      loginSeconds,
      seconds: seconds(setup.ms),
      peakRssMb: setup.peakRssMb,
      storesOk: setupTotals.ok,
      delivered: setupTotals.events.created,
      requests: setupTotals.requests,
      sandbox: setupLog,
    },
    a: measuredA,
    tick,
    b: measuredB,
    totalSeconds: seconds(Date.now() - startedAt),
  };
  result.pass = a.ms < LIMIT_MS && aTotals.ok === STORES && aEvents.missing === 0 && aTotals.errors === 0;
  const e = aTotals.events;
  let line =
    `fleet: ${STORES} stores, ${changes1} changes; A (SQLite, one worker, --concurrency ${CONCURRENCY}): ` +
    `${measuredA.seconds}s (limit 60s), peak RSS ${a.peakRssMb} MB, ${aTotals.ok}/${STORES} stores ok, ` +
    `${aTotals.requests} requests, events: ${e.created} created, ${e.updated} updated, ${e.cancelled} cancelled, ` +
    `${e.onHold} on hold; ${aEvents.missing} changes without their event`;
  if (measuredB) {
    const s = measuredB.shards;
    line += `; a tick with nothing to deliver: ${tick.seconds}s`;
    const r = measuredB.race;
    line +=
      `; B (PostgreSQL, fsync=${measuredB.postgres.fsync}): two shards ${s.seconds}s ` +
      `(RSS ${s.workers.map((w) => w.peakRssMb).join(' / ')} MB, ${s.storesOk} stores ok), ` +
      `two racing workers ${r.seconds}s (RSS ${r.workers.map((w) => w.peakRssMb).join(' / ')} MB, ` +
      `${r.storesOk} runs ok, ${r.locked} locked)`;
  } else {
    line += '; B skipped: DSYNC_TEST_POSTGRES_URL is not set';
  }
  console.log(line);
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
} finally {
  await sandbox.stop();
  config.cleanup();
}
