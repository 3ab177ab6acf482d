import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/core/sqlite.js';
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
  const db = new (loadSqlite())(ledgerFile, { readonly: true });
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

/**
 * The ledger after the crash and the rerun against the ledger of one uninterrupted run: every row
 * of the reference the same (times aside), the same activity and the same checkpoint. A crash after
 * the first run's first checkpoint leaves the warehouse holding orders, so the rerun reads the rest
 * of the window as every later run does (everything updated since the checkpoint, no filters) and
 * also records the orders the first run's search left out, as skipped: those extra rows, and only
 * those, are allowed, and none carries an event.
 */
function expectSameLedger(after: Omit<Outcome, 'files'>, reference: Omit<Outcome, 'files'>): void {
  const known = new Set(reference.orders.map((o) => o.order_id));
  const extra = after.orders.filter((o) => !known.has(o.order_id));
  for (const row of extra)
    expect(row).toMatchObject({ status: 'skipped', last_event_id: null, warehouse_state: 'none' });
  expect(after.orders.filter((o) => known.has(o.order_id))).toEqual(reference.orders);
  const extraIds = new Set(extra.map((o) => o.order_id));
  expect(after.activity.filter((a) => !extraIds.has(a.split(' ')[0] ?? ''))).toEqual(reference.activity);
  expect(after.meta).toEqual(reference.meta);
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
  ])(
    '%s (%s) ends as one uninterrupted run',
    async (point) => {
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
          // Events on disk that the ledger does not hold: the rerun must not write them twice.
          expect(delivered(left)).toBeLessThan(left.files.size);
        }
        // The dead run's lock is taken over by the rerun.
        expect(readLock(join(s.ledgerDir, 'ledger.sqlite'))?.pid).toBeDefined();
        await completed(s, args);
        const after = outcome(s, out);
        expect([...after.files.keys()]).toEqual([...reference.files.keys()]);
        expect(after.files).toEqual(reference.files);
        expectSameLedger(after, reference);
        expect(readLock(join(s.ledgerDir, 'ledger.sqlite'))).toBeUndefined();
      } finally {
        s.cleanup();
      }
    },
    240_000,
  );

  it.each([
    ['import.bulk-line:100', 'mid-download, before the first batch is delivered'],
    ['import.bulk-line:260', 'mid-download, after the first batch of 250 is delivered and recorded'],
  ])(
    '--bulk, %s (%s): resumes the bulk operation and ends as one uninterrupted run',
    async (point) => {
      const s = await wide();
      try {
        const out = join(s.dir, 'out');
        const args = ['import', '--out', out, '--bulk'];
        await crashed(s, args, point);
        const left = outcome(s, out);
        expect(left.files.size).toBeLessThan(reference.files.size);
        expect(left.meta.checkpoint).toBeUndefined();
        expect(JSON.parse(left.meta.bulk_operation ?? '{}').id).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
        const rerun = await completed(s, args);
        expect(rerun.stderr).toContain('resuming bulk operation');
        const after = outcome(s, out);
        expect(after.files).toEqual(reference.files);
        expectSameLedger(after, reference);
      } finally {
        s.cleanup();
      }
    },
    240_000,
  );
});

/** A webhook receiver that answers 200 after `delayMs`, keeping every request. */
async function receiver(delayMs: number) {
  const requests: { key: string; body: Json }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        key: String(req.headers['idempotency-key']),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The events a receiver holds once it keeps one per Idempotency-Key (README, "Webhook receivers"). */
function deduped(requests: { key: string; body: Json }[]): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const r of requests) {
    expect(r.key).toBe(r.body.id);
    const body = JSON.stringify(r.body);
    // A resend under a key carries the same event.
    if (byKey.has(r.key)) expect(body).toBe(byKey.get(r.key));
    byKey.set(r.key, body);
  }
  return byKey;
}

describe('dsync import --webhook, killed or interrupted and run again', () => {
  let reference: { events: Map<string, string>; ledger: Omit<Outcome, 'files'> };
  beforeAll(async () => {
    const s = scenario(sandbox);
    const hook = await receiver(0);
    try {
      await completed(s, ['import', '--webhook', hook.url, '--no-bulk']);
      expect(hook.requests.length).toBe(new Set(hook.requests.map((r) => r.key)).size);
      reference = { events: deduped(hook.requests), ledger: ledgerRows(join(s.ledgerDir, 'ledger.sqlite')) };
    } finally {
      await hook.close();
      s.cleanup();
    }
  }, 180_000);

  it('SIGKILL after the receiver took an event: the rerun sends it again under the same Idempotency-Key', async () => {
    const s = scenario(sandbox);
    const hook = await receiver(0);
    try {
      const args = ['import', '--webhook', hook.url, '--no-bulk'];
      await crashed(s, args, 'import.delivered:7');
      const before = hook.requests.length;
      expect(before).toBeGreaterThanOrEqual(7);
      await completed(s, args);
      // At least once: what the crash left unrecorded comes again, and only that.
      expect(hook.requests.length).toBeGreaterThan(reference.events.size);
      expect(hook.requests.length).toBeLessThanOrEqual(reference.events.size + before);
      expect(deduped(hook.requests)).toEqual(reference.events);
      expectSameLedger(ledgerRows(join(s.ledgerDir, 'ledger.sqlite')), reference.ledger);
    } finally {
      await hook.close();
      s.cleanup();
    }
  }, 240_000);

  it('SIGINT mid-run: exit 130, the lock released, the ledger consistent, and a rerun completes', async () => {
    const s = scenario(sandbox);
    const hook = await receiver(150);
    try {
      const args = ['import', '--webhook', hook.url, '--no-bulk'];
      const run = startCli(args, { env: s.env, timeoutMs: 120_000 });
      while (hook.requests.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
      run.child.kill('SIGINT');
      const result = await run.result;
      expect(result.code, result.stderr).toBe(130);
      expect(hook.requests.length).toBeLessThan(reference.events.size);
      const ledgerFile = join(s.ledgerDir, 'ledger.sqlite');
      expect(readLock(ledgerFile)).toBeUndefined();
      // Whatever the ledger recorded, the receiver has.
      const interrupted = ledgerRows(ledgerFile);
      const received = new Set(hook.requests.map((r) => r.key));
      for (const order of interrupted.orders)
        if (order.last_event_id !== null) expect(received).toContain(order.last_event_id);
      await completed(s, args);
      expect(deduped(hook.requests)).toEqual(reference.events);
      expectSameLedger(ledgerRows(ledgerFile), reference.ledger);
    } finally {
      await hook.close();
      s.cleanup();
    }
  }, 240_000);
});
