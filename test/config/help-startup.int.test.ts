import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, tempConfigDir } from '../support/cli.js';

describe('help for the settings commands', () => {
  it.each([
    [['config', '--help']],
    [['config', 'set', '--help']],
    [['doctor', '--help']],
    [['locations', 'list', '--help']],
  ])('dsync %j loads neither zod nor conf nor undici', (args) => {
    const tmp = tempConfigDir('dsync-trace-');
    try {
      const traceFile = join(tmp.dir, 'imports.txt');
      const result = spawnSync(
        process.execPath,
        ['--import', join(REPO_ROOT, 'test', 'support', 'trace-imports.mjs'), CLI_PATH, ...args],
        { env: { ...process.env, DSYNC_TRACE_IMPORTS_FILE: traceFile }, encoding: 'utf8' },
      );
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Usage: dsync');
      const heavy = readFileSync(traceFile, 'utf8')
        .split('\n')
        .filter((url) => /\/node_modules\/(zod|conf|undici|@inquirer)\//.test(url));
      expect(heavy).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });
});
