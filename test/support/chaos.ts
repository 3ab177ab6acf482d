import type { SandboxData } from '../../src/sandbox/index.js';
import type { CliResult } from './cli.js';

/**
 * Running a command under faults until it succeeds, as cron would: every run is a fresh process,
 * and a run that fails is simply run again.
 */

/** The client's timeout in the chaos runs, and the mix's slow answers just past it. */
export const CHAOS_HTTP_TIMEOUT_MS = 2000;
export const CHAOS_SLOW_MS = 2600;

/** The fault mix of the chaos tests: 10% of requests, every kind, slow answers past the timeout. */
export function chaosMix(seed: number, rate = 0.1): string {
  return `mix:rate=${rate}:seed=${seed}:slow-ms=${CHAOS_SLOW_MS}`;
}

export interface Attempts {
  codes: (number | null)[];
  last: CliResult;
}

/**
 * Runs `run` until it exits 0. Exit codes 1 (error) and 3 (partial failure) mean "run it again";
 * anything else (usage, authentication, lock) is not what faults should cause and ends the loop.
 */
export async function untilSuccess(run: () => Promise<CliResult>, maxAttempts: number): Promise<Attempts> {
  const codes: (number | null)[] = [];
  for (;;) {
    const last = await run();
    codes.push(last.code);
    if (process.env.DSYNC_CHAOS_VERBOSE)
      process.stderr.write(`--- exit ${last.code}\n${last.stderr}\n${last.stdout.slice(0, 1500)}\n`);
    if (last.code === 0) return { codes, last };
    if ((last.code !== 1 && last.code !== 3) || codes.length >= maxAttempts) {
      throw new Error(
        `gave up after ${codes.length} runs (exit codes ${codes.join(', ')})\nstderr of the last:\n${last.stderr}`,
      );
    }
  }
}

/**
 * `count` open orders whose fulfillment order at `locationId` is submitted to the fulfillment
 * service and untouched, with no fulfillment yet (chosen from the seed, for shipping files).
 */
export function shippable(
  data: SandboxData,
  count: number,
  locationId: number,
): { id: string; name: string }[] {
  const out: { id: string; name: string }[] = [];
  for (const order of data.orders) {
    if (order.cancelledAt !== null || order.fulfillmentIds.length > 0) continue;
    const fo = data.fulfillmentOrdersOf(order).find((f) => f.locationId === locationId);
    if (fo?.status !== 'OPEN' || fo.requestStatus !== 'SUBMITTED') continue;
    if (fo.lineItems.some((l) => l.remainingQuantity !== l.totalQuantity)) continue;
    const skus = fo.lineItems.map((l) => order.lineItems.find((x) => x.id === l.lineItemId)?.sku ?? '');
    // CAP-TRAIL is not stocked at the 3PL in the seed.
    if (skus.some((sku) => sku === '' || sku === 'CAP-TRAIL')) continue;
    out.push({ id: `gid://shopify/Order/${order.id}`, name: order.name });
    if (out.length === count) break;
  }
  return out;
}
