import type { Deps } from '../../core/deps.js';
import { selectStore } from '../../core/store-selection.js';
import { connectStore } from '../connect.js';
import { createLiveStore, type LiveStore } from '../locations/list.js';
import type { SettingsContext } from './settings.js';

/** The settings context for the selected store; connects to the store only when a key needs it. */
export async function createSettingsContext(deps: Deps): Promise<SettingsContext> {
  const shop = await selectStore(deps);
  const config = await deps.config();
  let live: Promise<LiveStore> | undefined;
  return {
    shop,
    config,
    secrets: () => deps.secrets(),
    live: () => {
      live ??= connectStore(deps).then((connected) => createLiveStore(connected.client, deps.signal));
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
