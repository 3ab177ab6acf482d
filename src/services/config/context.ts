import type { Deps } from '../../core/deps.js';
import { selectStore } from '../../core/store-selection.js';
import type { LiveStore } from '../locations/list.js';
import type { SettingsContext } from './settings.js';

/**
 * The settings context for the selected store. The Shopify client (and its HTTP stack) is loaded
 * only when a key needs the live store, so reading and writing local values stays fast.
 */
export async function createSettingsContext(deps: Deps): Promise<SettingsContext> {
  const shop = await selectStore(deps);
  const config = await deps.config();
  let live: Promise<LiveStore> | undefined;
  return {
    shop,
    config,
    secrets: () => deps.secrets(),
    live: () => {
      live ??= (async () => {
        const [{ connectStore }, { createLiveStore }] = await Promise.all([
          import('../connect.js'),
          import('../locations/list.js'),
        ]);
        return createLiveStore((await connectStore(deps)).client, deps.signal);
      })();
      return live;
    },
    now: deps.clock.now(),
  };
}

/** Reads all of stdin (for `-` values); one trailing newline is dropped. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
