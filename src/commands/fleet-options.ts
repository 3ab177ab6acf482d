import type { Command } from 'commander';

export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 64;

/**
 * `--all-stores`, `--concurrency`, `--shard` for a command that runs per store (the work is in
 * fleet.ts, loaded with the command; this file stays light for `--help`).
 */
export function addFleetOptions(command: Command): Command {
  return command
    .option('--all-stores', 'run for every configured store, each with its own client, lock and ledger')
    .option('--concurrency <n>', `with --all-stores: stores run at once (default ${DEFAULT_CONCURRENCY})`)
    .option(
      '--shard <i/N>',
      'with --all-stores: only the i-th of N stable shares of the stores (N cron jobs split a fleet)',
    );
}
