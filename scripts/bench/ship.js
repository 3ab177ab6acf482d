// dsync ship at the Standard plan's throttle (restore 100/s, bucket 2000): BENCH_SHIP_COUNT
// shipments (default 1,000), one per open order with lines left at Main Warehouse, shipped whole
// with a tracking number each. Reports the wall time, GraphQL calls and cost (counted by the
// sandbox), the calls a one-call-per-row script would make (a read and a fulfillmentCreate per
// row), and the time against the throttle bound for the points spent: (actual cost − the 2,000
// bucket) ÷ 100/s. Then the same file again: nothing may be created. Passes within 1.2× the bound.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dsyncEnv, runCli, startSandbox, tempDir } from './lib/support.js';

const count = Number(process.env.BENCH_SHIP_COUNT ?? 1_000);
const plan = process.env.BENCH_SHIP_PLAN ?? 'standard';
const MAX_RATIO = 1.2;
const WAREHOUSE = 70_000_000_001;

const calls = { graphql: 0, throttled: 0, requested: 0, actual: 0 };
const { sandbox, limits } = await startSandbox({
  orders: Math.ceil(count * 3),
  plan,
  onRequest: (entry) => {
    if (!entry.path.endsWith('/graphql.json')) return;
    calls.graphql += 1;
    if (entry.codes?.includes('THROTTLED')) calls.throttled += 1;
    calls.requested += entry.cost?.requested ?? 0;
    calls.actual += entry.cost?.actual ?? 0;
  },
});
const config = tempDir('dsync-bench-ship-');
try {
  const { data } = sandbox;
  const rows = ['order,sku,quantity,carrier,tracking_number,tracking_url'];
  for (const order of data.orders) {
    if (rows.length > count) break;
    if (order.cancelledAt !== null) continue;
    const open = data
      .fulfillmentOrdersOf(order)
      .some(
        (fo) =>
          fo.locationId === WAREHOUSE &&
          (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS') &&
          !['REJECTED', 'CANCELLATION_REQUESTED'].includes(fo.requestStatus) &&
          fo.lineItems.some((l) => l.remainingQuantity > 0),
      );
    if (open) rows.push(`${order.name},,,UPS,1ZBENCH${String(order.number).padStart(8, '0')},`);
  }
  const shipments = rows.length - 1;
  const file = join(config.dir, 'shipments.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  const env = dsyncEnv(sandbox, config.dir);
  const set = await runCli(
    ['config', 'set', 'fulfillment-location', `gid://shopify/Location/${WAREHOUSE}`],
    env,
  );
  if (set.code !== 0) throw new Error(set.stderr);

  const before = { ...calls };
  const first = await runCli(['ship', '--file', file, '--json'], env);
  const spent = {
    graphql: calls.graphql - before.graphql,
    throttled: calls.throttled - before.throttled,
    requested: calls.requested - before.requested,
    actual: calls.actual - before.actual,
  };
  const summary = JSON.parse(first.stdout);
  for (const r of summary.shipments.filter((x) => x.status === 'failed').slice(0, 5))
    console.error(`failed: ${r.order}: ${r.message}`);
  const again = { ...calls };
  const rerun = await runCli(['ship', '--file', file, '--json'], env);
  const rerunSummary = JSON.parse(rerun.stdout);
  const boundS = Math.max(0, spent.actual - limits.maximumAvailable) / limits.restoreRate;
  const seconds = first.ms / 1000;
  const result = {
    name: 'ship',
    plan,
    shipments,
    created: summary.counts.created,
    failed: summary.counts.failed,
    seconds: Number(seconds.toFixed(1)),
    shipmentsPerSecond: Number((summary.counts.created / seconds).toFixed(1)),
    calls: spent.graphql - spent.throttled,
    throttledCalls: spent.throttled,
    oneCallPerRowScriptCalls: 2 * shipments,
    requestedCost: spent.requested,
    actualCost: spent.actual,
    actualCostPerShipment: Number((spent.actual / shipments).toFixed(2)),
    throttleBoundSeconds: Number(boundS.toFixed(1)),
    ratioToBound: boundS > 0 ? Number((seconds / boundS).toFixed(3)) : null,
    rerunSeconds: Number((rerun.ms / 1000).toFixed(2)),
    rerunCreated: rerunSummary.counts.created,
    rerunAlreadyApplied: rerunSummary.counts.alreadyApplied,
    rerunCalls: calls.graphql - again.graphql,
  };
  result.pass =
    first.code === 0 &&
    result.failed === 0 &&
    rerun.code === 0 &&
    result.created === shipments &&
    result.rerunCreated === 0 &&
    (result.ratioToBound === null || result.ratioToBound <= MAX_RATIO);
  console.log(
    `ship (${plan}): ${result.created}/${shipments} shipments in ${result.seconds}s (${result.shipmentsPerSecond}/s), ` +
      `${result.calls} calls (a one-call-per-row script: ${result.oneCallPerRowScriptCalls}), ` +
      `${result.actualCost} points (${result.actualCostPerShipment} per shipment), ` +
      `${result.ratioToBound ?? '-'}× the throttle bound (${result.throttleBoundSeconds}s); ` +
      `rerun: ${result.rerunCreated} created, ${result.rerunAlreadyApplied} already applied, ${result.rerunCalls} calls, ${result.rerunSeconds}s`,
  );
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
} finally {
  await sandbox.stop();
  config.cleanup();
}
