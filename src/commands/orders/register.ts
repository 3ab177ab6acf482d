import { type Command, Option } from 'commander';
import { LEDGER_STATUS_HELP } from '../../services/orders/statuses.js';
import type { RegisterContext } from '../define.js';
import { DEFAULT_CONCURRENCY } from '../fleet-options.js';

const IMPORT_HELP = `
Which orders: financial status in \`financial-status\`, unfulfilled (plus partially fulfilled with
\`include-partial-fulfillments\`), not cancelled, created after \`accept-orders-after\`. Lines come
from open fulfillment orders (filtered by \`fulfillment-service\` / \`filter-by-location\`).

Events (the warehouse can act on the type alone; \`dsync schema order\` documents each):
  order.created     a new order to ship
  order.updated     lines, quantities, address or shipping method changed
  order.cancelled   cancelled: do not ship (final)
  order.on_hold     the merchant put it on hold: pause it
  order.withdrawn   no longer to be shipped; reason: financial_status (refunded, voided, …),
                    no_lines (lines removed or refunded), other_location (moved away),
                    not_requested (the fulfillment service's request rejected or taken back)
  order.released    on hold or withdrawn before, to be shipped again
  order.cancellation_requested
                    the merchant asks the fulfillment service to give the order back;
                    answer with \`dsync requests accept|reject --cancellation\`
Every delivered order is followed until it is shipped or cancelled, whatever the window. Each
event is delivered once: the ledger remembers what was sent, and the checkpoint moves only past
what the sink accepted. An order that fails three runs in a row stops holding the checkpoint
back; it stays \`error\` in the ledger and is read again by id on every run (exit 3 meanwhile).

Sinks:
  (default)        JSON lines on stdout; the summary goes to stderr. A reader that closes
                   stdout early (\`| head\`) stops the run (exit 1)
  --out DIR        one file per event, written atomically; a rerun never duplicates a file
  --webhook URL    POST per event with an Idempotency-Key header, retried with backoff;
                   signed with X-Dsync-Signature: sha256=<hex HMAC of the body> once
                   \`dsync config set webhook-secret -\` has stored the shared secret;
                   a 4xx other than 408/429 fails that order (exit 3); a receiver that
                   cannot take 3 events in a row stops the run (exit 1)

Examples:
  dsync import                              # since the last run (cron)
  dsync import --since 7d --dry-run         # what the last week would send
  dsync import --out /var/spool/3pl --json  # files, JSON summary on stdout
  dsync import --webhook https://wms.example/hooks/orders
  dsync import --replay --since 7d --out /var/spool/3pl   # everything of the last week, again
  dsync schema order                        # the JSON Schema of each event
  dsync import --all-stores --out /var/spool/3pl --shard 1/2   # half of the fleet, files under <dir>/<shop>/

Exit codes: 0 ok · 1 error, or stopped with nothing further deliverable · 3 some orders failed (the rest were delivered) · 4 auth · 5 another import holds the lock`;

function addImportOptions(command: Command): Command {
  command
    .option(
      '--since <when>',
      'start of the window: last (the checkpoint), 30m, 2h, 7d or an ISO date',
      'last',
    )
    .option('--until <when>', 'end of the window: 30m, 2h, 7d (that long ago) or an ISO date')
    .option('--out <dir>', 'write one file per event into this directory')
    .option('--webhook <url>', 'POST each event to this URL')
    .addOption(
      new Option('--format <format>', 'event format').choices(['jsonl', 'json', 'csv']).default('jsonl'),
    )
    .option('--dry-run', 'show the events without sending them, recording them or moving the checkpoint')
    .option('--replay', 'deliver again every event delivered since --since (same event ids), then stop')
    .option('--bulk', 'always use a bulk operation')
    .option(
      '--all-stores',
      'import every configured store (needs --out DIR, files under DIR/<shop>/, or --webhook)',
    )
    .option(
      '--concurrency <n>',
      `with --all-stores: stores imported at once (default ${DEFAULT_CONCURRENCY})`,
    )
    .option('--shard <i/N>', 'with --all-stores: only the i-th of N stable shares of the stores')
    .option(
      '--bulk-timeout <duration>',
      'give up on a bulk export that has not finished after this long (cancel it, page instead); default 3h, e.g. 20m in cron',
    )
    .option(
      '--no-bulk',
      'never use a bulk operation (default: whichever of paging and bulk is expected to finish first)',
    )
    .addHelpText('after', IMPORT_HELP);
  // Commander keeps whichever of --bulk / --no-bulk came last; the command refuses the pair.
  const given = new Set<string>();
  for (const flag of ['bulk', 'no-bulk']) {
    command.on(`option:${flag}`, () => {
      given.add(flag);
      if (given.size === 2) command.setOptionValue('bulkAndNoBulk', true);
    });
  }
  return command;
}

/** `dsync import`, the cron job's command (the same as `dsync orders import`). */
export function registerImport(program: Command, ctx: RegisterContext): void {
  addImportOptions(
    program
      .command('import')
      .description('import the orders the warehouse must ship (the cron job; alias of `orders import`)'),
  ).action(ctx.action(() => import('./import.js')));
}

export function registerOrders(program: Command, ctx: RegisterContext): void {
  const orders = program
    .command('orders')
    .description('order import and the ledger of what happened to each order');
  addImportOptions(orders.command('import').description('import the orders the warehouse must ship')).action(
    ctx.action(() => import('./import.js')),
  );
  orders
    .command('list')
    .description('orders in the ledger with their status, newest change first')
    .addOption(
      new Option('--status <status>', 'only this status').choices(LEDGER_STATUS_HELP.map(([s]) => s)),
    )
    .option('--limit <n>', 'at most this many rows', '50')
    .addHelpText(
      'after',
      `\nStatuses:\n${LEDGER_STATUS_HELP.map(([s, d]) => `  ${s.padEnd(22)} ${d}`).join('\n')}

Examples:
  dsync orders list --status error             # what keeps failing, and why
  dsync orders list --status skipped --limit 200 --json | jq -r '.orders[].reason' | sort | uniq -c`,
    )
    .action(ctx.action(() => import('./list.js')));
  orders
    .command('resend')
    .description('deliver the current document of orders again, under the event ids first sent')
    .argument('<order...>', 'order names (#1001), numbers or gids')
    .option('--out <dir>', 'write one file per event into this directory')
    .option('--webhook <url>', 'POST each event to this URL')
    .addOption(
      new Option('--format <format>', 'event format').choices(['jsonl', 'json', 'csv']).default('jsonl'),
    )
    .addHelpText(
      'after',
      `
A warehouse that lost what it received gets it again: the current document, under the id of the
event last delivered for the order (so an Idempotency-Key still deduplicates). Recorded in the
ledger as "resent"; the checkpoint does not move. For every event of a period, use
\`dsync import --replay --since 7d\`.

Examples:
  dsync orders resend '#1001' '#1002' --webhook https://wms.example/hooks/orders
  dsync orders resend 1001 --out /var/spool/3pl
  dsync import --replay --since 2026-11-20 --out /var/spool/3pl`,
    )
    .action(ctx.action(() => import('./resend.js')));
  orders
    .command('show')
    .description('one order from the ledger: status and activity log')
    .argument('<order>', 'order name (#1001), number or gid')
    .addHelpText(
      'after',
      `
Examples:
  dsync orders show '#1001'                    # quote the #: shells read it as a comment
  dsync orders show 1001 --store acme --json`,
    )
    .action(ctx.action(() => import('./show.js')));
}
