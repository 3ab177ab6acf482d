import { readSettings } from '../../core/config/settings.js';
import { ACCEPT_ORDERS_AFTER_UNSET } from '../../core/config/setting-docs.js';
import type { Deps } from '../../core/deps.js';
import { ConfigError } from '../../core/errors.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { ShopGrantedScopes } from '../../shopify/operations/shop.js';
import { VERSION } from '../../version.js';
import { expandImplied, FULFILLMENT_ORDER_KINDS } from '../auth/scopes.js';
import { connectStore } from '../connect.js';
import { acceptDeliveredRequests } from '../requests/index.js';
import { bulkSource } from './bulk.js';
import { CHECKPOINT_KEY, type ImportProgress, type ImportSummary, runImport } from './run.js';
import type { SelectionSettings } from './select.js';
import { resolveSelectionSettings } from './settings.js';
import {
  type OutputFormat,
  outDirSink,
  type Sink,
  type SinkEvent,
  stdoutSink,
  webhookSink,
} from './sinks.js';
import { type ImportWindow, resolveWindow, SIXTY_DAYS_MS, type SinceOption } from './window.js';

export interface ImportOptions {
  since: SinceOption;
  until: Date | undefined;
  out: string | undefined;
  webhook: string | undefined;
  format: OutputFormat;
  dryRun: boolean;
  /** true: always bulk; false: never; undefined: bulk for large windows. */
  bulk: boolean | undefined;
  /** Give up on a bulk export that has not finished after this long and page instead (default 3 h). */
  bulkTimeoutMs?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Notes for the user (stderr). */
  note?: (message: string) => void;
  /** Told before each wait of the API client (rate limit, retry). */
  onWait?: (wait: { ms: number; reason: 'rate_limit' | 'retry' }) => void;
}

export interface ImportResult {
  summary: ImportSummary;
  sink: Sink['kind'];
  ledger: string;
  clampedFrom: string | null;
}

type ConnectedStore = Awaited<ReturnType<typeof connectStore>>;

/** What an import and a resend both work with: the store, its settings, its ledger, under its lock. */
export interface ImportContext {
  store: ConnectedStore;
  settings: ReturnType<typeof readSettings>;
  selection: SelectionSettings;
  ledger: Ledger;
}

/**
 * Connects to the store, takes its import lock (not for a dry run), opens its ledger and
 * resolves the selection settings; runs `work`, then closes the ledger and releases the lock.
 */
