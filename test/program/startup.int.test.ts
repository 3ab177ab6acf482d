import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli, tempConfigDir } from '../support/cli.js';

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

function loadedModules(args: string[]): string[] {
  const tmp = tempConfigDir('dsync-trace-');
  const traceFile = join(tmp.dir, 'imports.txt');
  const result = spawnSync(
    process.execPath,
    ['--import', join(REPO_ROOT, 'test', 'support', 'trace-imports.mjs'), CLI_PATH, ...args],
    { env: { ...process.env, DSYNC_TRACE_IMPORTS_FILE: traceFile }, encoding: 'utf8' },
  );
  expect(result.status).toBe(0);
  const lines = readFileSync(traceFile, 'utf8').split('\n').filter(Boolean);
  tmp.cleanup();
  return lines;
}

describe('startup', () => {
  const dirs: Array<() => void> = [];
  afterAll(() => {
    for (const cleanup of dirs) cleanup();
  });

  it.each([[['--version']], [['--help']], [['auth', '--help']], [['import', '--help']]])(
    'dsync %j loads none of the heavy modules',
    (args) => {
      const modules = loadedModules(args);
      // --help walks the whole command tree; --version is answered before it loads.
      const expectProgram = args[0] !== '--version';
      expect(modules.some((url) => url.includes('/dist/program.js'))).toBe(expectProgram);
      const heavy = modules.filter((url) => HEAVY.some((name) => url.includes(`/node_modules/${name}`)));
      expect(heavy).toEqual([]);
    },
  );

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
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
    const result = await runCli(['--json', 'stores', 'list'], {
      env: { DSYNC_API_ORIGIN: 'https://evil.example', DSYNC_CONFIG_DIR: tmp.dir },
    });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.message).toContain('DSYNC_API_ORIGIN');
  });
});
