/**
 * The live store (`dsync sandbox --activity <rate>`): while the sandbox runs, the merchant keeps
 * changing it — new orders, captured payments, address and quantity edits, holds and releases,
 * moves, fulfillment and cancellation requests, cancellations, refunds, stock adjustments (the
 * weights are in mix.ts). Every change is a GraphQL mutation executed in-process against the
 * sandbox's own schema and resolvers, after GraphQL reads that pick its target, so the store
 * changes exactly as it would for an app calling the Admin API. The same seed and rate give the
 * same sequence of changes.
 *
 * Each tick: read (the orders a merchant would filter for) → decide (decide.ts, pure) → deliver
 * (the mutation) → report (`onChange`, refusals included).
 */
import type { GraphQLSchema } from 'graphql';
import { ACTION_RUNNERS, type ActivityChange } from './actions.js';
import { createActivityExecutor } from './executor.js';
import { drawActions } from './mix.js';
import { type ActivityRate, parseActivityRate } from './rate.js';
import { type CatalogView, readCatalog } from './reads.js';
import { type ActivityClock, startScheduler, type Tick } from './scheduler.js';

export type { ActivityChange, UserErrorView } from './actions.js';
export { ActivityOperationsError } from './executor.js';
export { ACTIVITY_MIX, type ActivityAction } from './mix.js';
export {
  ACTIVITY_RATE_FORMS,
  type ActivityRate,
  ActivityRateError,
  MAX_CHANGES_PER_SECOND,
  parseActivityRate,
} from './rate.js';
export { type ActivityClock, realClock } from './scheduler.js';

export interface ActivityOptions {
  /** The sandbox's executable schema, resolvers attached. */
  schema: GraphQLSchema;
  /** `{handle}.myshopify.com`. */
  shop: string;
  /** `30/min`, `2/s`, `120/h`, or a parsed rate. */
  rate: ActivityRate | string;
  seed: number;
  /** Called once per change, refused ones included (`ok: false`). */
  onChange(change: ActivityChange): void;
  /** The store's clock (stamps `at` and the resolvers' context). Default: now. */
  now?: () => Date;
  /** The sandbox's origin, for URLs resolvers hand out. */
  origin?: () => string;
  /** Timers (default: real ones). */
  clock?: ActivityClock;
  /** A change that could not even be attempted (a bug), or a resolver's own bug. */
  onError?(error: unknown): void;
}

export interface RunningActivity {
  /** Stops the schedule; resolves once the change in progress, if any, has been reported. */
  stop(): Promise<void>;
}

/** Starts changing the store at `rate`. Throws when the schema cannot run the activity's operations. */
export function startActivity(options: ActivityOptions): RunningActivity {
  const rate = typeof options.rate === 'string' ? parseActivityRate(options.rate) : options.rate;
  const now = options.now ?? (() => new Date());
  const executor = createActivityExecutor({
    schema: options.schema,
    shop: options.shop,
    now,
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.onError ? { onInternalError: options.onError } : {}),
  });
  let catalog: Promise<CatalogView> | null = null;

  const tick = async ({ rng }: Tick): Promise<void> => {
    catalog ??= readCatalog(executor).catch((error: unknown) => {
      catalog = null;
      throw error;
    });
    const ctx = { executor, catalog: await catalog, now };
    for (const action of drawActions(() => rng.next())) {
      const change = await ACTION_RUNNERS[action](ctx, rng);
      if (change) {
        options.onChange(change);
        return;
      }
    }
  };

  return startScheduler({
    rate,
    seed: options.seed,
    tick,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
