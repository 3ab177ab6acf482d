import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SANDBOX_SCOPES } from '../../src/sandbox/index.js';
import { expectedImports } from '../import/helpers.js';
import { runCli, tempConfigDir } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: results are inspected field by field
type Json = any;

const ORDERS = Number(process.env.DSYNC_TEST_CREDSDIR_ORDERS ?? 20);
/** Keys in the large directory of the laziness test (a fleet's Secret). */
const FLEET = Number(process.env.DSYNC_TEST_CREDSDIR_FLEET ?? 5000);

let generation = 0;

/**
 * Writes a Secret's keys the way the kubelet mounts a Secret volume: the files in a timestamped
 * `..<version>` directory, `..data` a symlink to it (swapped by rename), each key a symlink into
 * `..data`, files mode 0644. Mounting again is a rotation: new version, swap, old one removed.
 */
function mountSecret(dir: string, data: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const old = existsSync(join(dir, '..data')) ? readlinkSync(join(dir, '..data')) : undefined;
  generation += 1;
  const version = `..2026_11_30_07_00_0${generation}.${process.pid}`;
  mkdirSync(join(dir, version));
  for (const [key, value] of Object.entries(data)) {
    writeFileSync(join(dir, version, key), value, { mode: 0o644 });
  }
  symlinkSync(version, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('..') && !(name in data)) rmSync(join(dir, name));
  }
  for (const key of Object.keys(data)) {
    if (!existsSync(join(dir, key))) symlinkSync(join('..data', key), join(dir, key));
  }
  if (old) rmSync(join(dir, old), { recursive: true, force: true });
}

