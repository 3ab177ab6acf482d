import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, type CliResult, REPO_ROOT, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * Files with customer data are the owner's only, whatever the umask: every run here starts from a
 * shell with `umask 022`, under which files would be 0644 and directories 0755 by default.
 */
let sandbox: TestSandbox;
const tmp = tempConfigDir('dsync-at-rest-');
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 40, seed: 5 });
});
afterAll(async () => {
  await sandbox?.stop();
  tmp.cleanup();
});

// A config dir dsync has to create itself, one level down.
const configDir = join(tmp.dir, 'home', 'dsync');
const env = () => ({ ...sandbox.env({ configDir }), DSYNC_KEYCHAIN: 'off' });

/** The built CLI started from `sh -c 'umask 022; exec …'`, as a login shell would run it. */
function dsync(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('DSYNC_') || key === 'CI') delete base[key];
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/bin/sh',
      ['-c', 'umask 022 && exec "$@"', 'sh', process.execPath, CLI_PATH, ...args],
      {
        cwd: REPO_ROOT,
        env: { ...base, ...env(), ...extraEnv } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('customer data at rest', () => {
  it('event files, stock files, the ledger and the state dirs are 0600 / 0700 under umask 022', async () => {
    expect((await dsync(['config', 'set', 'fulfillment-location', 'Acme 3PL'])).code).toBe(0);
    const work = join(tmp.dir, 'work');
    const events = join(work, 'out', 'events');
    const imported = await dsync(['import', '--out', events]);
    expect(imported.code, imported.stderr).toBe(0);
    const files = readdirSync(events);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(mode(join(events, file)), file).toBe('600');
    // Every directory dsync created for --out, not only the last.
    expect(mode(events)).toBe('700');
    expect(mode(join(work, 'out'))).toBe('700');

    const returns = join(work, 'returns');
    const returnsRun = await dsync(['returns', 'import', '--out', returns]);
    expect(returnsRun.code, returnsRun.stderr).toBe(0);
    expect(mode(returns)).toBe('700');
    for (const file of readdirSync(returns)) expect(mode(join(returns, file)), file).toBe('600');

    const stock = join(work, 'stock.csv');
    const pulled = await dsync(['inventory', 'pull', '--out', stock]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(mode(stock)).toBe('600');

    // The state: config dir, per-store dir, the ledger and SQLite's -wal/-shm beside it.
    const storeDir = join(configDir, 'stores', sandbox.shop);
    expect(mode(configDir)).toBe('700');
    expect(mode(join(configDir, 'stores'))).toBe('700');
    expect(mode(storeDir)).toBe('700');
    const state = readdirSync(storeDir).filter((name) => name.startsWith('ledger.sqlite'));
    expect(state).toContain('ledger.sqlite');
    for (const name of state) expect(mode(join(storeDir, name)), name).toBe('600');
    expect(mode(join(configDir, 'config.json'))).toBe('600');
  });
});

describe('webhooks', () => {
  it.each([
    [['import', '--webhook', 'http://wms.example/hooks/orders']],
    [['returns', 'import', '--webhook', 'http://10.0.0.7:8080/returns']],
    [['orders', 'resend', '#1001', '--webhook', 'http://wms.example/hooks/orders']],
    [['import', '--webhook', 'ftp://wms.example/hooks']],
  ])('refuses %j before reading the store (exit 2)', async (args) => {
    const result = await dsync(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/https/);
    expect(result.stdout).toBe('');
  });

  it('takes plain http to a loopback receiver', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { dir, cleanup } = tempConfigDir();
      try {
        const extra = { DSYNC_CONFIG_DIR: dir };
        expect((await dsync(['config', 'set', 'fulfillment-location', 'Acme 3PL'], extra)).code).toBe(0);
        const result = await dsync(['import', '--webhook', `http://localhost:${port}/hook`], extra);
        expect(result.code, result.stderr).toBe(0);
        expect(received.length).toBeGreaterThan(0);
      } finally {
        cleanup();
      }
    } finally {
      server.close();
    }
  });
});
