// The cron case at the Standard plan: a first import of a BENCH_CRON_ORDERS store (default
// 10,000) over a 60-day window, then the five-minute run with nothing new. The cron run must cost
// a handful of points whatever the store's size: it reads what changed since the checkpoint, and
// orders met again as they were last seen are not read in full.
import { dsyncEnv, runCli, runDsync, startSandbox, tempDir } from './lib/support.js';

const orders = Number(process.env.BENCH_CRON_ORDERS ?? 10_000);
const { sandbox } = await startSandbox({ orders, plan: 'standard' });
const config = tempDir('dsync-bench-cron-');
try {
  const env = dsyncEnv(sandbox, config.dir);
  const set = await runCli(['config', 'set', 'accept-orders-after', '60d'], env);
  if (set.code !== 0) throw new Error(`config set failed: ${set.stderr}`);
  const first = await runDsync(['import', '--json'], env);
  const cron = await runDsync(['import', '--json'], env);
  const s = first.summary;
  const c = cron.summary;
  const result = {
    name: 'import-cron',
    plan: 'standard',
    seededOrders: orders,
    first: {
      mode: s.mode,
      estimate: s.estimate,
      seconds: Number((first.ms / 1000).toFixed(1)),
      ordersRead: s.fetched,
      delivered: s.created,
      requests: s.requests,
      actualCost: s.actualCost,
    },
    cron: {
      mode: c.mode,
      seconds: Number((cron.ms / 1000).toFixed(2)),
      ordersRead: c.fetched,
      delivered: c.created + c.updated + c.cancelled,
      requests: c.requests,
      requestedCost: c.requestedCost,
      actualCost: c.actualCost,
    },
  };
  // "A handful of points": the count and one page of changes, whatever the store's size.
  result.pass = s.created > 0 && result.cron.delivered === 0 && c.actualCost <= 20;
  process.stdout.write(
    `first run: ${s.created} delivered of ${s.fetched} read in ${result.first.seconds}s (${s.mode}); cron run with nothing new: ${c.requests} requests, ${c.actualCost} points actual, ${result.cron.seconds}s\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await sandbox.stop();
  config.cleanup();
}
