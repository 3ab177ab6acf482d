import { type Command, Option } from 'commander';
import type { RegisterContext } from '../define.js';
import { STORE_COLUMN_HELP } from '../store-column-help.js';
import { addFleetOptions } from '../fleet-options.js';

const LIST_HELP = `
Returns whose items were shipped from \`fulfillment-location\` (so they come back there): the
return's name and id, its order, each item (SKU, quantity, reason, customer note) and the
tracking of the parcels on their way back. Read live from the store.

Examples:
  dsync returns list
  dsync returns list --status all --json

Exit codes: 0 ok · 2 no fulfillment-location · 4 auth (read_returns missing)`;

const IMPORT_HELP = `
Like \`dsync import\` for orders, for the returns coming back to \`fulfillment-location\`:
  return.opened     a return is coming back: expect the lines
  return.updated    its lines, quantities or tracking changed: replace it
  return.cancelled  cancelled or declined: nothing is coming back (final)
  return.closed     the merchant closed it: nothing more is expected
Each event is delivered once: the ledger remembers what was sent, and the checkpoint moves
only past what the sink accepted (with a 2-minute overlap). Every return the warehouse expects
is followed until it is closed or cancelled. \`dsync schema return\` prints the JSON Schema.

Examples:
  dsync returns import                          # since the last run (cron)
  dsync returns import --out /var/spool/3pl/returns
  dsync returns import --webhook https://wms.example/hooks/returns --json

Exit codes: 0 ok · 1 error, or stopped with nothing further deliverable · 2 usage, no
fulfillment-location · 3 some returns failed to deliver · 4 auth · 5 another run holds the lock`;

const RECEIVE_HELP = `
The file: CSV with the header return,sku,quantity,disposition (a leading store column is
allowed), or JSON lines with the same fields. disposition is one of restocked, not_restocked,
processing_required, missing. Each row records what the warehouse did with the units at
\`fulfillment-location\`; restocked units are added to \`available\` there.

Running the same file again disposes nothing more: each row is recorded in the ledger before
and after its disposition, and the return's dispositions in the store are checked when a run
was cut short. A row naming an unknown return or SKU, or more units than are left to receive,
is refused with its line; the other rows still apply.
${STORE_COLUMN_HELP}Examples:
  dsync returns receive --file received.csv
  dsync returns receive --file received.jsonl --dry-run    # the plan, nothing written
  dsync returns receive --file received.csv --json

Exit codes: 0 all received or already received · 2 usage (no --file, unreadable file, no
fulfillment-location) · 3 some rows failed (the rest were received) · 4 auth · 5 another
returns run holds the lock`;

export function registerReturns(program: Command, ctx: RegisterContext): void {
  const returns = program
    .command('returns')
    .description('returns coming back to the warehouse, and what it received');
  returns
    .command('list')
    .description('returns coming back to the fulfillment location (live from the store)')
    .addOption(
      new Option('--status <status>', 'open (requested or under way), closed, or all')
        .choices(['open', 'closed', 'all'])
        .default('open'),
    )
    .addHelpText('after', LIST_HELP)
    .action(ctx.action(() => import('./list.js')));
  addFleetOptions(
    returns
      .command('import')
      .description('send the warehouse each return coming back to it, once (the cron job)'),
  )
    .option(
      '--since <when>',
      'start of the window: last (the checkpoint), 30m, 2h, 7d or an ISO date',
      'last',
    )
    .option('--out <dir>', 'write one file per event into this directory')
    .option('--webhook <url>', 'POST each event to this URL')
    .addOption(
      new Option('--format <format>', 'event format').choices(['jsonl', 'json', 'csv']).default('jsonl'),
    )
    .option('--dry-run', 'show the events without sending them, recording them or moving the checkpoint')
    .addHelpText('after', IMPORT_HELP)
    .action(ctx.action(() => import('./import.js')));
  returns
    .command('receive')
    .description('record what the warehouse received (dispositions) from a file')
    .option('--file <path>', 'received returns file (.csv or .jsonl)')
    .option('--dry-run', 'show what each row would dispose; change nothing')
    .addHelpText('after', RECEIVE_HELP)
    .action(ctx.action(() => import('./receive.js')));
  returns
    .command('show')
    .description("a return's life in the ledger: events sent, rows received")
    .argument('<return>', 'return name (#1001-R1) or id')
    .addHelpText(
      'after',
      `
Examples:
  dsync returns show '#1001-R1'
  dsync returns show 7340032 --json`,
    )
    .action(ctx.action(() => import('./show.js')));
}
