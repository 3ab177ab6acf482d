// dsync's import against the script a warehouse developer would write instead (lib/plain-script.js:
// Shopify's client, one filtered orders search, 15 orders a page, waiting out THROTTLED as
// Shopify's docs say), on one sandbox store at the Standard plan's throttle (restore 100/s, bucket
// 2000). Per scenario: `dsync import --out <dir> --json` (a fresh config, accept-orders-after set
// to the window, default settings otherwise), the bucket full again, then the script over the
// same window, each as a child process. Reports both wall times, their ratio (dsync ÷ script),
// requests, actual cost, orders delivered and actual cost per delivered order. Passes when dsync
// takes at most half the script's time in every scenario.
//
// Scenarios are <seeded orders>:<window days>; the default is the two BENCHMARKS.md records,
// 3000:30 and 10000:60 (about 15 minutes). Run one, or a smaller store for a quick check, with
// BENCH_VS_SCENARIOS=3000:30 (or `--scenarios 600:30` when running this file directly).
// The sandbox's bulk operations keep its own realistic timing (DEFAULT_BULK_TIMING: a start-up
// delay, then objects at a rate), never an instant one: dsync may choose a bulk operation.
// BENCH_VS_DSYNC=<path to bin/dsync.js> measures another build of dsync (an earlier commit, say)
// against the same sandbox and script.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { dsyncEnv, root, runNode, startSandbox, tempDir } from './lib/support.js';

const flag = process.argv.indexOf('--scenarios');
const scenarios = (
  flag >= 0 ? process.argv[flag + 1] : (process.env.BENCH_VS_SCENARIOS ?? '3000:30,10000:60')
)
  .split(',')
  .map((s) => {
    const [orders, days] = s.split(':').map(Number);
    if (!(orders > 0 && days > 0)) throw new Error(`a scenario is <orders>:<days>, not ${JSON.stringify(s)}`);
    return { orders, days };
  });
const plan = process.env.BENCH_VS_PLAN ?? 'standard';
const MAX_RATIO = 0.5;
const script = join(root, 'scripts', 'bench', 'lib', 'plain-script.js');
const cli = process.env.BENCH_VS_DSYNC ?? join(root, 'bin', 'dsync.js');
const { DEFAULT_BULK_TIMING } = await import(join(root, 'dist', 'sandbox', 'index.js'));
const bulkTiming = DEFAULT_BULK_TIMING ?? 'instant (this sandbox predates bulk timing)';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const seconds = (ms) => Number((ms / 1000).toFixed(1));
const perOrder = (cost, orders) => (orders > 0 ? Number((cost / orders).toFixed(2)) : null);

/** Waits until the token's throttle bucket is full again (a 1-point `shop` query reads its status). */
async function waitForFullBucket(sandbox, limits) {
  const client = createAdminApiClient({
    storeDomain: sandbox.shop,
    apiVersion: '2026-10',
    accessToken: sandbox.accessToken,
    customFetchApi: (url, init) =>
      fetch(String(url).replace(`https://${sandbox.shop}`, sandbox.origin), init),
  });
  for (;;) {
    const { extensions } = await client.request('query Bucket { shop { name } }');
    const { currentlyAvailable, maximumAvailable } = extensions.cost.throttleStatus;
    // The query itself costs a point; it comes back within 10 ms.
    if (currentlyAvailable >= maximumAvailable - 1) return;
    await sleep(((maximumAvailable - currentlyAvailable) / limits.restoreRate) * 1000 + 100);
  }
}

/** The environment without DSYNC_* and CI (as the other benchmarks run dsync), plus `extra`. */
function envWith(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('DSYNC_') || key === 'CI') delete env[key];
  return { ...env, ...extra };
}

/** `dsync …` as cron would run it; with `--json` (and --out) its result is JSON on stdout. */
async function dsync(args, env) {
  const result = await runNode([cli, ...args], envWith(env));
  if (result.code !== 0) throw new Error(`dsync ${args.join(' ')} exited ${result.code}\n${result.stderr}`);
  return result;
}

