import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { Writable } from 'node:stream';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { DsyncError } from '../../../src/core/errors.js';
import type { OrderEvent } from '../../../src/services/import/order-document.js';
import {
  type Delivery,
  type Sink,
  stdoutSink,
  WEBHOOK_STOP_AFTER,
  webhookSink,
} from '../../../src/services/import/sinks.js';

/** The sinks only serialise events: a small one with a recognisable id and name will do. */
function event(n: number): OrderEvent {
  return {
    id: `evt-${String(n).padStart(4, '0')}-${'0'.repeat(24)}`,
    type: 'order.created',
    schemaVersion: 1,
    occurredAt: '2026-11-26T11:00:00Z',
    order: { name: `#${1000 + n}`, note: 'x'.repeat(300) },
  } as unknown as OrderEvent;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A reader that exits after 100 bytes (`head -c 100`): our end of its stdin is a real pipe. */
function shortReader(): ChildProcess & { stdin: NonNullable<ChildProcess['stdin']> } {
  const child = spawn('head', ['-c', '100'], { stdio: ['pipe', 'ignore', 'ignore'] });
  cleanups.push(() => child.kill());
  return child as ChildProcess & { stdin: NonNullable<ChildProcess['stdin']> };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** An in-memory stdout. */
function memoryStream() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('stdout sink: the reader goes away', () => {
  it('delivers while the reader reads, then fails every later event as fatal', async () => {
    const reader = shortReader();
    const sink = stdoutSink(reader.stdin, 'jsonl');
    expect(await sink.deliver(event(1))).toEqual({ ok: true });
    // The first event alone is more than the reader wants: it has gone once it exits.
    await exited(reader);
    const after: Delivery[] = [];
    for (let n = 2; n <= 5; n += 1) after.push(await sink.deliver(event(n)));
    for (const delivery of after) {
      expect(delivery).toMatchObject({ ok: false, fatal: true });
      // (EPIPE) when a write found the reader gone, without it when the pipe's close came first.
      expect(delivery.ok ? '' : delivery.message).toMatch(
        /^stdout was closed by its reader( \(EPIPE\))? after 1 event: nothing further can be written$/,
      );
    }
    // Nothing to complete in JSON lines: ending the run early is not an error.
    await expect(sink.abort('stopped')).resolves.toEqual({ complete: true });
  });

  it('any other write error stops the run too', async () => {
    let calls = 0;
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        calls += 1;
        if (calls === 1) callback();
        else callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      },
    });
    const sink = stdoutSink(stream, 'jsonl');
    expect(await sink.deliver(event(1))).toEqual({ ok: true });
    expect(await sink.deliver(event(2))).toEqual({
      ok: false,
      fatal: true,
      message:
        'could not write to stdout: no space left on device after 1 event: nothing further can be written',
    });
    expect(await sink.deliver(event(3))).toMatchObject({ ok: false, fatal: true });
    // The stream was not written to again once it failed.
    expect(calls).toBe(2);
  });

  it('JSON: a run that stops early while stdout is open still closes the array', async () => {
    const out = memoryStream();
    const sink = stdoutSink(out.stream, 'json');
    await sink.deliver(event(1));
    await sink.deliver(event(2));
    await expect(sink.abort('the store stopped answering')).resolves.toEqual({ complete: true });
    expect(JSON.parse(out.text()).map((e: OrderEvent) => e.id)).toEqual([event(1).id, event(2).id]);
    // finish after abort adds nothing: still one document.
    await sink.finish();
    expect(JSON.parse(out.text())).toHaveLength(2);
  });

  it('JSON: a complete run is one array, an empty run too', async () => {
    const full = memoryStream();
    const sink = stdoutSink(full.stream, 'json');
    await sink.deliver(event(1));
    await sink.finish();
    expect(JSON.parse(full.text())).toHaveLength(1);
    const empty = memoryStream();
    await stdoutSink(empty.stream, 'json').finish();
    expect(JSON.parse(empty.text())).toEqual([]);
  });

  it('JSON: when the reader is gone, the run is told the array is truncated', async () => {
    const reader = shortReader();
    const sink = stdoutSink(reader.stdin, 'json');
    expect(await sink.deliver(event(1))).toEqual({ ok: true });
    await exited(reader);
    const broken = await sink.deliver(event(2));
    expect(broken).toMatchObject({ ok: false, fatal: true });

    await expect(sink.abort('import stopped')).resolves.toEqual({
      complete: false,
      message: 'the JSON array on stdout is truncated (its closing ] is missing)',
    });
    // A run that believes it finished is refused too, rather than exiting 0 with half a document.
    const finished = await sink.finish().catch((error: unknown) => error);
    expect(finished).toBeInstanceOf(DsyncError);
    expect((finished as DsyncError).code).toBe('output_truncated');
    expect((finished as DsyncError).message).toMatch(
      /^stdout was closed by its reader( \(EPIPE\))? after 1 event: the JSON array on stdout is truncated/,
    );
  });
});

