import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseLoginOptions } from '../../../src/commands/auth/login.js';
import type { Deps } from '../../../src/core/deps.js';
import { UsageError } from '../../../src/core/errors.js';
import { READ_SCOPES } from '../../../src/services/auth/scopes.js';
import { fakeDeps, memoryConfig, recordingSecrets, SHOP } from '../../services/auth/fakes.js';

function depsWith(
  options: { stdin?: string; env?: Record<string, string>; store?: string | undefined } = {},
): Deps {
  const { deps } = fakeDeps({
    config: memoryConfig(),
    secrets: recordingSecrets(),
    now: new Date(),
    env: options.env,
  });
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  return {
    ...deps,
    stdin,
    global: { ...deps.global, store: 'store' in options ? options.store : SHOP },
  };
}

describe('auth login flags', () => {
  it('defaults to the browser flow on port 3456 with the reading scopes (no settings yet), expiring tokens, keychain storage', async () => {
    const options = await parseLoginOptions(depsWith({ env: { DSYNC_CLIENT_SECRET: 'shpss_s' } }), {
      clientId: 'abc123',
      browser: true,
      expiring: true,
    });
    expect(options).toMatchObject({
      shop: SHOP,
      flow: 'browser',
      clientId: 'abc123',
      clientSecret: 'shpss_s',
      port: 3456,
      openBrowser: true,
      insecure: false,
      expiring: true,
    });
    // A store with no settings yet: reading only (write scopes come with the features).
    expect(options.scopes).toEqual(READ_SCOPES);
  });

  it('reads the token for --with-token from stdin, trimmed', async () => {
    const options = await parseLoginOptions(depsWith({ stdin: 'shpat_abc\n' }), { withToken: true });
    expect(options).toMatchObject({ flow: 'token', token: 'shpat_abc' });
  });

  it('reads the client secret from stdin with --client-secret-stdin', async () => {
    const options = await parseLoginOptions(depsWith({ stdin: 'shpss_from_stdin' }), {
      clientId: 'abc',
      clientCredentials: true,
      clientSecretStdin: true,
    });
    expect(options).toMatchObject({ flow: 'client-credentials', clientSecret: 'shpss_from_stdin' });
  });

  it('takes --no-browser, --port, --scopes and --insecure-storage', async () => {
    const options = await parseLoginOptions(depsWith({ env: { DSYNC_CLIENT_SECRET: 's' } }), {
      clientId: 'abc',
      browser: false,
      port: '4567',
      scopes: 'read_orders, read_locations',
      insecureStorage: true,
    });
    expect(options).toMatchObject({
      openBrowser: false,
      port: 4567,
      scopes: ['read_orders', 'read_locations'],
      insecure: true,
    });
  });

  it.each([
    ['no store without a prompt', { store: undefined }, { clientId: 'a' }, '--store'],
    ['no client id without a prompt', { env: { DSYNC_CLIENT_SECRET: 's' } }, {}, '--client-id'],
    ['no client secret without a prompt', {}, { clientId: 'abc' }, '--client-secret-stdin'],
    ['an empty stdin for --with-token', { stdin: '' }, { withToken: true }, 'no access token on stdin'],
    ['two tokens on stdin', { stdin: 'shpat_a shpat_b' }, { withToken: true }, 'more than one'],
    ['--with-token with --client-credentials', {}, { withToken: true, clientCredentials: true }, 'pick one'],
    [
      '--with-token with --client-secret-stdin',
      {},
      { withToken: true, clientSecretStdin: true },
      'both read stdin',
    ],
    [
      'a port out of range',
      { env: { DSYNC_CLIENT_SECRET: 's' } },
      { clientId: 'a', port: '70000' },
      '--port',
    ],
    [
      'a port that is not a number',
      { env: { DSYNC_CLIENT_SECRET: 's' } },
      { clientId: 'a', port: 'http' },
      '--port',
    ],
    [
      'a malformed scope',
      { env: { DSYNC_CLIENT_SECRET: 's' } },
      { clientId: 'a', scopes: 'read_orders,DROP TABLE' },
      '--scopes',
    ],
    ['a malformed client id', { env: { DSYNC_CLIENT_SECRET: 's' } }, { clientId: 'a b' }, '--client-id'],
  ])('refuses %s with a usage error naming it', async (_name, setup, flags, needle) => {
    const error = await parseLoginOptions(depsWith(setup), flags).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(`${(error as UsageError).message} ${(error as UsageError).hint ?? ''}`).toContain(needle);
  });
});
