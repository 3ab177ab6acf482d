/** Ledger statuses and what they mean (kept free of heavy imports: `--help` renders it). */
export const LEDGER_STATUS_HELP: ReadonlyArray<readonly [string, string]> = [
  ['imported', 'delivered to the warehouse (created or updated)'],
  ['skipped', 'not imported; the reason is recorded'],
  ['error', 'delivery failed; retried on the next run'],
  ['shipped', 'fulfilled after it was imported'],
  ['partially_shipped', 'partially fulfilled after it was imported'],
  ['cancelled', 'cancelled after it was imported (order.cancelled sent)'],
];
