/** Backoff for transient failures: exponential with full jitter (AWS "full jitter"). */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 10_000 };

/** Delay before retry number `attempt` (1 = first retry): random × min(cap, base × 2^(attempt-1)). */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(r * ceiling);
}

/** Network error codes after which the request certainly never reached Shopify (safe to resend). */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Network error codes worth retrying: resets, hang-ups and timeouts. */
const TRANSIENT_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export interface NetworkFailure {
  code: string;
  transient: boolean;
  /** True when the request cannot have reached the server, so even a mutation may be resent. */
  notSent: boolean;
  reason: string;
}

/** Classifies an error thrown by undici; undefined when it is not a network failure. */
export function classifyNetworkError(error: unknown): NetworkFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code === 'ENOTFOUND')) {
      return {
        code,
        transient: TRANSIENT_CODES.has(code),
        notSent: NOT_SENT_CODES.has(code) || code === 'ENOTFOUND',
        reason: describe(code),
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host not found';
    case 'EAI_AGAIN':
      return 'DNS lookup failed';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return 'request timed out';
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed (socket hang-up)';
    case 'ECONNRESET':
    case 'ECONNABORTED':
      return 'connection reset';
    default:
      return `network error ${code}`;
  }
}
