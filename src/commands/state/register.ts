import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';
import { addFleetOptions } from '../fleet-options.js';

export function registerState(program: Command, ctx: RegisterContext): void {
  const state = program
    .command('state')
    .description('where the ledger, checkpoints and locks live (DSYNC_STATE_URL)');
  addFleetOptions(
    state
      .command('migrate')
      .description('copy a store’s ledger and checkpoints from its SQLite file to PostgreSQL')
      .option(
        '--to <url>',
        'postgres://user@host:5432/database (password in PGPASSWORD or ~/.pgpass); default DSYNC_STATE_URL',
      )
      .option('--dry-run', 'count what would be copied; write nothing'),
  )
    .addHelpText(
      'after',
      `
Copies into a store with no rows in PostgreSQL only, holding the store's import lock on both
sides; the SQLite file is left as it is. Then run with DSYNC_STATE_URL set to the same URL.

Examples:
  PGPASSWORD=… dsync state migrate --to postgres://dsync@db:5432/dsync
  PGPASSWORD=… dsync state migrate --to postgres://dsync@db:5432/dsync --all-stores
  export DSYNC_STATE_URL=postgres://dsync@db:5432/dsync`,
    )
    .action(ctx.action(() => import('./migrate.js')));
}
