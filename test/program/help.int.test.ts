import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/program.js';
import { runCli } from '../support/cli.js';

/** Every command a user can run: the leaves of the command tree, as argv. */
function leaves(command: Command, path: string[] = []): string[][] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  if (children.length === 0) return [path];
  return children.flatMap((child) => leaves(child, [...path, child.name()]));
}

// The tree only: no command runs in this process, so no Deps are ever made.
const program = buildProgram(() => {
  throw new Error('no command runs here');
});
const commands = leaves(program);

describe('help', () => {
  it('groups the commands by what a user is doing, and ends with the environment and exit codes', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    const groups = ['Auth:', 'Store settings:', 'Orders:', 'Shipments & stock:', 'Tools:'];
    const at = groups.map((g) => help.stdout.indexOf(`\n${g}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(help.stdout.slice(help.stdout.indexOf('\nOrders:\n'))).toMatch(/^\nOrders:\n {2}import/);
    expect(help.stdout).toMatch(/Environment:[\s\S]*Exit codes:/);
    expect(help.stdout).not.toContain('\nCommands:\n');
  });

  it.each(commands.map((argv) => [argv.join(' '), argv]))(
    'dsync %s --help shows real examples and the global options they use',
    async (_name, argv) => {
      const help = await runCli([...(argv as string[]), '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples:\n( {2}\S.*\n?){2,}/);
      expect(help.stdout).toContain('Global Options:');
      expect(help.stdout).toContain('--store <shop>');
    },
  );
});
