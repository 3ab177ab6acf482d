import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, tempConfigDir } from './cli.js';
import type { TestSandbox } from './sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: events are inspected field by field
type Json = any;

/**
 * A config dir with the given stores of a many-store sandbox logged in (each with its own token,
 * or the one in `tokens`), as `dsync auth login --with-token` leaves it.
 */
export async function configureStores(
  sandbox: TestSandbox,
  shops: string[],
  tokens: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
) {
  const config = tempConfigDir('dsync-fleet-');
  const env: Record<string, string> = {
    DSYNC_API_ORIGIN: sandbox.origin,
    DSYNC_CONFIG_DIR: config.dir,
    DSYNC_KEYCHAIN: 'off',
    ...(sandbox.stateUrlFor(config.dir)
      ? { DSYNC_STATE_URL: sandbox.stateUrlFor(config.dir) as string }
      : {}),
    ...extraEnv,
  };
  for (const shop of shops) {
    const token = tokens[shop] ?? sandbox.shops.find((s) => s.shop === shop)?.accessToken;
    const login = await runCli(['auth', 'login', '--with-token', '--store', shop], { env, input: token });
    expect(login.code, login.stderr).toBe(0);
  }
  return { ...config, env };
}

/** The events an `--out` directory holds, parsed. */
export function eventsUnder(dir: string): Json[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}
