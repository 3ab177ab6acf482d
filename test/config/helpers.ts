import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { type CliResult, runCli, tempConfigDir } from '../support/cli.js';

interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
}

/** One config dir against the harness's sandbox store. */
export interface ConfigSession {
  dir: string;
  env: Record<string, string>;
  dsync(args: string[], options?: RunOptions): Promise<CliResult>;
  /** Runs with --json and parses stdout, which must be exactly one JSON document. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON documents by path
  json<T = any>(
    args: string[],
    options?: RunOptions,
  ): Promise<{ code: number | null; body: T; stderr: string }>;
}

/** A sandbox store; each `session()` gets its own empty config dir. */
export interface ConfigHarness {
  sandbox: RunningSandbox;
  session(): ConfigSession;
  /** A token for the sandbox app holding only these scopes. */
  tokenWith(scopes: string[]): string;
  cleanup(): Promise<void>;
}

export async function startHarness(): Promise<ConfigHarness> {
  const sandbox = await startSandbox({ orders: 5 });
  const cleanups: Array<() => void> = [];
  return {
    sandbox,
    session: () => {
      const tmp = tempConfigDir('dsync-config-');
      cleanups.push(tmp.cleanup);
      const env = {
        DSYNC_API_ORIGIN: sandbox.origin,
        DSYNC_STORE: sandbox.shop,
        DSYNC_ACCESS_TOKEN: sandbox.accessToken,
        DSYNC_CONFIG_DIR: tmp.dir,
        // Secrets go to the 0600 file in the config dir: tests never touch the real keychain.
        DSYNC_KEYCHAIN: 'off',
      };
      const dsync: ConfigSession['dsync'] = (args, options = {}) =>
        runCli(args, {
          env: { ...env, ...options.env },
          ...(options.input !== undefined ? { input: options.input } : {}),
        });
      return {
        dir: tmp.dir,
        env,
        dsync,
        json: async (args, options) => {
          const result = await dsync(['--json', ...args], options);
          let body: unknown;
          try {
            body = JSON.parse(result.stdout);
          } catch {
            throw new Error(
              `not one JSON document on stdout (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
            );
          }
          return { code: result.code, body: body as never, stderr: result.stderr };
        },
      };
    },
    tokenWith: (scopes) => sandbox.tokens.issue({ clientId: sandbox.clientId, scopes }).accessToken,
    cleanup: async () => {
      await sandbox.stop();
      for (const cleanup of cleanups) cleanup();
    },
  };
}

/** Everything dsync needs, without read_all_orders. */
export const SCOPES_WITHOUT_ALL_ORDERS = [
  'read_locations',
  'read_orders',
  'read_products',
  'read_inventory',
  'write_inventory',
  'read_fulfillments',
  'write_returns',
  'write_merchant_managed_fulfillment_orders',
  'write_third_party_fulfillment_orders',
  'write_assigned_fulfillment_orders',
];

export const LOCATION = {
  warehouse: 'gid://shopify/Location/70000000001',
  store: 'gid://shopify/Location/70000000002',
  closed: 'gid://shopify/Location/70000000003',
  acme3pl: 'gid://shopify/Location/70000000004',
  overflow: 'gid://shopify/Location/70000000005',
};
