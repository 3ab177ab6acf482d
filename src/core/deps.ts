import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import type { CrashHook } from './crash-points.js';
import type { ConfigStore } from './config/store.js';
import type { Prompter } from './prompter.js';
import type { SecretStore } from './secrets/store.js';
import type { StateStore } from './state/state.js';

export type Env = Record<string, string | undefined>;

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

/** Global flags after normalisation (SPEC.md, "Global options"). */
export interface GlobalOptions {
  /** Canonical shop from --store / DSYNC_STORE, when given. */
  store: string | undefined;
  json: boolean;
  color: boolean;
  /** False when --no-input, DSYNC_NO_INPUT or CI forbid prompting. */
  input: boolean;
  debug: boolean;
  /** Admin API version from --api-version / DSYNC_API_VERSION; overrides the `api-version` setting. */
  apiVersion?: string | undefined;
}

/**
 * The one door for what a test must control. Commands and services reach the outside world
 * through these fields only:
 *
 * - the terminal: `stdin`, `stdout` (results), `stderr` (talk), `interactive`, `color`, `prompter`;
 * - time: `clock` (now, sleep) — nothing reads `Date.now()` or sets timers for its decisions;
 * - the environment: `env`, `global` (parsed flags), `configDir` (every file dsync keeps is below
 *   it: config, ledgers, locks, the fallback credentials), `apiOrigin` (the sandbox);
 * - the network: `dispatcher` (undici; the Admin API, OAuth, webhooks);
 * - stored state: `config` (the config file), `secrets` (keychain or 0600 file), `state` (each
 *   store's ledger and run locks: SQLite below `configDir`, or PostgreSQL by DSYNC_STATE_URL);
 * - the process: `signal` (SIGINT/SIGTERM), `openBrowser`, `crashAt` (a testing aid: named points
 *   where DSYNC_CRASH_AT kills the process, see crash-points.ts).
 *
 * Files the user names on the command line (`--file`, `--out`) are read and written by the
 * command or its sink, below `configDir` or where the user pointed. Heavy modules (undici, the
 * keyring, inquirer) sit behind async factories so `--help` and local commands never load them.
 */
export interface Deps {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  env: Env;
  clock: Clock;
  global: GlobalOptions;
  /** True when prompting is allowed (see interactive.ts). */
  interactive: boolean;
  /** Colour on stderr (talk) and stdout (results, unless --json). */
  color: { stdout: boolean; stderr: boolean };
  /** Loopback origin that replaces https://{shop} (DSYNC_API_ORIGIN), if any. */
  apiOrigin: string | undefined;
  /** DSYNC_CONFIG_DIR or the XDG config dir `dsync/`. */
  configDir: string;
  /** Aborted on SIGINT/SIGTERM; long work checks it and stops cleanly. */
  signal: AbortSignal;
  dispatcher(): Promise<Dispatcher>;
  config(): Promise<ConfigStore>;
  secrets(): Promise<SecretStore>;
  /** Ledgers and run locks; opened on first use and closed by the program after the command. */
  state(): Promise<StateStore>;
  prompter(): Promise<Prompter>;
  openBrowser(url: string): Promise<void>;
  /** Reached at named points of long work; does nothing unless DSYNC_CRASH_AT names one (tests). */
  crashAt: CrashHook;
}
