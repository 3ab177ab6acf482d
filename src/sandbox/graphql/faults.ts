/**
 * Faults for testing a client's retries (`dsync sandbox --faults SPEC`).
 *
 * SPEC is a comma-separated list of rules; each rule is `KIND[@N][xM][:key=value[:key=value…]]`:
 *   KIND   an HTTP status 400–599 (`500`, `502`, `503`, `429`, …) answered with Shopify's body
 *          for it, `reset` (the connection is destroyed with no response), `slow` (the request
 *          is answered normally after a delay), `throttled` (a THROTTLED GraphQL response),
 *          `lost` (the request is carried out, a mutation applied, then the connection is reset:
 *          the answer is lost), `revoke` (the app's access tokens are revoked: this request and
 *          every later one answers 401 as Shopify does), `bulk-failed` / `bulk-stuck` (see below)
 *          or `mix`.
 *   @N     the Nth GraphQL request the sandbox receives (1-based). Default: the first.
 *          For `bulk-failed` and `bulk-stuck`, the Nth `bulkOperationRunQuery` request.
 *   xM     M of them in a row starting there. Default: 1. `revoke` lasts for good.
 *   keys   `retry-after=SECONDS` (429/503: the Retry-After header; 429 defaults to 2),
 *          `ms=MILLISECONDS` (slow: the delay; default 2000),
 *          `objects=N` (bulk-failed: objects written before it fails; default 100).
 * Examples: `500@3`, `429@2:retry-after=1`, `reset@5`, `slow@4:ms=2000`, `500x2`, `503@2x3`.
 * Only requests to the GraphQL endpoint are counted; the first matching rule wins.
 *
 * `bulk-failed` ends the bulk query FAILED (INTERNAL_SERVER_ERROR) after `objects` objects, with
 * what it wrote behind `partialDataUrl`, as Shopify does; `bulk-stuck` keeps it RUNNING (nothing
 * written) until it is cancelled.
 *
 * `mix:rate=R:seed=S` faults each GraphQL request independently with probability R (0–1), the
 * kind drawn from the seeded generator, so the same seed faults the same request numbers the same
 * way: 500, 502 or 503; a connection reset; a response slower than the client's timeout
 * (`slow-ms`, default SLOW_PAST_CLIENT_TIMEOUT_MS); a THROTTLED burst (this request and the next
 * two); a 429 with Retry-After (`retry-after`, default 1); and, for mutations, an answer lost after
 * the mutation was applied (the connection reset, or a 500). A bulk query the mix picks ends
 * FAILED with partial data. Deterministic rules listed before `mix` take precedence.
 */

/**
 * dsync's HTTP client gives up on an answer whose headers have not arrived after 60 s
 * (`headersTimeout` in src/core/default-deps.ts, read here as a number: the sandbox shares no code
 * with the client). The mix's slow answers come a second later than that.
 */
export const SLOW_PAST_CLIENT_TIMEOUT_MS = 61_000;

export type FaultKind =
  | 'status'
  | 'reset'
  | 'slow'
  | 'throttled'
  | 'lost'
  | 'revoke'
  | 'bulk-failed'
  | 'bulk-stuck'
  | 'mix';

export interface FaultRule {
  /** The rule as written (for messages). */
  source: string;
  kind: FaultKind;
  /** HTTP status for `status` faults. */
  status?: number;
  /** First request (1-based; for bulk kinds, first bulk query) the rule applies to. */
  from: number;
  /** Number of consecutive requests. */
  count: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** bulk-failed: objects written before the operation fails. */
  objects?: number;
  /** mix: probability that a request is faulted. */
  rate?: number;
  /** mix: seed of the draw. */
  seed?: number;
}

/** What one request gets, once the mix has been drawn. */
export type DrawnFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'throttled' }
  /** The mutation is applied, then the connection is reset (the answer is lost). */
  | { kind: 'applied-reset' }
  /** The mutation is applied, then the answer is an HTTP 500. */
  | { kind: 'applied-status'; status: number }
  /** The bulk query this mutation starts ends FAILED with partial data. */
  | { kind: 'bulk-failed'; objects: number };

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const RULE = /^(?<kind>[a-z][a-z-]*|\d{3})(?:@(?<at>\d+))?(?:x(?<times>\d+))?(?<params>(?::[^:]*)*)$/;

export const FAULT_SPEC_HELP =
  'KIND[@N][xM][:key=value], comma-separated; KIND is an HTTP status (500, 503, 429…), reset, slow, throttled, lost, ' +
  'revoke, bulk-failed, bulk-stuck, or mix:rate=R:seed=S; ' +
  'e.g. 500@3,429@5:retry-after=1,reset@7,slow@9:ms=2000,500x2,revoke@40,mix:rate=0.1:seed=7';

