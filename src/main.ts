import { isatty } from 'node:tty';
import { type Command, CommanderError } from 'commander';
import {
  createDefaultDeps,
  type DefaultDeps,
  type ProcessLike,
  type RawGlobalOptions,
} from './core/default-deps.js';
import { DsyncError, InterruptedError, isDsyncError, UsageError } from './core/errors.js';
import { ExitCode } from './core/exit-codes.js';
import { colorEnabled, isTruthyEnv } from './core/interactive.js';
import { redactString } from './core/redact.js';
import { buildProgram } from './program.js';

/**
 * Runs dsync and returns the exit code. Every error ends here: DsyncErrors print their message
 * and hint (or a JSON error document with --json); anything else is a bug and says so.
 */
export async function run(argv: string[], proc: ProcessLike): Promise<number> {
  let json = argv.includes('--json');
  let debug = argv.includes('--debug');
  let deps: DefaultDeps | undefined;
  const program = buildProgram((command) => {
    const raw = command.optsWithGlobals() as RawGlobalOptions;
    json = raw.json === true;
    debug = raw.debug === true || debug;
    deps = createDefaultDeps(proc, raw);
    return deps;
  }, argv);
  // Subcommands copy these settings when they are created, so apply them to the whole tree:
  // a usage error in `dsync config set` must reach report() (exit 2, JSON error), not exit(1).
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => proc.stdout.write(text),
      writeErr: (text) => proc.stderr.write(text),
    });
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  try {
    try {
      await program.parseAsync(argv);
    } finally {
      // The state store (a database's connections) is closed after the command, whatever its end.
      await closeQuietly(deps);
    }
    return ExitCode.ok;
  } catch (error) {
    return report(error, { json, debug: debug || isTruthyEnv(proc.env.DSYNC_DEBUG), proc });
  }
}

/** Closes what the command opened; a failure to close never hides the command's own outcome. */
async function closeQuietly(deps: DefaultDeps | undefined): Promise<void> {
  try {
    await deps?.close();
  } catch {
    // Connections that will not close end with the process.
  }
}

function report(error: unknown, opts: { json: boolean; debug: boolean; proc: ProcessLike }): number {
  const { proc } = opts;
  if (error instanceof CommanderError) {
    // Help and version exit "with an error" in commander's terms; they are successes here.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.exitCode === 0
    ) {
      return ExitCode.ok;
    }
    if (opts.json) {
      const usage = new UsageError(error.message.replace(/^error: /, ''));
      proc.stdout.write(
        `${JSON.stringify({ error: { code: usage.code, message: usage.message, hint: '--help' } })}\n`,
      );
    }
    return ExitCode.usage;
  }
  const known: DsyncError = isDsyncError(error)
    ? error
    : error instanceof Error && error.name === 'AbortError'
      ? new InterruptedError()
      : new DsyncError(
          'bug',
          `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
          ExitCode.error,
          {
            hint: 'this is a bug in dsync; rerun with --debug and report it with the output',
          },
        );
  if (opts.json && known.resultPrinted) {
    // The JSON result already on stdout carries the failure; stdout stays one document.
  } else if (opts.json) {
    proc.stdout.write(
      `${JSON.stringify({ error: { code: known.code, message: redactString(known.message), hint: known.hint ?? null, ...(known.details ? { details: known.details } : {}) } })}\n`,
    );
  } else {
    const color = colorEnabled({
      streamIsTTY: proc.stderr.isTTY,
      env: proc.env,
      noColor: process.argv.includes('--no-color'),
    });
    const red = (s: string) => (color ? `\x1b[31m${s}\x1b[39m` : s);
    const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);
    proc.stderr.write(`${red('error:')} ${redactString(known.message)}\n`);
    if (known.hint) proc.stderr.write(`${dim(`hint: ${known.hint}`)}\n`);
  }
  if (opts.debug && !isDsyncError(error) && error instanceof Error && error.stack) {
    proc.stderr.write(`${redactString(error.stack)}\n`);
  }
  return known.exitCode;
}

/** The process entry point: the only place dsync calls process.exit. */
export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A reader that stops early (`dsync orders list | head`) closes the pipe: stop quietly,
  // as Unix tools do, instead of crashing on EPIPE. A stream with another error listener (the
  // import's stdout sink) handles its errors itself: it must stop the run and say what was
  // delivered, not exit 0 as if every event had been read.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount('error') > 1) return;
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    throw error;
  });
  const code = await run(argv, {
    // process.stdin opens the stream on first use: only the commands that read it pay for that.
    get stdin() {
      return process.stdin;
    },
    stdinIsTTY: isatty(0),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  const finalCode = controller.signal.aborted && code === ExitCode.error ? ExitCode.interrupted : code;
  // Let piped stdout drain before exiting, so `dsync import | head` and files get every line.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(finalCode);
}
