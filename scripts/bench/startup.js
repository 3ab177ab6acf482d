// Startup time: `dsync --version` against a bare `node -e 0`, both as fresh processes.
// The median of interleaved runs is compared, so machine noise hits both sides alike.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 40);
const LIMIT = 1.3;

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Warm the file cache first.
time(['-e', '0']);
time(['bin/dsync.js', '--version']);

const bare = [];
const dsync = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  dsync.push(time(['bin/dsync.js', '--version']));
}
const result = {
  name: 'startup',
  runs,
  nodeMedianMs: Number(median(bare).toFixed(1)),
  dsyncVersionMedianMs: Number(median(dsync).toFixed(1)),
  ratio: Number((median(dsync) / median(bare)).toFixed(3)),
  limit: LIMIT,
};
result.pass = result.ratio <= LIMIT;
console.log(
  `startup: node -e 0 ${result.nodeMedianMs} ms, dsync --version ${result.dsyncVersionMedianMs} ms, ratio ${result.ratio} (limit ${LIMIT}) over ${runs} runs`,
);
console.log(JSON.stringify(result));
if (!result.pass) process.exitCode = 1;
