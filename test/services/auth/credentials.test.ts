import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/core/errors.js';
import { createCredentialsDirStore } from '../../../src/core/secrets/credentials-dir.js';
import { resolveToken } from '../../../src/services/auth/credentials.js';
import { fakeDeps, memoryConfig, ORIGIN, recordingSecrets, SHOP } from './fakes.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

function loggedIn(
  expiresAt: string | undefined,
  grant: 'authorization_code' | 'client_credentials' | 'token',
) {
  return memoryConfig([
    {
      shop: SHOP,
      settings: {},
      auth: {
        grant,
        clientId: 'client-1',
        storage: 'keychain',
        scopes: ['read_orders'],
        // Logged in against the fake origin the deps send requests to (as a sandbox login records it).
        apiOrigin: ORIGIN,
        ...(expiresAt ? { expiresAt } : {}),
      },
    },
  ]);
}

describe('resolveToken', () => {
  it('prefers DSYNC_ACCESS_TOKEN over stored credentials', async () => {
    const { deps } = fakeDeps({
      config: loggedIn(undefined, 'token'),
      secrets: recordingSecrets({ 'access-token': 'stored' }),
      now: NOW,
      env: { DSYNC_ACCESS_TOKEN: ' from-env ' },
    });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    expect(token.source).toBe('env');
    expect(await token.provider.getToken()).toBe('from-env');
  });

  it('without a login: AuthError (exit 4) naming `dsync auth login --store <shop>`', async () => {
    const { deps } = fakeDeps({ config: memoryConfig(), secrets: recordingSecrets(), now: NOW });
    const error = await resolveToken(deps, SHOP, ORIGIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(4);
    expect((error as AuthError).hint).toBe(`dsync auth login --store ${SHOP}`);
  });

  it('a store that is not configured says so and names the configured ones', async () => {
    const config = memoryConfig([{ shop: 'other.myshopify.com', settings: {} }]);
    const { deps } = fakeDeps({ config, secrets: recordingSecrets(), now: NOW });
    const error = (await resolveToken(deps, SHOP, ORIGIN).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(`${SHOP} is not configured (configured: other.myshopify.com)`);
    expect(error.hint).toContain('--store');
    expect(error.hint).toContain(`dsync auth login --store ${SHOP}`);
  });

  it('a configured store without a login names `dsync auth login`', async () => {
    const config = memoryConfig([{ shop: SHOP, settings: { 'notify-customer': true } }]);
    const { deps } = fakeDeps({ config, secrets: recordingSecrets(), now: NOW });
    const error = (await resolveToken(deps, SHOP, ORIGIN).catch((e: unknown) => e)) as AuthError;
    expect(error.message).toBe(`no access token for ${SHOP}`);
    expect(error.hint).toBe(`dsync auth login --store ${SHOP}`);
  });

  it('passes a failed keychain lookup on instead of sending a request without a token', async () => {
    const secrets = recordingSecrets();
    secrets.get = async () => {
      throw new AuthError('could not read the access-token', { code: 'keychain_unavailable' });
    };
    const { deps } = fakeDeps({ config: loggedIn(undefined, 'token'), secrets, now: NOW });
    await expect(resolveToken(deps, SHOP, ORIGIN)).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });

  it('uses a token that is far from expiry as it is', async () => {
    const { deps } = fakeDeps({
      config: loggedIn(inMinutes(30), 'authorization_code'),
      secrets: recordingSecrets({ 'access-token': 'current' }),
      now: NOW,
    });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    expect(await token.provider.getToken()).toBe('current');
  });

  it('refreshes a token about to expire, storing the rotated refresh token before the access token', async () => {
    const config = loggedIn(inMinutes(2), 'authorization_code');
    const secrets = recordingSecrets({
      'access-token': 'old',
      'refresh-token': 'refresh-1',
      'client-secret': 'shpss_x',
    });
    const { deps, agent } = fakeDeps({ config, secrets, now: NOW });
    let sent: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ path: '/admin/oauth/access_token', method: 'POST' })
      .reply(200, (options) => {
        sent = JSON.parse(String(options.body));
        return { access_token: 'new', scope: 'read_orders', expires_in: 3600, refresh_token: 'refresh-2' };
      });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    expect(await token.provider.getToken()).toBe('new');
    expect(sent).toEqual({
      client_id: 'client-1',
      client_secret: 'shpss_x',
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
    });
    expect(secrets.log.indexOf('set refresh-token')).toBeGreaterThanOrEqual(0);
    expect(secrets.log.indexOf('set refresh-token')).toBeLessThan(secrets.log.indexOf('set access-token'));
    expect(secrets.values.get(`${SHOP}/refresh-token`)).toBe('refresh-2');
    expect(config.getProfile(SHOP)?.auth?.expiresAt).toBe(inMinutes(60));
  });

  it('a refused refresh is an AuthError with `dsync auth login` as the hint', async () => {
    const secrets = recordingSecrets({
      'access-token': 'old',
      'refresh-token': 'spent',
      'client-secret': 'shpss_x',
    });
    const { deps, agent } = fakeDeps({
      config: loggedIn(inMinutes(1), 'authorization_code'),
      secrets,
      now: NOW,
    });
    agent
      .get(ORIGIN)
      .intercept({ path: '/admin/oauth/access_token', method: 'POST' })
      .reply(400, { error: 'invalid_grant', error_description: 'refresh token spent' });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    const error = await token.provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('refresh_failed');
    expect((error as AuthError).hint).toBe(`dsync auth login --store ${SHOP}`);
    expect((error as AuthError).message).toContain('invalid_grant');
    expect(secrets.log).toEqual([]);
  });

  it('refreshes at most once after a 401', async () => {
    const secrets = recordingSecrets({
      'access-token': 'old',
      'refresh-token': 'r1',
      'client-secret': 'shpss_x',
    });
    const { deps, agent } = fakeDeps({
      config: loggedIn(inMinutes(30), 'authorization_code'),
      secrets,
      now: NOW,
    });
    agent
      .get(ORIGIN)
      .intercept({ path: '/admin/oauth/access_token', method: 'POST' })
      .reply(200, { access_token: 'fresh', expires_in: 3600, refresh_token: 'r2' });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    expect(await token.provider.refreshAfterUnauthorized?.()).toBe('fresh');
    expect(await token.provider.refreshAfterUnauthorized?.()).toBeUndefined();
  });

  it('re-mints an expired client-credentials token', async () => {
    const secrets = recordingSecrets({ 'access-token': 'old', 'client-secret': 'shpss_x' });
    const { deps, agent } = fakeDeps({
      config: loggedIn(inMinutes(-1), 'client_credentials'),
      secrets,
      now: NOW,
    });
    let sent: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ path: '/admin/oauth/access_token', method: 'POST' })
      .reply(200, (options) => {
        sent = JSON.parse(String(options.body));
        return { access_token: 'minted', scope: 'read_orders', expires_in: 86399 };
      });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    expect(await token.provider.getToken()).toBe('minted');
    expect(sent.grant_type).toBe('client_credentials');
  });

  it('an expired pasted token cannot be refreshed: exit 4', async () => {
    const { deps } = fakeDeps({
      config: loggedIn(inMinutes(-1), 'token'),
      secrets: recordingSecrets({ 'access-token': 'old' }),
      now: NOW,
    });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    await expect(token.provider.getToken()).rejects.toMatchObject({ code: 'token_expired', exitCode: 4 });
    expect(await token.provider.refreshAfterUnauthorized?.()).toBeUndefined();
  });
});

