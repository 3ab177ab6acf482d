import type { Command } from 'commander';
import type { Deps } from '../core/deps.js';

/**
 * A command module's entry point: turn parsed arguments and flags into an Options object, call
 * one service, hand its result to one renderer. Loaded lazily, so its imports cost nothing until
 * the command actually runs.
 */
export type CommandRun = (
  deps: Deps,
  args: string[],
  flags: Record<string, unknown>,
  /** The command being run, for the few that read the command tree (completion). */
  command: Command,
) => Promise<void>;

export interface CommandModule {
  run: CommandRun;
}

export type DepsFactory = (command: Command) => Deps;

/** Context handed to each noun's register function. */
export interface RegisterContext {
  /** Wraps a lazy command module into a commander action. */
  action(load: () => Promise<CommandModule>): (...args: unknown[]) => Promise<void>;
}

export function createRegisterContext(makeDeps: DepsFactory): RegisterContext {
  return {
    action(load) {
      return async (...args: unknown[]) => {
        const command = args[args.length - 1] as Command;
        const flags = command.opts();
        const positional = args
          .slice(0, -2)
          .flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
        const deps = makeDeps(command);
        const module = await load();
        await module.run(deps, positional, flags, command);
      };
    },
  };
}
