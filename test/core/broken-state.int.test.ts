import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePackageFor } from '../../src/core/sqlite.js';
import { scenario } from '../import/helpers.js';
import { REPO_ROOT, runCli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * What a user's machine can do to dsync's own files: a config file cut short or of the wrong
 * shape, a ledger overwritten with garbage or held by another process, a config dir that cannot
 * be written, a disk that fills up. Each gives a clear error and the documented exit code, and
 * nothing dsync stored before is lost.
 */
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 30, seed: 9 });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** Every file below `dir`, path → SHA-256 of its bytes, to show nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(path.slice(dir.length), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** A scenario that ran one import into `out`, so there is a config, a ledger and events to keep. */
async function imported(): Promise<ReturnType<typeof scenario> & { out: string }> {
  const s = scenario(sandbox);
  await s.set('notify-customer', 'false');
  const out = join(s.dir, 'out');
  const first = await s.run(['import', '--out', out]);
  expect(first.code, first.stderr).toBe(0);
  expect(readdirSync(out).length).toBeGreaterThan(0);
  return { ...s, out };
}

const canMount = (() => {
  try {
    const probe = mkdtempSync(join(tmpdir(), 'dsync-mount-probe-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
      return true;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  } catch {
    return false;
  }
})();

describe('a broken config file', () => {
  it.each([
    ['truncated JSON', (text: string) => text.slice(0, Math.floor(text.length / 2)), /not valid JSON/],
    ['wrong types', () => JSON.stringify({ stores: [] }), /stores: expected object, received array/],
    [
      'a setting of the wrong type',
      (text: string) => text.replace('"notify-customer": false', '"notify-customer": "maybe"'),
      /notify-customer/,
    ],
  ])(
    '%s: exit 2 naming the file, and the config, ledger and out dir stay as they were',
    async (_name, breakIt, message) => {
      const s = await imported();
      try {
        const path = join(s.dir, 'config.json');
        writeFileSync(path, breakIt(readFileSync(path, 'utf8')));
        const before = snapshot(s.dir);
        const result = await s.run(['import', '--out', s.out]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toContain('bug');
        expect(snapshot(s.dir)).toEqual(before);
      } finally {
        s.cleanup();
      }
    },
  );
});

describe('a broken ledger', () => {
  it('garbage bytes: a clear error (exit 1) naming the file, which is left as it is', async () => {
    const s = await imported();
    try {
      const ledger = join(s.ledgerDir, 'ledger.sqlite');
      for (const extra of readdirSync(s.ledgerDir))
        if (extra !== 'ledger.sqlite') writeFileSync(join(s.ledgerDir, extra), '');
      writeFileSync(ledger, Buffer.from('this is not a database, just garbage bytes '.repeat(200)));
      const shipments = join(s.dir, 'shipments.csv');
      writeFileSync(shipments, 'order,tracking_number\n#1001,T1\n');
      await s.set('fulfillment-location', 'gid://shopify/Location/70000000001');
      const before = snapshot(s.dir);
      for (const args of [
        ['import', '--out', s.out],
        ['orders', 'list'],
        ['orders', 'show', '#1001'],
        ['ship', '--file', shipments],
      ]) {
        const result = await s.run(args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toContain(ledger);
        expect(result.stderr).toMatch(/is damaged: file is not a database/);
        expect(result.stderr).toContain(`mv '${ledger}'`);
        expect(result.stderr).not.toMatch(/bug in dsync/);
      }
      expect(snapshot(s.dir)).toEqual(before);
    } finally {
      s.cleanup();
    }
  });

  it('held by another process (an open write transaction): exit 5 naming the file, and a rerun once it is let go completes', async () => {
    const s = await imported();
    const ledger = join(s.ledgerDir, 'ledger.sqlite');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require(${JSON.stringify(sqlitePackageFor(Number(process.versions.node.split('.')[0])))});
         const db = new Database(${JSON.stringify(ledger)});
         db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT INTO meta (key, value) VALUES ('held', 'yes')").run();
         process.stdout.write('ready\\n');
         setInterval(() => {}, 1000);`,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const result = await s.run(['import', '--out', s.out]);
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain(ledger);
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      const rerun = await s.run(['import', '--out', s.out, '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).summary.created).toBe(0);
    } finally {
      holder.kill('SIGKILL');
      s.cleanup();
    }
  }, 60_000);
});

/** A tmpfs of `size` at `dir`; returns its unmount. */
function mountTmpfs(dir: string, size: string): () => void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return () => execFileSync('umount', ['-l', dir]);
}

/** Takes every free byte of the file system holding `dir`. */
function fill(dir: string): string {
  const stats = statfsSync(dir);
  const filler = join(dir, 'filler.bin');
  writeFileSync(filler, Buffer.alloc(Number(stats.bavail) * Number(stats.bsize)));
  return filler;
}

/** New paid, unfulfilled orders for the next import to deliver. */
function newOrders(n: number): void {
  for (let i = 0; i < n; i += 1) sandbox.data.addOrder({ lines: [{ sku: 'TEE-BLK-M', quantity: 1 }] });
}

describe.skipIf(!canMount)(
  'a config dir that cannot be written, a full disk (on tmpfs mounts: skipped where mounting is not permitted, e.g. without root)',
  () => {
    it('read-only config dir: config set exits 2 naming the file, import exits 1 naming the ledger; nothing is lost', async () => {
      const s = scenario(sandbox);
      const config = join(s.dir, 'ro');
      const unmount = mountTmpfs(config, '4m');
      try {
        const env = { ...s.env, DSYNC_CONFIG_DIR: config };
        expect((await runCli(['config', 'set', 'notify-customer', 'true'], { env })).code).toBe(0);
        const out = join(s.dir, 'out');
        expect((await runCli(['import', '--out', out], { env })).code).toBe(0);
        execFileSync('mount', ['-o', 'remount,ro', config]);
        const before = snapshot(config);
        const outBefore = snapshot(out);
        const set = await runCli(['config', 'set', 'notify-customer', 'false'], { env });
        expect(set.code, set.stderr).toBe(2);
        expect(set.stderr).toContain(`cannot write the config file ${join(config, 'config.json')}`);
        newOrders(1);
        const again = await runCli(['import', '--out', out], { env });
        expect(again.code, again.stderr).toBe(1);
        expect(again.stderr).toContain('ledger.sqlite');
        expect(again.stderr).toMatch(/DSYNC_CONFIG_DIR/);
        expect(again.stderr).not.toMatch(/bug in dsync/);
        expect(snapshot(config)).toEqual(before);
        expect(snapshot(out)).toEqual(outBefore);
      } finally {
        unmount();
        s.cleanup();
      }
    });

    it('full disk under --out: the import stops (exit 1) without marking orders failed, what was written stays whole, the next run with room completes', async () => {
      const s = scenario(sandbox);
      const out = join(s.dir, 'full');
      const unmount = mountTmpfs(out, '64k');
      try {
        const first = await s.run(['import', '--out', out]);
        expect(first.code, first.stderr).toBe(0);
        newOrders(3);
        const filler = fill(out);
        const before = snapshot(out);
        const result = await s.run(['import', '--out', out]);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(/ENOSPC|no space left/i);
        expect(result.stderr).not.toMatch(/bug in dsync/);
        // No half-written event and no temporary file; the earlier events are as they were.
        expect(snapshot(out)).toEqual(before);
        const failing = await s.run(['orders', 'list', '--status', 'error', '--json']);
        expect(JSON.parse(failing.stdout).orders).toEqual([]);
        rmSync(filler);
        const rerun = await s.run(['import', '--out', out, '--json']);
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(JSON.parse(rerun.stdout).summary.created).toBe(3);
        const after = snapshot(out);
        for (const [name, hash] of before) if (name !== '/filler.bin') expect(after.get(name)).toBe(hash);
      } finally {
        unmount();
        s.cleanup();
      }
    });

    it('full disk under the config dir: the import fails cleanly (exit 1) naming the ledger; config and ledger stay readable; the next run with room completes', async () => {
      const s = scenario(sandbox);
      const config = join(s.dir, 'cfg');
      const unmount = mountTmpfs(config, '2m');
      try {
        const env = { ...s.env, DSYNC_CONFIG_DIR: config };
        expect((await runCli(['config', 'set', 'notify-customer', 'true'], { env })).code).toBe(0);
        const out = join(s.dir, 'out');
        expect((await runCli(['import', '--out', out], { env })).code).toBe(0);
        const listed = await runCli(['orders', 'list', '--json'], { env });
        newOrders(3);
        const configBefore = readFileSync(join(config, 'config.json'), 'utf8');
        const filler = fill(config);
        const result = await runCli(['import', '--out', out], { env });
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(/cannot write the ledger .*ledger\.sqlite: database or disk is full/);
        expect(result.stderr).not.toMatch(/bug in dsync/);
        expect(readFileSync(join(config, 'config.json'), 'utf8')).toBe(configBefore);
        // What the ledger held before is still there.
        const still = await runCli(['orders', 'list', '--json'], { env });
        expect(still.code, still.stderr).toBe(0);
        for (const order of JSON.parse(listed.stdout).orders)
          expect(JSON.parse(still.stdout).orders).toContainEqual(
            expect.objectContaining({ name: order.name }),
          );
        rmSync(filler);
        const rerun = await runCli(['import', '--out', out], { env });
        expect(rerun.code, rerun.stderr).toBe(0);
      } finally {
        unmount();
        s.cleanup();
      }
    });
  },
);
