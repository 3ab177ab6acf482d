import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { AUTHORIZE_URL, freePort, startCli } from './cli-process.js';

/**
 * Two stores share one config dir and its credentials.json (no keychain), their tokens expire
 * within the refresh window, and the sandbox rotates refresh tokens and revokes the old one. Real
 * dsync processes refresh at once — the same store twice, the other store, and a `config set` of a
 * secret of the first — and afterwards every store still authenticates: no process wrote back a
 * copy of the file that lacked another's rotated refresh token. DSYNC_TEST_RACE_ROUNDS sets how
 * many rounds (default 3).
 */
const ROUNDS = Number(process.env.DSYNC_TEST_RACE_ROUNDS ?? 3);

let one: TestSandbox;
let two: TestSandbox;
const config = tempConfigDir('dsync-race-');
beforeAll(async () => {
  // 120 s tokens: inside the 5-minute refresh window, so every use refreshes first.
  one = await startTestSandbox({ orders: 1, tokenTtlSeconds: 120, shopHandle: 'race-one' });
  two = await startTestSandbox({ orders: 1, tokenTtlSeconds: 120, shopHandle: 'race-two' });
});
afterAll(async () => {
  await one?.stop();
  await two?.stop();
  config.cleanup();
});

const envOf = (sandbox: TestSandbox) => ({
  ...sandbox.env({ accessToken: undefined, configDir: config.dir }),
  DSYNC_KEYCHAIN: 'off',
});

const stored = (sandbox: TestSandbox): Record<string, string> =>
  JSON.parse(readFileSync(join(config.dir, 'credentials.json'), 'utf8')).stores[sandbox.shop] ?? {};

async function browserLogin(sandbox: TestSandbox) {
  const port = await freePort();
  const cli = startCli(
    ['auth', 'login', '--client-id', sandbox.clientId, '--no-browser', '--port', String(port)],
    {
      env: { ...envOf(sandbox), DSYNC_CLIENT_SECRET: sandbox.clientSecret },
    },
  );
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  await (await fetch(url ?? '')).text();
  const result = await cli.done;
  expect(result.code, result.stderr).toBe(0);
}

describe('refreshing tokens from several processes at once', () => {
  it('never loses a rotated refresh token; a later command still authenticates', async () => {
    await browserLogin(one);
    await browserLogin(two);
    const firstRefresh = stored(one)['refresh-token'];
    expect(firstRefresh).toBeTruthy();

    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all([
        runCli(['auth', 'token'], { env: envOf(one) }),
        runCli(['auth', 'token'], { env: envOf(one) }),
        runCli(['auth', 'token'], { env: envOf(two) }),
        runCli(['config', 'set', 'webhook-secret', '-'], { env: envOf(one), input: `whsec-round-${round}` }),
      ]);
      for (const [i, result] of results.entries()) {
        expect(result.code, `round ${round}, process ${i}: ${result.stderr}`).toBe(0);
      }
      // What each `auth token` printed is a token the store accepts now or was rotated since; the
      // stored one is the newest, and both stores' entries are whole.
      expect(stored(one)['access-token']).toMatch(/^shpat_/);
      expect(stored(two)['access-token']).toMatch(/^shpat_/);
      expect(stored(one)['webhook-secret']).toBe(`whsec-round-${round}`);
    }
    expect(stored(one)['refresh-token']).not.toBe(firstRefresh);

    // A third command, after the race: it refreshes with the refresh token on disk, which must be
    // the live one (the sandbox revoked every earlier one).
    for (const sandbox of [one, two]) {
      const status = await runCli(['auth', 'status', '--json'], { env: envOf(sandbox) });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).stores[0]).toMatchObject({ shop: sandbox.shop, ok: true });
    }
  });
});
