// A backfill through a bulk operation at growing sizes: time and the peak RSS of the dsync
// process, which must stay flat as the count grows (the JSONL is streamed line by line).
// BENCH_BULK_SIZES: seeded orders per run (default 5000,10000,20000, a few minutes; BENCHMARKS.md
// records 25000,50000,100000). BENCH_BULK_PLAN: sandbox plan (default enterprise).
// The sandbox's bulk operations take Shopify-like time (its defaults: queued 5 s, then 500
// objects/s, one object per order here; src/sandbox/README.md); the result records the timing.
import { dsyncEnv, runDsync, startSandbox, tempDir } from './lib/support.js';

const sizes = (process.env.BENCH_BULK_SIZES ?? '5000,10000,20000').split(',').map(Number);
const plan = process.env.BENCH_BULK_PLAN ?? 'enterprise';

const runs = [];
let bulkTiming;
for (const orders of sizes) {
  const { sandbox } = await startSandbox({ orders, plan });
  bulkTiming = { ...sandbox.data.bulkTiming };
  const config = tempDir('dsync-bench-bulk-');
  try {
    const { ms, peakRssMb, summary } = await runDsync(
      ['import', '--bulk', '--json'],
      dsyncEnv(sandbox, config.dir),
    );
    const run = {
      seededOrders: orders,
      ordersRead: summary.fetched,
      delivered: summary.created,
      seconds: Number((ms / 1000).toFixed(1)),
      ordersPerSecond: Number((summary.fetched / (ms / 1000)).toFixed(0)),
      requests: summary.requests,
      peakRssMb,
    };
    runs.push(run);
    console.log(
      `import-bulk (${plan}): ${orders} seeded, ${run.ordersRead} read, ${run.delivered} delivered in ${run.seconds}s, peak RSS ${peakRssMb} MB`,
    );
  } finally {
    await sandbox.stop();
    config.cleanup();
  }
}
const rss = runs.map((r) => r.peakRssMb);
const result = {
  name: 'import-bulk',
  plan,
  bulkTiming,
  runs,
  rssGrowth: Number((Math.max(...rss) / Math.min(...rss)).toFixed(2)),
};
// Flat memory: the largest run may not need more than 1.5× the smallest one's peak RSS.
result.pass = result.rssGrowth <= 1.5;
console.log(JSON.stringify(result));
if (!result.pass) process.exitCode = 1;
