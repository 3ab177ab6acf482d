import { type Command, Option } from 'commander';
import { DEFAULT_BULK_TIMING } from '../../sandbox/data/bulk-timing.js';
import type { RegisterContext } from '../define.js';

const SANDBOX_HELP = `
The sandbox is a local store that speaks Shopify's protocol: OAuth (authorize page, code
exchange, refresh, client credentials) and the Admin GraphQL API (2026-10) with seeded orders,
locations, fulfillment orders and inventory, Shopify's query costs and a leaky-bucket throttle.
It binds 127.0.0.1 only and runs until Ctrl-C (SIGINT) or SIGTERM.

Plans (--plan): restore rate per second / bucket size
  standard 100/2000 · advanced 200/4000 · plus 1000/20000 · enterprise 2000/40000

Faults (--faults), for testing retries; comma-separated rules KIND[@N][xM][:key=value]:
  500@3                 the 3rd GraphQL request answers 500
  429@2:retry-after=1   the 2nd answers 429 with Retry-After: 1
  reset@5               the 5th connection is dropped without an answer
  slow@4:ms=2000        the 4th is answered after 2 seconds
  throttled@6           the 6th gets a THROTTLED GraphQL error
  503x2                 the first two answer 503
  lost@7                the 7th is carried out (a mutation applied), then its connection is reset
  revoke@40             the app's tokens are revoked at the 40th: it and every later one answer 401
  bulk-failed@1:objects=50   the 1st bulk query ends FAILED after 50 objects, with partialDataUrl
  bulk-stuck@2          the 2nd bulk query stays RUNNING until cancelled
  mix:rate=0.1:seed=7   each request faulted with probability 0.1, the kind drawn (seeded, the same
                        seed faults the same requests): 500/502/503, reset, slow (past the client's
                        60 s timeout; slow-ms=N), a THROTTLED burst (3 requests), 429 with
                        Retry-After (retry-after=N), and for mutations an answer lost after the
                        mutation was applied (reset or 500); a bulk query it picks ends FAILED
                        with partial data. On exit the sandbox says how many of each it injected.

Bulk operations take time as on Shopify: CREATED while queued (--bulk-startup, default
${DEFAULT_BULK_TIMING.startupMs / 1000} s), then RUNNING while objectCount grows at --bulk-rate (default ${DEFAULT_BULK_TIMING.objectsPerSecond}
objects/s), then COMPLETED. Shopify publishes neither figure: both defaults are conservative
assumptions (src/sandbox/README.md). Up to 5 bulk queries at once per app on API 2026-01+, 1 before.
  --bulk-startup 0 --bulk-rate instant   results at once (the file is written in one go)

Activity (--activity RATE), a live store: while it runs the merchant keeps changing it at RATE
(<n>/s, <n>/min or <n>/h), through the same Admin API mutations an app would send: new orders
(paid and pending), captured payments, shipping-address and quantity edits, holds and releases,
moves between locations, fulfillment and cancellation requests, cancellations, refunds and stock
adjustments. The same --seed and RATE give the same sequence of changes. Each change is one line
on stderr (\`12:00:03 cancelled #1043 (CUSTOMER)\`), or with --json one JSON object per line on
stdout after the startup line: {at, action, order, detail, ok, mutation, summary, ids}.

Examples:
  dsync sandbox --orders 500
  dsync sandbox --products 10000 # a catalog of 10,000 more SKUs (GEN-000001…)
  dsync sandbox --activity 30/min --seed 7    # a live store: a change every 2 s on average
  dsync sandbox --json --port 0 --plan plus      # one JSON line: origin, shop, credentials
  dsync sandbox --auto-approve --faults 500@3,429@5
  dsync sandbox --bulk-startup 10s --bulk-rate 200/s   # a slower bulk queue than the default`;

export function registerSandbox(program: Command, ctx: RegisterContext): void {
  program
    .command('sandbox')
    .description('run a local Shopify-compatible store (OAuth + Admin GraphQL) with seeded data')
    .option('--port <port>', 'port on 127.0.0.1 (0 = a free port)', '3457')
    .option('--orders <n>', 'number of seeded orders', '50')
    .option('--products <n>', 'generated products beyond the seeded catalog (one SKU each)', '0')
    .option('--seed <n>', 'seed of the generated data (same seed, same store)', '1')
    .addOption(
      new Option('--plan <plan>', 'throttle plan')
        .choices(['standard', 'advanced', 'plus', 'enterprise'])
        .default('standard'),
    )
    .option('--auto-approve', 'skip the OAuth install page: approve at once')
    .option('--faults <spec>', 'answer chosen GraphQL requests with failures (see below)')
    .option('--token-ttl <seconds>', 'lifetime of expiring access tokens the sandbox issues')
    .option('--activity <rate>', 'a live store: the merchant changes it at this rate (30/min, 2/s, 120/h)')
    .option(
      '--bulk-startup <ms>',
      'how long a bulk operation stays CREATED before it runs (5000, 5000ms, 5s)',
      String(DEFAULT_BULK_TIMING.startupMs),
    )
    .option(
      '--bulk-rate <objects/s>',
      'objects a running bulk operation produces per second (500, 500/s, 30000/min, instant)',
      String(DEFAULT_BULK_TIMING.objectsPerSecond),
    )
    .addHelpText('after', SANDBOX_HELP)
    .action(ctx.action(() => import('./run.js')));
}
