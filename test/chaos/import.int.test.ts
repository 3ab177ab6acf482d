import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, scenario } from '../import/helpers.js';
import { CHAOS_HTTP_TIMEOUT_MS, chaosMix, untilSuccess } from '../support/chaos.js';
import { runCli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * `dsync import --out DIR` of a live store (the sandbox's activity keeps changing it) under a 10%
 * fault mix, run again until it exits 0 as cron would; then the activity stops, the faults stop,
 * and it runs once more. The warehouse's view, the files in DIR folded per order as a warehouse
 * applies them, must equal the view a fault-free import of the final store gives (a fresh ledger
 * and a second DIR).
 *
 * DSYNC_CHAOS_ORDERS sets the store's size (default 300, under a minute and a half on a loaded
 * two-CPU machine); DSYNC_CHAOS_ORDERS=5000 runs the full size.
 */
const ORDERS = Number(process.env.DSYNC_CHAOS_ORDERS ?? 300);
const MAX_RUNS = 60;
/** Successful imports while the store is live (cron runs), before the activity stops. */
const ROUNDS = 15;

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({
    orders: ORDERS,
    seed: 5,
    plan: 'plus',
    activity: { rate: '240/min', onChange: () => undefined },
  });
});
afterAll(async () => {
  await sandbox?.stop();
});

interface Delivered {
  event: Json;
  mtimeMs: number;
}

function readOut(dir: string): Delivered[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => ({
      event: JSON.parse(readFileSync(join(dir, name), 'utf8')),
      mtimeMs: statSync(join(dir, name)).mtimeMs,
    }));
}

/** What the warehouse holds to ship for one order: enough to ship it and to address it. */
function shippingView(order: Json): Json {
  return {
    name: order.name,
    shippingAddress: order.shippingAddress,
    shippingMethod: order.shippingMethod,
    lines: order.lines.map((l: Json) => `${l.fulfillmentOrderLineItemId} ${l.sku} × ${l.quantity}`).sort(),
  };
}

/**
 * The events folded per order, in the order they happened (the order's updatedAt, then arrival),
 * as a warehouse applies them: created/updated/released → to ship (this document);
 * on_hold, withdrawn, cancelled → not to ship now; cancellation_requested → as it was. The view is
 * what is to be shipped now (an order on hold is paused in one warehouse and unknown to the
 * other: neither ships it, and either ships it once it is released), order by order, line by line.
 */
function warehouseView(delivered: Delivered[]): Map<string, Json> {
  const byOrder = new Map<string, Delivered[]>();
  for (const d of delivered) {
    if (!d.event.order) continue;
    const list = byOrder.get(d.event.order.id) ?? [];
    list.push(d);
    byOrder.set(d.event.order.id, list);
  }
  const view = new Map<string, Json>();
  for (const [id, list] of byOrder) {
    list.sort((a, b) => a.event.occurredAt.localeCompare(b.event.occurredAt) || a.mtimeMs - b.mtimeMs);
    let state: Json;
    for (const { event } of list) {
      if (['order.created', 'order.updated', 'order.released'].includes(event.type))
        state = { ship: shippingView(event.order) };
      else if (['order.on_hold', 'order.withdrawn', 'order.cancelled'].includes(event.type))
        state = undefined;
    }
    // An order with no lines is nothing to ship, whether it came as an empty order.created (a
    // fresh import, exclude-empty-orders off) or as order.withdrawn (no_lines) after its lines went.
    if (state !== undefined && state.ship.lines.length > 0) view.set(id, state);
  }
  return view;
}

describe('dsync import of a live store under a 10% fault mix', () => {
  it(`(${ORDERS} orders) rerun until it succeeds: the warehouse's view equals a fault-free import of the final store`, async () => {
    const chaos = scenario(sandbox);
    const out = join(chaos.dir, 'spool');
    const env = { ...chaos.env, DSYNC_HTTP_TIMEOUT_MS: String(CHAOS_HTTP_TIMEOUT_MS) };
    const started = Date.now();
    sandbox.setFaults(chaosMix(7));
    let run = 0;
    // Rounds while the store is live: each runs the import until it exits 0 (odd runs through
    // bulk operations, even ones by paging, so both paths meet the faults).
    const codes: (number | null)[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const attempts = await untilSuccess(() => {
        run += 1;
        const mode = run % 2 === 1 ? '--bulk' : '--no-bulk';
        return runCli(['import', '--out', out, mode, '--json'], { env, timeoutMs: 300_000 });
      }, MAX_RUNS);
      codes.push(...attempts.codes);
      // The store keeps changing between cron runs.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const faults = sandbox.faults();
    sandbox.setFaults(undefined);
    await sandbox.stopActivity();
    const last = await runCli(['import', '--out', out, '--json'], { env, timeoutMs: 300_000 });
    expect(last.code, last.stdout + last.stderr).toBe(0);
    const chaosSeconds = (Date.now() - started) / 1000;
    const injected = Object.values(faults.injected).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(0);
    process.stderr.write(
      `chaos import of ${ORDERS} orders: ${codes.length + 1} runs (exit codes ${codes.join(',')},0) in ${chaosSeconds.toFixed(1)} s; ${faults.requests} GraphQL requests under faults, ${injected} faults injected ${JSON.stringify(faults.injected)}\n`,
    );

    // The same final store, imported once without faults from a fresh ledger.
    const clean = scenario(sandbox);
    const cleanOut = join(clean.dir, 'spool');
    const fresh = await runCli(['import', '--out', cleanOut, '--json'], {
      env: clean.env,
      timeoutMs: 300_000,
    });
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);

    const delivered = readOut(out);
    const got = warehouseView(delivered);
    const want = warehouseView(readOut(cleanOut));
    process.stderr.write(
      `${delivered.length} events delivered under faults; ${want.size} orders to ship in both views\n`,
    );
    expect(want.size).toBeGreaterThan(0);
    const differences: string[] = [];
    for (const id of new Set([...got.keys(), ...want.keys()])) {
      const a = JSON.stringify(got.get(id));
      const b = JSON.stringify(want.get(id));
      if (a !== b) differences.push(`${id}\n  chaos: ${a}\n  clean: ${b}`);
    }
    if (differences.length > 0) process.stderr.write(`kept for inspection: ${out} ${cleanOut}\n`);
    expect(differences.slice(0, 10).join('\n'), `${differences.length} orders differ`).toBe('');
    chaos.cleanup();
    clean.cleanup();
  }, 1_800_000);
});
