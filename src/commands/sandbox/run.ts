import { UsageError } from '../../core/errors.js';
import { createOutput, type Output } from '../../core/output.js';
import type { CommandRun } from '../define.js';
import type { ActivityChange, RequestLogEntry } from '../../sandbox/index.js';
import { parseSandboxFlags, type SandboxCommandOptions } from './options.js';

/** The pinned Admin API version the sandbox's schema implements. */
const API_VERSION = '2026-10';

export interface SandboxStarted {
  shop: string;
  origin: string;
  port: number;
  graphqlUrl: string;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  scopes: string[];
  plan: string;
  restoreRate: number;
  maximumAvailable: number;
  orders: number;
  products: number;
  seed: number;
  autoApprove: boolean;
  faults: string | null;
  /** `--activity`, normalised (`30/min`), or null. */
  activity: string | null;
  /** How long bulk operations take; objectsPerSecond null = at once (`--bulk-rate instant`). */
  bulk: { startupMs: number; objectsPerSecond: number | null };
  env: { DSYNC_API_ORIGIN: string; DSYNC_STORE: string };
}

export function renderStarted(s: SandboxStarted, out: Output): string {
  const p = out.paint;
  const row = (label: string, value: string) => `  ${p.dim(label.padEnd(14))} ${value}`;
  return [
    p.bold('dsync sandbox: a local Shopify-compatible store'),
    row('shop', s.shop),
    row('origin', s.origin),
    row('graphql', s.graphqlUrl),
    row('client id', s.clientId),
    row('client secret', s.clientSecret),
    row('access token', `${s.accessToken}  (every scope)`),
    row('plan', `${s.plan}: ${s.restoreRate} points/s, bucket ${s.maximumAvailable}`),
    row(
      'data',
      `${s.orders} orders${s.products > 0 ? `, ${s.products} generated products` : ''}, seed ${s.seed}`,
    ),
    row('oauth', s.autoApprove ? 'installs are approved at once' : 'installs show an approval page'),
    ...(s.faults ? [row('faults', s.faults)] : []),
    ...(s.activity ? [row('activity', `${s.activity}: the store changes on its own`)] : []),
    row('bulk', describeBulk(s.bulk)),
    '',
    'Point dsync at it from another terminal:',
    `  export DSYNC_API_ORIGIN=${s.env.DSYNC_API_ORIGIN} DSYNC_STORE=${s.env.DSYNC_STORE}`,
    `  printf %s ${s.accessToken} | dsync auth login --with-token`,
    `  # or OAuth: DSYNC_CLIENT_SECRET=${s.clientSecret} dsync auth login --client-id ${s.clientId}`,
  ].join('\n');
}

/** `queued 5 s, then 500 objects/s` or `at once`. */
export function describeBulk(bulk: SandboxStarted['bulk']): string {
  const rate = bulk.objectsPerSecond === null ? 'all objects at once' : `${bulk.objectsPerSecond} objects/s`;
  if (bulk.startupMs === 0) return bulk.objectsPerSecond === null ? 'results at once' : `no queue, ${rate}`;
  return `queued ${bulk.startupMs / 1000} s, then ${rate}`;
}

/** One stderr line per request: `POST /admin/api/2026-10/graphql.json 200 12ms cost 12/4 (1996 left)`. */
export function formatRequest(entry: RequestLogEntry, out: Output): string {
  const p = out.talkPaint;
  const status =
    entry.status === 0
      ? p.red('reset')
      : entry.status >= 400
        ? p.red(String(entry.status))
        : p.green(String(entry.status));
  const parts = [p.dim(entry.method), entry.path, status, p.dim(`${entry.ms}ms`)];
  if (entry.cost) {
    parts.push(
      p.dim(`cost ${entry.cost.requested}/${entry.cost.actual ?? '-'} (${entry.cost.available} left)`),
    );
  }
  if (entry.codes) parts.push(p.yellow(entry.codes.join(',')));
  return parts.join(' ');
}

