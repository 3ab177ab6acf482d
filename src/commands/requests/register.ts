import { type Command, Option } from 'commander';
import { REJECTION_REASONS } from '../../services/requests/reasons.js';
import type { RegisterContext } from '../define.js';
import { addFleetOptions } from '../fleet-options.js';

const ABOUT = `
A fulfillment service gets its work as requests: the merchant (or Shopify's routing) asks it to
fulfil an order, and may later ask for accepted work back (a cancellation request). With
\`fulfillment-service\` set, \`dsync import\` accepts the requests of the orders it delivered
(\`accept-fulfillment-requests\`, default true) and delivers cancellation requests as
order.cancellation_requested events. These commands show and answer requests by hand; every
answer is written to the order's activity in the ledger (\`dsync orders show\`).`;

export function registerRequests(program: Command, ctx: RegisterContext): void {
  const requests = program
    .command('requests')
    .description("a fulfillment service's pending requests: list, accept, reject")
    .addHelpText('after', ABOUT);

  addFleetOptions(
    requests
      .command('list')
      .description('pending fulfillment and cancellation requests at the fulfillment service'),
  )
    .addOption(
      new Option('--kind <kind>', 'which requests')
        .choices(['fulfillment', 'cancellation', 'all'])
        .default('all'),
    )
    .addHelpText(
      'after',
      `
Examples:
  dsync requests list
  dsync requests list --kind cancellation
  dsync requests list --all-stores          # every configured store, one line each
  dsync requests list --json | jq -r '.requests[].orderName'`,
    )
    .action(ctx.action(() => import('./list.js')));

  requests
    .command('accept')
    .description('accept the pending requests of orders (fulfillment, or cancellation with --cancellation)')
    .argument('<order...>', 'order names (#1001), numbers or gids')
    .option('--cancellation', 'answer cancellation requests instead of fulfillment requests')
    .option('--message <text>', 'a note for the merchant')
    .addHelpText(
      'after',
      `
Examples:
  dsync requests accept '#1001' '#1002'
  dsync requests accept '#1001' --cancellation --message "not packed yet, released"

Exit codes: 0 every order answered · 3 some could not be (no pending request, refused by Shopify)`,
    )
    .action(ctx.action(() => import('./accept.js')));

  requests
    .command('reject')
    .description('reject the pending requests of orders (fulfillment, or cancellation with --cancellation)')
    .argument('<order...>', 'order names (#1001), numbers or gids')
    .addOption(new Option('--reason <reason>', 'why (fulfillment requests)').choices(REJECTION_REASONS))
    .option('--message <text>', 'a note for the merchant')
    .option('--cancellation', 'answer cancellation requests instead of fulfillment requests')
    .addHelpText(
      'after',
      `
Examples:
  dsync requests reject '#1001' --reason INVENTORY_OUT_OF_STOCK --message "back in May"
  dsync requests reject '#1003' --reason INCORRECT_ADDRESS
  dsync requests reject '#1002' --cancellation --message "already shipped"

Exit codes: 0 every order answered · 2 --reason missing · 3 some could not be answered`,
    )
    .action(ctx.action(() => import('./reject.js')));
}