/** A receiver whose answer to each request the test decides. */
async function receiver(answer: (res: ServerResponse, n: number) => void) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => answer(res, requests));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook?token=secret`, requests: () => requests };
}

const noWait: Clock = { now: () => new Date(), sleep: async () => undefined };

function sinkFor(url: string, attempts = 2): Sink {
  const dispatcher = new Agent();
  cleanups.push(() => dispatcher.close());
  return webhookSink({ url, dispatcher, clock: noWait, attempts, baseDelayMs: 0, timeoutMs: 2000 });
}

const status = (code: number) => (res: ServerResponse) => {
  res.statusCode = code;
  res.end(code >= 400 ? 'nope' : 'ok');
};

describe('webhook sink: a receiver that is down', () => {
  it('stops after 3 events in a row fail with 5xx, and sends nothing after', async () => {
    const server = await receiver(status(500));
    const sink = sinkFor(server.url);
    const results: Delivery[] = [];
    for (let n = 1; n <= 5; n += 1) results.push(await sink.deliver(event(n)));
    expect(WEBHOOK_STOP_AFTER).toBe(3);
    expect(results.slice(0, 2).every((r) => !r.ok && r.fatal !== true)).toBe(true);
    for (const r of results.slice(2)) {
      expect(r).toMatchObject({ ok: false, fatal: true });
      expect(r.ok ? '' : r.message).toMatch(
        /^webhook receiver http:\/\/127\.0\.0\.1:\d+\/hook unreachable after 3 consecutive failures \(last: webhook failed after 2 attempts: HTTP 500: nope\); stopping$/,
      );
    }
    // Three events, two attempts each; the fourth and fifth were never sent.
    expect(server.requests()).toBe(6);
  });

  it('stops after 3 refused connections', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const sink = sinkFor(`http://127.0.0.1:${port}/hook`);
    const results: Delivery[] = [];
    for (let n = 1; n <= 4; n += 1) results.push(await sink.deliver(event(n)));
    expect(results.map((r) => (r.ok ? 'ok' : r.fatal ? 'fatal' : 'failed'))).toEqual([
      'failed',
      'failed',
      'fatal',
      'fatal',
    ]);
    expect(results[0]?.ok ? '' : results[0]?.message).toContain('ECONNREFUSED');
  });

  it('stops after 3 connections reset', async () => {
    let connections = 0;
    const resetting = createTcpServer((socket) => {
      connections += 1;
      socket.resetAndDestroy();
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => resetting.close(resolve)));
    const { port } = resetting.address() as AddressInfo;
    const sink = sinkFor(`http://127.0.0.1:${port}/hook`);
    const results: Delivery[] = [];
    for (let n = 1; n <= 4; n += 1) results.push(await sink.deliver(event(n)));
    expect(results.map((r) => (!r.ok && r.fatal) === true)).toEqual([false, false, true, true]);
    expect(connections).toBe(6);
  });

  it('a 4xx fails that event only: never fatal, and it breaks a run of failures', async () => {
    // Per event (two attempts for 5xx): 422 | 500 500 | 500 500 | 422 | 500 500 | 500 500 | 500 500
    const plan = [422, 500, 500, 500, 500, 422, 500, 500, 500, 500, 500, 500];
    const server = await receiver((res, n) => status(plan[n - 1] ?? 200)(res));
    const sink = sinkFor(server.url);
    const kinds: string[] = [];
    for (let n = 1; n <= 7; n += 1) {
      const r = await sink.deliver(event(n));
      kinds.push(r.ok ? 'ok' : r.fatal ? 'fatal' : 'failed');
    }
    expect(kinds).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'fatal']);
    expect(server.requests()).toBe(plan.length);

    const refusing = await receiver(status(422));
    const strict = sinkFor(refusing.url);
    for (let n = 1; n <= 5; n += 1) {
      expect(await strict.deliver(event(n))).toEqual({
        ok: false,
        message: 'webhook refused the event: HTTP 422: nope',
      });
    }
    expect(refusing.requests()).toBe(5);
  });

  it('a success resets the count', async () => {
    const plan = [500, 500, 500, 500, 200, 500, 500, 500, 500];
    const server = await receiver((res, n) => status(plan[n - 1] ?? 200)(res));
    const sink = sinkFor(server.url);
    const kinds: string[] = [];
    for (let n = 1; n <= 5; n += 1) {
      const r = await sink.deliver(event(n));
      kinds.push(r.ok ? 'ok' : r.fatal ? 'fatal' : 'failed');
    }
    expect(kinds).toEqual(['failed', 'failed', 'ok', 'failed', 'failed']);
  });

  it('drain waits for the requests in flight', async () => {
    const held: ServerResponse[] = [];
    const server = await receiver((res) => held.push(res));
    const sink = sinkFor(server.url);
    const settled: number[] = [];
    const deliveries = [1, 2, 3].map((n) => sink.deliver(event(n)).then((r) => settled.push(n) && r));
    while (held.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    let drained = false;
    const drain = sink.drain().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drained).toBe(false);
    for (const res of held) status(200)(res);
    await drain;
    expect(settled.sort()).toEqual([1, 2, 3]);
    expect(await Promise.all(deliveries)).toEqual([
      { ok: true, detail: 'HTTP 200' },
      { ok: true, detail: 'HTTP 200' },
      { ok: true, detail: 'HTTP 200' },
    ]);
  });
});