describe('resolveToken with DSYNC_CREDENTIALS_DIR', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const mounted = (token: string | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), 'dsync-credsdir-resolve-'));
    dirs.push(dir);
    if (token !== undefined) writeFileSync(join(dir, SHOP), `${token}\n`);
    return { dir, store: createCredentialsDirStore(dir) };
  };

  it('uses the file, with no login in the config and never a refresh (even of a due expiring login)', async () => {
    const { dir, store } = mounted('shpat_mounted');
    // Any request (a refresh) would fail: the fake dispatcher refuses every connection.
    const { deps } = fakeDeps({
      config: loggedIn(inMinutes(-1), 'authorization_code'),
      secrets: store,
      now: NOW,
    });
    const token = await resolveToken(deps, SHOP, ORIGIN);
    expect(token.source).toBe('credentials-dir');
    expect(token.path).toBe(join(dir, SHOP));
    expect(await token.provider.getToken()).toBe('shpat_mounted');
    const none = fakeDeps({ config: memoryConfig(), secrets: store, now: NOW }).deps;
    expect(await (await resolveToken(none, SHOP, ORIGIN)).provider.getToken()).toBe('shpat_mounted');
  });

  it('after a 401 reads the file once more: a rotated token is used, the same one is not retried', async () => {
    const { dir, store } = mounted('shpat_old');
    const { deps } = fakeDeps({ config: memoryConfig(), secrets: store, now: NOW });
    const same = await resolveToken(deps, SHOP, ORIGIN);
    expect(await same.provider.refreshAfterUnauthorized?.()).toBeUndefined();

    const rotated = await resolveToken(deps, SHOP, ORIGIN);
    writeFileSync(join(dir, SHOP), 'shpat_new\n');
    expect(await rotated.provider.refreshAfterUnauthorized?.()).toBe('shpat_new');
    expect(await rotated.provider.getToken()).toBe('shpat_new');
    writeFileSync(join(dir, SHOP), 'shpat_newer\n');
    expect(await rotated.provider.refreshAfterUnauthorized?.()).toBeUndefined();
    expect(rotated.provider.renewHint).toContain(`key ${SHOP}`);
  });

  it('a missing file: AuthError (exit 4) naming the file and the Secret key, not `auth login`', async () => {
    const { dir, store } = mounted(undefined);
    const { deps } = fakeDeps({ config: memoryConfig(), secrets: store, now: NOW });
    const error = (await resolveToken(deps, SHOP, ORIGIN).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(join(dir, SHOP));
    expect(error.hint).toContain(`add the key ${SHOP}`);
    expect(error.hint).not.toContain('auth login');
  });
});
