import { randomBytes, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { readSettings } from '../../core/config/settings.js';
import type { CrashHook } from '../../core/crash-points.js';
import type { Deps } from '../../core/deps.js';
import { ConfigError } from '../../core/errors.js';
import {
  InventoryItemsAvailable,
  InventoryItemsBySku,
  type InventoryItemsBySkuData,
  InventorySetAvailable,
  ITEMS_BY_ID_MAX,
  LocationLevels,
  type LocationLevelsData,
  SET_QUANTITIES_MAX,
} from '../../shopify/operations/inventory.js';
import type { AdminClient, GraphQLResult, Operation } from '../../shopify/types.js';
import type { RowError } from '../files/rows.js';
import { connectStore } from '../connect.js';
import {
  batches,
  bySku,
  type Change,
  type DuplicateSkip,
  type ItemFound,
  type LevelAtLocation,
  planPush,
  rebase,
  type StockRow,
  skusToLookUp,
  type VariantRef,
} from './plan.js';
import { parseStockFile } from './stock-file.js';

/**
 * `dsync inventory push`: read the stock file, read the location's levels once, decide, then set
 * the changed quantities in batches of up to 250 with compare-and-swap. Steps: read → decide →
 * send → report.
 */

export interface PushOptions {
  /** The file's name, for row errors. */
  file: string;
  /** Its content, read by the command. */
  bytes: Uint8Array;
  dryRun: boolean;
}

export interface DiffEntry {
  line: number;
  sku: string;
  inventoryItemId: string;
  variant: VariantRef | null;
  current: number;
  new: number;
  delta: number;
  /** planned (dry run), set, or failed. */
  status: 'planned' | 'set' | 'failed';
  /** The quantity first read, when Shopify's changed before the write and the target followed it. */
  readBefore?: number;
}

export interface PushSummary {
  runId: string;
  shop: string;
  file: string;
  location: { id: string; name: string };
  dryRun: boolean;
  rows: number;
  changed: number;
  unchanged: number;
  failed: number;
  skippedDuplicates: number;
  /** Quantities re-read and sent again because Shopify's value changed between read and write. */
  retried: number;
  requests: { reads: number; writes: number };
  problems: RowError[];
  duplicates: DuplicateSkip[];
  diff: DiffEntry[];
}

/** Everything the pipeline touches, injected (a fake client in tests). */
export interface PushIo {
  client: Pick<AdminClient, 'request'>;
  signal?: AbortSignal;
  /** A fresh @idempotent key per request sent. */
  newKey?: () => string;
  /** Named points for crash tests (Deps.crashAt). */
  crashAt?: CrashHook;
}

export interface PushInput {
  runId: string;
  shop: string;
  file: string;
  text: string | Uint8Array;
  locationId: string;
  includeDuplicateSkus: boolean;
  dryRun: boolean;
}

const STALE = new Set(['CHANGE_FROM_QUANTITY_STALE', 'COMPARE_QUANTITY_STALE']);
/** SKUs per search query (`sku:"A" OR sku:"B" …`). */
const SKUS_PER_SEARCH = 50;

export async function pushStock(deps: Deps, options: PushOptions): Promise<PushSummary> {
  const text = options.bytes;
  const store = await connectStore(deps, { requireScopes: ['read_inventory', 'write_inventory'] });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const locationId = settings.fulfillmentLocation;
  if (!locationId) {
    throw new ConfigError('fulfillment-location is not set: inventory push sets stock at that location', {
      hint: "dsync config set fulfillment-location 'Acme 3PL'   (see `dsync locations list`)",
    });
  }
  // Two pushes to one store never interleave their reads and writes; a dry run writes nothing.
  const lock = options.dryRun
    ? undefined
    : await (await deps.state()).lock(store.shop, {
        name: 'inventory-push',
        command: 'inventory push',
        now: deps.clock.now(),
      });
  try {
    return await runPush(
      { client: store.client, signal: deps.signal, crashAt: deps.crashAt },
      {
        runId: newRunId(deps.clock.now()),
        shop: store.shop,
        file: basename(options.file),
        text,
        locationId,
        includeDuplicateSkus: settings.includeDuplicateSkus,
        dryRun: options.dryRun,
      },
    );
  } finally {
    await lock?.release();
  }
}

/** `20261120T120000Z-3f9a1c`: sortable, unique enough to name one push in Shopify's history. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function runPush(io: PushIo, input: PushInput): Promise<PushSummary> {
  const counted = countingClient(io.client);
  const request = counted.request;
  const newKey = io.newKey ?? randomUUID;

  // Read: the file, then the location's levels in one paginated scan.
  const stock = parseStockFile(input.file, input.text);
  const { name: locationName, levels } = await readLevels(request, input.locationId, io.signal);
  const found = await lookUpSkus(request, skusToLookUp(stock.rows, levels), input.locationId, io.signal);
  await nameSharedVariants(request, stock.rows, levels, input.locationId, io.signal);

  // Decide.
  const plan = planPush({
    file: input.file,
    shop: input.shop,
    locationName,
    rows: stock.rows,
    levels,
    found,
    includeDuplicateSkus: input.includeDuplicateSkus,
  });
  const problems = [...stock.errors, ...plan.problems];
  const diff: DiffEntry[] = [];
  let unchanged = plan.unchanged.length;
  let retried = 0;

  // Send.
  if (input.dryRun) {
    for (const change of plan.changes) diff.push(entry(change, 'planned'));
  } else {
    for (const batch of batches(plan.changes, SET_QUANTITIES_MAX)) {
      const outcome = await sendBatch(request, batch, input, newKey, io.signal);
      io.crashAt?.('inventory.applied');
      retried += outcome.retried;
      unchanged += outcome.nowUnchanged;
      for (const { change, readBefore } of outcome.applied) diff.push(entry(change, 'set', readBefore));
      for (const { change, message } of outcome.failed) {
        diff.push(entry(change, 'failed'));
        problems.push({ file: input.file, line: change.line, field: 'quantity', message });
      }
    }
  }

  // Report.
  problems.sort((a, b) => a.line - b.line);
  const failedLines = new Set(problems.map((p) => p.line));
  return {
    runId: input.runId,
    shop: input.shop,
    file: input.file,
    location: { id: input.locationId, name: locationName },
    dryRun: input.dryRun,
    rows: new Set([...stock.rows.map((r) => r.line), ...stock.errors.map((e) => e.line)]).size,
    changed: diff.filter((d) => d.status !== 'failed').length,
    unchanged,
    failed: failedLines.size,
    skippedDuplicates: plan.duplicates.length,
    retried,
    requests: counted.counts,
    problems,
    duplicates: plan.duplicates,
    diff,
  };
}

function entry(change: Change, status: DiffEntry['status'], readBefore?: number): DiffEntry {
  return {
    line: change.line,
    sku: change.sku,
    inventoryItemId: change.itemId,
    variant: change.variant,
    current: change.current,
    new: change.target,
    delta: change.target - change.current,
    status,
    ...(readBefore !== undefined ? { readBefore } : {}),
  };
}

type Request = AdminClient['request'];

/** The client, counting the reads and writes it sends (for the summary and the benchmark). */
function countingClient(client: Pick<AdminClient, 'request'>) {
  const counts = { reads: 0, writes: 0 };
  const request: Request = (operation, variables, options) => {
    if ((operation as Operation<unknown, unknown>).kind === 'mutation') counts.writes++;
    else counts.reads++;
    return client.request(operation, variables, options);
  };
  return { counts, request };
}

async function readLevels(
  request: Request,
  locationId: string,
  signal: AbortSignal | undefined,
): Promise<{ name: string; levels: LevelAtLocation[] }> {
  const levels: LevelAtLocation[] = [];
  let after: string | null = null;
  let name = '';
  for (;;) {
    const result: GraphQLResult<LocationLevelsData> = await request(
      LocationLevels,
      { locationId, after },
      { signal },
    );
    const data = result.data;
    if (!data.location) {
      throw new ConfigError(`the fulfillment location ${locationId} does not exist in the store`, {
        hint: "pick another: dsync config set fulfillment-location 'Acme 3PL'   (see `dsync locations list`)",
      });
    }
    name = data.location.name;
    for (const node of data.location.inventoryLevels.nodes) {
      levels.push({
        itemId: node.item.id,
        sku: node.item.sku,
        tracked: node.item.tracked,
        available: quantityOf(node.quantities, 'available'),
        variant: null,
      });
    }
    const page = data.location.inventoryLevels.pageInfo;
    if (!page.hasNextPage || !page.endCursor) return { name, levels };
    after = page.endCursor;
  }
}

export function quantityOf(quantities: readonly { name: string; quantity: number }[], name: string): number {
  return quantities.find((q) => q.name === name)?.quantity ?? 0;
}

/** `sku:"A" OR sku:"B"`: Shopify's search syntax, quotes and backslashes escaped. */
export function skuQuery(skus: readonly string[]): string {
  return skus.map((sku) => `sku:"${sku.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(' OR ');
}

/** What a SKU search finds for the SKUs the location does not stock (usually none, or a few). */
async function lookUpSkus(
  request: Request,
  skus: string[],
  locationId: string,
  signal: AbortSignal | undefined,
): Promise<ItemFound[]> {
  const found: ItemFound[] = [];
  for (const group of batches(skus, SKUS_PER_SEARCH)) {
    const wanted = new Set(group);
    let after: string | null = null;
    for (;;) {
      const result: GraphQLResult<InventoryItemsBySkuData> = await request(
        InventoryItemsBySku,
        { query: skuQuery(group), locationId, after },
        { signal },
      );
      const data = result.data;
      for (const item of data.inventoryItems.nodes) {
        // The search may match more loosely than Shopify's case-sensitive SKUs: keep exact matches.
        if (item.sku === null || !wanted.has(item.sku)) continue;
        found.push({
          itemId: item.id,
          sku: item.sku,
          tracked: item.tracked,
          variant: item.variant,
          stockedAtLocation: item.inventoryLevel !== null,
        });
      }
      const page = data.inventoryItems.pageInfo;
      if (!page.hasNextPage || !page.endCursor) break;
      after = page.endCursor;
    }
  }
  return found;
}

/**
 * Names the variants of the items whose SKU the file asks for and that are shared or untracked
 * (for the warning that lists them); fills `variant` in place.
 */
async function nameSharedVariants(
  request: Request,
  rows: readonly { value: StockRow }[],
  levels: LevelAtLocation[],
  locationId: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const asked = new Set(rows.map((r) => r.value.sku));
  const wanted = [...bySku(levels)]
    .filter(([sku]) => asked.has(sku))
    .flatMap(([, items]) => (items.length > 1 ? items : items.filter((i) => !i.tracked)));
  if (wanted.length === 0) return;
  const fresh = await readItems(
    request,
    wanted.map((i) => i.itemId),
    locationId,
    signal,
  );
  for (const item of wanted) item.variant = fresh.get(item.itemId)?.variant ?? null;
}

interface ItemNow {
  variant: VariantRef | null;
  /** `available` at the location now; null when the item is no longer stocked there. */
  available: number | null;
}

async function readItems(
  request: Request,
  ids: string[],
  locationId: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, ItemNow>> {
  const out = new Map<string, ItemNow>();
  for (const group of batches(ids, ITEMS_BY_ID_MAX)) {
    const { data } = await request(InventoryItemsAvailable, { ids: group, locationId }, { signal });
    for (const node of data.nodes) {
      if (!node) continue;
      out.set(node.id, {
        variant: node.variant,
        available: node.inventoryLevel ? quantityOf(node.inventoryLevel.quantities, 'available') : null,
      });
    }
  }
  return out;
}

interface BatchOutcome {
  applied: { change: Change; readBefore?: number }[];
  failed: { change: Change; message: string }[];
  retried: number;
  nowUnchanged: number;
}

/**
 * Sends one batch. A stale compare-and-swap (Shopify's quantity moved since the read) re-reads
 * those items and sends them once more, rebased on the new quantity; a second stale answer fails
 * the row. Other user errors fail their rows. When Shopify applied nothing (it refuses the whole
 * request on any user error), the rest of the batch is sent again under a fresh key.
 */
async function sendBatch(
  request: Request,
  batch: Change[],
  input: PushInput,
  newKey: () => string,
  signal: AbortSignal | undefined,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { applied: [], failed: [], retried: 0, nowUnchanged: 0 };
  const firstRead = new Map<Change, number>();
  const rebased = new Set<string>();
  let pending = batch;
  // Each round either applies the batch or removes at least one entry (failed or rebased once).
  for (let round = 0; pending.length > 0; round++) {
    if (round > batch.length + 1) {
      for (const change of pending)
        outcome.failed.push({ change, message: 'Shopify kept refusing the batch; run the push again' });
      break;
    }
    const { data } = await request(
      InventorySetAvailable,
      {
        input: {
          name: 'available',
          reason: 'correction',
          referenceDocumentUri: `dsync://inventory-push/${input.runId}`,
          quantities: pending.map((c) => ({
            inventoryItemId: c.itemId,
            locationId: input.locationId,
            quantity: c.target,
            changeFromQuantity: c.current,
          })),
        },
      },
      { idempotencyKey: newKey(), signal },
    );
    const payload = data.inventorySetQuantities;
    const errors = payload?.userErrors ?? [];
    if (payload && errors.length === 0) {
      for (const change of pending) outcome.applied.push({ change, readBefore: firstRead.get(change) });
      break;
    }
    const applied = payload?.inventoryAdjustmentGroup != null;
    const byIndex = new Map<number, { message: string; code: string | null }>();
    const general: string[] = [];
    for (const error of errors) {
      const index =
        error.field?.[0] === 'input' && error.field[1] === 'quantities' ? Number(error.field[2]) : NaN;
      if (Number.isInteger(index) && pending[index]) byIndex.set(index, error);
      else general.push(error.message);
    }
    if (!payload || general.length > 0) {
      const message = general.join('; ') || 'Shopify returned no result';
      for (const change of pending) outcome.failed.push({ change, message });
      break;
    }
    const stale: Change[] = [];
    const next: Change[] = [];
    pending.forEach((change, index) => {
      const error = byIndex.get(index);
      if (!error) {
        if (applied) outcome.applied.push({ change, readBefore: firstRead.get(change) });
        else next.push(change);
      } else if (error.code !== null && STALE.has(error.code) && !rebased.has(change.itemId)) {
        stale.push(change);
      } else if (error.code !== null && STALE.has(error.code)) {
        outcome.failed.push({
          change,
          message: 'the quantity changed in Shopify again while it was being set; run the push again',
        });
      } else {
        outcome.failed.push({ change, message: error.message });
      }
    });
    if (stale.length > 0) {
      const now = await readItems(
        request,
        stale.map((c) => c.itemId),
        input.locationId,
        signal,
      );
      for (const change of stale) {
        rebased.add(change.itemId);
        outcome.retried++;
        const fresh = now.get(change.itemId)?.available;
        if (fresh === null || fresh === undefined) {
          outcome.failed.push({ change, message: 'the item is no longer stocked at the location' });
          continue;
        }
        const again = rebase(change, fresh);
        if (again === null) {
          outcome.nowUnchanged++;
          continue;
        }
        firstRead.set(again, firstRead.get(change) ?? change.current);
        next.push(again);
      }
    }
    pending = next;
  }
  return outcome;
}
