import { z } from 'zod';
import { safeEqual, verifyQueryHmac } from './hmac.js';

/**
 * Checks one request to the loopback callback (`http://127.0.0.1:<port>/callback`). Pure: the
 * server hands in the request's method, URL and Host header; the answer is the authorization
 * code or the reason it is refused.
 */
export interface CallbackExpectation {
  port: number;
  path: string;
  state: string;
  shop: string;
  clientSecret: string;
  now: Date;
  /** How far `timestamp` may be from now, in seconds (default 90, as Shopify's libraries). */
  maxSkewSeconds?: number;
}

export type CallbackRejection =
  | 'method'
  | 'path'
  | 'host'
  | 'denied'
  | 'params'
  | 'state'
  | 'shop'
  | 'hmac'
  | 'timestamp';

export type CallbackVerdict =
  | { ok: true; code: string; host: string | undefined }
  | {
      ok: false;
      reason: CallbackRejection;
      status: number;
      message: string;
      /**
       * Whether the request carried this login's `state` (once): only Shopify's redirect for this
       * login knows it. A refused request without it (another page, a stale tab) is not this
       * login's callback and must not end the login.
       */
      ours: boolean;
    };

const CallbackParams = z.object({
  code: z.string().min(1).max(512),
  shop: z.string().min(1).max(255),
  state: z.string().min(1).max(512),
  timestamp: z.string().regex(/^\d{1,12}$/),
  hmac: z.string().regex(/^[0-9a-fA-F]{64}$/),
  host: z.string().max(1024).optional(),
});

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function verifyCallback(
  request: { method: string | undefined; url: string; host: string | undefined },
  expected: CallbackExpectation,
): CallbackVerdict {
  let ours = false;
  const refuse = (reason: CallbackRejection, status: number, message: string): CallbackVerdict => ({
    ok: false,
    reason,
    status,
    message,
    ours,
  });
  const host = (request.host ?? '').toLowerCase();
  if (!allowedHosts(expected.port).includes(host)) {
    return refuse('host', 421, `unexpected Host header ${JSON.stringify(request.host ?? '')}`);
  }
  let url: URL;
  try {
    url = new URL(request.url, `http://127.0.0.1:${expected.port}`);
  } catch {
    return refuse('path', 404, 'not found');
  }
  if (url.pathname !== expected.path) return refuse('path', 404, 'not found');
  if (request.method !== 'GET') return refuse('method', 405, 'only GET is accepted');

  const params = url.searchParams;
  const states = params.getAll('state');
  ours = states.length === 1 && safeEqual(states[0] ?? '', expected.state);
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    return refuse(
      'denied',
      400,
      `the store did not authorize the app: ${error}${description ? ` (${description})` : ''}`,
    );
  }
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) return refuse('params', 400, `the parameter ${key} appears twice`);
  }
  const parsed = CallbackParams.safeParse(Object.fromEntries(params.entries()));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'query';
    return refuse(field === 'hmac' ? 'hmac' : 'params', 400, `missing or malformed parameter: ${field}`);
  }
  const values = parsed.data;
  if (!safeEqual(values.state, expected.state)) {
    return refuse('state', 400, 'the state parameter does not match this login (a stale or forged request)');
  }
  if (values.shop.toLowerCase() !== expected.shop) {
    return refuse('shop', 400, `the callback is for ${values.shop}, not ${expected.shop}`);
  }
  if (!verifyQueryHmac(params, expected.clientSecret)) {
    return refuse('hmac', 400, 'the callback signature (hmac) is invalid: is the client secret right?');
  }
  const skew = expected.maxSkewSeconds ?? 90;
  const stamp = Number(values.timestamp);
  if (Math.abs(expected.now.getTime() / 1000 - stamp) > skew) {
    return refuse(
      'timestamp',
      400,
      `the callback timestamp is more than ${skew} s away from this computer's clock (check the system time)`,
    );
  }
  return { ok: true, code: values.code, host: values.host };
}
