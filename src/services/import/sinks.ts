import { createHmac, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../core/clock.js';
import type { OutputStream } from '../../core/deps.js';
import { DsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../core/private-file.js';
import { redactString } from '../../core/redact.js';
import type { ReturnEvent } from '../returns/return-document.js';
import type { OrderEvent } from './order-document.js';
import { guardCell } from '../files/csv-cell.js';

/** What a sink carries: the order import's events and the returns import's. */
export type SinkEvent = OrderEvent | ReturnEvent;

function isReturnEvent(event: SinkEvent): event is ReturnEvent {
  return 'return' in event;
}

/**
 * Where events go. A sink's `deliver` resolves once the event is accepted (written and flushed,
 * or acknowledged by the receiver); only then does the ledger record it and the checkpoint move.
 * `fatal: true` means nothing further can be delivered (stdout closed, webhook receiver down):
 * the run stops handing over events, lets in-flight ones finish, and records nothing after.
 * A failure without `fatal` concerns that event only.
 */
export type Delivery = { ok: true; detail?: string } | { ok: false; message: string; fatal?: boolean };

/** How a run that stopped early left the sink's output. */
export interface SinkEnd {
  /** False when the output is not a whole document (a JSON array that could not be closed). */
  complete: boolean;
  /** Says what is wrong with the output, when it is not complete. */
  message?: string;
}

export interface Sink<E extends SinkEvent = OrderEvent> {
  readonly kind: 'stdout' | 'out' | 'webhook';
  /** How many events the import may hand over at once. */
  readonly concurrency: number;
  deliver(event: E): Promise<Delivery>;
  /** Resolves once every `deliver` already called has settled (before the ledger is closed). */
  drain(): Promise<void>;
  /**
   * The end of a run that handed over everything it meant to: waits for in-flight deliveries,
   * then completes the output (closes a JSON array). Rejects with a DsyncError when the output
   * cannot be completed.
   */
  finish(): Promise<void>;
  /**
   * The end of a run that stops early (a fatal delivery, an error, an interrupt): waits for
   * in-flight deliveries, then leaves the output a valid document when it still can (closes a
   * JSON array already opened). Never rejects: an output it cannot complete is reported in the
   * result, for the run to tell the user.
   */
  abort(reason: string): Promise<SinkEnd>;
}

export type OutputFormat = 'jsonl' | 'json' | 'csv';

export const CSV_COLUMNS = [
  'event_id',
  'event',
  'order_id',
  'order_name',
  'created_at',
  'updated_at',
  'financial_status',
  'currency',
  'customer_name',
  'email',
  'ship_name',
  'ship_company',
  'ship_address1',
  'ship_address2',
  'ship_city',
  'ship_province',
  'ship_zip',
  'ship_country_code',
  'ship_phone',
  'shipping_method',
  'fulfillment_order_id',
  'fulfillment_order_line_item_id',
  'sku',
  'title',
  'quantity',
  'unit_price',
] as const;

/** One CSV record (without its line end): csv-stringify does the quoting, CR included. */
function csvRecord(fields: (string | number | null | undefined)[]): string {
  return stringify([fields.map(guardCell)], { quoted_match: /\r/ }).slice(0, -1);
}

export const RETURN_CSV_COLUMNS = [
  'event_id',
  'event',
  'return_id',
  'return_name',
  'status',
  'order_id',
  'order_name',
  'updated_at',
  'tracking_numbers',
  'reverse_fulfillment_order_line_item_id',
  'sku',
  'quantity',
  'reason',
  'reason_note',
  'customer_note',
] as const;

/** The CSV header line for events of this kind. */
export function csvHeader(event: SinkEvent): string {
  return (isReturnEvent(event) ? RETURN_CSV_COLUMNS : CSV_COLUMNS).join(',');
}

/** One CSV row per line (a return without lines still gets one row). */
function returnCsvRows(event: ReturnEvent): string[] {
  const r = event.return;
  const base = [
    event.id,
    event.type,
    r.id,
    r.name,
    r.status,
    r.order.id,
    r.order.name,
    r.updatedAt,
    r.tracking.map((t) => t.number ?? t.url ?? '').join(' '),
  ];
  const lines = r.lines.length > 0 ? r.lines : [undefined];
  return lines.map((line) =>
    csvRecord([
      ...base,
      line?.reverseFulfillmentOrderLineItemId,
      line?.sku,
      line?.quantity,
      line?.reason,
      line?.reasonNote,
      line?.customerNote,
    ]),
  );
}

/** One CSV row per line (an order without lines still gets one row). */
export function eventCsvRows(event: SinkEvent): string[] {
  if (isReturnEvent(event)) return returnCsvRows(event);
  const o = event.order;
  const a = o.shippingAddress;
  const base = [
    event.id,
    event.type,
    o.id,
    o.name,
    o.createdAt,
    o.updatedAt,
    o.financialStatus,
    o.currency,
    o.customer.name,
    o.customer.email,
    a?.name,
    a?.company,
    a?.address1,
    a?.address2,
    a?.city,
    a?.provinceCode ?? a?.province,
    a?.zip,
    a?.countryCode,
    a?.phone,
    o.shippingMethod?.title,
  ];
  const lines = o.lines.length > 0 ? o.lines : [undefined];
  return lines.map((line) =>
    csvRecord([
      ...base,
      line?.fulfillmentOrderId,
      line?.fulfillmentOrderLineItemId,
      line?.sku,
      line?.title,
      line?.quantity,
      line?.unitPrice,
    ]),
  );
}

function writeStream(stream: OutputStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Events on stdout, one write per event. An event is delivered once its write callback
 * succeeded. When the reader goes away (EPIPE) or any write fails, that event and every later
 * one fail as fatal: the run stops instead of recording events nobody received. The sink listens
 * for the stream's errors itself, which tells the process-wide handler in main.ts to leave a
 * closed stdout to it rather than exit.
 */
export function stdoutSink(stream: OutputStream, format: OutputFormat): Sink<SinkEvent> {
  /** The JSON array's `[` (or the CSV header) has been handed to the stream. */
  let opened = false;
  let closed = false;
  let written = 0;
  /** Why stdout takes no more writes. */
  let broken: string | undefined;
  const breaks = (error: NodeJS.ErrnoException) => {
    broken ??=
      error.code === 'EPIPE'
        ? 'stdout was closed by its reader (EPIPE)'
        : `could not write to stdout: ${error.message}`;
  };
  stream.on('error', breaks);
  // Writes go out one after another, in the order deliver() was called.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };
  const gone = () => `${broken ?? 'stdout was closed'} after ${plural(written, 'event')}`;
  const stopped = (): Delivery => ({
    ok: false,
    fatal: true,
    message: `${gone()}: nothing further can be written`,
  });
  const TRUNCATED = 'the JSON array on stdout is truncated (its closing ] is missing)';
  const usable = () => {
    // A pipe whose reader went away may be noticed (and the stream closed) before any write fails.
    if (broken === undefined && stream.writable === false) broken = 'stdout was closed by its reader';
    return broken === undefined;
  };

  const close = async (): Promise<SinkEnd> => {
    if (closed || format !== 'json') return { complete: true };
    if (!usable()) return opened ? { complete: false, message: TRUNCATED } : { complete: true };
    try {
      await writeStream(stream, opened ? '\n]\n' : '[]\n');
      closed = true;
      return { complete: true };
    } catch (error) {
      breaks(error as NodeJS.ErrnoException);
      return { complete: false, message: TRUNCATED };
    }
  };

  return {
    kind: 'stdout',
    concurrency: 1,
    deliver(event) {
      return serial(async () => {
        if (!usable()) return stopped();
        let text: string;
        if (format === 'jsonl') text = `${JSON.stringify(event)}\n`;
        else if (format === 'json') text = `${opened ? ',\n' : '[\n'}${JSON.stringify(event)}`;
        else text = `${opened ? '' : `${csvHeader(event)}\n`}${eventCsvRows(event).join('\n')}\n`;
        // Part of a failed write may have reached the reader: count the opening as written.
        opened = true;
        try {
          await writeStream(stream, text);
        } catch (error) {
          breaks(error as NodeJS.ErrnoException);
          return stopped();
        }
        written += 1;
        return { ok: true };
      });
    },
    async drain() {
      await serial(async () => undefined);
    },
    async finish() {
      const end = await serial(close);
      if (!end.complete) {
        throw new DsyncError(
          'output_truncated',
          `${gone()}: ${end.message ?? 'the output on stdout is truncated'}`,
          ExitCode.error,
          {
            hint: 'keep the reader of stdout open until dsync exits; every event written before it closed is recorded as delivered',
          },
        );
      }
    },
    abort() {
      // The reason is the run's to report; stdout carries events only.
      return serial(close);
    },
  };
}

/** The file an event is written to: stable for the same event, so a rerun never duplicates it. */
export function eventFileName(event: SinkEvent, format: OutputFormat): string {
  const ext = format === 'csv' ? 'csv' : 'json';
  const subject = isReturnEvent(event) ? `return-${event.return.legacyId}` : event.order.legacyId;
  return `${subject}.${event.type}.${event.id.slice(0, 16)}.${ext}`;
}

/**
 * Writes a file atomically: temp file in the same directory, fsync, rename, fsync the directory.
 * The file is the owner's only (0600, whatever the umask): events and stock files carry customer
 * and store data.
 */
export function writeFileAtomic(dir: string, name: string, content: string): void {
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}

/**
 * Write failures that concern the directory, not the event (a full disk, a read-only or
 * unwritable directory): no later event can be written either, so the run stops there.
 */
const DIRECTORY_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'ENOENT', 'EIO']);

export function outDirSink(dir: string, format: OutputFormat): Sink<SinkEvent> {
  // Directories dsync creates are the owner's only; one that exists keeps the mode it has.
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  /** Set once the directory takes no more files: the message of every later delivery. */
  let broken: string | undefined;
  return {
    kind: 'out',
    concurrency: 1,
    async deliver(event) {
      if (broken !== undefined) return { ok: false, fatal: true, message: broken };
      const name = eventFileName(event, format);
      if (existsSync(join(dir, name))) return { ok: true, detail: `${name} (already written)` };
      const content =
        format === 'csv'
          ? `${csvHeader(event)}\n${eventCsvRows(event).join('\n')}\n`
          : `${JSON.stringify(event, null, 2)}\n`;
      try {
        writeFileAtomic(dir, name, content);
      } catch (error) {
        const message = `could not write ${join(dir, name)}: ${(error as Error).message}`;
        if (!DIRECTORY_FAILURES.has((error as NodeJS.ErrnoException).code ?? ''))
          return { ok: false, message };
        broken = `${message}; no further event can be written to ${dir}`;
        return { ok: false, fatal: true, message: broken };
      }
      return { ok: true, detail: name };
    },
    async drain() {},
    async finish() {},
    async abort() {
      // Every file is whole or absent: nothing to complete.
      return { complete: true };
    },
  };
}

export interface WebhookOptions {
  url: string;
  dispatcher: Dispatcher;
  /**
   * The store's `webhook-secret`: when given, every POST carries `X-Dsync-Signature`. The caller
   * reads it from the secret store; the sink only signs with it and never shows it.
   */
  secret?: string;
  clock: Clock;
  signal?: AbortSignal;
  /** Attempts per event, first included. Default 5. */
  attempts?: number;
  /** First backoff delay; doubles each retry (with jitter). Default 500 ms. */
  baseDelayMs?: number;
  timeoutMs?: number;
  random?: () => number;
  userAgent?: string;
  /** Events in a row that fail before the receiver counts as down. Default WEBHOOK_STOP_AFTER. */
  stopAfter?: number;
}

/** The header a signed webhook POST carries. */
export const SIGNATURE_HEADER = 'x-dsync-signature';

/**
 * The `X-Dsync-Signature` value for a body: `sha256=` and the lowercase hex HMAC-SHA256 of the
 * body's exact bytes, keyed with the shared secret (UTF-8). A receiver computes the same over the
 * raw body it received and compares in constant time.
 */
export function webhookSignature(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Status codes worth retrying: timeouts, throttling, server errors. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Events in a row the receiver could not take (down, 5xx, timeouts) before the run stops. */
export const WEBHOOK_STOP_AFTER = 3;

type Attempted =
  | { kind: 'accepted'; status: number }
  | { kind: 'refused'; message: string }
  | { kind: 'unreachable'; message: string };

/**
 * POSTs each event, with its id as `Idempotency-Key` and, given a secret, `X-Dsync-Signature`
 * over the body. Retries 5xx, 408, 429, resets and timeouts with backoff. A 4xx answer fails
 * that event only. When WEBHOOK_STOP_AFTER events in a row could not be delivered after their
 * retries, the receiver counts as down: that failure and every later delivery are fatal, and
 * later events are not sent at all.
 */
export function webhookSink(options: WebhookOptions): Sink<SinkEvent> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const random = options.random ?? Math.random;
  const stopAfter = options.stopAfter ?? WEBHOOK_STOP_AFTER;
  /** Never shown: cut out of anything the receiver answers that reaches a message. */
  const known = options.secret === undefined ? [] : [options.secret];
  const target = new URL(options.url);
  // Origin and path only: a query string may carry a token.
  const receiver = `${target.origin}${target.pathname}`;
  let failuresInARow = 0;
  /** Set once the receiver counts as down: the fatal message of every later delivery. */
  let down: string | undefined;
  const inFlight = new Set<Promise<Delivery>>();

  const attempt = async (event: SinkEvent): Promise<Attempted> => {
    const { request } = await import('undici');
    // The signature covers exactly these bytes, and these bytes are what is sent.
    const body = Buffer.from(JSON.stringify(event), 'utf8');
    const signature =
      options.secret === undefined ? {} : { [SIGNATURE_HEADER]: webhookSignature(options.secret, body) };
    let last = '';
    for (let n = 1; n <= attempts; n += 1) {
      let retryAfter: number | undefined;
      try {
        const response = await request(options.url, {
          method: 'POST',
          dispatcher: options.dispatcher,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': event.id,
            'user-agent': options.userAgent ?? 'dsync',
            'x-dsync-event': event.type,
            ...signature,
          },
          body,
          signal: options.signal,
          headersTimeout: options.timeoutMs ?? 30_000,
          bodyTimeout: options.timeoutMs ?? 30_000,
        });
        const text = await response.body.text().catch(() => '');
        if (response.statusCode >= 200 && response.statusCode < 300) {
          return { kind: 'accepted', status: response.statusCode };
        }
        last = `HTTP ${response.statusCode}${text ? `: ${redactString(text, known).slice(0, 200)}` : ''}`;
        if (!retryableStatus(response.statusCode)) {
          return { kind: 'refused', message: `webhook refused the event: ${last}` };
        }
        const header = response.headers['retry-after'];
        const seconds = Number(Array.isArray(header) ? header[0] : header);
        if (Number.isFinite(seconds) && seconds >= 0) retryAfter = Math.min(seconds * 1000, 60_000);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        last = (error as Error).message;
      }
      // Another event found the receiver down meanwhile: no point in retrying this one.
      if (down !== undefined) break;
      if (n < attempts) {
        const backoff = base * 2 ** (n - 1) * (0.5 + random());
        await options.clock.sleep(retryAfter ?? backoff, options.signal);
      }
    }
    return { kind: 'unreachable', message: `webhook failed after ${attempts} attempts: ${last}` };
  };

  const deliver = async (event: SinkEvent): Promise<Delivery> => {
    const outcome = await attempt(event);
    if (outcome.kind === 'accepted') {
      failuresInARow = 0;
      return { ok: true, detail: `HTTP ${outcome.status}` };
    }
    if (outcome.kind === 'refused') {
      // The receiver answered: it is up, and this event alone is at fault.
      failuresInARow = 0;
      return { ok: false, message: outcome.message };
    }
    if (down !== undefined) return { ok: false, fatal: true, message: down };
    failuresInARow += 1;
    if (failuresInARow < stopAfter) return { ok: false, message: outcome.message };
    down = `webhook receiver ${receiver} unreachable after ${stopAfter} consecutive failures (last: ${outcome.message}); stopping`;
    return { ok: false, fatal: true, message: down };
  };

  const drain = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  return {
    kind: 'webhook',
    concurrency: 4,
    deliver(event) {
      if (down !== undefined) return Promise.resolve({ ok: false, fatal: true, message: down });
      const delivery = deliver(event);
      inFlight.add(delivery);
      const settled = () => inFlight.delete(delivery);
      delivery.then(settled, settled);
      return delivery;
    },
    drain,
    finish: drain,
    async abort() {
      await drain();
      return { complete: true };
    },
  };
}
