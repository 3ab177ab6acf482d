import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerPath, openLedger } from '../../src/core/ledger/ledger.js';
import { REPO_ROOT, runCli, tempConfigDir } from '../support/cli.js';
import { loadedSources, sourcesOf } from '../support/loaded-sources.js';

/** The SQLite binding: one package per Node.js line (src/core/sqlite.ts). */
const SQLITE = ['better-sqlite3', 'better-sqlite3-napi'];

const HEAVY = [
  'undici',
  'conf',
  '@inquirer',
  'csv-stringify',
  'graphql',
  '@napi-rs/keyring',
  'better-sqlite3',
  'playwright',
];

/** What a command that needs no network must never load: its start-up should cost no more than node's. */
const NOT_LOCAL = [
  'undici',
  'graphql',
  '@napi-rs/keyring',
  ...SQLITE,
  'zod',
  'conf',
  'ajv',
  'chalk',
  '@inquirer',
  'csv-stringify',
  'csv-parse',
  'open',
  'playwright',
];
/** Node's modules a local command has no use for: each costs start-up time as it loads. */
const NOT_LOCAL_BUILTINS = ['node:crypto', 'node:http', 'node:https', 'node:worker_threads', 'node:zlib'];
/**
 * The bundle files a local command may load: the entry with the command tree, rolldown's helpers, the
 * local commands' chunk and, for those that read a ledger, the state chunk. On Node 20 each file
 * costs about a millisecond of ESM loading; a module that a change moves into a chunk of its own
 * shows here.
 */
const MAX_BUNDLE_FILES = 4;
/** dsync's own modules that bring the network in: the Shopify client and the sandbox store. */
const NOT_LOCAL_OWN = ['src/shopify/client.ts', 'src/services/connect.ts', 'src/sandbox/index.ts'];

describe('commands that need no network', () => {
  const SHOP = 'acme.myshopify.com';
  const tmp = tempConfigDir('dsync-local-');
  const env: Record<string, string | undefined> = {};
  beforeAll(async () => {
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('DSYNC_') && key !== 'CI') env[key] = value;
    }
    // The keychain stays on: only a command that reads a secret may load it.
    Object.assign(env, { DSYNC_CONFIG_DIR: tmp.dir, DSYNC_KEYCHAIN_TIMEOUT_MS: '2000', DSYNC_NO_INPUT: '1' });
    writeFileSync(
      join(tmp.dir, 'config.json'),
      JSON.stringify({
        defaultStore: SHOP,
        stores: {
          [SHOP]: { shop: SHOP, settings: { 'financial-status': ['paid'] }, auth: { grant: 'token' } },
        },
      }),
    );
    const ledger = await openLedger(ledgerPath(tmp.dir, SHOP));
    const at = new Date('2026-11-20T08:00:00Z');
    await ledger.recordSkip(
      { orderId: 'gid://shopify/Order/1001', name: '#1001', updatedAt: at.toISOString() },
      'financial_status',
      'pending',
      at,
    );
    await ledger.recordReturnSeen(
      {
        returnId: 'gid://shopify/Return/1',
        name: '#1001-R1',
        orderId: 'gid://shopify/Order/1001',
        orderName: '#1001',
        status: 'OPEN',
        updatedAt: at.toISOString(),
      },
      at,
    );
    await ledger.close();
  });
  afterAll(() => tmp.cleanup());

  it.each([
    [['config', 'get', 'financial-status']],
    [['config', 'set', 'exclude-empty-orders', 'false']],
    [['config', 'set', 'accept-orders-after', '30d']],
    [['config', 'unset', 'exclude-empty-orders']],
    [['config', 'list'], { DSYNC_KEYCHAIN: 'off' }],
    [['config', 'path']],
    [['stores', 'list']],
    [['orders', 'list'], {}, SQLITE],
    [['orders', 'show', '#1001'], {}, SQLITE],
    [['schema', 'order']],
    [['schema', 'return']],
    [['returns', 'show', '#1001-R1'], {}, SQLITE],
    [['completion', 'bash']],
    [['completion', 'zsh']],
    [['completion', 'fish']],
    // What the completion scripts ask dsync while a user presses Tab.
    [['stores', 'list', '--json']],
    [['config', 'set', '--help']],
    [['orders', 'show', '--help']],
  ] as [string[], Record<string, string>?, string[]?][])(
    'dsync %j loads no HTTP client, schema engine, keychain or database it does not use',
    (args, extraEnv = {}, allowed = []) => {
      const { sources, builtins, bundleFiles } = loadedSources(args, { ...env, ...extraEnv });
      // The trace sees the bundle's files; the metafile says which sources they hold.
      expect(sources).toContain('/src/main.ts');
      expect(builtins.filter((name) => NOT_LOCAL_BUILTINS.includes(name))).toEqual([]);
      expect(bundleFiles.length, bundleFiles.join(' ')).toBeLessThanOrEqual(MAX_BUNDLE_FILES);
      const heavy = sourcesOf(
        sources,
        NOT_LOCAL.filter((name) => !allowed.includes(name)),
        NOT_LOCAL_OWN,
      );
      expect(heavy).toEqual([]);
      if (allowed.length > 0) expect(sourcesOf(sources, allowed).length).toBeGreaterThan(0);
    },
  );
});

describe('startup', () => {
  const dirs: Array<() => void> = [];
  afterAll(() => {
    for (const cleanup of dirs) cleanup();
  });

  it.each([[['--version']], [['--help']], [['auth', '--help']], [['import', '--help']]])(
    'dsync %j loads none of the heavy modules',
    (args) => {
      const { sources } = loadedSources(args);
      // --help walks the whole command tree; --version is answered before it loads.
      const expectProgram = args[0] !== '--version';
      expect(sources.includes('/src/program.ts')).toBe(expectProgram);
      expect(sourcesOf(sources, HEAVY)).toEqual([]);
      // The trace does see the packages the bundle holds.
      expect(sourcesOf(sources, ['commander']).length > 0).toBe(expectProgram);
    },
  );

  it('prints the package version, from bin/dsync.js and from the bundled command tree', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['--no-color', '--version']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(pkg.version);
    }
  });

  it('documents the exit codes in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*4\s+not authenticated[\s\S]*130\s+interrupted/);
  });

  it('answers an unknown option with exit 2, and a JSON error with --json', async () => {
    const plain = await runCli(['--definitely-not-an-option']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("unknown option '--definitely-not-an-option'");
    const json = await runCli(['--json', '--definitely-not-an-option']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'usage' } });
  });

  it('refuses a non-loopback DSYNC_API_ORIGIN before doing anything', async () => {
    const tmp = tempConfigDir();
    dirs.push(tmp.cleanup);
    for (const origin of ['https://evil.example', 'http://127.0.0.1@evil.com', 'http://localhost.:80']) {
      const result = await runCli(['--json', 'stores', 'list'], {
        env: { DSYNC_API_ORIGIN: origin, DSYNC_CONFIG_DIR: tmp.dir },
      });
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout).error.message).toContain('DSYNC_API_ORIGIN');
    }
  });
});
