// Following delivered orders, at the Standard plan's throttle (restore 100/s, bucket 2000): what
// one cron run costs when the ledger follows BENCH_FOLLOW_ORDERS delivered, unshipped orders
// (default 5,000, the issue's figure; BENCH_FOLLOW_ORDERS=300 makes a quick run) and the
// merchant changed 50 of them through the Admin API since the last run. Then the same run again
// with nothing changed.
//
// Setup (not measured): settings that let most unfulfilled orders in (accept-orders-after 100d:
// the whole 90 days the store spans, the token has read_all_orders; financial-status every status
// but refunded, voided and expired), a store seeded large enough, and a first `dsync import
// --out`. Then a previous cron run after one unrelated merchant change (a note on a shipped
// order), at least the 2-minute overlap after the store was seeded, so the checkpoint is where a
// store in use has it and the measured run's overlap is that of a live store.
//
// Yardstick: what reading one followed order in full costs, measured with dsync's own
// OrdersDetail query (7 orders a request, as the import sends it) on 70 delivered orders,
// through a token of its own.
//
// Measured: 50 merchant changes (cancellations, address updates, holds, moves, refunds, quantity
// edits, new orders) through the merchant's own token (another app: its own throttle bucket),
// dsync's bucket full again, then ONE `dsync import --out <dir> --json`. It passes when it reads
// on the order of the changed orders, not the followed ones: orders read ≤ 3 × changes + the
// checkpoint overlap (orders already updated in the 2 minutes before the checkpoint, counted
// before the changes), and its actual cost ≤ reading that many orders in full.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { merchant } from './lib/merchant.js';
import { dsyncEnv, root, runCli, runDsync, startSandbox, tempDir } from './lib/support.js';

const target = Number(process.env.BENCH_FOLLOW_ORDERS ?? 5_000);
const plan = process.env.BENCH_FOLLOW_PLAN ?? 'standard';
// With the settings below about 38% of the seeded orders are delivered (not cancelled, 85/97 of
// financial statuses, 46% unfulfilled); 35% leaves a margin.
const seeded = Number(process.env.BENCH_FOLLOW_SEEDED ?? Math.ceil(target / 0.35));
const FINANCIAL = 'paid,pending,authorized,partially_paid,partially_refunded';
const OVERLAP_MS = 2 * 60_000;
/** The 50 changes: how many of each. */
const MIX = { cancel: 8, address: 8, hold: 8, move: 6, refundAll: 4, refundOne: 4, edit: 8, create: 4 };
const CHANGES = Object.values(MIX).reduce((a, b) => a + b, 0);

