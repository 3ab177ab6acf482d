import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { AUTHORIZE_URL, freePort, startCli } from './cli-process.js';

// Every test keeps credentials in the 0600 file: DSYNC_KEYCHAIN=off, so a developer's real
// keychain is never touched (the keychain itself is covered by the end-to-end test).
let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ tokenTtlSeconds: 3600 });
});
afterAll(() => sandbox.stop());

function envFor(dir: string, extra: Record<string, string | undefined> = {}) {
  return { ...sandbox.env({ accessToken: undefined, configDir: dir }), DSYNC_KEYCHAIN: 'off', ...extra };
}

function credentials(dir: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')).stores;
}

function profile(dir: string): { auth: { scopes: string[] } } {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).stores[sandbox.shop];
}

// biome-ignore lint/suspicious/noExplicitAny: parsed CLI output, shape asserted by each test
function json(result: CliResult): any {
  return JSON.parse(result.stdout);
}

/** Runs the browser flow: the CLI prints the URL, a plain HTTP client plays the browser. */
async function browserLogin(
  dir: string,
  extraArgs: string[] = [],
  beforeApprove?: (port: number) => Promise<void>,
) {
  const port = await freePort();
  const cli = startCli(
    [
      'auth',
      'login',
      '--client-id',
      sandbox.clientId,
      '--no-browser',
      '--port',
      String(port),
      '--json',
      ...extraArgs,
    ],
    { env: envFor(dir, { DSYNC_CLIENT_SECRET: sandbox.clientSecret }) },
  );
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  if (beforeApprove) await beforeApprove(port);
  // autoApprove: the authorize URL redirects straight to the loopback callback.
  const page = await fetch(url ?? '', { redirect: 'follow' });
  const html = await page.text();
  const result = await cli.done;
  return { result, html, status: page.status, url: url ?? '' };
}

function get(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('auth login --with-token', () => {
  it('reads the token from stdin, checks it, stores it in a 0600 file and never in config.json', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const result = await runCli(['auth', 'login', '--with-token', '--json'], {
        env: envFor(dir),
        input: `${sandbox.accessToken}\n`,
      });
      expect(result.code, result.stderr).toBe(0);
      const out = json(result);
      expect(out).toMatchObject({ shop: sandbox.shop, grant: 'token', storage: 'file', missingScopes: [] });
      expect(out.scopes).toContain('read_orders');
      expect(result.stderr).toContain('credentials.json');
      expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
      expect(credentials(dir)[sandbox.shop]?.['access-token']).toBe(sandbox.accessToken);
      expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain(sandbox.accessToken);
      expect(profile(dir).auth.scopes).toContain('write_inventory');

      const status = await runCli(['auth', 'status', '--json'], { env: envFor(dir) });
      expect(status.code, status.stderr).toBe(0);
      expect(json(status).stores[0]).toMatchObject({ shop: sandbox.shop, source: 'file', ok: true });

      const token = await runCli(['auth', 'token'], { env: envFor(dir) });
      expect(token.stdout.trim()).toBe(sandbox.accessToken);

      const stores = await runCli(['stores', 'list', '--json'], { env: envFor(dir) });
      expect(json(stores).stores).toEqual([
        expect.objectContaining({ shop: sandbox.shop, default: true, loggedIn: true, grant: 'token' }),
      ]);
    } finally {
      cleanup();
    }
  });

  it('refuses a token the store rejects and stores nothing', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const result = await runCli(['auth', 'login', '--with-token'], {
        env: envFor(dir),
        input: 'shpat_00000000000000000000000000000000',
      });
      expect(result.code).toBe(4);
      // Refused, with where a valid token comes from; not "run the login you just ran".
      expect(result.stderr).toContain(`${sandbox.shop} refused the token given on stdin`);
      expect(result.stderr).toContain('API credentials');
      expect(result.stderr).not.toContain('no longer valid');
      expect(result.stderr).not.toContain('shpat_00000000000000000000000000000000');
      expect(() => statSync(join(dir, 'credentials.json'))).toThrow();
    } finally {
      cleanup();
    }
  });

  it('names the scopes a token lacks; auth status then exits 4', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const partial = sandbox.issueToken(['read_orders', 'read_locations']);
      const result = await runCli(['auth', 'login', '--with-token'], { env: envFor(dir), input: partial });
      expect(result.code).toBe(0);
      // No settings yet: reading is all the store needs, and the token cannot even read products.
      expect(result.stderr).toContain('read_products');
      expect(result.stderr).not.toContain('write_inventory');
      const status = await runCli(['auth', 'status', '--json'], { env: envFor(dir) });
      expect(status.code).toBe(4);
      const store = json(status).stores[0];
      expect(store.ok).toBe(false);
      expect(store.missingScopes).toContain('read_products');
      expect(store.problem.code).toBe('missing_scopes');
      expect(status.stdout.trim().split('\n').at(-1)).toBe('}');
    } finally {
      cleanup();
    }
  });

  it('never accepts a token as an argument', async () => {
    const result = await runCli(['auth', 'login', '--token', 'shpat_abc'], {
      env: envFor(tempConfigDir().dir),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--token'");
  });
});

