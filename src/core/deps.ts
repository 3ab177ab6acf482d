import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import type { ConfigStore } from './config/store.js';
import type { Prompter } from './prompter.js';
import type { SecretStore } from './secrets/store.js';

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
 * Every side effect a command or service may have comes in through Deps, so each one can be
 * tested without globals. Heavy modules (undici, conf, keyring, inquirer) are behind async
 * factories so that `dsync --help` and `dsync --version` never load them.
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
  prompter(): Promise<Prompter>;
  openBrowser(url: string): Promise<void>;
}
