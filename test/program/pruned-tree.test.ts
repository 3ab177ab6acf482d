import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, topLevelCommandOf } from '../../src/program.js';

const noDeps = () => {
  throw new Error('no command runs here');
};

/** Every command of a tree with its path, the root excluded. */
function commandsOf(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => {
      const childPath = [...path, child.name()];
      return [{ path: childPath, command: child }, ...commandsOf(child, childPath)];
    });
}

function find(root: Command, path: string[]): Command | undefined {
  let command: Command | undefined = root;
  for (const name of path) command = command?.commands.find((c) => c.name() === name);
  return command;
}

const whole = buildProgram(noDeps);
const topLevel = whole.commands.filter((c) => c.name() !== 'help');

describe('the branch of the command tree an argv runs', () => {
  it.each(topLevel.flatMap((c) => [c.name(), ...c.aliases()].map((name) => [name])))(
    '`dsync %s …` builds that command with every subcommand, option and help page of the whole tree',
    (name) => {
      const pruned = buildProgram(noDeps, ['node', 'dsync', '--store', 'acme', name, '--json']);
      const top = whole.commands.find((c) => c.name() === name || c.aliases().includes(name)) as Command;
      const kept = pruned.commands.filter((c) => c.name() !== 'help').map((c) => c.name());
      expect(kept).toContain(top.name());
      // Completion writes the whole tree into its scripts; any other command gets its branch
      // (`import` and `orders` are added together, as are `ship` and `shipments`).
      if (name === 'completion') expect(kept).toEqual(topLevel.map((c) => c.name()));
      else expect(kept.length).toBeLessThanOrEqual(2);
      for (const { path, command } of commandsOf(whole).filter((c) => kept.includes(c.path[0] as string))) {
        const same = find(pruned, path);
        expect(same, path.join(' ')).toBeDefined();
        expect((same as Command).helpInformation()).toBe(command.helpInformation());
        expect((same as Command).aliases()).toEqual(command.aliases());
      }
    },
  );

  it.each([
    [['config', 'get', 'x'], 'config'],
    [['--store', 'acme', 'config', 'get'], 'config'],
    [['--store=acme', '--json', 'orders', 'list'], 'orders'],
    [['--api-version', '2026-10', 'import'], 'import'],
    [['--no-color', 'shipments', 'list'], 'ship'],
  ])('%j runs %s', (args, name) => {
    expect(topLevelCommandOf(args)?.names).toContain(name);
  });

  it.each([
    [[]],
    [['--help']],
    [['help', 'config']],
    [['confg', 'get']],
    [['--', 'config']],
    // Completion writes the whole tree into its scripts.
    [['completion', 'bash']],
    // `--store config`: "config" is the store, and what follows decides.
    [['--store', 'config']],
  ])('%j gets the whole tree', (args) => {
    expect(topLevelCommandOf(args)).toBeUndefined();
  });

  it('the root help of a pruned tree is never shown: `dsync --help` and an unknown command get the whole tree', () => {
    for (const argv of [['--help'], ['confg']]) {
      const program = buildProgram(noDeps, ['node', 'dsync', ...argv]);
      expect(program.helpInformation()).toBe(whole.helpInformation());
    }
  });
});
