import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 64 * 1024;

export type BodyResult =
  | { ok: true; params: Map<string, string> }
  | { ok: false; status: 400 | 413 | 415; description: string };

/**
 * Reads a token-endpoint style body: `application/json` (an object of scalar fields) or
 * `application/x-www-form-urlencoded`. Numbers and booleans in JSON become their string form
 * (`"expiring": 1` reads as `"1"`); nested values are refused.
 */
export async function readParams(req: IncomingMessage): Promise<BodyResult> {
  let raw: Buffer | undefined;
  try {
    raw = await readRaw(req);
  } catch {
    return { ok: false, status: 400, description: 'The request body could not be read' };
  }
  if (raw === undefined) {
    return { ok: false, status: 413, description: `The request body is larger than ${MAX_BODY_BYTES} bytes` };
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const params = new Map<string, string>();
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
      if (!params.has(key)) params.set(key, value);
    }
    return { ok: true, params };
  }
  if (type === 'application/json' || (type === '' && raw.length === 0)) {
    if (raw.length === 0) return { ok: true, params: new Map() };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return { ok: false, status: 400, description: 'The request body is not valid JSON' };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false, status: 400, description: 'The request body must be a JSON object' };
    }
    const params = new Map<string, string>();
    for (const [key, value] of Object.entries(parsed)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'string') params.set(key, value);
      else if (typeof value === 'number' || typeof value === 'boolean') params.set(key, String(value));
      else return { ok: false, status: 400, description: `The field ${key} must be a string` };
    }
    return { ok: true, params };
  }
  return {
    ok: false,
    status: 415,
    description: 'Send the parameters as application/json or application/x-www-form-urlencoded',
  };
}

/** The whole body, or undefined when it exceeds MAX_BODY_BYTES (the rest is drained unread). */
async function readRaw(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(buf);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}
