import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { events, expectedImports, type Json, scenario } from './helpers.js';
import { loadSqlite } from '../../src/core/sqlite.js';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 80, seed: 5, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

interface Receiver {
  url: string;
  /** Every request: idempotency key, parsed body, the raw bytes and the signature header. */
  requests: { key: string; body: Json; raw: Buffer; signature: string | undefined }[];
  respond: (key: string, body: Json, attempt: number) => number;
  close: () => Promise<void>;
}

async function receiver(respond: Receiver['respond']): Promise<Receiver> {
  const attempts = new Map<string, number>();
  const state: Receiver = { url: '', requests: [], respond, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
    });
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const raw = Buffer.concat(chunks);
      const body = JSON.parse(raw.toString('utf8'));
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const header = req.headers['x-dsync-signature'];
      state.requests.push({ key, body, raw, signature: Array.isArray(header) ? header[0] : header });
      const status = state.respond(key, body, attempt);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status < 300 ? '{"ok":true}' : '{"error":"nope"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orders`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

describe('dsync import --webhook', () => {
  it('retries a failing receiver with the same Idempotency-Key until it accepts', async () => {
    const s = scenario(sandbox);
    const hook = await receiver((_key, _body, attempt) => (attempt <= 2 ? 503 : 200));
    try {
      const result = await s.run(['import', '--webhook', hook.url, '--json'], 120_000);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout).summary;
      const expected = expectedImports(sandbox.data, {});
      expect(summary.created).toBe(expected.size);
      const keys = new Set(hook.requests.map((r) => r.key));
      expect(keys.size).toBe(expected.size);
      expect(hook.requests.length).toBe(expected.size * 3);
      for (const r of hook.requests) expect(r.key).toBe(r.body.id);
      expect(new Set(hook.requests.map((r) => r.body.order.name))).toEqual(new Set(expected.keys()));
    } finally {
      await hook.close();
      s.cleanup();
    }
  });

  it('a 4xx fails that order (exit 3), the rest are delivered, and the next run retries it', async () => {
    const s = scenario(sandbox);
    const expected = [...expectedImports(sandbox.data, {}).keys()].sort();
    const refused = expected[0] as string;
    let refuse = true;
    const hook = await receiver((_key, body) => (refuse && body.order.name === refused ? 422 : 200));
    try {
      const first = await s.run(['import', '--webhook', hook.url, '--json'], 120_000);
      expect(first.code, first.stderr).toBe(3);
      const summary = JSON.parse(first.stdout).summary;
      expect(summary.created).toBe(expected.length - 1);
      expect(summary.errors).toEqual([
        expect.objectContaining({ name: refused, message: expect.stringContaining('422') }),
      ]);
      expect(hook.requests.filter((r) => r.body.order.name === refused)).toHaveLength(1);
      const errors = JSON.parse(
        (await s.run(['orders', 'list', '--status', 'error', '--json'])).stdout,
      ).orders;
      expect(errors.map((o: Json) => o.name)).toEqual([refused]);

      refuse = false;
      hook.requests.length = 0;
      const second = await s.run(['import', '--webhook', hook.url, '--json'], 120_000);
      expect(second.code, second.stderr).toBe(0);
      expect(hook.requests.map((r) => r.body.order.name)).toEqual([refused]);
      expect(JSON.parse(second.stdout).summary.created).toBe(1);
    } finally {
      await hook.close();
      s.cleanup();
    }
  });
});

