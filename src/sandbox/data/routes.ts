import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RouteHandler } from '../context.js';
import type { SandboxData } from './store.js';

const BULK_PATH = /^\/sandbox\/bulk\/(\d+)\.jsonl$/;

/**
 * Serves bulk-operation result files at `/sandbox/bulk/<id>.jsonl`, streamed from disk (like
 * Shopify's signed storage URLs, no access token needed). Only files an operation hands out as
 * `url` or `partialDataUrl` are served.
 */
export function createDataRoutes(data: SandboxData): RouteHandler {
  return async (req, res, url) => {
    const match = BULK_PATH.exec(url.pathname);
    if (!match) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return true;
    }
    const op = data.bulkOperations.get(Number(match[1]));
    const path = op?.filePath;
    if (!op || !path || !(op.hasUrl || op.hasPartialUrl)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not Found\n');
      return true;
    }
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not Found\n');
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/jsonl', 'content-length': String(size) });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(path);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
    return true;
  };
}
