// Start-up time of the commands that need no network, against a bare `node -e 0`, all as fresh
// processes. Each round runs `node -e 0` and then every command once, so machine noise hits all
// of them alike; the median of each is compared with the median of `node -e 0`.
//
// The config dir holds one store (the default) with two settings and a ledger of three orders;
// the keychain is off (DSYNC_KEYCHAIN=off), as in CI. stdout is a pipe, as in scripts and shell
// completion. `BENCH_STARTUP_RUNS` sets the rounds (default 15), `BENCH_STARTUP_ONLY` a
// substring of the command lines to run. `BENCH_STARTUP_BEFORE=<dir>` also times another built
// checkout of dsync (e.g. the previous release) in the same rounds, for a before/after table.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { root, tempDir } from './lib/support.js';

const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
const only = process.env.BENCH_STARTUP_ONLY;
const before = process.env.BENCH_STARTUP_BEFORE;
const SHOP = 'bench.myshopify.com';

/** [arguments, limit as a multiple of `node -e 0`] */
const COMMANDS = [
  [['--version'], 1.3],
  [['--help'], 1.5],
  [['config', '--help'], 1.5],
  [['config', 'set', '--help'], 1.5],
  [['orders', 'show', '--help'], 1.5],
  [['import', '--help'], 1.5],
  [['auth', 'login', '--help'], 1.5],
  [['config', 'get', 'financial-status'], 1.5],
  [['config', 'set', 'exclude-empty-orders', 'false'], 1.5],
  [['config', 'list'], 1.5],
  [['config', 'unset', 'notify-customer'], 1.5],
  [['config', 'path'], 1.5],
  [['stores', 'list'], 1.5],
  // What the completion scripts run while a user presses Tab (`_dsync_stores`).
  [['stores', 'list', '--json'], 1.5],
  [['orders', 'list'], 1.5],
  [['orders', 'show', '#1002'], 1.5],
  [['schema', 'order'], 1.5],
  [['schema', 'return'], 1.5],
  [['completion', 'bash'], 1.5],
  [['completion', 'zsh'], 1.5],
  [['completion', 'fish'], 1.5],
].filter(([args]) => !only || args.join(' ').includes(only));

async function prepare(configDir) {
  writeFileSync(
    join(configDir, 'config.json'),
    `${JSON.stringify(
      {
        defaultStore: SHOP,
        stores: {
          [SHOP]: {
            shop: SHOP,
            settings: { 'financial-status': ['paid', 'partially_refunded'], 'filter-by-location': true },
            auth: { grant: 'token', storage: 'file' },
          },
        },
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  const { ledgerPath, openLedger } = await import(join(root, 'dist', 'core', 'ledger', 'ledger.js'));
  const ledger = await openLedger(ledgerPath(configDir, SHOP));
  const at = new Date('2026-11-20T08:00:00Z');
  for (const n of [1001, 1002, 1003]) {
    const order = { orderId: `gid://shopify/Order/${n}`, name: `#${n}`, updatedAt: at.toISOString() };
    ledger.recordSkip(order, 'financial_status', 'pending', at);
  }
  ledger.close();
}

function time(args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}\n${result.stderr}`);
  }
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const tmp = tempDir('dsync-bench-startup-');
try {
  await prepare(tmp.dir);
  const env = { ...process.env, DSYNC_CONFIG_DIR: tmp.dir, DSYNC_KEYCHAIN: 'off', DSYNC_NO_INPUT: '1' };
  for (const key of ['DSYNC_STORE', 'DSYNC_ACCESS_TOKEN', 'DSYNC_API_ORIGIN', 'DSYNC_DEBUG', 'CI']) {
    delete env[key];
  }
  const bare = ['-e', '0'];
  const cli = (args) => [join(root, 'bin', 'dsync.js'), ...args];
  const cliBefore = (args) => [join(before, 'bin', 'dsync.js'), ...args];
  const loadStart = loadavg()[0].toFixed(1);
  // Warm the file cache first.
  time(bare, env);
  for (const [args] of COMMANDS) {
    time(cli(args), env);
    if (before) time(cliBefore(args), env);
  }

  const nodeTimes = [];
  const times = COMMANDS.map(() => []);
  const beforeTimes = COMMANDS.map(() => []);
  for (let i = 0; i < runs; i++) {
    nodeTimes.push(time(bare, env));
    for (const [j, [args]] of COMMANDS.entries()) {
      times[j].push(time(cli(args), env));
      if (before) beforeTimes[j].push(time(cliBefore(args), env));
    }
  }
  const nodeMedian = median(nodeTimes);
  const ratioOf = (ms) => Number((ms / nodeMedian).toFixed(2));
  const commands = COMMANDS.map(([args, limit], j) => {
    const ms = median(times[j]);
    const ratio = ratioOf(ms);
    const was = before ? { beforeMedianMs: Number(median(beforeTimes[j]).toFixed(1)) } : {};
    return {
      command: args.join(' '),
      ...was,
      medianMs: Number(ms.toFixed(1)),
      ratio,
      limit,
      pass: ratio <= limit,
    };
  });

  const load = loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  console.log(`node ${process.version}, load average ${loadStart} at the start, ${load} at the end`);
  console.log(`node -e 0: ${nodeMedian.toFixed(1)} ms (median of ${runs})`);
  const beforeHead = before ? ' before | × `node -e 0` |' : '';
  console.log(`| command |${beforeHead} median | × \`node -e 0\` | limit |`);
  console.log(`|---|${before ? '---|---|' : ''}---|---|---|`);
  for (const c of commands) {
    const was = before ? ` ${c.beforeMedianMs} ms | ${ratioOf(c.beforeMedianMs).toFixed(2)} |` : '';
    const mark = c.pass ? '' : '**';
    console.log(
      `| \`${c.command}\` |${was} ${c.medianMs} ms | ${mark}${c.ratio.toFixed(2)}${mark} | ${c.limit} |`,
    );
  }
  const result = {
    name: 'startup',
    runs,
    nodeMedianMs: Number(nodeMedian.toFixed(1)),
    commands,
    pass: commands.every((c) => c.pass),
  };
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
} finally {
  tmp.cleanup();
}
