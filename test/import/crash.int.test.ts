import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLock } from '../../src/core/lock/lock.js';
import { startCli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { type Json, scenario } from './helpers.js';

/**
 * Crashes: the built CLI is killed with SIGKILL at named points (DSYNC_CRASH_AT, a testing aid)
 * and run again. The `--out` directory, the ledger and the checkpoint must then be what one
 * uninterrupted run against the same store leaves.
 */
let sandbox: TestSandbox;
beforeAll(async () => {
  // Over one page of 250 orders to import, so a run has several pages and checkpoints.
  sandbox = await startTestSandbox({ orders: 900, seed: 11, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** What a run leaves: the files of the out dir (name → bytes) and the ledger's rows, times aside. */
interface Outcome {
  files: Map<string, string>;
  orders: Json[];
  activity: string[];
  meta: Record<string, string>;
}

function ledgerRows(ledgerFile: string): Omit<Outcome, 'files'> {
  const db = new Database(ledgerFile, { readonly: true });
  try {
    const orders = db
      .prepare(
        `SELECT order_id, name, status, reason, message, delivered_hash, cancelled_delivered,
                order_updated_at, last_event, last_event_id, warehouse_state, warehouse_reason,
                failures, delivered_lines
         FROM orders ORDER BY order_id`,
      )
      .all() as Json[];
    const activity = (
      db.prepare('SELECT order_id, action, detail FROM activity').all() as {
        order_id: string;
        action: string;
        detail: string | null;
      }[]
    )
      .map((r) => `${r.order_id} ${r.action} ${r.detail ?? ''}`)
      .sort();
    const meta = Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [
        r.key,
        r.value,
      ]),
    );
    return { orders, activity, meta };
  } finally {
    db.close();
  }
}

function outcome(s: ReturnType<typeof scenario>, out: string): Outcome {
  const files = new Map<string, string>();
  if (existsSync(out))
    for (const name of readdirSync(out).sort()) files.set(name, readFileSync(join(out, name), 'utf8'));
  return { files, ...ledgerRows(join(s.ledgerDir, 'ledger.sqlite')) };
}

function delivered(o: Outcome): number {
  return o.orders.filter((r) => r.last_event_id !== null).length;
}

/** Runs the import once, killed at `crashAt`; returns what the crash left. */
async function crashed(s: ReturnType<typeof scenario>, args: string[], crashAt: string) {
  const run = startCli(args, { env: { ...s.env, DSYNC_CRASH_AT: crashAt }, timeoutMs: 120_000 });
  const result = await run.result;
  expect(result.signal, `${crashAt} was never reached: ${result.stderr}`).toBe('SIGKILL');
  return result;
}

/** A config dir that imports most of the store's orders (more than one page of 250). */
async function wide(): Promise<ReturnType<typeof scenario>> {
  const s = scenario(sandbox);
  await s.set('financial-status', 'paid,pending,authorized,partially_paid,partially_refunded');
  await s.set('include-partial-fulfillments', 'true');
  return s;
}

async function completed(s: ReturnType<typeof scenario>, args: string[]) {
  const result = await s.run(args, 120_000);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe('dsync import --out, killed and run again', () => {
  let reference: Outcome;
  beforeAll(async () => {
    const s = await wide();
    const out = join(s.dir, 'out');
    await completed(s, ['import', '--out', out, '--no-bulk']);
    reference = outcome(s, out);
    s.cleanup();
    // The run spans pages: a crash can fall between two of them.
    expect(reference.files.size).toBeGreaterThan(250);
  }, 180_000);

  it.each([
    ['import.delivered:5', 'mid-page: the sink wrote an event, the ledger has not recorded it'],
    ['import.delivered:260', 'on the second page, between the sink write and the ledger commit'],
    ['import.recorded:100', 'mid-page: part of the page recorded in the ledger'],
    ['import.checkpoint:1', 'mid-checkpoint: the first page recorded, the checkpoint not yet moved'],
  ])('%s (%s) ends as one uninterrupted run', async (point) => {
    const s = await wide();
    try {
      const out = join(s.dir, 'out');
      const args = ['import', '--out', out, '--no-bulk'];
      await crashed(s, args, point);
      const left = outcome(s, out);
      // The crash fell inside the run: some of it done, not all.
      expect(left.files.size).toBeGreaterThan(0);
      expect(left.files.size).toBeLessThan(reference.files.size);
      if (point.startsWith('import.delivered')) {
        // The event written last is on disk but not in the ledger.
        expect(delivered(left)).toBe(left.files.size - 1);
      }
      // The dead run's lock is taken over by the rerun.
      expect(readLock(join(s.ledgerDir, 'ledger.sqlite'))?.pid).toBeDefined();
      await completed(s, args);
      const after = outcome(s, out);
      expect([...after.files.keys()]).toEqual([...reference.files.keys()]);
      expect(after.files).toEqual(reference.files);
      expect(after.orders).toEqual(reference.orders);
      expect(after.activity).toEqual(reference.activity);
      expect(after.meta).toEqual(reference.meta);
      expect(readLock(join(s.ledgerDir, 'ledger.sqlite'))).toBeUndefined();
      // And nothing more to do.
      const again = await completed(s, ['import', '--out', out, '--no-bulk', '--json']);
      expect(JSON.parse(again.stdout).summary.created).toBe(0);
    } finally {
      s.cleanup();
    }
  }, 240_000);
});
