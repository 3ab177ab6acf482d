import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { buildProgram } from '../../program.js';
import {
  type CompletionNode,
  completionScript,
  SHELLS,
  type Shell,
} from '../../services/completion/scripts.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps, args) => {
  const shell = args[0];
  if (!shell || !SHELLS.includes(shell as Shell)) {
    throw new UsageError(
      `unknown shell ${JSON.stringify(shell ?? '')}: expected one of ${SHELLS.join(', ')}`,
      {
        hint: 'dsync completion bash > /etc/bash_completion.d/dsync',
      },
    );
  }
  const program = buildProgram(() => deps);
  createOutput(deps).print(completionScript(shell as Shell, collect(program, [])));
};

function collect(command: Command, path: string[]): CompletionNode[] {
  const visible = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const options = [...command.options, ...(path.length > 0 ? [] : [])];
  const node: CompletionNode = {
    path,
    subcommands: visible.flatMap((c) => [c.name(), ...c.aliases()]),
    options: [...options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)), '--help'],
    valueOptions: options
      .filter((o) => o.required || o.optional)
      .flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)),
  };
  return [node, ...visible.flatMap((c) => collect(c, [...path, c.name()]))];
}
