import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import type { Clock } from '../../../src/core/clock.js';
import { InterruptedError } from '../../../src/core/errors.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The parsed JSON body, when it is JSON. */
  json: { query?: string; operationName?: string; variables?: Record<string, unknown> } | undefined;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Close the socket without answering (a hang-up). */
  hangUp?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Only answer requests to this path (default: any). */
  path?: string;
}

export type Script = ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse);

/**
 * A local HTTP server that answers from a script, one entry per request, in order. Any request
 * beyond the script (or to an unexpected path) is answered 599 and recorded as unexpected, and
 * `verify()` fails the test.
 */
export class FakeShopify {
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: string[] = [];
  private readonly script: Script[] = [];
  private server: Server | undefined;
  origin = '';
  readonly dispatcher = new Agent({ keepAliveTimeout: 10, connections: 8 });

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Queues responses, answered in order. */
  reply(...entries: Script[]): this {
    this.script.push(...entries);
    return this;
  }

  get pending(): number {
    return this.script.length;
  }

  /** Throws when a request was unexpected or a scripted response was never asked for. */
  verify(): void {
    if (this.unexpected.length > 0) throw new Error(`unexpected requests: ${this.unexpected.join(', ')}`);
    if (this.script.length > 0)
      throw new Error(`${this.script.length} scripted responses were never requested`);
  }

  async stop(): Promise<void> {
    await this.dispatcher.close();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: RecordedRequest['json'];
    try {
      json = body === '' ? undefined : (JSON.parse(body) as RecordedRequest['json']);
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      json,
    };
    this.requests.push(recorded);
    const next = this.script.shift();
    const response = typeof next === 'function' ? next(recorded) : next;
    if (
      !response ||
      (response.path !== undefined && response.path !== new URL(recorded.url, this.origin).pathname)
    ) {
      this.unexpected.push(`${recorded.method} ${recorded.url} ${json?.operationName ?? ''}`.trim());
      res.writeHead(599, { 'content-type': 'text/plain' }).end('unexpected request');
      return;
    }
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (response.hangUp) {
      req.socket.destroy();
      return;
    }
    const isText = typeof response.body === 'string';
    const payload =
      response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
    res.writeHead(response.status ?? 200, {
      'content-type': isText ? 'text/plain' : 'application/json',
      ...response.headers,
    });
    res.end(payload);
  }
}

/** A clock whose sleeps return at once, advance time and are recorded. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private current: number;

  constructor(start = Date.parse('2026-11-26T12:00:00Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new InterruptedError();
    this.sleeps.push(ms);
    this.current += ms;
  }
}

/** A GraphQL success body with a cost extension. */
export function ok(
  data: unknown,
  cost: { requested?: number; actual?: number; available?: number; max?: number; rate?: number } = {},
): { data: unknown; extensions: unknown } {
  return {
    data,
    extensions: {
      cost: {
        requestedQueryCost: cost.requested ?? 10,
        actualQueryCost: cost.actual ?? cost.requested ?? 10,
        throttleStatus: {
          maximumAvailable: cost.max ?? 2000,
          currentlyAvailable: cost.available ?? 1990,
          restoreRate: cost.rate ?? 100,
        },
      },
    },
  };
}

export function throttled(requested: number, available: number, rate = 100, max = 2000): unknown {
  return {
    errors: [
      {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      },
    ],
    extensions: {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate },
      },
    },
  };
}
