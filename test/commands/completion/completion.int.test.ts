import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../../support/cli.js';

const tmp = tempConfigDir('dsync-completion-');
afterAll(() => tmp.cleanup());

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
    { encoding: 'utf8' },
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