const NAMED_KINDS = new Set([
  'reset',
  'slow',
  'throttled',
  'lost',
  'revoke',
  'bulk-failed',
  'bulk-stuck',
  'mix',
]);

/** The keys each kind takes (statuses take retry-after). */
const KEYS: Record<string, readonly string[]> = {
  status: ['retry-after'],
  slow: ['ms'],
  'bulk-failed': ['objects'],
  mix: ['rate', 'seed', 'slow-ms', 'retry-after'],
};

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
    } else if (kind !== undefined && NAMED_KINDS.has(kind)) {
      rule.kind = kind as FaultKind;
      if (kind === 'slow') rule.delayMs = 2000;
      if (kind === 'bulk-failed') rule.objects = 100;
      if (kind === 'revoke') rule.count = Number.POSITIVE_INFINITY;
      if (kind === 'mix') {
        if (at !== undefined || times !== undefined) {
          throw new FaultSpecError(`invalid fault "${source}": mix applies to every request (no @N or xM)`);
        }
        rule.count = Number.POSITIVE_INFINITY;
        rule.rate = 0.1;
        rule.seed = 1;
        rule.delayMs = SLOW_PAST_CLIENT_TIMEOUT_MS;
        rule.retryAfterSeconds = 1;
      }
    } else {
      throw new FaultSpecError(
        `invalid fault "${source}": unknown kind "${kind}" (an HTTP status, reset, slow, throttled, lost, revoke, bulk-failed, bulk-stuck or mix)`,
      );
    }
    const allowed = KEYS[rule.kind] ?? [];
    for (const param of (params ?? '').split(':').slice(1)) {
      const [key, value, ...rest] = param.split('=');
      const number = Number(value);
      if (rest.length > 0 || value === undefined || value === '' || !Number.isFinite(number) || number < 0) {
        throw new FaultSpecError(`invalid fault "${source}": "${param}" is not key=number`);
      }
      if (key === undefined || !allowed.includes(key)) {
        const name = rule.kind === 'status' ? String(rule.status) : rule.kind;
        throw new FaultSpecError(
          `invalid fault "${source}": "${key}" does not apply to ${name} (${allowed.length > 0 ? `it takes ${allowed.join(', ')}` : 'it takes no keys'})`,
        );
      }
      if (key === 'retry-after') rule.retryAfterSeconds = number;
      else if (key === 'ms' || key === 'slow-ms') rule.delayMs = number;
      else if (key === 'objects') rule.objects = Math.floor(number);
      else if (key === 'seed') rule.seed = Math.floor(number);
      else if (key === 'rate') {
        if (number > 1) throw new FaultSpecError(`invalid fault "${source}": rate is a probability (0–1)`);
        rule.rate = number;
      }
    }
    rules.push(rule);
  }
  return rules;
}

/** What the mix can draw, and what only a mutation can get. */
const MIX_KINDS = ['500', '502', '503', 'reset', 'slow', 'throttled', '429'] as const;
const MUTATION_KINDS = ['applied-reset', 'applied-500'] as const;

/** How many requests a THROTTLED burst lasts. */
export const THROTTLED_BURST = 3;

/**
 * A deterministic uniform number in [0, 1) for (seed, request number, stream): the draw for a
 * request does not depend on what was drawn before it.
 */