/** The plain script as a child process, like dsync: its wall time and its own figures. */
async function runScript(sandbox, since, out) {
  const result = await runNode(
    [script, out],
    envWith({
      SHOPIFY_STORE: sandbox.shop,
      SHOPIFY_ACCESS_TOKEN: sandbox.accessToken,
      SHOPIFY_API_ORIGIN: sandbox.origin,
      SINCE: since,
    }),
  );
  if (result.code !== 0) throw new Error(`plain script exited ${result.code}\n${result.stderr}`);
  return { ms: result.ms, stats: JSON.parse(result.stdout.trim().split('\n').at(-1)) };
}

/** Order names in dsync's --out directory (order.created events). */
function dsyncOrderNames(dir) {
  return new Set(
    readdirSync(dir)
      .filter((f) => f.includes('.order.created.') && f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).order.name),
  );
}

function scriptOrderNames(file) {
  const text = readFileSync(file, 'utf8').trim();
  return new Set(text === '' ? [] : text.split('\n').map((line) => JSON.parse(line).name));
}

async function scenario({ orders, days }) {
  const { sandbox, limits } = await startSandbox({ orders, plan });
  const work = tempDir('dsync-bench-vs-script-');
  try {
    // One instant for both: the window starts at the same second.
    const since = iso(Date.now() - days * 86_400_000);
    const env = dsyncEnv(sandbox, join(work.dir, 'config'));
    await dsync(['config', 'set', 'accept-orders-after', since], env);

    await waitForFullBucket(sandbox, limits);
    const out = join(work.dir, 'dsync-out');
    const imported = await dsync(['import', '--out', out, '--json'], env);
    const s = JSON.parse(imported.stdout).summary;
    await waitForFullBucket(sandbox, limits);
    const scriptOut = join(work.dir, 'script.jsonl');
    const plain = await runScript(sandbox, since, scriptOut);

    const p = plain.stats;
    const dsyncNames = dsyncOrderNames(out);
    const scriptNames = scriptOrderNames(scriptOut);
    const both = [...dsyncNames].filter((name) => scriptNames.has(name)).length;
    const run = {
      seededOrders: orders,
      windowDays: days,
      ratio: Number((imported.ms / plain.ms).toFixed(3)),
      dsync: {
        seconds: seconds(imported.ms),
        mode: s.mode,
        ordersRead: s.fetched,
        delivered: s.created,
        requests: s.requests,
        requestedCost: s.requestedCost,
        actualCost: s.actualCost,
        actualCostPerDelivered: perOrder(s.actualCost, s.created),
        skipped: s.skippedTotal,
        errors: s.errors.length,
      },
      script: {
        seconds: seconds(plain.ms),
        delivered: p.orders,
        requests: p.requests,
        throttledRetries: p.throttled,
        requestedCost: p.requestedCost,
        maxRequestedCost: p.maxRequestedCost,
        actualCost: p.actualCost,
        actualCostPerDelivered: perOrder(p.actualCost, p.orders),
      },
      ordersInBoth: both,
      dsyncOnly: dsyncNames.size - both,
      scriptOnly: scriptNames.size - both,
    };
    const d = run.dsync;
    const t = run.script;
    console.log(
      `import-vs-script (${plan}, ${orders} orders, ${days}-day window): dsync ${d.seconds}s (${d.mode}) vs script ${t.seconds}s ` +
        `→ ratio ${run.ratio} (limit ${MAX_RATIO}); requests ${d.requests} vs ${t.requests} (${t.throttledRetries} throttled); ` +
        `actual cost ${d.actualCost} vs ${t.actualCost}; delivered ${d.delivered} vs ${t.delivered} (${both} in both); ` +
        `actual cost per delivered order ${d.actualCostPerDelivered} vs ${t.actualCostPerDelivered}`,
    );
    return run;
  } finally {
    await sandbox.stop();
    work.cleanup();
  }
}

console.log(
  `import-vs-script: dsync ${cli}; sandbox bulk timing ${typeof bulkTiming === 'string' ? bulkTiming : `${bulkTiming.startupMs} ms start-up, ${bulkTiming.objectsPerSecond} objects/s`}`,
);
const runs = [];
for (const s of scenarios) runs.push(await scenario(s));
const result = { name: 'import-vs-script', plan, bulkTiming, dsync: cli, maxRatio: MAX_RATIO, runs };
result.pass = runs.every(
  (r) => r.ratio <= MAX_RATIO && r.dsync.errors === 0 && r.dsync.delivered > 0 && r.script.delivered > 0,
);
console.log(JSON.stringify(result));
if (!result.pass) process.exitCode = 1;