/** What a receiver does: the HMAC of the raw body with the shared secret, compared in constant time. */
function verifies(secret: string, raw: Buffer, signature: string | undefined): boolean {
  if (signature === undefined) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('dsync import --webhook with webhook-secret', () => {
  const SECRET = 'whsec_int-9f8e7d6c5b4a3210';

  it('signs every body so the receiver can verify it; the secret shows up nowhere', async () => {
    const s = scenario(sandbox);
    // Secrets in the 0600 file of this scenario, never a developer's keychain.
    const env = { ...s.env, DSYNC_KEYCHAIN: 'off' };
    const hook = await receiver(() => 200);
    try {
      const set = await runCli(['config', 'set', 'webhook-secret', '-'], { env, input: SECRET });
      expect(set.code, set.stderr).toBe(0);
      expect((await runCli(['config', 'set', 'notify-customer', 'false'], { env })).code).toBe(0);
      const result = await runCli(['import', '--webhook', hook.url, '--json', '--debug'], {
        env,
        timeoutMs: 120_000,
      });
      expect(result.code, result.stderr).toBe(0);
      const expected = expectedImports(sandbox.data, {});
      expect(JSON.parse(result.stdout).summary.created).toBe(expected.size);
      expect(hook.requests).toHaveLength(expected.size);
      for (const r of hook.requests) {
        expect(r.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
        expect(verifies(SECRET, r.raw, r.signature)).toBe(true);
        // Another secret, or a body changed on the way, does not verify.
        expect(verifies(`${SECRET}x`, r.raw, r.signature)).toBe(false);
        const tampered = Buffer.from(r.raw.toString('utf8').replace(r.body.order.name, '#0'));
        expect(verifies(SECRET, tampered, r.signature)).toBe(false);
      }
      expect(result.stderr).not.toContain('unsigned');

      // A resend signs the same way.
      hook.requests.length = 0;
      const name = [...expected.keys()].sort()[0] as string;
      const resend = await runCli(['orders', 'resend', name, '--webhook', hook.url, '--debug'], { env });
      expect(resend.code, resend.stderr).toBe(0);
      expect(hook.requests).toHaveLength(1);
      expect(verifies(SECRET, hook.requests[0]?.raw as Buffer, hook.requests[0]?.signature)).toBe(true);

      for (const output of [set, result, resend]) {
        expect(output.stdout).not.toContain(SECRET);
        expect(output.stderr).not.toContain(SECRET);
      }
      // Only the credentials file holds it: not config.json, not the ledger, nothing else.
      const files = readdirSync(s.dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      expect(files.map((f) => f.name)).toContain('config.json');
      for (const file of files) {
        if (file.name === 'credentials.json') continue;
        expect(readFileSync(join(file.parentPath, file.name)).includes(SECRET), file.name).toBe(false);
      }
      const credentials = join(s.dir, 'credentials.json');
      expect(readFileSync(credentials, 'utf8')).toContain(SECRET);
      expect(statSync(credentials).mode & 0o777).toBe(0o600);
    } finally {
      await hook.close();
      s.cleanup();
    }
  });

  it('without a secret: no signature header, and the run says once that it is unsigned', async () => {
    const s = scenario(sandbox);
    const env = { ...s.env, DSYNC_KEYCHAIN: 'off' };
    const hook = await receiver(() => 200);
    try {
      const result = await runCli(['import', '--webhook', hook.url, '--json'], { env, timeoutMs: 120_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(hook.requests.length).toBeGreaterThan(0);
      for (const r of hook.requests) expect(r.signature).toBeUndefined();
      const notes = result.stderr.split('\n').filter((l) => l.includes('webhook bodies are sent unsigned'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('dsync config set webhook-secret -');
    } finally {
      await hook.close();
      s.cleanup();
    }
  });
});

describe('dsync import --bulk', () => {
  it('delivers the same orders as paging', async () => {
    const s = scenario(sandbox);
    try {
      const result = await s.run(['import', '--bulk', '--json'], 120_000);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stderr.trim().split('\n').at(-1) as string).summary;
      expect(summary.mode).toBe('bulk');
      const got = new Map(events(result.stdout).map((e) => [e.order.name, e.order.lines.length]));
      expect(new Map([...got].sort())).toEqual(new Map([...expectedImports(sandbox.data, {})].sort()));
      // The documents came from the fulfillment-order export, not from queries (a paged document
      // costs some 25 points; the two bulk mutations and their polls cost about 20 in all).
      expect(summary.created).toBeGreaterThan(5);
      expect(summary.actualCost).toBeLessThan(summary.created * 5);
      const again = await s.run(['import', '--bulk'], 120_000);
      expect(events(again.stdout)).toEqual([]);
    } finally {
      s.cleanup();
    }
  });

  it('salvages a FAILED bulk operation and pages through the rest', async () => {
    const s = scenario(sandbox);
    try {
      sandbox.data.failNextBulkOperationAfter(5);
      const result = await s.run(['import', '--bulk'], 120_000);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/failed.*paging through the window instead/);
      const names = events(result.stdout).map((e) => e.order.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.sort()).toEqual([...expectedImports(sandbox.data, {}).keys()].sort());
    } finally {
      s.cleanup();
    }
  });

  it('--bulk-timeout: gives up on an export stuck in Shopify, cancels it and pages through the window', async () => {
    const s = scenario(sandbox);
    try {
      sandbox.data.stickNextBulkOperation();
      const result = await s.run(['import', '--bulk', '--bulk-timeout', '3s'], 120_000);
      expect(result.code, result.stderr).toBe(0);
      const stuck =
        /bulk query (gid:\/\/shopify\/BulkOperation\/\d+) has not finished after 3 seconds.*paging through the window instead/.exec(
          result.stderr,
        );
      expect(stuck, result.stderr).not.toBeNull();
      const names = events(result.stdout).map((e) => e.order.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.sort()).toEqual([...expectedImports(sandbox.data, {}).keys()].sort());
      // It no longer holds one of the app's bulk slots.
      const operation = await merchant(sandbox).call(
        'query Op($id: ID!) { bulkOperation(id: $id) { status } }',
        { id: stuck?.[1] },
        'bulkOperation',
      );
      expect(operation.status).toMatch(/^CANCEL/);
    } finally {
      s.cleanup();
    }
  });

  it('refuses a --bulk-timeout that is not a duration (exit 2)', async () => {
    const s = scenario(sandbox);
    try {
      const result = await s.run(['import', '--bulk-timeout', 'soon']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--bulk-timeout "soon" is not a duration');
    } finally {
      s.cleanup();
    }
  });

  it('resumes the bulk operation of a run that was killed', async () => {
    const s = scenario(sandbox);
    sandbox.data.holdBulkOperations();
    try {
      const child = spawn(process.execPath, [CLI_PATH, 'import', '--bulk'], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...s.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let childErr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        childErr += chunk;
      });
      const exited = new Promise((resolve) => child.on('close', resolve));
      const ledgerFile = join(s.ledgerDir, 'ledger.sqlite');
      const Database = loadSqlite();
      let saved: string | undefined;
      for (let i = 0; i < 200 && !saved; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        if (!existsSync(ledgerFile)) continue;
        const db = new Database(ledgerFile, { readonly: true });
        try {
          saved = (
            db.prepare("SELECT value FROM meta WHERE key = 'bulk_operation'").get() as
              | { value: string }
              | undefined
          )?.value;
        } catch (error) {
          // the ledger is being created
          if (!/no such table/.test(String(error))) throw error;
        } finally {
          db.close();
        }
      }
      expect(saved, `the running import saved its bulk operation id\n${childErr}`).toBeDefined();
      const id = JSON.parse(saved as string).id as string;
      child.kill('SIGKILL');
      await exited;

      sandbox.data.releaseBulkOperations();
      const result = await s.run(['import', '--bulk'], 120_000);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`resuming bulk operation ${id}`);
      expect(
        events(result.stdout)
          .map((e) => e.order.name)
          .sort(),
      ).toEqual([...expectedImports(sandbox.data, {}).keys()].sort());
    } finally {
      sandbox.data.releaseBulkOperations();
      s.cleanup();
    }
  });
});
