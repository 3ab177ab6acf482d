import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../src/services/auth/scopes.js';
import { AUTHORIZE_URL, freePort, startCli } from '../auth/cli-process.js';
import { type CliResult, runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * A whole session with --debug — login through the OAuth flow, settings, import, requests,
 * ship, inventory, returns, and failures on the way — then every byte dsync left behind or
 * printed is searched for the store's secrets. Only `dsync auth token` may print the token, and
 * only the fallback credentials file (the secret store when there is no keychain) may hold them.
 */
let sandbox: TestSandbox;
const tmp = tempConfigDir('dsync-secrets-');
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 60, seed: 5, tokenTtlSeconds: 3600 });
});
afterAll(async () => {
  await sandbox?.stop();
  tmp.cleanup();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets stay secret', () => {
  it('no token, refresh token or client secret in files, logs or output after a --debug session', async () => {
    const configDir = join(tmp.dir, 'config');
    const work = join(tmp.dir, 'work');
    mkdirSync(work, { recursive: true });
    const env = {
      ...sandbox.env({ accessToken: undefined, configDir }),
      DSYNC_KEYCHAIN: 'off',
      DSYNC_CLIENT_SECRET: sandbox.clientSecret,
      DSYNC_DEBUG: '1',
    };
    const outputs: CliResult[] = [];
    const dsync = async (args: string[], input?: string) => {
      const result = await runCli(args, { env, ...(input === undefined ? {} : { input }) });
      outputs.push(result);
      return result;
    };

    // Login through the browser flow (the sandbox approves at once).
    const port = await freePort();
    const login = startCli(
      [
        'auth',
        'login',
        '--client-id',
        sandbox.clientId,
        '--no-browser',
        '--port',
        String(port),
        '--insecure-storage',
        // The settings below turn on every feature: ask for their scopes up front (a login with
        // no settings asks for reading only).
        '--scopes',
        ALL_SCOPES.join(','),
      ],
      { env },
    );
    const [, url] = await login.waitForStderr(AUTHORIZE_URL);
    await fetch(url ?? '', { redirect: 'follow' });
    const loggedIn = await login.done;
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    outputs.push(loggedIn);

    const stored = JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')).stores[sandbox.shop];
    const secrets: Record<string, string> = {
      'access token': stored['access-token'],
      'refresh token': stored['refresh-token'],
      'client secret': sandbox.clientSecret,
    };
    expect(secrets['access token']).toMatch(/^shpat_/);
    expect(secrets['refresh token']).toBeTruthy();

    expect((await dsync(['config', 'set', 'fulfillment-location', 'Acme 3PL'])).code).toBe(0);
    expect((await dsync(['config', 'set', 'fulfillment-service', 'acme-3pl'])).code).toBe(0);
    expect((await dsync(['auth', 'status'])).code).toBe(0);
    await dsync(['doctor']);
    const out = join(work, 'events');
    const imported = await dsync(['import', '--out', out]);
    expect(imported.code, imported.stderr).toBe(0);
    await dsync(['import', '--format', 'csv', '--since', '30d', '--dry-run']);
    await dsync(['requests', 'list', '--json']);
    await dsync(['requests', 'accept', '#999999']);
    await dsync(['orders', 'list', '--json']);

    const delivered = readdirSync(out)
      .map((file) => JSON.parse(readFileSync(join(out, file), 'utf8')))
      .filter((event) => event.type === 'order.created' && event.order.lines.length > 0);
    const shipments = join(work, 'shipments.csv');
    writeFileSync(
      shipments,
      [
        'order,sku,quantity,carrier,tracking_number,tracking_url',
        `${delivered[0]?.order.name},,,UPS,1Z999AA10000000001,`,
        '#999999,,,UPS,1Z999AA10000000002,',
        '#1001,SKU,-1,UPS,1Z999AA10000000003,',
      ].join('\n'),
    );
    await dsync(['ship', '--file', shipments]);
    const stock = join(work, 'stock.csv');
    await dsync(['inventory', 'pull', '--out', stock]);
    writeFileSync(stock, 'sku,quantity\nTEE-BLK-S,7\nNO-SUCH-SKU,3\nTEE-BLK-M,-2\n');
    await dsync(['inventory', 'push', '--file', stock]);
    await dsync(['returns', 'list', '--json']);
    await dsync(['returns', 'import', '--out', join(work, 'returns')]);
    writeFileSync(
      join(work, 'received.csv'),
      'return,sku,quantity,disposition\n#1001-R9,TEE-BLK-M,1,restocked\n',
    );
    await dsync(['returns', 'receive', '--file', join(work, 'received.csv')]);

    // Failures: a token the store refuses, from the environment.
    const refusedToken = 'shpat_ffffffffffffffffffffffffffffffff';
    const refused = await runCli(['import', '--dry-run'], {
      env: { ...env, DSYNC_ACCESS_TOKEN: refusedToken },
    });
    expect(refused.code).toBe(4);
    outputs.push(refused);
    secrets['refused token'] = refusedToken;

    // `auth token` prints the token on stdout, as asked; its stderr stays clean.
    const token = await runCli(['auth', 'token'], { env });
    expect(token.stdout.trim()).toBe(secrets['access token']);
    outputs.push({ ...token, stdout: '' });

    // Every debug session did talk: the search below is over real logs, not empty ones.
    expect(outputs.map((o) => o.stderr).join('\n')).toContain('http → POST');

    const places: [string, string][] = [
      ...outputs.flatMap((o, i): [string, string][] => [
        [`stdout of run ${i}`, o.stdout],
        [`stderr of run ${i}`, o.stderr],
      ]),
      ...[...filesUnder(configDir), ...filesUnder(work)]
        .filter((file) => file !== join(configDir, 'credentials.json'))
        .map((file): [string, string] => [file, readFileSync(file).toString('latin1')]),
    ];
    expect(places.some(([where]) => where.endsWith('ledger.sqlite'))).toBe(true);
    for (const [where, text] of places) {
      for (const [what, secret] of Object.entries(secrets)) {
        expect(text.includes(secret), `${what} found in ${where}`).toBe(false);
      }
    }
  });
});
