// dsync inventory push at the Standard plan's throttle (restore 100/s, bucket 2000): a stock file
// of BENCH_INVENTORY_SKUS SKUs (default 10,000; a sandbox with that many generated products),
// every quantity changed, against the calls a one-request-per-row script would make (a SKU
// lookup and a set per row: 2 × rows). Then the same file again: nothing to send.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dsyncEnv, runCli, runDsync, startSandbox, tempDir } from './lib/support.js';

const skus = Number(process.env.BENCH_INVENTORY_SKUS ?? 10_000);
const plan = process.env.BENCH_INVENTORY_PLAN ?? 'standard';

const { sandbox } = await startSandbox({ orders: 0, products: skus, plan });
const config = tempDir('dsync-bench-inventory-');
try {
  const env = dsyncEnv(sandbox, config.dir);
  const set = await runCli(['config', 'set', 'fulfillment-location', 'Acme 3PL'], env);
  if (set.code !== 0) throw new Error(set.stderr);
  const file = join(config.dir, 'stock.csv');
  const rows = Array.from(
    { length: skus },
    (_, k) => `GEN-${String(k + 1).padStart(6, '0')},${500 + (k % 7)}`,
  );
  writeFileSync(file, `sku,quantity\n${rows.join('\n')}\n`);
  const first = await runDsync(['inventory', 'push', '--file', file, '--json'], env, {
    summaryOnStdout: true,
    whole: true,
  });
  const again = await runDsync(['inventory', 'push', '--file', file, '--json'], env, {
    summaryOnStdout: true,
    whole: true,
  });
  const s = first.summary;
  const calls = s.requests.reads + s.requests.writes;
  const result = {
    name: 'inventory',
    plan,
    skus,
    changed: s.changed,
    seconds: Number((first.ms / 1000).toFixed(1)),
    calls,
    reads: s.requests.reads,
    writes: s.requests.writes,
    oneCallPerRowScript: 2 * skus,
    peakRssMb: first.peakRssMb,
    rerunSeconds: Number((again.ms / 1000).toFixed(1)),
    rerunCalls: again.summary.requests.reads + again.summary.requests.writes,
    rerunChanged: again.summary.changed,
  };
  result.pass = result.changed === skus && calls <= Math.ceil(skus / 100) && result.rerunChanged === 0;
  console.log(
    `inventory (${plan}): ${skus} SKUs set in ${result.seconds}s with ${calls} calls (${result.reads} reads, ${result.writes} writes; ` +
      `a one-call-per-row script: ${result.oneCallPerRowScript}); rerun: ${result.rerunChanged} changed, ${result.rerunCalls} calls in ${result.rerunSeconds}s`,
  );
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
} finally {
  await sandbox.stop();
  config.cleanup();
}
