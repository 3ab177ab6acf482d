import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxData } from '../../src/sandbox/index.js';
import { type CliResult, runCli, tempConfigDir } from '../support/cli.js';
import type { TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: events are inspected field by field
export type Json = any;

export const SIXTY_DAYS = 60 * 86_400_000;

/** The sandbox location ids (src/sandbox/data/seed.ts). */
export const LOCATIONS = {
  warehouse: 70_000_000_001,
  store: 70_000_000_002,
  acme3pl: 70_000_000_004,
};

export interface ExpectSettings {
  financial?: string[];
  partial?: boolean;
  serviceLocation?: number;
  filterLocation?: number;
  excludeEmpty?: boolean;
}

/**
 * An independent statement of the import rules, read off the sandbox's own records: the order
 * names a run must deliver, each with its number of lines to ship.
 */
export function expectedImports(
  data: SandboxData,
  settings: ExpectSettings,
  now = Date.now(),
): Map<string, number> {
  const financial = (settings.financial ?? ['paid']).map((s) => s.toUpperCase());
  const out = new Map<string, number>();
  for (const order of data.orders) {
    if (order.cancelledAt !== null) continue;
    if (order.createdAt < now - SIXTY_DAYS + 60_000) continue;
    if (!financial.includes(order.financialStatus)) continue;
    const okFulfillment =
      order.fulfillmentStatus === 'UNFULFILLED' ||
      (settings.partial === true && order.fulfillmentStatus === 'PARTIALLY_FULFILLED');
    if (!okFulfillment) continue;
    let lines = 0;
    let atLocation = false;
    for (const foId of order.fulfillmentOrderIds) {
      const fo = data.fulfillmentOrders.get(foId);
      if (!fo || (fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS')) continue;
      if (settings.filterLocation !== undefined && fo.locationId !== settings.filterLocation) continue;
      atLocation = true;
      if (settings.serviceLocation !== undefined && fo.locationId !== settings.serviceLocation) continue;
      // At a fulfillment service, only work requested of it (and not given back) is its own.
      if (
        settings.serviceLocation !== undefined &&
        !['SUBMITTED', 'ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED'].includes(
          fo.requestStatus,
        )
      )
        continue;
      for (const li of fo.lineItems) {
        const item = order.lineItems.find((l) => l.id === li.lineItemId);
        if (!item?.requiresShipping || item.isGiftCard || li.remainingQuantity <= 0) continue;
        lines += 1;
      }
    }
    if (settings.filterLocation !== undefined && !atLocation) continue;
    if (lines === 0 && settings.excludeEmpty === true) continue;
    out.set(order.name, lines);
  }
  return out;
}

export function events(stdout: string): Json[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

export function byName(list: Json[]): Map<string, number> {
  return new Map(list.map((e) => [e.order.name as string, e.order.lines.length as number]));
}

/** A config dir of its own (settings, ledger, lock) for one scenario. */
export function scenario(sandbox: TestSandbox) {
  const config = tempConfigDir('dsync-import-');
  const env = sandbox.env({ configDir: config.dir });
  return {
    dir: config.dir,
    env,
    ledgerDir: join(config.dir, 'stores', sandbox.shop),
    cleanup: config.cleanup,
    run: (args: string[], timeoutMs = 60_000): Promise<CliResult> => runCli(args, { env, timeoutMs }),
    async set(key: string, value: string) {
      const result = await runCli(['config', 'set', key, value], { env });
      if (result.code !== 0) throw new Error(`config set ${key} failed: ${result.stderr}`);
    },
    /** Writes `text` to `name` in the scenario's dir and returns its path (a warehouse's file). */
    file(name: string, text: string): string {
      const path = join(config.dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** A scenario whose store ships from `location` (the write-back commands need it). */
export async function scenarioAt(sandbox: TestSandbox, location: string) {
  const s = scenario(sandbox);
  await s.set('fulfillment-location', location);
  return s;
}
