import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteHandler } from './context.js';
import type { GraphQLEndpoint } from './graphql/endpoint.js';
import { NOT_FOUND_BODY } from './graphql/errors.js';

/** `/admin/api/{version}/graphql.json` */
export const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface SandboxServerOptions {
  endpoint: GraphQLEndpoint;
  /** Other routes (OAuth, bulk result files), asked in order before the 404. */
  routes: RouteHandler[];
  /** Where unexpected errors are reported (the request is answered with a 500). */
  onError?: (error: unknown, requestId: string) => void;
  /** Called once per answered request (for a request log). Never given headers or bodies. */
  onResponse?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  /** The path without its query string (which may carry OAuth parameters). */
  path: string;
  /** 0 when the connection was reset on purpose (a fault). */
  status: number;
  ms: number;
  requestId: string;
  /** For GraphQL responses: requested/actual cost and what is left in the bucket. */
  cost?: { requested: number; actual: number | null; available: number };
  /** Error codes of a GraphQL response (THROTTLED, MAX_COST_EXCEEDED, ACCESS_DENIED…). */
  codes?: string[];
}

function costOf(body: unknown): Pick<RequestLogEntry, 'cost' | 'codes'> {
  if (body === null || typeof body !== 'object') return {};
  const record = body as {
    errors?: unknown;
    extensions?: {
      cost?: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: { currentlyAvailable: number };
      };
    };
  };
  const cost = record.extensions?.cost;
  const codes = Array.isArray(record.errors)
    ? [
        ...new Set(
          record.errors
            .map((e: { extensions?: { code?: unknown } }) => e?.extensions?.code)
            .filter((c): c is string => typeof c === 'string'),
        ),
      ]
    : [];
  return {
    ...(cost
      ? {
          cost: {
            requested: cost.requestedQueryCost,
            actual: cost.actualQueryCost,
            available: cost.throttleStatus.currentlyAvailable,
          },
        }
      : {}),
    ...(codes.length > 0 ? { codes } : {}),
  };
}

export interface SandboxServer {
  server: Server;
  listen(port: number, host: string): Promise<{ port: number; origin: string }>;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

const logExtra = new WeakMap<ServerResponse, Pick<RequestLogEntry, 'cost' | 'codes'>>();

/** The sandbox's HTTP server: node:http, loopback only, `x-request-id` on every response. */
export function createSandboxServer(options: SandboxServerOptions): SandboxServer {
  const server = createServer((req, res) => {
    const requestId = randomUUID();
    const started = performance.now();
    res.setHeader('x-request-id', requestId);
    if (options.onResponse) {
      const log = options.onResponse;
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      let logged = false;
      const done = () => {
        if (logged) return;
        logged = true;
        log({
          method: req.method ?? 'GET',
          path,
          status: res.headersSent ? res.statusCode : 0,
          ms: Math.round(performance.now() - started),
          requestId,
          ...(logExtra.get(res) ?? {}),
        });
      };
      res.on('finish', done);
      res.on('close', done);
    }
    handle(req, res, requestId).catch((error: unknown) => {
      options.onError?.(error, requestId);
      if (!res.headersSent) {
        sendJson(res, 500, { errors: 'Internal Server Error' });
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const graphql = GRAPHQL_PATH.exec(url.pathname);
    if (graphql) {
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, { errors: 'Method Not Allowed' }, { allow: 'POST' });
        return;
      }
      const fault = options.endpoint.nextFault();
      let body: string;
      try {
        body = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          sendJson(res, 413, { errors: 'Request Entity Too Large' });
          return;
        }
        throw error;
      }
      const answer = await options.endpoint.handle(
        {
          version: decodeURIComponent(graphql[1]!),
          accessToken: headerValue(req.headers['x-shopify-access-token']),
          contentType: headerValue(req.headers['content-type']),
          body,
          requestId,
        },
        fault,
      );
      if (answer.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      logExtra.set(res, costOf(answer.body));
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }
    for (const route of options.routes) {
      if (await route(req, res, url)) return;
    }
    req.resume();
    sendJson(res, 404, NOT_FOUND_BODY);
  }

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          resolve({ port: address.port, origin: `http://${host}:${address.port}` });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
