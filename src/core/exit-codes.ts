/** Exit codes are part of dsync's interface: cron jobs and CI read them (SPEC.md). */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  partial: 3,
  auth: 4,
  locked: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    error
  2    usage or invalid configuration
  3    partial failure (some rows/orders failed, the rest succeeded)
  4    not authenticated, token invalid or missing scopes
  5    another run holds the lock
  130  interrupted`;
