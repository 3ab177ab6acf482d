/**
 * Deterministic faults for testing a client's retries (`dsync sandbox --faults SPEC`).
 *
 * SPEC is a comma-separated list of rules; each rule is `KIND[@N][xM][:key=value[:key=value…]]`:
 *   KIND   an HTTP status 400–599 (`500`, `502`, `503`, `429`, …) answered with Shopify's body
 *          for it, `reset` (the connection is destroyed with no response), `slow` (the request
 *          is answered normally after a delay) or `throttled` (a THROTTLED GraphQL response).
 *   @N     the Nth GraphQL request the sandbox receives (1-based). Default: the first.
 *   xM     M requests in a row starting there. Default: 1.
 *   keys   `retry-after=SECONDS` (429/503: the Retry-After header; 429 defaults to 2),
 *          `ms=MILLISECONDS` (slow: the delay; default 2000).
 * Examples: `500@3`, `429@2:retry-after=1`, `reset@5`, `slow@4:ms=2000`, `500x2`, `503@2x3`.
 * Only requests to the GraphQL endpoint are counted; the first matching rule wins.
 */

export type FaultKind = 'status' | 'reset' | 'slow' | 'throttled';

export interface FaultRule {
  /** The rule as written (for messages). */
  source: string;
  kind: FaultKind;
  /** HTTP status for `status` faults. */
  status?: number;
  /** First request (1-based) the rule applies to. */
  from: number;
  /** Number of consecutive requests. */
  count: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const RULE = /^(?<kind>[a-z]+|\d{3})(?:@(?<at>\d+))?(?:x(?<times>\d+))?(?<params>(?::[^:]*)*)$/;

export const FAULT_SPEC_HELP =
  'KIND[@N][xM][:key=value], comma-separated; KIND is an HTTP status (500, 503, 429…), reset, slow or throttled; ' +
  'e.g. 500@3,429@5:retry-after=1,reset@7,slow@9:ms=2000,500x2';

export function parseFaultSpec(spec: string | undefined): FaultRule[] {
  if (spec === undefined || spec.trim() === '') return [];
  const rules: FaultRule[] = [];
  for (const raw of spec.split(',')) {
    const source = raw.trim();
    if (source === '') continue;
    const match = RULE.exec(source.toLowerCase());
    if (!match?.groups) {
      throw new FaultSpecError(`invalid fault "${source}": expected ${FAULT_SPEC_HELP}`);
    }
    const { kind, at, times, params } = match.groups as Record<string, string | undefined>;
    const from = at === undefined ? 1 : Number(at);
    const count = times === undefined ? 1 : Number(times);
    if (from < 1) throw new FaultSpecError(`invalid fault "${source}": @N counts from 1`);
    if (count < 1) throw new FaultSpecError(`invalid fault "${source}": xM must be at least 1`);
    const rule: FaultRule = { source, kind: 'status', from, count };
    if (kind !== undefined && /^\d{3}$/.test(kind)) {
      const status = Number(kind);
      if (status < 400 || status > 599) {
        throw new FaultSpecError(`invalid fault "${source}": status must be between 400 and 599`);
      }
      rule.status = status;
      if (status === 429) rule.retryAfterSeconds = 2;
    } else if (kind === 'reset' || kind === 'slow' || kind === 'throttled') {
      rule.kind = kind;
      if (kind === 'slow') rule.delayMs = 2000;
    } else {
      throw new FaultSpecError(
        `invalid fault "${source}": unknown kind "${kind}" (an HTTP status, reset, slow or throttled)`,
      );
    }
    for (const param of (params ?? '').split(':').slice(1)) {
      const [key, value, ...rest] = param.split('=');
      const number = Number(value);
      if (rest.length > 0 || value === undefined || value === '' || !Number.isFinite(number) || number < 0) {
        throw new FaultSpecError(`invalid fault "${source}": "${param}" is not key=number`);
      }
      if (key === 'retry-after' && rule.kind === 'status') rule.retryAfterSeconds = number;
      else if (key === 'ms' && rule.kind === 'slow') rule.delayMs = number;
      else {
        throw new FaultSpecError(
          `invalid fault "${source}": "${key}" does not apply to ${rule.kind === 'status' ? rule.status : rule.kind} (retry-after for statuses, ms for slow)`,
        );
      }
    }
    rules.push(rule);
  }
  return rules;
}

/** Counts GraphQL requests and says which fault, if any, the next one gets. */
export class FaultPlan {
  private seen = 0;

  constructor(readonly rules: readonly FaultRule[]) {}

  /** Call once per GraphQL request. */
  next(): FaultRule | undefined {
    this.seen += 1;
    const n = this.seen;
    return this.rules.find((r) => n >= r.from && n < r.from + r.count);
  }

  get requests(): number {
    return this.seen;
  }
}
