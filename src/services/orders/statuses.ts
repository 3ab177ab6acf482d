/** Ledger statuses and what they mean (kept free of heavy imports: `--help` renders it). */
export const LEDGER_STATUS_HELP: ReadonlyArray<readonly [string, string]> = [
  ['imported', 'with the warehouse, to be shipped (created, updated or released)'],
  ['on_hold', 'with the warehouse, paused: the merchant put it on hold (order.on_hold sent)'],
  [
    'cancellation_requested',
    'with the warehouse; the merchant asks the fulfillment service to give it back (order.cancellation_requested sent)',
  ],
  ['withdrawn', 'taken back from the warehouse, with the reason (order.withdrawn sent); still followed'],
  ['skipped', 'not imported; the reason is recorded'],
  ['error', 'the last run failed on it; read again by id on every run (exit 3 while any is left)'],
  ['shipped', 'fulfilled after it was imported'],
  ['partially_shipped', 'partially fulfilled after it was imported'],
  ['cancelled', 'cancelled after it was imported (order.cancelled sent)'],
];