/** Every entry below the directory: name, kind, link target or content. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const info = lstatSync(path);
      const mode = (info.mode & 0o777).toString(8);
      if (info.isSymbolicLink()) out.push(`${prefix}${name} -> ${readlinkSync(path)}`);
      else if (info.isDirectory()) {
        out.push(`${prefix}${name}/ ${mode}`);
        walk(path, `${prefix}${name}/`);
      } else out.push(`${prefix}${name} ${mode} ${readFileSync(path, 'utf8')}`);
    }
  };
  walk(dir, '');
  return out;
}

function eventsUnder(dir: string): Json[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}

describe('DSYNC_CREDENTIALS_DIR: tokens from a mounted Kubernetes Secret', () => {
  let sandbox: TestSandbox;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    sandbox = await startTestSandbox({ shops: 3, orders: ORDERS });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await sandbox?.stop();
  });

  /** A fresh config dir and credentials dir; env without DSYNC_ACCESS_TOKEN, keychain left on. */
  function fleetEnv(extra: Record<string, string> = {}) {
    const config = tempConfigDir('dsync-credsdir-');
    cleanups.push(config.cleanup);
    const credentials = join(config.dir, 'secret');
    const env: Record<string, string> = {
      DSYNC_API_ORIGIN: sandbox.origin,
      DSYNC_CONFIG_DIR: join(config.dir, 'config'),
      DSYNC_CREDENTIALS_DIR: credentials,
      // Short, so a lookup that wrongly reached for the keychain would fail fast, not hang.
      DSYNC_KEYCHAIN_TIMEOUT_MS: '1000',
      ...extra,
    };
    return { env, credentials, root: config.dir };
  }

  /** Checks events against the store itself, through the Admin API, and its own records. */
  async function expectImported(shop: string, events: Json[]) {
    const store = sandbox.shops.find((s) => s.shop === shop);
    if (!store) throw new Error(`no sandbox store ${shop}`);
    const created = events.filter((e) => e.type === 'order.created');
    expect(created.length).toBeGreaterThan(0);
    expect(created.map((e) => e.order.name).sort()).toEqual(
      [...expectedImports(store.data, {}).keys()].sort(),
    );
    const admin = merchant(sandbox, shop);
    for (const event of events) {
      expect(event.order.shop).toBe(shop);
      const live: Json = await admin.order(event.order.id);
      expect(live.name).toBe(event.order.name);
      expect(live.createdAt).toBe(event.order.createdAt);
    }
  }

  it('imports a store whose token is only in the directory; nothing is written to the config dir or the directory', async () => {
    const setup = fleetEnv({ DSYNC_STORE: sandbox.shop });
    mountSecret(setup.credentials, { [sandbox.shop]: `${sandbox.accessToken}\n` });
    const before = snapshot(setup.credentials);
    const out = join(setup.root, 'spool');
    const result = await runCli(['import', '--out', out, '--json'], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    await expectImported(sandbox.shop, eventsUnder(out));
    expect(snapshot(setup.credentials)).toEqual(before);
    expect(existsSync(join(setup.env.DSYNC_CONFIG_DIR ?? '', 'credentials.json'))).toBe(false);
    expect(result.stderr).not.toContain(sandbox.accessToken);
  });

  it('auth status and doctor name the directory as the source, never the token', async () => {
    const setup = fleetEnv({ DSYNC_STORE: sandbox.shop });
    mountSecret(setup.credentials, { [sandbox.shop]: sandbox.accessToken });
    const file = join(setup.credentials, sandbox.shop);

    const status = await runCli(['auth', 'status', '--json'], { env: setup.env });
    expect(status.code, status.stderr).toBe(0);
    const [store] = JSON.parse(status.stdout).stores;
    expect(store).toMatchObject({
      shop: sandbox.shop,
      source: 'credentials-dir',
      sourcePath: file,
      ok: true,
    });
    expect(status.stdout).not.toContain(sandbox.accessToken);

    const human = await runCli(['auth', 'status'], { env: setup.env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`token     credentials-dir (${file})`);

    // The Secret's files are 0644 (Kubernetes' default): not a failure.
    const doctor = await runCli(['doctor', '--json'], { env: setup.env });
    const checks: Json[] = JSON.parse(doctor.stdout).checks;
    const byId = new Map(checks.map((c) => [c.id, c]));
    expect(byId.get('credentials-dir')).toMatchObject({ status: 'pass' });
    expect(byId.get('credentials-dir').detail).toContain(setup.credentials);
    expect(byId.has('credentials-permissions')).toBe(false);
    expect(byId.get('token')).toMatchObject({ status: 'pass' });
    expect(byId.get('token').detail).toContain(`credentials-dir ${file}`);
    expect(doctor.stdout).not.toContain(sandbox.accessToken);

    // DSYNC_ACCESS_TOKEN still wins over the directory.
    const env = await runCli(['auth', 'status', '--json'], {
      env: { ...setup.env, DSYNC_ACCESS_TOKEN: sandbox.accessToken },
    });
    expect(env.code, env.stderr).toBe(0);
    expect(JSON.parse(env.stdout).stores[0]).toMatchObject({ source: 'env', sourcePath: null });
  });

  it('auth login, auth logout and a secret setting refuse (exit 2) and leave the directory untouched', async () => {
    const setup = fleetEnv({ DSYNC_STORE: sandbox.shop });
    mountSecret(setup.credentials, {
      [sandbox.shop]: sandbox.accessToken,
      [`${sandbox.shop}.webhook-secret`]: 'whsec-from-the-secret',
    });
    const before = snapshot(setup.credentials);
    const other = sandbox.issueToken([...ALL_SANDBOX_SCOPES]);
    const attempts = [
      { args: ['auth', 'login', '--with-token', '--json'], input: other },
      { args: ['auth', 'logout', '--json'] },
      { args: ['config', 'set', 'webhook-secret', '-', '--json'], input: 'whsec-new' },
      { args: ['config', 'unset', 'webhook-secret', '--json'] },
    ];
    for (const attempt of attempts) {
      const result = await runCli(attempt.args, { env: setup.env, input: attempt.input });
      expect(result.code, `${attempt.args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(2);
      const { error } = JSON.parse(result.stdout);
      expect(error.code).toBe('credentials_read_only');
      expect(error.message).toContain(setup.credentials);
      expect(error.hint).toMatch(/update the key \S+ of the Secret/);
      expect(result.stdout + result.stderr).not.toContain(other);
      expect(result.stdout + result.stderr).not.toContain('whsec');
    }
    expect(snapshot(setup.credentials)).toEqual(before);
    // The secret setting is read from the Secret (shown masked).
    const get = await runCli(['config', 'get', 'webhook-secret', '--json'], { env: setup.env });
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ key: 'webhook-secret', storage: 'credentials-dir' });
    expect(get.stdout).not.toContain('whsec-from-the-secret');
  });

  it('a store without its key: exit 4 naming the file and the Secret key to add', async () => {
    const [, second] = sandbox.shops;
    if (!second) throw new Error('three stores expected');
    const setup = fleetEnv({ DSYNC_STORE: second.shop });
    mountSecret(setup.credentials, { [sandbox.shop]: sandbox.accessToken });
    const result = await runCli(['import', '--out', join(setup.root, 'spool'), '--json'], { env: setup.env });
    expect(result.code, result.stderr).toBe(4);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe('not_authenticated');
    expect(error.message).toContain(join(setup.credentials, second.shop));
    expect(error.hint).toContain(`add the key ${second.shop}`);

    const plain = await runCli(['auth', 'status'], { env: setup.env });
    expect(plain.code).toBe(4);
    expect(plain.stdout).toContain(join(setup.credentials, second.shop));
  });

  it('a directory that does not exist is a usage error naming DSYNC_CREDENTIALS_DIR; an unreadable key names the file', async () => {
    const setup = fleetEnv({ DSYNC_STORE: sandbox.shop });
    const missing = await runCli(['auth', 'status', '--json'], { env: setup.env });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain(
      `DSYNC_CREDENTIALS_DIR names ${setup.credentials}, which does not exist`,
    );

    // A key that is not a readable file (here a directory): an error naming it, not "no token".
    mkdirSync(join(setup.credentials, sandbox.shop), { recursive: true });
    const unreadable = await runCli(['import', '--out', join(setup.root, 'spool'), '--json'], {
      env: setup.env,
    });
    expect(unreadable.code).toBe(2);
    expect(JSON.parse(unreadable.stdout).error.message).toBe(
      `cannot read ${join(setup.credentials, sandbox.shop)}: EISDIR`,
    );
  });

  it('a rotated Secret: a refused token names the Secret to update; the next run uses the new token', async () => {
    const first = sandbox.issueToken([...ALL_SANDBOX_SCOPES]);
    const setup = fleetEnv({ DSYNC_STORE: sandbox.shop });
    mountSecret(setup.credentials, { [sandbox.shop]: first });
    const check = () => runCli(['auth', 'status', '--json'], { env: setup.env });
    expect((await check()).code).toBe(0);

    // The app's token is revoked before the Secret is updated: exit 4, saying where to put a new one.
    sandbox.tokens.revoke(first);
    const refused = await check();
    expect(refused.code).toBe(4);
    const [store] = JSON.parse(refused.stdout).stores;
    expect(store.problem.code).toBe('token_invalid');
    expect(store.problem.hint).toContain(`key ${sandbox.shop}`);
    expect(store.problem.hint).toContain(setup.credentials);

    const second = sandbox.issueToken([...ALL_SANDBOX_SCOPES]);
    mountSecret(setup.credentials, { [sandbox.shop]: `${second}\n` });
    const rotated = await check();
    expect(rotated.code, rotated.stdout).toBe(0);
    const out = join(setup.root, 'spool');
    const result = await runCli(['import', '--out', out, '--json'], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    await expectImported(sandbox.shop, eventsUnder(out));
  });

  it('--all-stores imports every store of the directory, with no login and an empty config dir', async () => {
    const setup = fleetEnv();
    mountSecret(
      setup.credentials,
      Object.fromEntries(sandbox.shops.map((s) => [s.shop, `${s.accessToken}\n`])),
    );
    const out = join(setup.root, 'spool');
    const result = await runCli(['import', '--all-stores', '--out', out, '--json'], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    const report: Json[] = JSON.parse(result.stdout);
    expect(report.map((r) => r.shop).sort()).toEqual(sandbox.shops.map((s) => s.shop).sort());
    expect(report.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    for (const { shop } of sandbox.shops) await expectImported(shop, eventsUnder(join(out, shop)));

    const list = await runCli(['stores', 'list', '--json'], { env: setup.env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).stores).toEqual(
      sandbox.shops
        .map((s) => s.shop)
        .sort()
        .map((shop) => expect.objectContaining({ shop, loggedIn: true, storage: 'credentials-dir' })),
    );
  });

  it(`reads only the store's own file, however many the directory holds (${FLEET} keys)`, async () => {
    const setup = fleetEnv({ DSYNC_STORE: sandbox.shop });
    mountSecret(setup.credentials, { [sandbox.shop]: sandbox.accessToken });
    // Every other key is a directory: reading any of them would fail the run (EISDIR).
    for (let i = 0; i < FLEET - 1; i++) mkdirSync(join(setup.credentials, `store-${i}.myshopify.com`));
    const started = Date.now();
    const status = await runCli(['auth', 'status', '--json'], { env: setup.env });
    const ms = Date.now() - started;
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).stores.map((s: Json) => s.shop)).toEqual([sandbox.shop]);
    const out = join(setup.root, 'spool');
    const result = await runCli(['import', '--out', out, '--json'], { env: setup.env });
    expect(result.code, result.stderr).toBe(0);
    await expectImported(sandbox.shop, eventsUnder(out));
    // Listing names only: every key is a store, none is read.
    const { DSYNC_STORE: _one, ...everyStore } = setup.env;
    const list = await runCli(['stores', 'list', '--json'], { env: everyStore });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).stores).toHaveLength(FLEET);
    console.log(`auth status with ${FLEET} keys in the directory: ${ms} ms`);
  });
});
