import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli } from '../support/cli.js';

// biome-ignore lint/suspicious/noExplicitAny: response documents are inspected field by field
type Json = any;

interface Started {
  shop: string;
  origin: string;
  accessToken: string;
  activity: string | null;
}

interface Change {
  at: string;
  action: string;
  order: string | null;
  detail: string;
  ok: boolean;
  mutation: string;
  summary: string;
  ids: Record<string, string>;
  userErrors?: { field: string[] | null; message: string }[];
}

interface LiveSandbox {
  child: ChildProcessWithoutNullStreams;
  stdoutLines: () => string[];
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Runs `dsync sandbox …` as a process, as a user would, collecting what it prints. */
function spawnSandbox(args: string[]): LiveSandbox {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('DSYNC_') || key === 'CI' || key === 'FORCE_COLOR') delete env[key];
  }
  env.NO_COLOR = '1';
  const child = spawn(process.execPath, [CLI_PATH, 'sandbox', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdoutLines: () => stdout.split('\n').filter((line) => line.trim() !== ''),
    stderr: () => stderr,
    exit,
  };
}

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Shopify's own client, with https://{shop} rewritten to the sandbox origin. */
function shopifyClient(started: Started) {
  return createAdminApiClient({
    storeDomain: started.shop,
    apiVersion: '2026-10',
    accessToken: started.accessToken,
    customFetchApi: (url, init) =>
      fetch(String(url).replace(`https://${started.shop}`, started.origin), init as RequestInit),
  });
}

const ORDERS_BY_ID = `#graphql
  query ActivityCheck($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        name
        updatedAt
        cancelledAt
        cancelReason
        displayFinancialStatus
        refunds(first: 10) { id }
      }
    }
  }`;

const SEED = '5';

describe('dsync sandbox --activity (process)', () => {
  let json: LiveSandbox;
  let started: Started;
  let changes: Change[];

  beforeAll(async () => {
    json = spawnSandbox(['--json', '--activity', '600/min', '--seed', SEED, '--orders', '50']);
    await until(
      () => json.stdoutLines().length >= 61,
      30_000,
      () => json.stderr(),
    );
    // The store keeps changing while the test reads it: the checks below hold whatever came later.
    const [first, ...rest] = json.stdoutLines();
    started = JSON.parse(first as string) as Started;
    changes = rest.map((line) => JSON.parse(line) as Change);
  });

  afterAll(async () => {
    if (json && json.child.exitCode === null) {
      json.child.kill('SIGKILL');
      await json.exit;
    }
  });

  it('prints the startup line first, then one JSON object per change', () => {
    expect(started.activity).toBe('600/min');
    expect(changes.length).toBeGreaterThanOrEqual(60);
    for (const change of changes) {
      expect(Object.keys(change)).toEqual(expect.arrayContaining(['at', 'action', 'order', 'detail', 'ok']));
      expect(Number.isNaN(Date.parse(change.at))).toBe(false);
      if (!change.ok) {
        expect(change.summary).toMatch(/^userError on \w+/);
        expect(change.userErrors?.[0]?.message).toEqual(expect.any(String));
      }
    }
    expect(new Set(changes.map((c) => c.action)).size).toBeGreaterThanOrEqual(6);
    expect(changes.filter((c) => c.ok).length).toBeGreaterThan(changes.length * 0.8);
  });

  it('made the changes it reports, as the Admin API shows them', async () => {
    const client = shopifyClient(started);
    const orderIds = [...new Set(changes.flatMap((c) => (c.ids.order ? [c.ids.order] : [])))];
    const byId = new Map<string, Json>();
    // A few orders per request keeps each under Shopify's single-query cost limit.
    for (let k = 0; k < orderIds.length; k += 20) {
      const ids = orderIds.slice(k, k + 20);
      const { data, errors } = await client.request(ORDERS_BY_ID, { variables: { ids } });
      expect(errors).toBeUndefined();
      for (const node of (data as Json).nodes) byId.set(node.id, node);
    }

    for (const change of changes.filter((c) => c.ok && c.ids.order)) {
      const order = byId.get(change.ids.order as string);
      expect(order, change.summary).toBeDefined();
      expect(order.name).toBe(change.order);
      // Every change to an order moves its updatedAt.
      expect(Date.parse(order.updatedAt), change.summary).toBeGreaterThanOrEqual(
        Date.parse(change.at) - 1000,
      );
      switch (change.action) {
        case 'cancel':
          expect(order.cancelledAt, change.summary).not.toBeNull();
          expect(order.cancelReason).toBe(change.detail);
          break;
        case 'refund':
          expect(order.refunds.map((r: Json) => r.id)).toContain(change.ids.refund);
          break;
        case 'mark-paid':
          expect(['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']).toContain(order.displayFinancialStatus);
          break;
      }
    }
    const seen = new Set(changes.filter((c) => c.ok).map((c) => c.action));
    expect([...seen]).toEqual(expect.arrayContaining(['cancel', 'refund', 'mark-paid']));
    const created = changes.filter((c) => c.action === 'create-order' && c.ok);
    expect(created.length).toBeGreaterThan(0);
    for (const change of created) expect(byId.get(change.ids.order as string)?.name).toBe(change.order);
  });

  it('prints the same changes, as readable lines on stderr, for the same seed and rate', async () => {
    const human = spawnSandbox(['--activity', '600/min', '--seed', SEED, '--orders', '50']);
    const lines = () =>
      human
        .stderr()
        .split('\n')
        .filter((line) => /^\d\d:\d\d:\d\d /.test(line));
    try {
      await until(
        () => lines().length >= 20,
        30_000,
        () => human.stderr(),
      );
    } finally {
      human.child.kill('SIGTERM');
      expect(await human.exit).toBe(0);
    }
    const summaries = lines()
      .slice(0, 20)
      .map((line) => line.slice('12:00:03 '.length));
    expect(summaries).toEqual(changes.slice(0, 20).map((c) => c.summary));
    expect(summaries.some((s) => /^new order #\d+ \((paid|pending), \d+ items?\)$/.test(s))).toBe(true);
  });

  it('stops changing the store when the sandbox stops', async () => {
    json.child.kill('SIGTERM');
    expect(await json.exit).toBe(0);
  });

  it('refuses a bad rate with a usage error naming the accepted forms', async () => {
    const res = await runCli(['sandbox', '--port', '0', '--activity', 'lots'], { timeoutMs: 30_000 });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('<n>/s, <n>/min or <n>/h');
  });
});
