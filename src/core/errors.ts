import { ExitCode } from './exit-codes.js';

export interface DsyncErrorOptions {
  /** The next thing the user can do, usually a command to run. */
  hint?: string;
  /** Machine-readable details for `--json` output. Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
  /**
   * The command already printed its result, which describes the failure (doctor's checks, a
   * partial import): with --json no second document follows it on stdout.
   */
  resultPrinted?: boolean;
}

/**
 * An error the user can act on: printed without a stack, with a hint, mapped to an exit code.
 * Anything that is not a DsyncError is a bug and is reported as one.
 */
export class DsyncError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly resultPrinted: boolean;

  constructor(
    code: string,
    message: string,
    exitCode: ExitCode = ExitCode.error,
    options: DsyncErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DsyncError';
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details;
    this.resultPrinted = options.resultPrinted === true;
  }
}

/** Bad flags, arguments or input: exit 2. */
export class UsageError extends DsyncError {
  constructor(message: string, options: DsyncErrorOptions = {}) {
    super('usage', message, ExitCode.usage, options);
    this.name = 'UsageError';
  }
}

/** Invalid or unreadable configuration: exit 2. */
export class ConfigError extends DsyncError {
  constructor(message: string, options: DsyncErrorOptions = {}) {
    super('config', message, ExitCode.usage, options);
    this.name = 'ConfigError';
  }
}

/** No token, an invalid token, or missing scopes: exit 4. */
export class AuthError extends DsyncError {
  constructor(message: string, options: DsyncErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'auth', message, ExitCode.auth, {
      hint: 'run `dsync auth login`',
      ...options,
    });
    this.name = 'AuthError';
  }
}

/** Another process holds the lock: exit 5. */
export class LockedError extends DsyncError {
  constructor(message: string, options: DsyncErrorOptions = {}) {
    super('locked', message, ExitCode.locked, options);
    this.name = 'LockedError';
  }
}

/** Some items failed, the rest succeeded: exit 3. The command has already printed its result. */
export class PartialFailureError extends DsyncError {
  constructor(message: string, options: DsyncErrorOptions = {}) {
    super('partial_failure', message, ExitCode.partial, options);
    this.name = 'PartialFailureError';
  }
}

/** SIGINT / Ctrl-C: exit 130. */
export class InterruptedError extends DsyncError {
  constructor(message = 'interrupted') {
    super('interrupted', message, ExitCode.interrupted);
    this.name = 'InterruptedError';
  }
}

export function isDsyncError(error: unknown): error is DsyncError {
  return error instanceof DsyncError;
}
