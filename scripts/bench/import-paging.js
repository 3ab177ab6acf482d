// Import by paging at the Standard plan's throttle (restore 100/s, bucket 2000): a first run
// over BENCH_PAGING_ORDERS seeded orders (default 1,500, a few minutes; BENCHMARKS.md records
// 3,000; about two thirds fall in the 60-day window), then a rerun with nothing new. Reports the time, the requested cost per order read,
// and the time against the throttle bound for that cost (total requested cost / restore rate).
import { dsyncEnv, runDsync, startSandbox, tempDir } from './lib/support.js';

const orders = Number(process.env.BENCH_PAGING_ORDERS ?? 1_500);
const plan = process.env.BENCH_PAGING_PLAN ?? 'standard';

const { sandbox, limits } = await startSandbox({ orders, plan });
const config = tempDir('dsync-bench-paging-');
try {
  const env = dsyncEnv(sandbox, config.dir);
  const first = await runDsync(['import', '--no-bulk', '--json'], env);
  const s = first.summary;
  const boundS = s.requestedCost / limits.restoreRate;
  const actualBoundS = Math.max(0, s.actualCost - limits.maximumAvailable) / limits.restoreRate;
  const rerun = await runDsync(['import', '--no-bulk', '--json'], env);
  const result = {
    name: 'import-paging',
    plan,
    seededOrders: orders,
    ordersRead: s.fetched,
    delivered: s.created,
    seconds: Number((first.ms / 1000).toFixed(1)),
    ordersPerSecond: Number((s.fetched / (first.ms / 1000)).toFixed(1)),
    requests: s.requests,
    requestedCostPerOrder: Number((s.requestedCost / s.fetched).toFixed(1)),
    actualCostPerOrder: Number((s.actualCost / s.fetched).toFixed(1)),
    throttleBoundSeconds: Number(boundS.toFixed(1)),
    ratioToBound: Number((first.ms / 1000 / boundS).toFixed(3)),
    actualCostBoundSeconds: Number(actualBoundS.toFixed(1)),
    ratioToActualBound: actualBoundS > 0 ? Number((first.ms / 1000 / actualBoundS).toFixed(3)) : null,
    peakRssMb: first.peakRssMb,
    rerunSeconds: Number((rerun.ms / 1000).toFixed(2)),
    rerunOrdersRead: rerun.summary.fetched,
    rerunDelivered: rerun.summary.created + rerun.summary.updated + rerun.summary.cancelled,
    rerunRequests: rerun.summary.requests,
  };
  result.pass = result.rerunDelivered === 0 && result.delivered > 0;
  console.log(
    `import-paging (${plan}): ${result.ordersRead} orders read in ${result.seconds}s (${result.ordersPerSecond}/s), ` +
      `${result.requestedCostPerOrder} requested / ${result.actualCostPerOrder} actual cost per order, ` +
      `${result.ratioToBound}× the requested-cost bound (${result.throttleBoundSeconds}s), ` +
      `${result.ratioToActualBound ?? '-'}× the actual-cost bound (${result.actualCostBoundSeconds}s); ` +
      `rerun: ${result.rerunDelivered} delivered in ${result.rerunSeconds}s`,
  );
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
} finally {
  await sandbox.stop();
  config.cleanup();
}
