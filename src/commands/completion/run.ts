import type { Command, Option } from 'commander';
import {
  FINANCIAL_STATUSES,
  SETTING_DOCS,
  SETTING_KEYS,
  type SettingKey,
} from '../../core/config/setting-docs.js';
import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import {
  type Candidates,
  type CompletionData,
  type CompletionNode,
  completionScript,
  SHELLS,
  type Shell,
} from '../../services/completion/scripts.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps, args, _flags, command) => {
  const shell = args[0];
  if (!shell || !SHELLS.includes(shell as Shell)) {
    throw new UsageError(
      `unknown shell ${JSON.stringify(shell ?? '')}: expected one of ${SHELLS.join(', ')}`,
      {
        hint: 'dsync completion bash > /etc/bash_completion.d/dsync',
      },
    );
  }
  // The tree this command belongs to: its root is the program being run.
  let program: Command = command;
  while (program.parent) program = program.parent;
  const data: CompletionData = { nodes: collect(program, []), settingValues: settingValues() };
  createOutput(deps).print(completionScript(shell as Shell, data));
};

const words = (list: readonly string[]): Candidates => ({ kind: 'words', words: [...list] });

/** What completes the positional arguments of the commands that take known values. */
const POSITIONALS: Record<string, (Candidates | null)[]> = {
  'config set': [words(SETTING_KEYS), { kind: 'setting-values' }],
  'config get': [words(SETTING_KEYS)],
  'config unset': [words(SETTING_KEYS)],
  'stores default': [{ kind: 'stores' }],
  completion: [words(SHELLS)],
};

/** Flags whose value is a path. */
const PATH_FLAGS = new Set(['--out', '--file']);

function optionValues(option: Option): Candidates | null {
  const flag = option.long ?? '';
  if (flag === '--store') return { kind: 'stores' };
  if (PATH_FLAGS.has(flag)) return { kind: 'files' };
  if (option.argChoices && option.argChoices.length > 0) return words(option.argChoices);
  return null;
}

/** The allowed values of each setting with a fixed set (booleans, statuses, windows). */
function settingValues(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of SETTING_KEYS as SettingKey[]) {
    switch (SETTING_DOCS[key].kind) {
      case 'boolean':
        out[key] = ['true', 'false'];
        break;
      case 'financial-statuses':
        out[key] = [...FINANCIAL_STATUSES];
        break;
      case 'since':
        out[key] = ['7d', '30d', '60d'];
        break;
      case 'service':
        out[key] = ['all'];
        break;
      case 'secret':
        out[key] = ['-'];
        break;
      default:
        break;
    }
  }
  return out;
}

function collect(command: Command, path: string[]): CompletionNode[] {
  const visible = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const options = command.options;
  const node: CompletionNode = {
    path,
    subcommands: visible.flatMap((c) => [c.name(), ...c.aliases()]),
    options: [...options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)), '--help'],
    valueOptions: options
      .filter((o) => o.required || o.optional)
      .flatMap((o) =>
        [o.long, o.short].filter((f): f is string => !!f).map((flag) => ({ flag, values: optionValues(o) })),
      ),
    positionals: POSITIONALS[path.join(' ')] ?? [],
  };
  return [node, ...visible.flatMap((c) => collect(c, [...path, c.name()]))];
}