describe('DSYNC_ACCESS_TOKEN', () => {
  it('overrides stored credentials and is reported as the source', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const status = await runCli(['auth', 'status', '--json'], {
        env: envFor(dir, { DSYNC_ACCESS_TOKEN: sandbox.accessToken }),
      });
      expect(status.code, status.stderr).toBe(0);
      expect(json(status).stores[0]).toMatchObject({ source: 'env', ok: true });
    } finally {
      cleanup();
    }
  });

  it('exits 4 when the token is not valid', async () => {
    const status = await runCli(['auth', 'status'], {
      env: envFor(tempConfigDir().dir, { DSYNC_ACCESS_TOKEN: 'shpat_11111111111111111111111111111111' }),
    });
    expect(status.code).toBe(4);
    expect(status.stdout).toContain('no longer valid');
    expect(status.stdout + status.stderr).not.toContain('shpat_11111111111111111111111111111111');
  });
});

describe('auth login in the browser (loopback callback)', () => {
  it('completes the flow, stores an expiring token with its refresh token, and keeps the secret out of config.json', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const { result, html, status } = await browserLogin(dir, ['--insecure-storage']);
      expect(result.code, result.stderr).toBe(0);
      expect(status).toBe(200);
      expect(html).toContain('return to your terminal');
      const out = json(result);
      expect(out).toMatchObject({ grant: 'authorization_code', storage: 'file', missingScopes: [] });
      expect(out.expiresAt).not.toBeNull();
      const stored = credentials(dir)[sandbox.shop] ?? {};
      expect(Object.keys(stored).sort()).toEqual(['access-token', 'client-secret', 'refresh-token']);
      const config = readFileSync(join(dir, 'config.json'), 'utf8');
      expect(config).not.toContain(sandbox.clientSecret);
      expect(config).not.toContain(stored['access-token']);
      expect(config).not.toContain(stored['refresh-token']);
    } finally {
      cleanup();
    }
  });

  it('says the token goes to the 0600 file, not the keychain, when DSYNC_KEYCHAIN=off', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const { result } = await browserLogin(dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('stores it in credentials.json (mode 0600) in the config dir');
      expect(result.stderr).not.toContain('stores it in the OS keychain');
      expect(Object.keys(credentials(dir))).toEqual([sandbox.shop]);
    } finally {
      cleanup();
    }
  });

  it('ignores other paths and foreign Host headers while waiting, then accepts the real callback', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const seen: number[] = [];
      const { result } = await browserLogin(dir, [], async (port) => {
        seen.push(await get(port, '/', `127.0.0.1:${port}`));
        seen.push(await get(port, '/callback', `evil.example:${port}`));
      });
      expect(seen).toEqual([404, 421]);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('answers a forged callback (other state, no state) with 400 and goes on waiting: the real callback completes the login', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const now = Math.floor(Date.now() / 1000);
      const seen: number[] = [];
      const { result } = await browserLogin(dir, [], async (port) => {
        const host = `127.0.0.1:${port}`;
        seen.push(
          await get(
            port,
            `/callback?code=abc&shop=${sandbox.shop}&state=forged&timestamp=${now}&hmac=${'0'.repeat(64)}`,
            host,
          ),
        );
        seen.push(await get(port, '/callback?error=access_denied', host));
        seen.push(await get(port, `/callback?code=abc&shop=evil.myshopify.com&timestamp=${now}`, host));
        seen.push(await get(port, `/callback?code=${'a'.repeat(20_000)}`, host));
      });
      expect(seen).toEqual([400, 400, 400, 431]);
      expect(result.code, result.stderr).toBe(0);
      expect(json(result)).toMatchObject({ shop: sandbox.shop, grant: 'authorization_code' });
    } finally {
      cleanup();
    }
  });

  it('takes the address a browser on another machine ended on, pasted on stdin (--no-browser --no-input)', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const port = await freePort();
      const cli = startCli(
        ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port), '--json'],
        { env: envFor(dir, { DSYNC_CLIENT_SECRET: sandbox.clientSecret }), openStdin: true },
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
      await cli.waitForStderr(/paste the address the browser ended on/);
      // The browser is elsewhere: it follows the store's redirect but never reaches this machine.
      const approved = await fetch(url ?? '', { redirect: 'manual' });
      const landing = approved.headers.get('location') ?? '';
      expect(landing).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback\\?`));
      cli.send(`${landing}\n`);
      const result = await cli.done;
      expect(result.code, result.stderr).toBe(0);
      expect(json(result)).toMatchObject({ shop: sandbox.shop, grant: 'authorization_code' });
      // One use: the callback server closed with the login.
      await expect(fetch(landing)).rejects.toThrow();
    } finally {
      cleanup();
    }
  });

  it("refuses a pasted address that is not this login's (tampered hmac, other state), storing nothing", async () => {
    for (const tamper of [
      (u: URL) => u.searchParams.set('hmac', '0'.repeat(64)),
      (u: URL) => u.searchParams.set('state', 'someone-elses'),
      (u: URL) => {
        u.hostname = 'evil.example';
      },
    ]) {
      const { dir, cleanup } = tempConfigDir();
      try {
        const port = await freePort();
        const cli = startCli(
          ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port)],
          { env: envFor(dir, { DSYNC_CLIENT_SECRET: sandbox.clientSecret }), openStdin: true },
        );
        const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
        const approved = await fetch(url ?? '', { redirect: 'manual' });
        const landing = new URL(approved.headers.get('location') ?? '');
        tamper(landing);
        cli.send(`${landing.toString()}\n`);
        const result = await cli.done;
        expect(result.code).toBe(4);
        expect(result.stderr).toMatch(
          /signature \(hmac\) is invalid|state parameter does not match|not this login's callback/,
        );
        expect(() => statSync(join(dir, 'credentials.json'))).toThrow();
      } finally {
        cleanup();
      }
    }
  });

  it('names --port when the port is in use', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await runCli(
        ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port)],
        { env: envFor(tempConfigDir().dir, { DSYNC_CLIENT_SECRET: sandbox.clientSecret }) },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port}`);
      expect(result.stderr).toContain('--port');
    } finally {
      blocker.close();
    }
  });

  it('with --no-input, a missing client id is a usage error naming the flag', async () => {
    const result = await runCli(['--no-input', 'auth', 'login'], { env: envFor(tempConfigDir().dir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--client-id');
  });
});

describe('expiring tokens', () => {
  it('refreshes ahead of expiry and stores the rotated refresh token', async () => {
    const short = await startTestSandbox({ tokenTtlSeconds: 120 });
    const { dir, cleanup } = tempConfigDir();
    const env = { ...short.env({ accessToken: undefined, configDir: dir }), DSYNC_KEYCHAIN: 'off' };
    try {
      const port = await freePort();
      const cli = startCli(
        ['auth', 'login', '--client-id', short.clientId, '--no-browser', '--port', String(port)],
        {
          env: { ...env, DSYNC_CLIENT_SECRET: short.clientSecret },
        },
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
      await (await fetch(url ?? '')).text();
      expect((await cli.done).code).toBe(0);
      const before = credentials(dir)[short.shop] ?? {};

      // 120 s left is inside the 5-minute refresh window: `auth token` refreshes first.
      const token = await runCli(['auth', 'token'], { env });
      expect(token.code, token.stderr).toBe(0);
      const after = credentials(dir)[short.shop] ?? {};
      expect(token.stdout.trim()).toBe(after['access-token']);
      expect(after['access-token']).not.toBe(before['access-token']);
      expect(after['refresh-token']).not.toBe(before['refresh-token']);
      expect(token.stderr).not.toContain('warning');

      const status = await runCli(['auth', 'status', '--json'], { env });
      expect(status.code, status.stderr).toBe(0);
    } finally {
      cleanup();
      await short.stop();
    }
  });

  it('refreshes once after a 401 and goes on with the new token', async () => {
    // The sandbox's clock runs ahead after login: it sees the token as expired while dsync's
    // recorded expiry is still an hour away, so the first request gets a 401.
    let offsetMs = 0;
    const skewed = await startTestSandbox({
      tokenTtlSeconds: 3600,
      now: () => new Date(Date.now() + offsetMs),
    });
    const { dir, cleanup } = tempConfigDir();
    const env = { ...skewed.env({ accessToken: undefined, configDir: dir }), DSYNC_KEYCHAIN: 'off' };
    try {
      const port = await freePort();
      const cli = startCli(
        ['auth', 'login', '--client-id', skewed.clientId, '--no-browser', '--port', String(port)],
        {
          env: { ...env, DSYNC_CLIENT_SECRET: skewed.clientSecret },
        },
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
      await (await fetch(url ?? '')).text();
      expect((await cli.done).code).toBe(0);
      const first = credentials(dir)[skewed.shop]?.['access-token'];
      offsetMs = 3_601_000;
      const status = await runCli(['--debug', 'auth', 'status', '--json'], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stderr).toContain('401');
      const second = credentials(dir)[skewed.shop]?.['access-token'];
      expect(second).not.toBe(first);
      expect(status.stderr).not.toContain(second ?? 'x');
    } finally {
      cleanup();
      await skewed.stop();
    }
  });

  it('a failed refresh exits 4 with `dsync auth login` as the hint', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      expect((await browserLogin(dir)).result.code).toBe(0);
      const file = join(dir, 'credentials.json');
      const content = JSON.parse(readFileSync(file, 'utf8'));
      content.stores[sandbox.shop]['refresh-token'] = 'not-a-refresh-token';
      writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
      sandbox.tokens.revoke(content.stores[sandbox.shop]['access-token']);
      const status = await runCli(['auth', 'status'], { env: envFor(dir) });
      expect(status.code).toBe(4);
      expect(status.stdout + status.stderr).toContain(`dsync auth login --store ${sandbox.shop}`);
    } finally {
      cleanup();
    }
  });
});

describe('auth login --client-credentials', () => {
  it('gets a token with the client secret from stdin and re-mints it when it expires', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const result = await runCli(
        [
          'auth',
          'login',
          '--client-id',
          sandbox.clientId,
          '--client-credentials',
          '--client-secret-stdin',
          '--json',
        ],
        { env: envFor(dir), input: sandbox.clientSecret },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(json(result)).toMatchObject({ grant: 'client_credentials', storage: 'file' });
      const first = credentials(dir)[sandbox.shop]?.['access-token'] ?? '';
      // Make the recorded expiry pass: the next use mints a new token.
      const configPath = join(dir, 'config.json');
      const config = JSON.parse(readFileSync(configPath, 'utf8'));
      config.stores[sandbox.shop].auth.expiresAt = new Date(Date.now() - 1000).toISOString();
      writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
      const token = await runCli(['auth', 'token'], { env: envFor(dir) });
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout.trim()).not.toBe(first);
      expect(credentials(dir)[sandbox.shop]?.['access-token']).toBe(token.stdout.trim());
    } finally {
      cleanup();
    }
  });

  it('a wrong client secret exits 4', async () => {
    const result = await runCli(['auth', 'login', '--client-id', sandbox.clientId, '--client-credentials'], {
      env: envFor(tempConfigDir().dir, { DSYNC_CLIENT_SECRET: 'shpss_wrongwrongwrong' }),
    });
    expect(result.code).toBe(4);
    expect(result.stderr).not.toContain('shpss_wrongwrongwrong');
  });
});

describe('auth logout', () => {
  it('removes the credentials; auth status then exits 4 and auth token names the login command', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      await runCli(['auth', 'login', '--with-token'], { env: envFor(dir), input: sandbox.accessToken });
      const logout = await runCli(['auth', 'logout', '--json'], { env: envFor(dir) });
      expect(logout.code, logout.stderr).toBe(0);
      expect(json(logout)).toMatchObject({ shop: sandbox.shop, removed: ['file'] });
      expect(() => statSync(join(dir, 'credentials.json'))).toThrow();
      const status = await runCli(['auth', 'status', '--json'], { env: envFor(dir) });
      expect(status.code).toBe(4);
      expect(json(status).stores[0].problem.code).toBe('not_authenticated');
      const token = await runCli(['auth', 'token'], { env: envFor(dir) });
      expect(token.code).toBe(4);
      expect(token.stderr).toContain(`dsync auth login --store ${sandbox.shop}`);
    } finally {
      cleanup();
    }
  });
});
