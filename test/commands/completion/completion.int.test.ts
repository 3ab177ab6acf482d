import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli, tempConfigDir } from '../../support/cli.js';

const tmp = tempConfigDir('dsync-completion-');
afterAll(() => tmp.cleanup());

// `dsync` on the PATH, as an installed one would be, for the completions that ask it (stores).
const bin = join(tmp.dir, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'dsync'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`);
chmodSync(join(bin, 'dsync'), 0o755);
const env = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH}`,
  DSYNC_CONFIG_DIR: tmp.dir,
  DSYNC_KEYCHAIN: 'off',
};

/** Loads the generated script into bash and asks it to complete the given words. */
function complete(script: string, words: string[]): string[] {
  const file = join(tmp.dir, 'dsync.bash');
  writeFileSync(file, script);
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const result = spawnSync(
    'bash',
    [
      '-c',
      `source "${file}"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _dsync; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8', env },
  );
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('dsync completion', () => {
  it('completes top-level commands and global flags in bash', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    expect(complete(result.stdout, ['dsync', 'comp'])).toEqual(['completion']);
    expect(complete(result.stdout, ['dsync', '--js'])).toEqual(['--json']);
    // The value of --store is not mistaken for a command.
    expect(complete(result.stdout, ['dsync', '--store', 'acme', 'comp'])).toEqual(['completion']);
  });

  it('completes setting keys, their values, option choices, configured stores and paths', async () => {
    for (const shop of ['north', 'south']) {
      const set = await runCli(['config', 'set', 'notify-customer', 'true', '--store', shop], { env });
      expect(set.code, set.stderr).toBe(0);
    }
    mkdirSync(join(tmp.dir, 'outbox'));
    const { stdout: script } = await runCli(['completion', 'bash']);
    expect(complete(script, ['dsync', 'config', 'set', 'fu'])).toEqual([
      'fulfillment-location',
      'fulfillment-service',
    ]);
    expect(complete(script, ['dsync', 'config', 'set', ''])).toContain('accept-orders-after');
    expect(complete(script, ['dsync', 'config', 'set', ''])).not.toContain('--help');
    expect(complete(script, ['dsync', 'config', 'set', 'exclude-empty-orders', ''])).toEqual([
      'true',
      'false',
    ]);
    expect(complete(script, ['dsync', 'config', 'set', 'financial-status', 'par'])).toEqual([
      'partially_paid',
      'partially_refunded',
    ]);
    expect(complete(script, ['dsync', 'config', 'get', 'notify-'])).toEqual(['notify-customer']);
    expect(complete(script, ['dsync', 'config', 'set', 'webh'])).toEqual(['webhook-secret']);
    // A secret is offered only as `-` (stdin).
    expect(complete(script, ['dsync', 'config', 'set', 'webhook-secret', ''])).toEqual(['-']);
    expect(complete(script, ['dsync', 'orders', 'list', '--status', 'part'])).toEqual(['partially_shipped']);
    expect(complete(script, ['dsync', 'import', '--format', ''])).toEqual(['jsonl', 'json', 'csv']);
    expect(complete(script, ['dsync', '--store', ''])).toEqual([
      'north.myshopify.com',
      'south.myshopify.com',
    ]);
    expect(complete(script, ['dsync', 'orders', 'list', '--store', 's'])).toEqual(['south.myshopify.com']);
    expect(complete(script, ['dsync', 'stores', 'default', 'n'])).toEqual(['north.myshopify.com']);
    expect(complete(script, ['dsync', 'import', '--out', join(tmp.dir, 'out')])).toEqual([
      join(tmp.dir, 'outbox'),
    ]);
    expect(complete(script, ['dsync', 'config', ''])).toEqual(['set', 'get', 'list', 'unset', 'path']);
    expect(complete(script, ['dsync', 'config', 'set', '--'])).toContain('--help');
  });

  it('prints zsh and fish scripts', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('#compdef dsync');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(0);
    expect(fish.stdout).toContain("complete -c dsync -n '__fish_use_subcommand' -a 'completion'");
  });

  it('refuses an unknown shell with exit 2', async () => {
    const result = await runCli(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one of bash, zsh, fish');
  });
});