export function seededUniform(seed: number, n: number, stream: number): number {
  // splitmix32 over the three inputs.
  let x =
    (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(n | 0, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  x ^= x >>> 15;
  return (x >>> 0) / 4294967296;
}

/** What the endpoint knows of a request when the mix is drawn. */
export interface RequestShape {
  mutation: boolean;
  /** A `bulkOperationRunQuery` mutation. */
  bulkQuery: boolean;
}

/**
 * The mix's fault for request number `n`, or undefined. Pure: the same rule, number and shape
 * always give the same answer.
 */
export function drawMixFault(rule: FaultRule, n: number, shape: RequestShape): DrawnFault | undefined {
  const seed = rule.seed ?? 1;
  if (seededUniform(seed, n, 0) >= (rule.rate ?? 0)) return undefined;
  if (shape.bulkQuery) {
    return { kind: 'bulk-failed', objects: 1 + Math.floor(seededUniform(seed, n, 2) * 200) };
  }
  const kinds: readonly string[] = shape.mutation ? [...MIX_KINDS, ...MUTATION_KINDS] : MIX_KINDS;
  const kind = kinds[Math.floor(seededUniform(seed, n, 1) * kinds.length)] ?? 'reset';
  switch (kind) {
    case '500':
    case '502':
    case '503':
      return { kind: 'status', status: Number(kind) };
    case '429':
      return { kind: 'status', status: 429, retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
    case 'slow':
      return { kind: 'slow', delayMs: rule.delayMs ?? SLOW_PAST_CLIENT_TIMEOUT_MS };
    case 'throttled':
      return { kind: 'throttled' };
    case 'applied-reset':
      return { kind: 'applied-reset' };
    case 'applied-500':
      return { kind: 'applied-status', status: 500 };
    default:
      return { kind: 'reset' };
  }
}

/** A fixed rule as the fault it gives. */
function fixedFault(rule: FaultRule): DrawnFault | 'revoke' | undefined {
  switch (rule.kind) {
    case 'status':
      return {
        kind: 'status',
        status: rule.status ?? 500,
        ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
      };
    case 'reset':
      return { kind: 'reset' };
    case 'slow':
      return { kind: 'slow', delayMs: rule.delayMs ?? 0 };
    case 'throttled':
      return { kind: 'throttled' };
    case 'lost':
      return { kind: 'applied-reset' };
    case 'revoke':
      return 'revoke';
    default:
      return undefined;
  }
}

/** One request's ticket: its number and the fixed rule that matched it, if any. */
export interface FaultTicket {
  n: number;
  rule: FaultRule | undefined;
}

/** What the plan has injected so far, by kind (`dsync sandbox` prints it on exit). */
export type FaultCounts = Record<string, number>;

/** Counts GraphQL requests and bulk queries and says which fault, if any, each one gets. */
export class FaultPlan {
  private seen = 0;
  private bulkSeen = 0;
  private burstUntil = 0;
  private revokedAt: number | undefined;
  readonly injected: FaultCounts = {};
  private readonly requestRules: readonly FaultRule[];
  private readonly bulkRules: readonly FaultRule[];
  private readonly mix: FaultRule | undefined;

  constructor(readonly rules: readonly FaultRule[]) {
    this.requestRules = rules.filter(
      (r) => r.kind !== 'bulk-failed' && r.kind !== 'bulk-stuck' && r.kind !== 'mix',
    );
    this.bulkRules = rules.filter((r) => r.kind === 'bulk-failed' || r.kind === 'bulk-stuck');
    this.mix = rules.find((r) => r.kind === 'mix');
  }

  /** Call once per GraphQL request: the fixed rule for it, if any. */
  next(): FaultRule | undefined {
    return this.ticket().rule;
  }

  /** Call once per GraphQL request. */
  ticket(): FaultTicket {
    this.seen += 1;
    const n = this.seen;
    return { n, rule: this.requestRules.find((r) => n >= r.from && n < r.from + r.count) };
  }

  /**
   * The fault request `ticket` gets, now that its shape is known: its fixed rule, the rest of a
   * THROTTLED burst, or the mix's draw. `revoke` is answered once, when the tokens must go.
   */
  resolve(ticket: FaultTicket, shape: RequestShape): DrawnFault | 'revoke' | undefined {
    const { n, rule } = ticket;
    if (rule) {
      const fixed = fixedFault(rule);
      if (fixed === 'revoke') {
        if (this.revokedAt !== undefined) return undefined;
        this.revokedAt = n;
        this.count('revoke');
        return 'revoke';
      }
      if (fixed) this.count(fixed.kind === 'status' ? String(fixed.status) : fixed.kind);
      return fixed;
    }
    if (!this.mix) return undefined;
    if (n < this.burstUntil) {
      this.count('throttled');
      return { kind: 'throttled' };
    }
    const drawn = drawMixFault(this.mix, n, shape);
    if (drawn === undefined) return undefined;
    if (drawn.kind === 'throttled') this.burstUntil = n + THROTTLED_BURST;
    this.count(drawn.kind === 'status' ? String(drawn.status) : drawn.kind);
    return drawn;
  }

  /** Call once per `bulkOperationRunQuery` request: the fault it gets, if a bulk rule names it. */
  nextBulk(): { kind: 'bulk-failed'; objects: number } | { kind: 'bulk-stuck' } | undefined {
    this.bulkSeen += 1;
    const n = this.bulkSeen;
    const rule = this.bulkRules.find((r) => n >= r.from && n < r.from + r.count);
    if (!rule) return undefined;
    this.count(rule.kind);
    return rule.kind === 'bulk-stuck'
      ? { kind: 'bulk-stuck' }
      : { kind: 'bulk-failed', objects: rule.objects ?? 100 };
  }

  private count(kind: string): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  get requests(): number {
    return this.seen;
  }
}