export async function withImportContext<T>(
  deps: Deps,
  options: {
    dryRun: boolean;
    note?: (message: string) => void;
    onWait?: (wait: { ms: number; reason: 'rate_limit' | 'retry' }) => void;
  },
  work: (context: ImportContext) => Promise<T>,
): Promise<T> {
  const store = await connectStore(deps, {
    requireScopes: ['read_orders'],
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const granted = store.tokenSource === 'env' ? undefined : store.profile?.auth?.scopes;
  if (granted) {
    // A missing fulfillment-order scope does not fail a query: those fulfillment orders are
    // silently absent, and their lines would be missing from the documents.
    const held = expandImplied(granted);
    const lacking = FULFILLMENT_ORDER_KINDS.map((kind) => `read_${kind}_fulfillment_orders`).filter(
      (s) => !held.has(s),
    );
    if (lacking.length > 0) {
      options.note?.(
        `the token lacks ${lacking.join(', ')}: fulfillment orders of that kind are invisible to dsync and their lines will be missing (see \`dsync auth status\`)`,
      );
    }
  }
  const state = await deps.state();
  const lock = options.dryRun
    ? undefined
    : await state.lock(store.shop, { command: 'import', now: deps.clock.now() });
  try {
    const ledger = await state.openLedger(store.shop);
    try {
      const selection = await resolveSelectionSettings(
        settings,
        store.client,
        deps.clock.now(),
        store.shop,
        deps.signal,
      );
      return await work({ store, settings, selection, ledger });
    } finally {
      await ledger.close();
    }
  } finally {
    await lock?.release();
  }
}

/**
 * `dsync import`: runs the import against the store's ledger with the chosen sink, under the
 * store's import lock.
 */
export async function importOrders(deps: Deps, options: ImportOptions): Promise<ImportResult> {
  return withImportContext(deps, options, async ({ store, settings, selection, ledger }) => {
    const window = await windowFor(
      deps,
      store,
      options,
      selection.acceptOrdersAfter,
      await ledger.getMeta(CHECKPOINT_KEY),
    );
    if (window.clampedFrom) {
      options.note?.(
        `accept-orders-after (${window.clampedFrom.toISOString()}) is more than 60 days back and the token lacks read_all_orders: importing orders created since ${window.createdAfter.toISOString()}`,
      );
    }
    if (window.source === 'first-run' && !settings.acceptOrdersAfter) {
      options.note?.(
        `first run and accept-orders-after is not set: importing orders created in ${ACCEPT_ORDERS_AFTER_UNSET} (set it with \`dsync config set accept-orders-after 7d\`)`,
      );
    }
    const sink = await makeSink(deps, store.shop, options);
    const summary = await runImport(
      {
        shop: store.shop,
        client: store.client,
        ledger,
        clock: deps.clock,
        signal: deps.signal,
        sink,
        selection,
        bulk: bulkSource(store.client, ledger, deps, {
          note: options.note,
          ...(options.bulkTimeoutMs !== undefined ? { timeoutMs: options.bulkTimeoutMs } : {}),
          persist: !options.dryRun,
        }),
        onProgress: options.onProgress,
        crashAt: deps.crashAt,
      },
      {
        window,
        mode: options.bulk === true ? 'bulk' : options.bulk === false ? 'paging' : 'auto',
        dryRun: options.dryRun,
      },
    );
    if (
      !options.dryRun &&
      summary.stopped === null &&
      selection.serviceLocationId !== undefined &&
      settings.acceptFulfillmentRequests
    ) {
      // Only after the sink has the orders: a request is accepted for what the warehouse holds.
      try {
        summary.fulfillmentRequests = await acceptDeliveredRequests({
          client: store.client,
          ledger,
          clock: deps.clock,
          signal: deps.signal,
          locationId: selection.serviceLocationId,
        });
      } catch (error) {
        if (deps.signal.aborted) throw error;
        // The orders are delivered and recorded; the requests wait for the next run.
        summary.fulfillmentRequests = {
          accepted: 0,
          waiting: 0,
          failures: [{ orderName: '', fulfillmentOrderId: '', message: (error as Error).message }],
        };
      }
    }
    return {
      summary,
      sink: sink.kind,
      ledger: ledger.location,
      clampedFrom: window.clampedFrom?.toISOString() ?? null,
    };
  });
}

async function windowFor(
  deps: Deps,
  store: ConnectedStore,
  options: ImportOptions,
  acceptOrdersAfter: Date | undefined,
  checkpoint: string | undefined,
): Promise<ImportWindow> {
  const now = deps.clock.now();
  const needsOld =
    acceptOrdersAfter !== undefined && now.getTime() - acceptOrdersAfter.getTime() > SIXTY_DAYS_MS;
  let readAllOrders = false;
  if (needsOld) {
    const known = store.profile?.auth?.scopes;
    if (known && store.tokenSource !== 'env') readAllOrders = known.includes('read_all_orders');
    else {
      const { data } = await store.client.request(ShopGrantedScopes, {}, { signal: deps.signal });
      readAllOrders = data.currentAppInstallation.accessScopes.some((s) => s.handle === 'read_all_orders');
    }
  }
  return resolveWindow({
    since: options.since,
    until: options.until,
    checkpoint,
    acceptOrdersAfter,
    readAllOrders,
    now,
  });
}

/** The sink the flags name: a directory, a webhook, or stdout (always stdout for a dry run). */
export async function makeSink(
  deps: Deps,
  shop: string,
  options: Pick<ImportOptions, 'dryRun' | 'out' | 'webhook' | 'format' | 'note'>,
): Promise<Sink<SinkEvent>> {
  if (options.dryRun) return stdoutSink(deps.stdout, options.format);
  if (options.out !== undefined && options.webhook !== undefined) {
    throw new ConfigError('--out and --webhook cannot be used together', { hint: 'pick one sink per run' });
  }
  if (options.out !== undefined) return outDirSink(options.out, options.format);
  if (options.webhook !== undefined) {
    const secret = await webhookSecret(deps, shop, options.note);
    return webhookSink({
      url: options.webhook,
      dispatcher: await deps.dispatcher(),
      clock: deps.clock,
      signal: deps.signal,
      userAgent: `dsync/${VERSION}`,
      ...(secret === undefined ? {} : { secret }),
    });
  }
  return stdoutSink(deps.stdout, options.format);
}

/**
 * The store's `webhook-secret`, read once per run. Without one the bodies go unsigned, and the
 * run says so once. A keychain that cannot be read does not stop the run either (a machine
 * without a keychain that never set a secret must keep working): the bodies go unsigned, the
 * note says why, and a receiver that verifies signatures refuses them, which the run reports.
 */
async function webhookSecret(
  deps: Deps,
  shop: string,
  note: ((message: string) => void) | undefined,
): Promise<string | undefined> {
  let found: string | undefined;
  try {
    found = (await (await deps.secrets()).get(shop, 'webhook-secret'))?.value;
  } catch (error) {
    note?.(
      `webhook bodies are sent unsigned: the webhook-secret of ${shop} could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
    return undefined;
  }
  if (found === undefined || found === '') {
    note?.(
      `webhook bodies are sent unsigned: no webhook-secret is set for ${shop} (sign them with \`dsync config set webhook-secret -\`)`,
    );
    return undefined;
  }
  return found;
}
