import { z } from 'zod';
import { readSettings } from '../../core/config/settings.js';
import type { Deps } from '../../core/deps.js';
import { ConfigError } from '../../core/errors.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { connectStore } from '../connect.js';
import { parseRows, type RowError, rowFields, rowsForStore } from '../files/rows.js';
import { parseOrderRef } from '../orders/order-ref.js';
import { groupRows, type ShipmentRowValue } from './plan.js';
import { runShipments, type ShipmentResult } from './run.js';

export type { ShipmentResult } from './run.js';

/** The shipments file: `order,sku,quantity,carrier,tracking_number,tracking_url` (SPEC.md, "Files"). */
export const SHIPMENT_COLUMNS = [
  'order',
  'sku',
  'quantity',
  'carrier',
  'tracking_number',
  'tracking_url',
] as const;

const httpUrl = rowFields.text(2000).refine((s) => /^https?:\/\/[^\s]+$/i.test(s), 'must be an http(s) URL');

export const shipmentRowSchema = z
  .object({
    store: rowFields.text(255).optional(),
    order: rowFields
      .text(100)
      .refine((s) => parseOrderRef(s) !== null, 'must be an order name (#1001) or id'),
    sku: rowFields.text(255).optional(),
    quantity: rowFields.count(1).optional(),
    carrier: rowFields.text(255).optional(),
    tracking_number: rowFields.text(255),
    tracking_url: httpUrl.optional(),
  })
  .strict()
  .superRefine((row, ctx) => {
    if (row.quantity !== undefined && row.sku === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['quantity'],
        message: 'needs a sku (a blank sku ships the whole order)',
      });
  }) as z.ZodType<ShipmentRowValue>;

export const SHIPMENT_SPEC = {
  columns: SHIPMENT_COLUMNS,
  required: ['order', 'tracking_number'],
  schema: shipmentRowSchema,
};

export interface ShipOptions {
  /** The file's name, as given (for messages). */
  file: string;
  bytes: Uint8Array;
  dryRun: boolean;
  /** --notify-customer; undefined: the `notify-customer` setting. */
  notifyCustomer: boolean | undefined;
  onResult?: (result: ShipmentResult) => void;
}

export interface ShipSummary {
  shop: string;
  file: string;
  format: 'csv' | 'jsonl';
  dryRun: boolean;
  notifyCustomer: boolean;
  location: { id: string; name: string | null };
  counts: {
    rows: number;
    shipments: number;
    created: number;
    planned: number;
    alreadyApplied: number;
    failed: number;
    rowErrors: number;
  };
  shipments: ShipmentResult[];
  rowErrors: RowError[];
}

/**
 * `dsync ship`: reads the file, connects to the store, takes its ship lock (a separate lock from
 * the import's, so a shipment file can be pushed while an import runs; two ship runs never
 * overlap), and runs the shipments against the ledger.
 */
export async function shipFile(deps: Deps, options: ShipOptions): Promise<ShipSummary> {
  const parsed = parseRows(options.file, options.bytes, SHIPMENT_SPEC);
  const store = await connectStore(deps, { requireScopes: ['read_orders'] });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const locationId = settings.fulfillmentLocation;
  if (!locationId) {
    throw new ConfigError(
      'the fulfillment-location setting is not set: dsync does not know where shipments leave from',
      {
        hint: `run \`dsync config set fulfillment-location "<location name or gid>" --store ${store.shop}\` (see \`dsync locations list\`)`,
      },
    );
  }
  const notifyCustomer = options.notifyCustomer ?? settings.notifyCustomer;
  const forStore = rowsForStore(options.file, parsed.rows, store.shop, 'ships');
  const grouped = groupRows(options.file, forStore.rows);
  const rowErrors = [...parsed.errors, ...forStore.errors, ...grouped.errors];

  const state = await deps.state();
  const lock = options.dryRun
    ? undefined
    : await state.lock(store.shop, {
        now: deps.clock.now(),
        command: 'ship',
      });
  try {
    let ledger: Ledger | null = null;
    if (!options.dryRun) ledger = await state.openLedger(store.shop);
    else ledger = (await state.openLedgerReadonly(store.shop)) ?? null;
    try {
      const {
        results,
        rowErrors: refused,
        location,
      } = await runShipments(
        {
          client: store.client,
          ledger,
          now: () => deps.clock.now(),
          signal: deps.signal,
          onResult: options.onResult,
          crashAt: deps.crashAt,
        },
        grouped.requests,
        {
          location: { id: locationId, name: null },
          notifyCustomer,
          dryRun: options.dryRun,
          file: options.file,
        },
      );
      const errors = [...rowErrors, ...refused].sort((a, b) => a.line - b.line);
      const count = (status: ShipmentResult['status']) => results.filter((r) => r.status === status).length;
      return {
        shop: store.shop,
        file: options.file,
        format: parsed.format,
        dryRun: options.dryRun,
        notifyCustomer,
        location,
        counts: {
          rows: parsed.rows.length + parsed.errors.length,
          shipments: results.length,
          created: count('created'),
          planned: count('planned'),
          alreadyApplied: count('already_applied'),
          failed: count('failed'),
          rowErrors: errors.length,
        },
        shipments: results,
        rowErrors: errors,
      };
    } finally {
      await ledger?.close();
    }
  } finally {
    await lock?.release();
  }
}