/** One stderr line per change: `12:00:03 cancelled #1043 (CUSTOMER)`, in local time. */
export function formatChange(change: ActivityChange, out: Output): string {
  const p = out.talkPaint;
  const at = new Date(change.at);
  const time = [at.getHours(), at.getMinutes(), at.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `${p.dim(time)} ${change.ok ? change.summary : p.yellow(change.summary)}`;
}

/** The `--json` line per change: when, what, which order, ok — and the ids to check it by. */
export function changeLine(change: ActivityChange): Record<string, unknown> {
  return {
    at: change.at,
    action: change.action,
    order: change.order,
    detail: change.detail,
    ok: change.ok,
    mutation: change.mutation,
    summary: change.summary,
    ids: change.ids,
    ...(change.userErrors ? { userErrors: change.userErrors } : {}),
    ...(change.errors ? { errors: change.errors } : {}),
  };
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export const run: CommandRun = async (deps, _args, flags) => {
  const out = createOutput(deps);
  const options: SandboxCommandOptions = parseSandboxFlags(flags);
  if (options.orders >= 10_000) out.info(`seeding ${options.orders} orders…`);
  const sandbox = await import('../../sandbox/index.js');
  let announced = false;
  const pending: ActivityChange[] = [];
  const report = (change: ActivityChange) => {
    if (out.json) out.jsonLine(changeLine(change));
    else out.info(formatChange(change, out));
  };
  let running: Awaited<ReturnType<typeof sandbox.startSandbox>>;
  try {
    running = await sandbox.startSandbox({
      port: options.port,
      orders: options.orders,
      products: options.products,
      seed: options.seed,
      plan: options.plan,
      autoApprove: options.autoApprove,
      bulk: options.bulk,
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      ...(options.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
      ...(options.activity !== undefined
        ? {
            activity: {
              rate: options.activity,
              seed: options.seed,
              // Changes wait for the startup line, so --json's first line is always the startup one.
              onChange: (change: ActivityChange) => {
                if (!announced) return void pending.push(change);
                report(change);
              },
            },
          }
        : {}),
      ...(!out.json || deps.global.debug
        ? { onRequest: (entry: RequestLogEntry) => out.info(formatRequest(entry, out)) }
        : {}),
      onError: (error) =>
        out.warn(`sandbox: unexpected error: ${error instanceof Error ? error.message : String(error)}`),
    });
  } catch (error) {
    if (error instanceof sandbox.FaultSpecError) {
      throw new UsageError(`--faults: ${error.message}`, { hint: `dsync sandbox --faults 500@3,429@5` });
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port} on 127.0.0.1 is already in use`, {
        hint: 'dsync sandbox --port 0   (any free port), or stop the other sandbox',
      });
    }
    throw error;
  }

  const limits = sandbox.PLAN_LIMITS[options.plan];
  const started: SandboxStarted = {
    shop: running.shop,
    origin: running.origin,
    port: running.port,
    graphqlUrl: `${running.origin}/admin/api/${API_VERSION}/graphql.json`,
    clientId: running.clientId,
    clientSecret: running.clientSecret,
    accessToken: running.accessToken,
    scopes: [...sandbox.ALL_SANDBOX_SCOPES],
    plan: options.plan,
    restoreRate: limits.restoreRate,
    maximumAvailable: limits.maximumAvailable,
    orders: options.orders,
    products: options.products,
    seed: options.seed,
    autoApprove: options.autoApprove,
    faults: options.faults ?? null,
    activity: options.activity?.text ?? null,
    bulk: {
      startupMs: options.bulk.startupMs,
      objectsPerSecond: Number.isFinite(options.bulk.objectsPerSecond) ? options.bulk.objectsPerSecond : null,
    },
    env: { DSYNC_API_ORIGIN: running.origin, DSYNC_STORE: running.shop },
  };
  if (out.json) out.jsonLine(started);
  else out.print(renderStarted(started, out));
  out.info(`sandbox listening on ${running.origin}; Ctrl-C stops it`);
  announced = true;
  for (const change of pending.splice(0)) report(change);

  await waitForAbort(deps.signal);
  await running.stop();
  if (options.faults !== undefined) {
    const { requests, injected } = running.faults();
    const kinds = Object.entries(injected).map(([kind, n]) => `${kind} ${n}`);
    out.info(
      `faults injected: ${kinds.length > 0 ? kinds.join(', ') : 'none'} (in ${requests} GraphQL requests)`,
    );
  }
  out.info('sandbox stopped');
};
