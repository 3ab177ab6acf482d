import {
  INSTANT_BULK_TIMING,
  type RunningSandbox,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.js';
import { tempConfigDir } from './cli.js';
import { freshDatabase } from './postgres.js';

/**
 * A sandbox store running in the test process, for integration tests that run the built CLI
 * against it over real HTTP.
 *
 *   const sandbox = await startTestSandbox({ orders: 120 });
 *   afterAll(() => sandbox.stop());
 *   const result = await runCli(['locations', 'list', '--json'], { env: sandbox.env() });
 */
export interface TestSandbox extends RunningSandbox {
  /** A fresh config dir for this sandbox (removed by stop()). */
  configDir: string;
  /**
   * The environment for `runCli`: the sandbox origin and shop, its ready access token (every
   * scope) and the config dir. Pass `{ accessToken: undefined }` to leave the token out (e.g. to
   * test `auth login`), or another token or config dir to override them.
   */
  env(overrides?: { accessToken?: string | undefined; configDir?: string }): {
    DSYNC_API_ORIGIN: string;
    DSYNC_STORE: string;
    DSYNC_ACCESS_TOKEN: string | undefined;
    DSYNC_CONFIG_DIR: string;
    DSYNC_STATE_URL?: string;
  };
  /**
   * With DSYNC_TEST_STATE=postgres, the PostgreSQL database a config dir's runs keep their state
   * in (a fresh one per config dir, as its SQLite files would be; env() sets DSYNC_STATE_URL);
   * undefined otherwise (SQLite files below the config dir).
   */
  stateUrlFor(configDir: string): string | undefined;
  /** Issues another token (non-expiring unless `expiring`), e.g. with fewer scopes. */
  issueToken(scopes: string[], opts?: { expiring?: boolean; ttlSeconds?: number }): string;
  /** Admin GraphQL URL for a version (default 2026-10). */
  graphqlUrl(version?: string): string;
}

/**
 * Defaults for tests: a free port, 50 orders, seed 1, approval without a page, and bulk
 * operations that finish at once (pass `bulk: { startupMs, objectsPerSecond }` for Shopify-like
 * timing; what it leaves out stays instant).
 */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const running = await startSandbox({
    port: 0,
    autoApprove: true,
    ...options,
    bulk: { ...INSTANT_BULK_TIMING, ...options.bulk },
  });
  const config = tempConfigDir('dsync-sandbox-test-');
  const stateUrlFor = await postgresStatePerConfigDir();
  return {
    ...running,
    configDir: config.dir,
    stateUrlFor,
    env(overrides = {}) {
      return {
        DSYNC_API_ORIGIN: running.origin,
        DSYNC_STORE: running.shop,
        DSYNC_ACCESS_TOKEN: 'accessToken' in overrides ? overrides.accessToken : running.accessToken,
        DSYNC_CONFIG_DIR: overrides.configDir ?? config.dir,
        ...(stateUrlFor(overrides.configDir ?? config.dir)
          ? { DSYNC_STATE_URL: stateUrlFor(overrides.configDir ?? config.dir) as string }
          : {}),
      };
    },
    issueToken(scopes, opts = {}) {
      return running.tokens.issue({
        clientId: running.clientId,
        scopes,
        ...(opts.expiring !== undefined ? { expiring: opts.expiring } : {}),
        ...(opts.ttlSeconds !== undefined ? { ttlSeconds: opts.ttlSeconds } : {}),
      }).accessToken;
    },
    graphqlUrl(version = '2026-10') {
      return `${running.origin}/admin/api/${version}/graphql.json`;
    },
    async stop() {
      try {
        await running.stop();
      } finally {
        config.cleanup();
      }
    },
  };
}

/** Databases made ahead for DSYNC_TEST_STATE=postgres: env() is synchronous, creating one is not. */
const DATABASES_PER_SANDBOX = Number(process.env.DSYNC_TEST_STATE_DATABASES ?? 12);

async function postgresStatePerConfigDir(): Promise<(configDir: string) => string | undefined> {
  if (process.env.DSYNC_TEST_STATE !== 'postgres') return () => undefined;
  const spare = await Promise.all(
    Array.from({ length: DATABASES_PER_SANDBOX }, () => freshDatabase('state')),
  );
  const given = new Map<string, string>();
  return (configDir) => {
    let url = given.get(configDir);
    if (url === undefined) {
      url = spare.shift();
      if (url === undefined)
        throw new Error(`more than ${DATABASES_PER_SANDBOX} config dirs: raise DSYNC_TEST_STATE_DATABASES`);
      given.set(configDir, url);
    }
    return url;
  };
}

/**
 * Runs `body` with a sandbox and always stops it afterwards.
 *
 *   await withSandbox({ orders: 10 }, async (sandbox) => { … });
 */
export async function withSandbox<T>(
  options: SandboxOptions,
  body: (sandbox: TestSandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startTestSandbox(options);
  try {
    return await body(sandbox);
  } finally {
    await sandbox.stop();
  }
}
