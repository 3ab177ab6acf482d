import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/services/import/order-document.js';
import { assess, buildEvent } from '../../../src/services/import/lifecycle.js';
import {
  eventCsvRows,
  eventFileName,
  outDirSink,
  retryableStatus,
  webhookSignature,
  webhookSink,
} from '../../../src/services/import/sinks.js';
import { fo, line, order, settings, WAREHOUSE } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function event(overrides: Parameters<typeof order>[0] = {}): OrderEvent {
  const selection = assess(order(overrides), 'acme.myshopify.com', settings(), false);
  if (selection.kind !== 'shippable') throw new Error('expected shippable');
  return buildEvent('order.created', selection.document, { hash: 'h', reason: null });
}

describe('sinks', () => {
  it.each([
    [200, false],
    [400, false],
    [404, false],
    [408, true],
    [422, false],
    [429, true],
    [500, true],
    [503, true],
  ])('HTTP %i retryable: %s', (status, expected) => {
    expect(retryableStatus(status)).toBe(expected);
  });

  it('names files by order, event and id, so the same event always lands in the same file', () => {
    const e = event();
    expect(eventFileName(e, 'jsonl')).toBe(`1001.order.created.${e.id.slice(0, 16)}.json`);
    expect(eventFileName(e, 'csv')).toMatch(/\.csv$/);
  });

  it('writes each event once, completely, with no temp files left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsync-out-'));
    dirs.push(dir);
    const sink = outDirSink(dir, 'json');
    const e = event();
    expect(await sink.deliver(e)).toMatchObject({ ok: true });
    expect(await sink.deliver(e)).toMatchObject({
      ok: true,
      detail: expect.stringContaining('already written'),
    });
    const files = readdirSync(dir);
    expect(files).toEqual([eventFileName(e, 'json')]);
    expect(JSON.parse(readFileSync(join(dir, files[0] as string), 'utf8'))).toEqual(e);
  });

  it('CSV: one row per line, quoted where needed, formulas neutralised', () => {
    const e = event({
      name: '#1001',
      email: '=HYPERLINK("x")',
      fulfillmentOrders: [fo(WAREHOUSE, [line({ sku: 'A,1' }), line({ sku: 'B' })])],
    });
    const rows = eventCsvRows(e);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('"A,1"');
    expect(rows[0]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('webhookSignature', () => {
  // RFC 4231, HMAC-SHA256 test cases 1 and 2.
  it.each([
    ['\x0b'.repeat(20), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    [
      'Jefe',
      'what do ya want for nothing?',
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
  ])('RFC 4231 vector (key %j)', (key, data, hex) => {
    expect(webhookSignature(key, data)).toBe(`sha256=${hex}`);
    expect(webhookSignature(key, Buffer.from(data, 'utf8'))).toBe(`sha256=${hex}`);
  });
});

describe('webhook sink: signatures', () => {
  /** A receiver that keeps each request's raw body bytes and headers. */
  async function capture() {
    const received: { body: Buffer; headers: Record<string, string | string[] | undefined> }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  const clock = { now: () => new Date(), sleep: async () => {} };

  it('signs the exact bytes it sends (non-ASCII included), verifiable by the receiver', async () => {
    const hook = await capture();
    const dispatcher = new Agent();
    const secret = 'whsec_fixed-test-secret';
    try {
      const sink = webhookSink({ url: hook.url, dispatcher, clock, secret });
      const sent = event({ name: '#1001 Zoë ✓ 北京' });
      expect(await sink.deliver(sent)).toMatchObject({ ok: true });
      await sink.finish();
      const [request] = hook.received;
      if (!request) throw new Error('nothing received');
      expect(JSON.parse(request.body.toString('utf8')).order.name).toBe('#1001 Zoë ✓ 北京');
      // As a receiver verifies: HMAC over the raw body, constant-time comparison.
      const header = String(request.headers['x-dsync-signature']);
      expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
      const expected = Buffer.from(
        `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`,
      );
      expect(timingSafeEqual(Buffer.from(header), expected)).toBe(true);
      // A changed body does not verify.
      const tampered = Buffer.from(request.body.toString('utf8').replace('Zoë', 'Zoe'));
      expect(header).not.toBe(`sha256=${createHmac('sha256', secret).update(tampered).digest('hex')}`);
      expect(header).not.toContain(secret);
    } finally {
      await dispatcher.close();
      await hook.close();
    }
  });

  it('sends no signature without a secret', async () => {
    const hook = await capture();
    const dispatcher = new Agent();
    try {
      const sink = webhookSink({ url: hook.url, dispatcher, clock });
      expect(await sink.deliver(event())).toMatchObject({ ok: true });
      await sink.finish();
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]?.headers['x-dsync-signature']).toBeUndefined();
      expect(hook.received[0]?.headers['idempotency-key']).toBeDefined();
    } finally {
      await dispatcher.close();
      await hook.close();
    }
  });
});

describe('the order document schema', () => {
  it('every emitted event validates against the published schema', async () => {
    const { orderEventSchema, orderJsonSchema, ORDER_SCHEMA_VERSION } = await import(
      '../../../src/services/import/order-document.js'
    );
    expect(() => orderEventSchema.parse(event())).not.toThrow();
    const schema = orderJsonSchema() as {
      $id: string;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.$id).toContain(`v${ORDER_SCHEMA_VERSION}`);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'type', 'schemaVersion', 'order']));
  });
});