const { LOCATION_IDS } = await import(join(root, 'dist', 'sandbox', 'data', 'seed.js'));
const { ALL_SANDBOX_SCOPES } = await import(join(root, 'dist', 'sandbox', 'index.js'));
const { OrdersDetail, ORDERS_DETAIL_BATCH } = await import(
  join(root, 'dist', 'shopify', 'operations', 'orders.js')
);
const WAREHOUSE = `gid://shopify/Location/${LOCATION_IDS.warehouse}`;
const STORE = `gid://shopify/Location/${LOCATION_IDS.store}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const seconds = (ms) => Number((ms / 1000).toFixed(1));

/** Waits until dsync's throttle bucket is full (a 1-point `shop` query reads its status). */
async function waitForFullBucket(dsync, limits) {
  for (;;) {
    const { extensions } = await dsync.request('query S { shop { name } }');
    const { currentlyAvailable, maximumAvailable } = extensions.cost.throttleStatus;
    if (currentlyAvailable >= maximumAvailable - 1) return currentlyAvailable;
    await sleep(((maximumAvailable - currentlyAvailable) / limits.restoreRate) * 1000 + 100);
  }
}

/**
 * The actual cost of reading an order in full: dsync's OrdersDetail query, in the batches the
 * import sends, over `ids`, paced on the bucket of the token `reader` uses.
 */
async function fullReadCostPerOrder(reader, ids, limits) {
  let actual = 0;
  for (let i = 0; i < ids.length; i += ORDERS_DETAIL_BATCH) {
    const { extensions } = await reader.request(OrdersDetail.document, {
      ids: ids.slice(i, i + ORDERS_DETAIL_BATCH),
      local: false,
    });
    actual += extensions.cost.actualQueryCost;
    const { currentlyAvailable } = extensions.cost.throttleStatus;
    const next = extensions.cost.requestedQueryCost;
    if (currentlyAvailable < next)
      await sleep(((next - currentlyAvailable) / limits.restoreRate) * 1000 + 100);
  }
  return actual / ids.length;
}

/** The order.created documents of a run's --out directory, in a fixed pseudo-random order. */
function deliveredDocuments(dir) {
  const docs = readdirSync(dir)
    .filter((f) => f.includes('.order.created.') && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).order);
  let state = 1;
  const next = () => {
    state = (state * 48_271) % 2_147_483_647;
    return state;
  };
  return docs
    .map((doc) => [next(), doc])
    .sort((a, b) => a[0] - b[0])
    .map(([, doc]) => doc);
}

/**
 * Events in a --out directory, by type, and for each kind of change what its orders got
 * (`order.withdrawn:no_lines`, …, or `none`).
 */
function eventFiles(dir, changedOrders) {
  const byType = {};
  const byOrder = new Map();
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const event = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    byOrder.set(event.order.id, `${event.type}${event.reason ? `:${event.reason}` : ''}`);
  }
  const byChange = {};
  for (const [id, kind] of changedOrders) {
    const got = byOrder.get(id) ?? 'none';
    byChange[kind] ??= {};
    byChange[kind][got] = (byChange[kind][got] ?? 0) + 1;
  }
  return { byType, byChange };
}

/** The 50 changes, each on an order of its own; a change the store refuses moves to the next candidate. */
async function makeChanges(shop, docs) {
  const used = new Set();
  const done = Object.fromEntries(Object.keys(MIX).map((k) => [k, 0]));
  const changedOrders = new Map();
  const refused = {};
  const nonServiceFo = (doc) => {
    if (doc.fulfillmentOrderIds.length !== 1) return undefined;
    const lines = doc.lines;
    if (lines.length === 0 || lines.some((l) => l.locationId !== WAREHOUSE && l.locationId !== STORE))
      return undefined;
    return { id: doc.fulfillmentOrderIds[0], at: lines[0].locationId };
  };
  const apply = async (kind, fits, change) => {
    for (const doc of docs) {
      if (done[kind] >= MIX[kind]) return;
      // Orders the warehouse has something to ship on (exclude-empty-orders is off: orders of
      // gift cards only are delivered too, with no lines).
      if (used.has(doc.id) || doc.lines.length === 0 || !fits(doc)) continue;
      used.add(doc.id);
      try {
        await change(doc);
        done[kind] += 1;
        changedOrders.set(doc.id, kind);
      } catch {
        refused[kind] = (refused[kind] ?? 0) + 1;
      }
    }
  };
  const paid = (doc) => doc.financialStatus === 'PAID';
  const units = (doc) => doc.lines.reduce((n, l) => n + l.quantity, 0);
  await apply(
    'cancel',
    () => true,
    (doc) => shop.cancel(doc.id),
  );
  await apply(
    'address',
    () => true,
    (doc) => shop.updateAddress(doc.id, `${doc.legacyId} New Street`),
  );
  await apply(
    'hold',
    (doc) => nonServiceFo(doc) !== undefined,
    (doc) => shop.hold(nonServiceFo(doc).id),
  );
  await apply(
    'move',
    (doc) => nonServiceFo(doc) !== undefined,
    (doc) => {
      const fo = nonServiceFo(doc);
      return shop.move(fo.id, fo.at === WAREHOUSE ? STORE : WAREHOUSE);
    },
  );
  await apply('refundAll', paid, async (doc) => {
    const order = await shop.order(doc.id);
    await shop.refund(
      doc.id,
      order.lineItems.nodes.map((l) => ({ lineItemId: l.id, quantity: l.quantity })),
    );
  });
  await apply(
    'refundOne',
    (doc) => paid(doc) && units(doc) >= 2,
    (doc) => shop.refund(doc.id, [{ lineItemId: doc.lines[0].lineItemId, quantity: 1 }]),
  );
  await apply(
    'edit',
    (doc) => doc.lines.some((l) => l.quantity >= 2),
    (doc) => {
      const line = doc.lines.find((l) => l.quantity >= 2);
      return shop.setQuantity(doc.id, line.lineItemId, line.quantity - 1);
    },
  );
  const variants = await shop.physicalVariants();
  for (let k = 0; k < MIX.create; k++) {
    const created = await shop.createOrder({
      lineItems: variants.slice(2 * k, 2 * k + 2).map((v) => ({ variantId: v.id, quantity: 1 })),
      financialStatus: 'PAID',
      email: `new-${k}@example.com`,
    });
    done.create += 1;
    changedOrders.set(created.order.id, 'create');
  }
  return { done, refused, changedOrders };
}

/** The figures of one run. */
function runFigures(run) {
  const s = run.summary;
  return {
    seconds: Number((run.ms / 1000).toFixed(2)),
    ordersRead: s.fetched,
    requests: s.requests,
    requestedCost: s.requestedCost,
    actualCost: s.actualCost,
    events: {
      created: s.created,
      updated: s.updated,
      cancelled: s.cancelled,
      onHold: s.onHold,
      withdrawn: s.withdrawn,
      released: s.released,
    },
    unchanged: s.unchanged,
    skipped: s.skippedTotal,
    shipped: s.shipped,
    errors: s.errors.length,
    followed: s.followed,
    peakRssMb: run.peakRssMb,
  };
}

const startedAt = Date.now();
const { sandbox, limits } = await startSandbox({ orders: seeded, plan });
const seededAt = Date.now();
const config = tempDir('dsync-bench-follow-');
try {
  const env = dsyncEnv(sandbox, config.dir);
  const shop = merchant(
    sandbox,
    sandbox.tokens.issue({ clientId: sandbox.clientId, scopes: [...ALL_SANDBOX_SCOPES] }).accessToken,
  );
  const shopAsDsync = merchant(sandbox, sandbox.accessToken);
  for (const [key, value] of [
    ['accept-orders-after', '100d'],
    ['financial-status', FINANCIAL],
  ]) {
    const set = await runCli(['config', 'set', key, value], env);
    if (set.code !== 0) throw new Error(`config set ${key}: ${set.stderr}`);
  }

  // Setup: the first import delivers the orders the ledger then follows.
  const out = (name) => join(config.dir, name);
  const setup = await runDsync(['import', '--out', out('setup'), '--json'], env, { summaryOnStdout: true });
  const followed = setup.summary.followed;
  if (followed < target) {
    throw new Error(
      `the setup import left ${followed} orders followed, fewer than ${target}: raise BENCH_FOLLOW_SEEDED (now ${seeded})`,
    );
  }
  // A previous cron run, after one unrelated change, moves the checkpoint past the seeded
  // store's start (at least the overlap later, so those orders are out of the next window).
  await sleep(Math.max(0, seededAt + OVERLAP_MS + 5_000 - Date.now()));
  const shippedOrder = await shop.firstOrder('fulfillment_status:shipped');
  await shop.note(shippedOrder, 'gift wrap next time');
  await waitForFullBucket(shopAsDsync, limits);
  const previous = await runDsync(['import', '--out', out('previous'), '--json'], env, {
    summaryOnStdout: true,
  });
  const checkpoint = Date.parse(previous.summary.checkpoint);
  const overlap = await shop.count(`updated_at:>='${iso(checkpoint - OVERLAP_MS)}'`);

  const docs = deliveredDocuments(out('setup'));
  const fullReadCost = await fullReadCostPerOrder(
    merchant(
      sandbox,
      sandbox.tokens.issue({ clientId: sandbox.clientId, scopes: [...ALL_SANDBOX_SCOPES] }).accessToken,
    ),
    docs.slice(-70).map((doc) => doc.id),
    limits,
  );

  // The merchant's 50 changes, then a full bucket, then the measured run.
  const changesStarted = Date.now();
  const { done, refused, changedOrders } = await makeChanges(shop, docs);
  const changesMs = Date.now() - changesStarted;
  const changed = Object.values(done).reduce((a, b) => a + b, 0);
  // The merchant's token has a bucket of its own: dsync's is full once what the previous run
  // drained has come back (at most 2000 / 100 = 20 s).
  const bucketBefore = await waitForFullBucket(shopAsDsync, limits);
  const cron = await runDsync(['import', '--out', out('cron'), '--json'], env, { summaryOnStdout: true });
  // The same run with nothing changed, from a full bucket again.
  await waitForFullBucket(shopAsDsync, limits);
  const idle = await runDsync(['import', '--out', out('idle'), '--json'], env, { summaryOnStdout: true });

  // What re-reading every followed order would cost, at the setup run's actual cost per delivered
  // order (the bulk query itself is free: that cost is the orders read in full).
  const files = eventFiles(out('cron'), changedOrders);
  const readBound = 3 * changed + overlap;
  const costBound = Math.round(readBound * fullReadCost);
  const result = {
    name: 'import-follow',
    plan,
    seededOrders: seeded,
    followed,
    changes: changed,
    changesByKind: done,
    changesRefused: refused,
    changesSeconds: seconds(changesMs),
    checkpointOverlap: overlap,
    bucketBefore,
    cron: { ...runFigures(cron), eventFiles: files.byType },
    eventsByChange: files.byChange,
    idle: runFigures(idle),
    readBound,
    costBound,
    fullReadCostPerOrder: Number(fullReadCost.toFixed(1)),
    reReadAllCost: Math.round(followed * fullReadCost),
    costShareOfReReadAll: Number((cron.summary.actualCost / (followed * fullReadCost)).toFixed(4)),
    setup: {
      seconds: seconds(setup.ms),
      mode: setup.summary.mode,
      ordersRead: setup.summary.fetched,
      delivered: setup.summary.created,
      requests: setup.summary.requests,
      requestedCost: setup.summary.requestedCost,
      actualCost: setup.summary.actualCost,
      peakRssMb: setup.peakRssMb,
    },
    previousRun: runFigures(previous),
    totalSeconds: seconds(Date.now() - startedAt),
  };
  result.pass =
    changed === CHANGES &&
    cron.summary.errors.length === 0 &&
    cron.summary.fetched <= readBound &&
    cron.summary.actualCost <= costBound &&
    cron.summary.fetched >= changed;
  const e = result.cron.events;
  console.log(
    `import-follow (${plan}): ${followed} followed, ${changed} changes; cron run read ${result.cron.ordersRead} orders ` +
      `(bound ${readBound} = 3 × ${changed} + overlap ${overlap}) in ${result.cron.seconds}s, ${result.cron.requests} requests, ` +
      `${result.cron.requestedCost} requested / ${result.cron.actualCost} actual cost (bound ${costBound}; ` +
      `re-reading every followed order ≈ ${result.reReadAllCost}); events: ${e.created} created, ${e.updated} updated, ` +
      `${e.cancelled} cancelled, ${e.onHold} on hold, ${e.withdrawn} withdrawn, ${e.released} released; ` +
      `nothing changed: ${result.idle.ordersRead} read in ${result.idle.seconds}s, ${result.idle.actualCost} actual cost; ` +
      `setup: ${result.setup.delivered} delivered in ${result.setup.seconds}s`,
  );
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
} finally {
  await sandbox.stop();
  config.cleanup();
}
