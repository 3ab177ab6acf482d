/**
 * The one predicate that decides whether dsync may prompt: both stdin and stdout are TTYs,
 * CI is unset, and neither --no-input nor DSYNC_NO_INPUT was given.
 */
export function isInteractive(input: {
  stdinIsTTY: boolean | undefined;
  stdoutIsTTY: boolean | undefined;
  env: Record<string, string | undefined>;
  noInput: boolean;
}): boolean {
  if (input.noInput) return false;
  if (isTruthyEnv(input.env.DSYNC_NO_INPUT) || isTruthyEnv(input.env.CI)) return false;
  return input.stdinIsTTY === true && input.stdoutIsTTY === true;
}

/** Whether colour may be used on a stream: a TTY, no NO_COLOR, no --no-color, not TERM=dumb. */
export function colorEnabled(input: {
  streamIsTTY: boolean | undefined;
  env: Record<string, string | undefined>;
  noColor: boolean;
}): boolean {
  if (input.noColor) return false;
  if (input.env.NO_COLOR !== undefined && input.env.NO_COLOR !== '') return false;
  if (input.env.FORCE_COLOR !== undefined && input.env.FORCE_COLOR !== '0') return true;
  if (input.env.TERM === 'dumb') return false;
  return input.streamIsTTY === true;
}

export function isTruthyEnv(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}
