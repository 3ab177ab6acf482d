import { randomBytes } from 'node:crypto';
import {
  type ActivityChange,
  type ActivityClock,
  type ActivityRate,
  type RunningActivity,
  startActivity,
} from './activity/index.js';
import { createOAuthRoutes, TokenRegistry } from './auth/index.js';
import type { ResolverMap, RouteHandler } from './context.js';
import {
  type BulkTiming,
  createDataRoutes,
  createResolvers,
  createSandboxData,
  resolveBulkTiming,
  type SandboxData,
} from './data/index.js';
import { GraphQLEndpoint } from './graphql/endpoint.js';
import { FaultPlan, parseFaultSpec } from './graphql/faults.js';
import { attachResolvers, buildSandboxSchema } from './graphql/schema.js';
import { planLimits, type SandboxPlan, Throttle } from './graphql/throttle.js';
import { ALL_SANDBOX_SCOPES } from './scopes.js';
import { createSandboxServer, type RequestLogEntry } from './server.js';

export {
  ACTIVITY_MIX,
  ACTIVITY_RATE_FORMS,
  type ActivityAction,
  type ActivityChange,
  type ActivityRate,
  ActivityRateError,
  parseActivityRate,
} from './activity/index.js';
export {
  type BulkTiming,
  BulkTimingError,
  DEFAULT_BULK_TIMING,
  INSTANT_BULK_TIMING,
  type SandboxData,
} from './data/index.js';
export { FAULT_SPEC_HELP, FaultSpecError } from './graphql/faults.js';
export { PLAN_LIMITS, SANDBOX_PLANS, type SandboxPlan } from './graphql/throttle.js';
export { ALL_SANDBOX_SCOPES } from './scopes.js';
export type { RequestLogEntry } from './server.js';

export interface SandboxOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Seeded orders (default 50). */
  orders?: number;
  /** Generated products beyond the seeded catalog, one SKU each (default 0). */
  products?: number;
  /** Seed of the generated data (default 1). */
  seed?: number;
  /** Throttle plan (default standard). */
  plan?: SandboxPlan;
  /** Bucket size override (default: the plan's). */
  maximumAvailable?: number;
  /** Skip the OAuth approval page. */
  autoApprove?: boolean;
  /**
   * How long bulk operations take, in real time: CREATED for `startupMs`, then RUNNING at
   * `objectsPerSecond` (default DEFAULT_BULK_TIMING, see src/sandbox/README.md). Tests that only
   * want the file pass INSTANT_BULK_TIMING (`{ startupMs: 0, objectsPerSecond: Infinity }`).
   * Invalid values throw BulkTimingError.
   */
  bulk?: Partial<BulkTiming>;
  /** Fault spec, see src/sandbox/graphql/faults.ts. */
  faults?: string;
  /** Lifetime of expiring tokens the OAuth routes issue. */
  tokenTtlSeconds?: number;
  /** The sandbox's clock (seeded data, tokens, resolvers). Throttling uses real time. */
  now?: () => Date;
  /** Shop handle (default 'dsync-sandbox'). */
  shopHandle?: string;
  /** Where the sandbox reports its own bugs (default: stderr). */
  onError?: (error: unknown) => void;
  /** Called once per answered request (a request log; no headers or bodies). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** For tests: resolvers instead of the data module's (the seeded data is still built). */
  resolvers?: ResolverMap;
  /**
   * A live store: the merchant's changes at `rate` (`30/min`, `2/s`, `120/h`), seeded by `seed`
   * (default: the store's seed), each reported to `onChange`. See src/sandbox/activity/.
   */
  activity?: {
    rate: string | ActivityRate;
    seed?: number;
    onChange(change: ActivityChange): void;
    /** Timers (default: real ones). */
    clock?: ActivityClock;
  };
}

