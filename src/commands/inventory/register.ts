import { type Command, Option } from 'commander';
import type { RegisterContext } from '../define.js';
import { STORE_COLUMN_HELP } from '../store-column-help.js';

const PUSH_HELP = `
The stock file: CSV with the header sku,quantity (optionally led by a store column) or JSON
lines with the same fields; what \`dsync inventory pull\` writes is accepted unchanged. Each
quantity becomes the SKU's \`available\` at the fulfillment-location. Only changed quantities
are sent, up to 250 per request, each with the quantity read in this run as its compare value:
a sale in Shopify between the read and the write is kept (the row is re-read and sent once more).

A SKU several variants share is skipped with a warning unless include-duplicate-skus is true.
Unknown SKUs, untracked items and items not stocked at the location fail their row; every bad
row is named by file, line and field, and the good rows still apply.
${STORE_COLUMN_HELP}Examples:
  dsync inventory push --file stock.csv --dry-run   # the diff: sku, current, new, delta
  dsync inventory push --file stock.csv
  dsync inventory push --file stock.jsonl --json    # summary with per-row problems

Exit codes: 0 ok · 2 usage or configuration · 3 some rows failed (the rest applied) · 4 auth · 5 another push holds the lock`;

const PULL_HELP = `
Current \`available\` and \`on_hand\` per SKU at the fulfillment-location. CSV columns:
sku,available,on_hand; JSON lines add variant_id and inventory_item_id. A SKU several
variants share is written once when they hold the same quantities (otherwise left out, with
a warning). \`dsync inventory push\` reads the file unchanged.

Examples:
  dsync inventory pull > stock.csv
  dsync inventory pull --format jsonl --out stock.jsonl   # written atomically`;

export function registerInventory(program: Command, ctx: RegisterContext): void {
  const inventory = program
    .command('inventory')
    .description('stock levels at the fulfillment location: push from the warehouse, pull from Shopify');
  inventory
    .command('push')
    .description('set available quantities at the fulfillment location from a stock file')
    .requiredOption('--file <path>', 'stock file: CSV (sku,quantity) or JSON lines')
    .option('--dry-run', 'print the diff (sku, current, new, delta) and send nothing')
    .addHelpText('after', PUSH_HELP)
    .action(ctx.action(() => import('./push.js')));
  inventory
    .command('pull')
    .description('current available and on-hand quantities per SKU at the fulfillment location')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'jsonl']))
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .addHelpText('after', PULL_HELP)
    .action(ctx.action(() => import('./pull.js')));
}
