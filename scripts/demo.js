#!/usr/bin/env node
// npm run demo: the whole dsync flow against a local sandbox store, on a fresh clone after
// `npm ci` (the npm script builds first). Starts `dsync sandbox`, authorizes against it with
// its token, sets the fulfillment location and service, imports into a temp directory (accepting
// the fulfillment requests of what it delivered), ships two orders with tracking, pulls and pushes
// stock, lists the returns coming back, prints the ledger, and stops the sandbox. Nothing
// outside a temp dir is touched.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'bin', 'dsync.js');
const orders = process.env.DEMO_ORDERS ?? '200';
const work = mkdtempSync(join(tmpdir(), 'dsync-demo-'));
const out = join(work, 'out');

const baseEnv = { ...process.env };
for (const key of Object.keys(baseEnv)) if (key.startsWith('DSYNC_')) delete baseEnv[key];

// Bold and dim only on a terminal, and never with NO_COLOR: `npm run demo > demo.txt` stays plain.
const colour = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
const bold = (text) => (colour ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text) => (colour ? `\x1b[2m${text}\x1b[0m` : text);

function step(text) {
  process.stdout.write(`\n${bold(`▸ ${text}`)}\n`);
}

function startSandbox() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'sandbox', '--json', '--port', '0', '--orders', orders, '--auto-approve'],
      { env: baseEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let buffer = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 30 s\n${errors}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      errors += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        resolvePromise({ child, info: JSON.parse(buffer.slice(0, newline)) });
      } catch (error) {
        reject(error);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code})\n${errors}`));
    });
  });
}

let sandbox;
let failed = false;
try {
  step(`Starting a sandbox store with ${orders} orders`);
  sandbox = await startSandbox();
  const { info } = sandbox;
  process.stdout.write(`  ${info.shop} at ${info.origin}\n`);
  const env = {
    ...baseEnv,
    DSYNC_API_ORIGIN: info.origin,
    DSYNC_STORE: info.shop,
    DSYNC_CONFIG_DIR: join(work, 'config'),
    DSYNC_NO_INPUT: '1',
  };
  const dsync = (args, options = {}) => {
    process.stdout.write(
      `${dim(`$ dsync ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`)}\n`,
    );
    const result = spawnSync(process.execPath, [cli, ...args], {
      env,
      input: options.input,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'],
      encoding: 'utf8',
    });
    if (result.status !== 0 && !(options.allow ?? []).includes(result.status)) {
      throw new Error(`dsync ${args[0]} ${args[1] ?? ''} exited ${result.status}`);
    }
    return result.status;
  };

  step('Authorizing dsync with the sandbox token (kept in a 0600 file: no keychain needed)');
  dsync(['auth', 'login', '--with-token', '--insecure-storage'], { input: info.accessToken });

  step('Choosing the 3PL: its location and its fulfillment service');
  dsync(['locations', 'list'], { allow: [1, 2] });
  dsync(['config', 'set', 'fulfillment-location', 'Acme 3PL']);
  dsync(['config', 'set', 'fulfillment-service', 'acme-3pl']);
  dsync(['config', 'set', 'exclude-empty-orders', 'true']);

  step(`Importing: one JSON file per event into ${out}`);
  dsync(['import', '--out', out]);
  process.stdout.write(`  ${readdirSync(out).length} files written\n`);

  step('Running again, as cron would: nothing new, nothing sent');
  dsync(['import', '--out', out]);

  step('The warehouse shipped two orders: fulfillments with tracking, from a CSV file');
  const delivered = readdirSync(out)
    .map((file) => JSON.parse(readFileSync(join(out, file), 'utf8')))
    .filter((event) => event.type === 'order.created' && event.order.lines.length > 0)
    .slice(0, 2);
  const shipments = join(work, 'shipments.csv');
  writeFileSync(
    shipments,
    [
      'order,sku,quantity,carrier,tracking_number,tracking_url',
      ...delivered.map((event, i) => `${event.order.name},,,UPS,1Z999AA1012345678${i},`),
    ].join('\n'),
  );
  dsync(['ship', '--file', shipments], { allow: [3] });
  dsync(['ship', '--file', shipments], { allow: [3] });

  step('Stock: what the 3PL location holds, and the warehouse count pushed back');
  const stock = join(work, 'stock.csv');
  dsync(['inventory', 'pull', '--out', stock]);
  const [header, ...rows] = readFileSync(stock, 'utf8').trim().split(/\r?\n/);
  const counted = rows.slice(0, 3).map((row) => {
    const [sku, available] = row.split(',');
    return `${sku},${Number(available) + 5}`;
  });
  writeFileSync(stock, ['sku,quantity', ...counted].join('\n'));
  void header;
  dsync(['inventory', 'push', '--file', stock, '--dry-run']);
  dsync(['inventory', 'push', '--file', stock]);

  step('Returns coming back to the 3PL');
  dsync(['returns', 'list']);

  step('The ledger: what happened to each order');
  dsync(['orders', 'list', '--limit', '15']);

  step('Done');
  process.stdout.write(
    `  Try it yourself: dsync sandbox --orders 500 in one terminal, then dsync import --help.\n`,
  );
} catch (error) {
  failed = true;
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  if (sandbox) {
    const exited = new Promise((r) => sandbox.child.once('exit', r));
    sandbox.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
