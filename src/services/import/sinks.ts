import { randomBytes } from 'node:crypto';
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
import type { Dispatcher } from 'undici';
import type { Clock } from '../../core/clock.js';
import type { OutputStream } from '../../core/deps.js';
import { redactString } from '../../core/redact.js';
import type { OrderEvent } from './order-document.js';

/**
 * Where events go. A sink's `deliver` resolves once the event is accepted (written and flushed,
 * or acknowledged by the receiver); only then does the ledger record it and the checkpoint move.
 */
export type Delivery = { ok: true; detail?: string } | { ok: false; message: string };

export interface Sink {
  readonly kind: 'stdout' | 'out' | 'webhook';
  /** How many events the import may hand over at once. */
  readonly concurrency: number;
  deliver(event: OrderEvent): Promise<Delivery>;
  /** Called once at the end of a successful run (e.g. closes a JSON array). */
  finish(): Promise<void>;
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

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Neutralise spreadsheet formulas, quote what needs quoting.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV row per line (an order without lines still gets one row). */
export function eventCsvRows(event: OrderEvent): string[] {
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
    [
      ...base,
      line?.fulfillmentOrderId,
      line?.fulfillmentOrderLineItemId,
      line?.sku,
      line?.title,
      line?.quantity,
      line?.unitPrice,
    ]
      .map(csvField)
      .join(','),
  );
}

function writeStream(stream: OutputStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

export function stdoutSink(stream: OutputStream, format: OutputFormat): Sink {
  let first = true;
  return {
    kind: 'stdout',
    concurrency: 1,
    async deliver(event) {
      if (format === 'jsonl') await writeStream(stream, `${JSON.stringify(event)}\n`);
      else if (format === 'json') {
        await writeStream(stream, `${first ? '[\n' : ',\n'}${JSON.stringify(event)}`);
      } else {
        const header = first ? `${CSV_COLUMNS.join(',')}\n` : '';
        await writeStream(stream, `${header}${eventCsvRows(event).join('\n')}\n`);
      }
      first = false;
      return { ok: true };
    },
    async finish() {
      if (format === 'json') await writeStream(stream, first ? '[]\n' : '\n]\n');
    },
  };
}

/** The file an event is written to: stable for the same event, so a rerun never duplicates it. */
export function eventFileName(event: OrderEvent, format: OutputFormat): string {
  const ext = format === 'csv' ? 'csv' : 'json';
  return `${event.order.legacyId}.${event.type}.${event.id.slice(0, 16)}.${ext}`;
}

/** Writes a file atomically: temp file in the same directory, fsync, rename, fsync the directory. */
export function writeFileAtomic(dir: string, name: string, content: string): void {
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
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

export function outDirSink(dir: string, format: OutputFormat): Sink {
  mkdirSync(dir, { recursive: true });
  return {
    kind: 'out',
    concurrency: 1,
    async deliver(event) {
      const name = eventFileName(event, format);
      if (existsSync(join(dir, name))) return { ok: true, detail: `${name} (already written)` };
      const content =
        format === 'csv'
          ? `${CSV_COLUMNS.join(',')}\n${eventCsvRows(event).join('\n')}\n`
          : `${JSON.stringify(event, null, 2)}\n`;
      try {
        writeFileAtomic(dir, name, content);
      } catch (error) {
        return { ok: false, message: `could not write ${join(dir, name)}: ${(error as Error).message}` };
      }
      return { ok: true, detail: name };
    },
    async finish() {},
  };
}

export interface WebhookOptions {
  url: string;
  dispatcher: Dispatcher;
  clock: Clock;
  signal?: AbortSignal;
  /** Attempts per event, first included. Default 5. */
  attempts?: number;
  /** First backoff delay; doubles each retry (with jitter). Default 500 ms. */
  baseDelayMs?: number;
  timeoutMs?: number;
  random?: () => number;
  userAgent?: string;
}

/** Status codes worth retrying: timeouts, throttling, server errors. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function webhookSink(options: WebhookOptions): Sink {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const random = options.random ?? Math.random;
  return {
    kind: 'webhook',
    concurrency: 4,
    async deliver(event) {
      const { request } = await import('undici');
      const body = JSON.stringify(event);
      let last = '';
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
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
            },
            body,
            signal: options.signal,
            headersTimeout: options.timeoutMs ?? 30_000,
            bodyTimeout: options.timeoutMs ?? 30_000,
          });
          const text = await response.body.text().catch(() => '');
          if (response.statusCode >= 200 && response.statusCode < 300) {
            return { ok: true, detail: `HTTP ${response.statusCode}` };
          }
          last = `HTTP ${response.statusCode}${text ? `: ${redactString(text.slice(0, 200))}` : ''}`;
          if (!retryableStatus(response.statusCode)) {
            return { ok: false, message: `webhook refused the event: ${last}` };
          }
          const header = response.headers['retry-after'];
          const seconds = Number(Array.isArray(header) ? header[0] : header);
          if (Number.isFinite(seconds) && seconds >= 0) retryAfter = Math.min(seconds * 1000, 60_000);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          last = (error as Error).message;
        }
        if (attempt < attempts) {
          const backoff = base * 2 ** (attempt - 1) * (0.5 + random());
          await options.clock.sleep(retryAfter ?? backoff, options.signal);
        }
      }
      return { ok: false, message: `webhook failed after ${attempts} attempts: ${last}` };
    },
    async finish() {},
  };
}
