import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';
import { addFleetOptions } from '../fleet-options.js';

export function registerDoctor(program: Command, ctx: RegisterContext): void {
  addFleetOptions(
    program
      .command('doctor')
      .description('check auth, scopes, settings against the live store, the 60-day window and clock skew'),
  )
    .addHelpText(
      'after',
      `
One line per check, each failure with what to do next. Checks: settings valid, config file
permissions, access token present and valid, scopes sufficient, fulfillment location exists and
is active, fulfillment service exists, the location belongs to the service, accept-orders-after
within the readable window, clock in sync with the store.

Exit status: 0 when every check passes; 4 when the token or scopes fail; 2 when a setting is
wrong; 1 for anything else. --json prints {shop, ok, checks:[{id,title,status,detail,hint}]}.

Examples:
  dsync doctor
  DSYNC_ACCESS_TOKEN=... dsync doctor --store acme --json   # a CI smoke check
  dsync doctor --all-stores                  # every configured store; exit = the worst store's`,
    )
    .action(ctx.action(() => import('./run.js')));
}
