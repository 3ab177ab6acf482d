import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZE_URL, freePort, startCli } from '../auth/cli-process.js';
import { runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// Run by scripts/run-e2e.sh (npm run test:e2e), which provides a private D-Bus session with an
// unlocked gnome-keyring Secret Service and a throwaway HOME.

function keychainEntry(shop: string): string | undefined {
  const result = spawnSync('secret-tool', ['lookup', 'service', 'dsync', 'username', shop], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout : undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

let sandbox: TestSandbox;
let browser: Browser;

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error('no D-Bus session: run the end-to-end tests with `npm run test:e2e`');
  }
  sandbox = await startTestSandbox({ autoApprove: false });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('dsync auth login in a real browser, token in a real Secret Service', () => {
  it('logs in, keeps the token only in the keychain, reports it, and logs out', async () => {
    const { dir, cleanup } = tempConfigDir('dsync-e2e-');
    const env = sandbox.env({ accessToken: undefined, configDir: dir });
    try {
      const port = await freePort();
      const cli = startCli(
        ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port), '--json'],
        { env: { ...env, DSYNC_CLIENT_SECRET: sandbox.clientSecret } },
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);

      const page = await browser.newPage();
      await page.goto(url ?? '');
      await page.getByRole('button', { name: 'Install' }).click();
      await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback`));
      expect(await page.textContent('body')).toContain('return to your terminal');
      await page.close();

      const login = await cli.done;
      expect(login.code, login.stderr).toBe(0);
      expect(JSON.parse(login.stdout)).toMatchObject({ shop: sandbox.shop, storage: 'keychain' });
      expect(login.stderr).not.toContain('warning');

      const entry = keychainEntry(sandbox.shop);
      expect(entry, 'secret-tool finds the dsync entry').toBeDefined();
      const secrets = JSON.parse(entry ?? '{}') as Record<string, string>;
      const token = secrets['access-token'] ?? '';
      expect(token).toMatch(/^shpat_/);
      expect(Object.keys(secrets).sort()).toEqual(['access-token', 'client-secret', 'refresh-token']);

      const files = filesUnder(dir);
      expect(files.map((f) => f.slice(dir.length))).not.toContain('/credentials.json');
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const secret of Object.values(secrets)) expect(text, file).not.toContain(secret);
      }

      const status = await runCli(['auth', 'status', '--json'], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).stores[0]).toMatchObject({ source: 'keychain', ok: true });

      const logout = await runCli(['auth', 'logout', '--json'], { env });
      expect(logout.code, logout.stderr).toBe(0);
      expect(JSON.parse(logout.stdout).removed).toEqual(['keychain']);
      expect(keychainEntry(sandbox.shop)).toBeUndefined();

      const after = await runCli(['auth', 'status'], { env });
      expect(after.code).toBe(4);
    } finally {
      cleanup();
    }
  });

  it('logs in from a machine the browser cannot reach: the address the browser ended on is pasted back', async () => {
    const { dir, cleanup } = tempConfigDir('dsync-e2e-paste-');
    const env = sandbox.env({ accessToken: undefined, configDir: dir });
    try {
      const port = await freePort();
      const cli = startCli(
        ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port), '--json'],
        { env: { ...env, DSYNC_CLIENT_SECRET: sandbox.clientSecret }, openStdin: true },
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);

      // The browser runs on the user's laptop: its request to this machine's loopback never
      // arrives. Only the address it ended on is known to the user, who pastes it.
      const page = await browser.newPage();
      let landed = '';
      // Every response passes through; the store's redirect to this machine's callback is where
      // the browser ends, and the address it shows is what the user copies.
      await page.route('**/*', async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        const location = response.headers().location ?? '';
        if (location.startsWith(`http://127.0.0.1:${port}/callback`)) {
          landed = location;
          await route.fulfill({ status: 502, contentType: 'text/plain', body: `cannot reach ${location}` });
        } else await route.fulfill({ response });
      });
      await page.goto(url ?? '');
      await page.getByRole('button', { name: 'Install' }).click();
      await expect
        .poll(() => landed, { timeout: 20_000 })
        .toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback\\?`));
      await page.close();

      cli.send(`${landed}\n`);
      const login = await cli.done;
      expect(login.code, login.stderr).toBe(0);
      expect(JSON.parse(login.stdout)).toMatchObject({ shop: sandbox.shop, storage: 'keychain' });
      expect(keychainEntry(sandbox.shop)).toBeDefined();

      // The same address again is refused: the login it belonged to is over.
      const again = startCli(
        ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port)],
        { env: { ...env, DSYNC_CLIENT_SECRET: sandbox.clientSecret }, openStdin: true },
      );
      await again.waitForStderr(AUTHORIZE_URL);
      again.send(`${landed}\n`);
      const replay = await again.done;
      expect(replay.code).toBe(4);
      expect(replay.stderr).toContain('state parameter does not match');

      await runCli(['auth', 'logout'], { env });
    } finally {
      cleanup();
    }
  });
});
