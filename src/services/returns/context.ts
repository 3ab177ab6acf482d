import { readSettings } from '../../core/config/settings.js';
import type { Deps } from '../../core/deps.js';
import { ConfigError } from '../../core/errors.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import { openExistingLedger } from '../../core/state/state.js';
import { connectStore } from '../connect.js';

type ConnectedStore = Awaited<ReturnType<typeof connectStore>>;

export interface ReturnsContext {
  store: ConnectedStore;
  settings: ReturnType<typeof readSettings>;
  /** gid of the fulfillment location: where returned items come back to. */
  locationId: string;
  /** null: a dry run on a store without a ledger yet, or a command that needs none. */
  ledger: Ledger | null;
}

export interface ReturnsContextOptions {
  /** The scopes the command needs (read_returns; write_returns to receive). */
  scopes: string[];
  /** none: no ledger; read: the ledger if there is one; write: the ledger, under the returns lock. */
  ledger: 'none' | 'read' | 'write';
  /** The lock's holder, for `another run holds the lock` messages. */
  command: string;
}

/** The lock of the returns commands: apart from the order import's, so both can run at once. */
export const RETURNS_LOCK = 'returns';

/** The fulfillment location, or a ConfigError saying how to set it. */
export function requireLocation(settings: ReturnType<typeof readSettings>, shop: string): string {
  const locationId = settings.fulfillmentLocation;
  if (!locationId) {
    throw new ConfigError(
      'the fulfillment-location setting is not set: dsync does not know which returns come back to the warehouse',
      {
        hint: `run \`dsync config set fulfillment-location "<location name or gid>" --store ${shop}\` (see \`dsync locations list\`)`,
      },
    );
  }
  return locationId;
}

/**
 * Connects to the store, reads its settings (the fulfillment location is required), takes the
 * returns lock and opens the ledger as asked; runs `work`, then closes the ledger and releases
 * the lock.
 */
export async function withReturnsContext<T>(
  deps: Deps,
  options: ReturnsContextOptions,
  work: (context: ReturnsContext) => Promise<T>,
): Promise<T> {
  const store = await connectStore(deps, { requireScopes: ['read_orders', ...options.scopes] });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const locationId = requireLocation(settings, store.shop);
  const state = await deps.state();
  const lock =
    options.ledger === 'write'
      ? await state.lock(store.shop, {
          now: deps.clock.now(),
          command: options.command,
          name: RETURNS_LOCK,
        })
      : undefined;
  try {
    // Opened writable even to read: an older ledger gets the returns tables first.
    const ledger =
      options.ledger === 'write'
        ? await state.openLedger(store.shop)
        : options.ledger === 'read'
          ? ((await openExistingLedger(state, store.shop)) ?? null)
          : null;
    try {
      return await work({ store, settings, locationId, ledger });
    } finally {
      await ledger?.close();
    }
  } finally {
    await lock?.release();
  }
}
