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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The sandbox's HTTP server: node:http, loopback only, `x-request-id` on every response. */
export function createSandboxServer(options: SandboxServerOptions): SandboxServer {
  const server = createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
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
      if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 0);
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
        fault?.kind === 'slow' ? undefined : fault,
      );
      if (answer.kind === 'reset') {
        req.socket.destroy();
        return;
      }
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
