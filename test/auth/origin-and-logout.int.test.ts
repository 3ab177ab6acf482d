import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// Credentials go to the 0600 file (DSYNC_KEYCHAIN=off) unless a test says otherwise.
let sandbox: TestSandbox;
const requests: string[] = [];
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 5, onRequest: (entry) => requests.push(entry.path) });
});
afterAll(() => sandbox.stop());

const CONNECT_LOG_PRELOAD = join(REPO_ROOT, 'test', 'support', 'connect-log.cjs');

function envFor(dir: string, extra: Record<string, string | undefined> = {}) {
  return { ...sandbox.env({ accessToken: undefined, configDir: dir }), DSYNC_KEYCHAIN: 'off', ...extra };
}

interface Connection {
  kind: 'connect' | 'lookup';
  host: string;
  port?: number | string;
}

/** Runs dsync with every outgoing connection and DNS lookup recorded (test/support/connect-log.cjs). */
async function traced(args: string[], env: Record<string, string | undefined>, logDir: string) {
  const log = join(logDir, `connections-${Math.random().toString(36).slice(2)}.jsonl`);
  const result = await runCli(args, {
    env: { ...env, NODE_OPTIONS: `--require ${CONNECT_LOG_PRELOAD}`, DSYNC_TEST_CONNECT_LOG: log },
  });
  const connections: Connection[] = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line))
    : [];
  rmSync(log, { force: true });
  return { ...result, connections };
}

describe('credentials are bound to the origin that issued them', () => {
  it('a sandbox login is refused, before any connection, when DSYNC_API_ORIGIN is not set', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const login = await runCli(['auth', 'login', '--with-token'], {
        env: envFor(dir),
        input: sandbox.accessToken,
      });
      expect(login.code, login.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      expect(config.stores[sandbox.shop].auth.apiOrigin).toBe(sandbox.origin);

      // The control: with DSYNC_API_ORIGIN, the same command connects to the sandbox only.
      const control = await traced(['--debug', 'locations', 'list', '--json'], envFor(dir), dir);
      expect(control.code, control.stderr).toBe(0);
      expect(control.connections.some((c) => c.kind === 'connect' && Number(c.port) === sandbox.port)).toBe(
        true,
      );
      expect(control.stderr).toContain('http → POST');

      const before = requests.length;
      // A new shell that forgot DSYNC_API_ORIGIN: the token would go to https://<shop>.
      const newShell = envFor(dir, { DSYNC_API_ORIGIN: undefined });
      for (const args of [
        ['import', '--dry-run'],
        ['locations', 'list'],
        ['auth', 'token'],
      ]) {
        const refused = await traced(['--debug', ...args], newShell, dir);
        const what = `dsync ${args.join(' ')}`;
        expect(refused.code, `${what}\n${refused.stderr}`).toBe(2);
        expect(refused.stderr, what).toContain('DSYNC_API_ORIGIN');
        expect(refused.stderr, what).toContain(`export DSYNC_API_ORIGIN=${sandbox.origin}`);
        expect(refused.stdout, what).toBe('');
        // Nothing left the process: no connection, no DNS lookup, no request logged.
        expect(refused.connections, what).toEqual([]);
        expect(refused.stderr, what).not.toContain('http →');
      }
      // And nothing reached the sandbox either: the refusal comes before any request.
      expect(requests.length).toBe(before);

      const json = await runCli(['import', '--dry-run', '--json'], { env: newShell });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'origin_mismatch',
        details: { expectedApiOrigin: sandbox.origin, apiOrigin: `https://${sandbox.shop}` },
      });
    } finally {
      cleanup();
    }
  });

  it("a real store's login is never sent to a loopback DSYNC_API_ORIGIN", async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      // A token login recorded without DSYNC_API_ORIGIN belongs to https://<shop>. The store's
      // check cannot reach a real store here, so the record is made as a login would leave it.
      const login = await runCli(['auth', 'login', '--with-token'], {
        env: envFor(dir),
        input: sandbox.accessToken,
      });
      expect(login.code, login.stderr).toBe(0);
      const path = join(dir, 'config.json');
      const config = JSON.parse(readFileSync(path, 'utf8'));
      delete config.stores[sandbox.shop].auth.apiOrigin;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, JSON.stringify(config), { mode: 0o600 });

      const before = requests.length;
      const refused = await traced(['locations', 'list'], envFor(dir), dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('unset DSYNC_API_ORIGIN');
      expect(refused.connections).toEqual([]);
      expect(requests.length).toBe(before);
    } finally {
      cleanup();
    }
  });

  it('DSYNC_ACCESS_TOKEN is not bound: the caller chose where it goes', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const result = await runCli(['locations', 'list', '--json'], {
        env: { ...envFor(dir), DSYNC_ACCESS_TOKEN: sandbox.accessToken },
      });
      expect(result.code, result.stderr).toBe(0);
    } finally {
      cleanup();
    }
  });
});

describe('auth logout', () => {
  it('removes every secret of the store, the secret settings included; a second logout is a no-op', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const env = envFor(dir);
      expect(
        (await runCli(['auth', 'login', '--with-token'], { env, input: sandbox.accessToken })).code,
      ).toBe(0);
      expect(
        (await runCli(['config', 'set', 'webhook-secret', '-'], { env, input: 'whsec-logout' })).code,
      ).toBe(0);
      expect(
        (await runCli(['config', 'set', 'return-magic-api-key', '-'], { env, input: 'rm-key-logout' })).code,
      ).toBe(0);
      const stored = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')).stores[sandbox.shop];
      expect(Object.keys(stored).sort()).toEqual(['access-token', 'return-magic-api-key', 'webhook-secret']);

      const logout = await runCli(['auth', 'logout', '--json'], { env });
      expect(logout.code, logout.stderr).toBe(0);
      expect(JSON.parse(logout.stdout)).toMatchObject({
        shop: sandbox.shop,
        removed: ['file'],
        secrets: ['access-token', 'return-magic-api-key', 'webhook-secret'],
        keychainUnreachable: null,
      });
      expect(existsSync(join(dir, 'credentials.json'))).toBe(false);
      const secretSetting = await runCli(['config', 'get', 'webhook-secret'], { env });
      expect(secretSetting.stdout + secretSetting.stderr).not.toContain('whsec');

      const again = await runCli(['auth', 'logout'], { env });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe('');
      expect(again.stderr.trim().split('\n')).toEqual([
        `Nothing to remove: no credentials are stored for ${sandbox.shop}.`,
      ]);
    } finally {
      cleanup();
    }
  });

  it('with the OS keychain unreachable, logout exits 0 with one line saying what stays', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      // The keychain is asked (DSYNC_KEYCHAIN unset) but cannot answer: no Secret Service on the
      // bus named here, and a short timeout in case something does listen.
      const result = await runCli(['auth', 'logout'], {
        env: {
          ...envFor(dir, { DSYNC_KEYCHAIN: undefined, DSYNC_KEYCHAIN_TIMEOUT_MS: '1500' }),
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`,
        },
      });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^warning: the OS keychain could not be reached \(.+\): anything stored there/,
      );
      expect(lines[0]).toContain(`dsync auth logout --store ${sandbox.shop}`);
    } finally {
      cleanup();
    }
  });
});