export interface RunningSandbox {
  origin: string;
  port: number;
  /** `{handle}.myshopify.com` */
  shop: string;
  clientId: string;
  clientSecret: string;
  /** A ready, non-expiring access token with every scope (ALL_SANDBOX_SCOPES). */
  accessToken: string;
  data: SandboxData;
  tokens: TokenRegistry;
  /** GraphQL requests received and the faults injected so far, by kind (since the last setFaults). */
  faults(): { requests: number; injected: Record<string, number> };
  /** Replaces the fault spec from the next request on (undefined: no faults); throws FaultSpecError. */
  setFaults(spec: string | undefined): void;
  /** Stops the activity (if any) and leaves the store as it is. */
  stopActivity(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_SHOP_HANDLE = 'dsync-sandbox';
export const DEFAULT_ORDERS = 50;
export const APP_NAME = 'dsync (sandbox app)';

/** Starts a sandbox store on 127.0.0.1: OAuth, the Admin GraphQL API and bulk result files. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const shop = `${options.shopHandle ?? DEFAULT_SHOP_HANDLE}.myshopify.com`;
  let faults = new FaultPlan(parseFaultSpec(options.faults));
  // Checked before seeding, which can take a while.
  const bulk = resolveBulkTiming(options.bulk);
  const report =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `sandbox: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    });

  const data = createSandboxData({
    orders: options.orders ?? DEFAULT_ORDERS,
    seed: options.seed ?? 1,
    ...(options.products !== undefined ? { products: options.products } : {}),
    now: now(),
    shop,
    bulk,
  });
  const schema = attachResolvers(buildSandboxSchema(), options.resolvers ?? createResolvers(data));
  const tokens = new TokenRegistry({
    now,
    ...(options.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
  });
  const clientId = randomBytes(16).toString('hex');
  const clientSecret = `shpss_${randomBytes(16).toString('hex')}`;
  const ready = tokens.issue({ clientId, scopes: [...ALL_SANDBOX_SCOPES] });

  let origin = '';
  const endpoint = new GraphQLEndpoint({
    schema,
    shop,
    lookupToken: (token) => tokens.lookup(token),
    throttle: new Throttle(planLimits(options.plan ?? 'standard', options.maximumAvailable), () =>
      Date.now(),
    ),
    faults,
    now,
    origin: () => origin,
    onInternalError: (error) => report(error),
    revokeClient: (id) => tokens.revokeClient(id),
    onBulkFault: (fault) => {
      if (fault.kind === 'bulk-stuck') data.stickNextBulkOperation();
      else data.failNextBulkOperationAfter(fault.objects);
    },
  });
  const routes: RouteHandler[] = [
    createOAuthRoutes({
      app: { clientId, clientSecret, name: APP_NAME },
      shop,
      tokens,
      autoApprove: options.autoApprove ?? false,
      now,
      origin: () => origin,
      allScopes: [...ALL_SANDBOX_SCOPES],
    }),
    createDataRoutes(data),
  ];
  const server = createSandboxServer({
    endpoint,
    routes,
    onError: (error) => report(error),
    ...(options.onRequest ? { onResponse: options.onRequest } : {}),
  });
  const listening = await server.listen(options.port ?? 0, host);
  origin = listening.origin;
  let activity: RunningActivity | null = null;
  if (options.activity) {
    try {
      activity = startActivity({
        schema,
        shop,
        rate: options.activity.rate,
        seed: options.activity.seed ?? options.seed ?? 1,
        onChange: options.activity.onChange,
        now: () => new Date(data.now()),
        origin: () => origin,
        ...(options.activity.clock ? { clock: options.activity.clock } : {}),
        onError: (error) => report(error),
      });
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  return {
    origin,
    port: listening.port,
    shop,
    clientId,
    clientSecret,
    accessToken: ready.accessToken,
    data,
    tokens,
    faults: () => ({ requests: faults.requests, injected: { ...faults.injected } }),
    setFaults: (spec) => {
      faults = new FaultPlan(parseFaultSpec(spec));
      endpoint.setFaults(faults);
    },
    stopActivity: async () => {
      await activity?.stop();
      activity = null;
    },
    stop: async () => {
      await activity?.stop();
      await server.close();
    },
  };
}
