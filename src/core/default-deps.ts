import { parseApiOrigin } from './api-origin.js';
import { systemClock } from './clock.js';
import { crashHook } from './crash-points.js';
import type { Deps, Env, GlobalOptions, InputStream, OutputStream } from './deps.js';
import { colorEnabled, isInteractive, isTruthyEnv } from './interactive.js';
import { resolveConfigDir } from './paths.js';
import { normalizeShop } from './shop.js';
import { UsageError } from './errors.js';
import { once } from './once.js';

export interface RawGlobalOptions {
  store?: string;
  json?: boolean;
  color?: boolean;
  input?: boolean;
  debug?: boolean;
  apiVersion?: string;
}

export interface ProcessLike {
  /** Read as late as possible: opening process.stdin costs a few ms that most commands never need. */
  stdin: InputStream;
  /** Whether stdin is a terminal, known without opening the stream (defaults to stdin.isTTY). */
  stdinIsTTY?: boolean;
  stdout: OutputStream;
  stderr: OutputStream;
  env: Env;
  signal: AbortSignal;
}

/** Normalises global flags and their env twins once, at parse time. */
export function resolveGlobalOptions(raw: RawGlobalOptions, env: Env): GlobalOptions {
  const storeRaw =
    raw.store ?? (env.DSYNC_STORE && env.DSYNC_STORE.trim() !== '' ? env.DSYNC_STORE : undefined);
  return {
    store: storeRaw === undefined ? undefined : normalizeShop(storeRaw),
    json: raw.json === true,
    color: raw.color !== false,
    input: raw.input !== false && !isTruthyEnv(env.DSYNC_NO_INPUT),
    debug: raw.debug === true || isTruthyEnv(env.DSYNC_DEBUG),
    apiVersion: parseApiVersion(raw.apiVersion ?? (env.DSYNC_API_VERSION?.trim() || undefined)),
  };
}

/** The real Deps, and `close()` for the program to call once the command is done. */
export interface DefaultDeps extends Deps {
  /** Closes the state store if the command opened it. */
  close(): Promise<void>;
}

/** The real Deps: process streams, system clock, undici, conf, the OS keychain, inquirer. */
export function createDefaultDeps(proc: ProcessLike, raw: RawGlobalOptions): DefaultDeps {
  const env = proc.env;
  const global = resolveGlobalOptions(raw, env);
  const apiOrigin = parseApiOrigin(env.DSYNC_API_ORIGIN);
  const configDir = resolveConfigDir(env);
  const timeoutMs = parseHttpTimeout(env.DSYNC_HTTP_TIMEOUT_MS);
  const state = once(async () => {
    const { openStateStore } = await import('./state/open.js');
    return openStateStore({ configDir, url: env.DSYNC_STATE_URL });
  });
  let closed = false;
  return {
    get stdin() {
      return proc.stdin;
    },
    stdout: proc.stdout,
    stderr: proc.stderr,
    env,
    clock: systemClock,
    global,
    interactive: isInteractive({
      stdinIsTTY: proc.stdinIsTTY ?? proc.stdin.isTTY,
      stdoutIsTTY: proc.stdout.isTTY,
      env,
      noInput: !global.input,
    }),
    color: {
      stdout: !global.json && colorEnabled({ streamIsTTY: proc.stdout.isTTY, env, noColor: !global.color }),
      stderr: colorEnabled({ streamIsTTY: proc.stderr.isTTY, env, noColor: !global.color }),
    },
    apiOrigin,
    configDir,
    signal: proc.signal,
    dispatcher: once(async () => {
      const { Agent } = await import('undici');
      return new Agent({ connectTimeout: 15_000, headersTimeout: timeoutMs, bodyTimeout: 2 * timeoutMs });
    }),
    config: once(async () => {
      const { createConfStore } = await import('./config/conf-store.js');
      return createConfStore({ configDir });
    }),
    secrets: once(async () => {
      const { createDefaultSecretStore } = await import('./secrets/default-store.js');
      return createDefaultSecretStore({ configDir, stderr: proc.stderr, env });
    }),
    state,
    async close() {
      if (closed || !state.ran) return;
      closed = true;
      // A store that failed to open has nothing to close; its error was the command's.
      const store = await state().catch(() => undefined);
      await store?.close();
    },
    prompter: once(async () => {
      const { createInquirerPrompter } = await import('./inquirer-prompter.js');
      return createInquirerPrompter({ input: proc.stdin, output: proc.stderr });
    }),
    openBrowser: async (url) => {
      const { default: open } = await import('open');
      await open(url, { wait: false });
    },
    crashAt: crashHook(env.DSYNC_CRASH_AT, () => process.kill(process.pid, 'SIGKILL')),
  };
}

/** Shopify's quarterly versions: YYYY-01, -04, -07, -10 (and `unstable`). */
export function parseApiVersion(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'unstable' || /^20\d\d-(01|04|07|10)$/.test(value)) return value;
  throw new UsageError(
    `invalid API version ${JSON.stringify(value)}: expected a quarterly release such as 2026-10`,
    {
      hint: 'pass --api-version 2026-10, or leave it out for the pinned version',
    },
  );
}

/** How long an answer may take to start (default 60 s): `DSYNC_HTTP_TIMEOUT_MS`. */
export const DEFAULT_HTTP_TIMEOUT_MS = 60_000;

function parseHttpTimeout(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_HTTP_TIMEOUT_MS;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new UsageError(`DSYNC_HTTP_TIMEOUT_MS must be a whole number of milliseconds, got "${value}"`, {
      hint: 'unset DSYNC_HTTP_TIMEOUT_MS, or set it to e.g. 60000',
    });
  }
  return parsed;
}
