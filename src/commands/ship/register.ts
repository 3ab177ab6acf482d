import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';
import { STORE_COLUMN_HELP } from '../store-column-help.js';

const SHIP_HELP = `
The file: CSV with the header order,sku,quantity,carrier,tracking_number,tracking_url (a
leading store column is allowed), or JSON lines with the same fields. A blank sku and quantity
ship everything the order has left at the fulfillment location; a blank quantity ships all of
that SKU. Rows of one order with one tracking number make one shipment (one fulfillment).

Each shipment is created from the fulfillment orders at \`fulfillment-location\` that hold its
SKUs (a pending fulfillment request there is accepted first), with the tracking company, number
and URL. Running the same file again creates nothing: a shipment is recognised from the ledger
and from the order's fulfillments with the same tracking number. Bad rows are reported with
file, line and field; the other rows still ship.
${STORE_COLUMN_HELP}Examples:
  dsync ship --file shipments.csv
  dsync ship --file shipments.jsonl --dry-run       # the plan, nothing written
  dsync ship --file shipments.csv --notify-customer --json

Exit codes: 0 all shipped or already shipped · 2 usage (no --file, unreadable file, no
fulfillment-location) · 3 some rows or shipments failed (the rest were shipped) · 4 auth ·
5 another ship run holds the lock`;

function addShipOptions(command: Command): Command {
  return command
    .option('--file <path>', 'shipments file (.csv or .jsonl)')
    .option(
      '--dry-run',
      'show which fulfillment orders, lines and quantities each shipment would fulfil; change nothing',
    )
    .option(
      '--notify-customer',
      'let Shopify email the tracking to the customer (default: the notify-customer setting)',
    )
    .option('--no-notify-customer', 'do not email the customer, whatever the setting')
    .addHelpText('after', SHIP_HELP);
}

export function registerShip(program: Command, ctx: RegisterContext): void {
  addShipOptions(
    program
      .command('ship')
      .description('create fulfillments with tracking from a shipments file (alias of `shipments push`)'),
  ).action(ctx.action(() => import('./push.js')));
  const shipments = program
    .command('shipments')
    .description('shipments from the warehouse: fulfillments with tracking');
  addShipOptions(
    shipments.command('push').description('create fulfillments with tracking from a shipments file'),
  ).action(ctx.action(() => import('./push.js')));
}
