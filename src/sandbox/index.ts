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
import { createSandboxServer, type RequestLogEntry, type SandboxShopHandlers } from './server.js';

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
  /**
   * How many stores to serve on the one origin (default 1). The first is `{handle}.myshopify.com`
   * with seed `seed`; store k (2…N) is `{handle}-{k}.myshopify.com` with seed `seed + k - 1`.
   * Each has its own data, tokens and throttle bucket; one app (client id and secret) is
   * installed on all of them. Requests reach store k under `/shops/{shop}/…` (see server.ts).
   */
  shops?: number;
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

/** One store of a sandbox. */
export interface SandboxShop {
  /** `{handle}.myshopify.com` */
  shop: string;
  /** Where clients reach this store: `{origin}/shops/{shop}`. */
  origin: string;
  /** A ready, non-expiring access token of this store with every scope. */
  accessToken: string;
  data: SandboxData;
  tokens: TokenRegistry;
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
  /** Every store served, the first being the one above (`shop`, `accessToken`, `data`). */
  shops: SandboxShop[];
  stop(): Promise<void>;
}

/** The most stores one sandbox serves. */
export const MAX_SHOPS = 1000;

/** `{handle}.myshopify.com` for the first store, `{handle}-{k}.myshopify.com` for store k. */
export function sandboxShopDomain(handle: string, index: number): string {
  return index === 0 ? `${handle}.myshopify.com` : `${handle}-${index + 1}.myshopify.com`;
}

export const DEFAULT_SHOP_HANDLE = 'dsync-sandbox';
export const DEFAULT_ORDERS = 50;
export const APP_NAME = 'dsync (sandbox app)';

/** Starts a sandbox store on 127.0.0.1: OAuth, the Admin GraphQL API and bulk result files. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const count = options.shops ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHOPS) {
    throw new RangeError(`shops must be a whole number from 1 to ${MAX_SHOPS}`);
  }
  const handle = options.shopHandle ?? DEFAULT_SHOP_HANDLE;
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
  const clientId = randomBytes(16).toString('hex');
  const clientSecret = `shpss_${randomBytes(16).toString('hex')}`;
  let origin = '';

  const built = Array.from({ length: count }, (_, index) => {
    const shop = sandboxShopDomain(handle, index);
    // The first store is reached without a prefix too; the URLs it hands out stay unprefixed.
    const basePath = index === 0 ? '' : `/shops/${shop}`;
    const shopOrigin = () => `${origin}${basePath}`;
    const data = createSandboxData({
      orders: options.orders ?? DEFAULT_ORDERS,
      seed: (options.seed ?? 1) + index,
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
    const ready = tokens.issue({ clientId, scopes: [...ALL_SANDBOX_SCOPES] });
    const endpoint = new GraphQLEndpoint({
      schema,
      shop,
      lookupToken: (token) => tokens.lookup(token),
      throttle: new Throttle(planLimits(options.plan ?? 'standard', options.maximumAvailable), () =>
        Date.now(),
      ),
      faults,
      now,
      origin: shopOrigin,
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
        origin: shopOrigin,
        allScopes: [...ALL_SANDBOX_SCOPES],
        basePath,
      }),
      createDataRoutes(data),
    ];
    const handlers: SandboxShopHandlers = { shop, endpoint, routes };
    return { handlers, schema, data, tokens, accessToken: ready.accessToken, shop, basePath };
  });
  const main = built[0];
  if (!main) throw new RangeError('shops must be at least 1');
  const { shop, data, schema, tokens } = main;

  const server = createSandboxServer({
    shops: built.map((b) => b.handlers),
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
    accessToken: main.accessToken,
    data,
    tokens,
    faults: () => ({ requests: faults.requests, injected: { ...faults.injected } }),
    setFaults: (spec) => {
      faults = new FaultPlan(parseFaultSpec(spec));
      for (const b of built) b.handlers.endpoint.setFaults(faults);
    },
    stopActivity: async () => {
      await activity?.stop();
      activity = null;
    },
    shops: built.map((b) => ({
      shop: b.shop,
      origin: `${origin}/shops/${b.shop}`,
      accessToken: b.accessToken,
      data: b.data,
      tokens: b.tokens,
    })),
    stop: async () => {
      await activity?.stop();
      await server.close();
    },
  };
}
