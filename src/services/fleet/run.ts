import { Writable } from 'node:stream';
import type { Deps, OutputStream } from '../../core/deps.js';
import { DsyncError, InterruptedError, isDsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { redactString } from '../../core/redact.js';

/** What one store's run came to. */
export interface StoreOutcome {
  shop: string;
  /** The exit code the run would have had on its own (README, "Exit codes"). */
  exitCode: ExitCode;
  /** The command's --json result for this store, when it printed one. */
  result: unknown;
  /** Why the store's run failed, as `--json` prints errors. */
  error: { code: string; message: string; hint: string | null } | null;
  ms: number;
}

export interface FleetOptions {
  stores: readonly string[];
  /** How many stores run at once (≥ 1). */
  concurrency: number;
  /** One store's run: the single-store command, given deps bound to that store. */
  run(deps: Deps, shop: string): Promise<void>;
  /** Told when a store starts and ends (tests and progress). */
  onStoreDone?(outcome: StoreOutcome): void;
}

/**
 * Runs a command for every store, `concurrency` at a time. Each store's run gets its own deps:
 * `--store` set to it, `--json` on with stdout captured as its result, its talk forwarded to
 * stderr line by line behind the shop's name, no prompts. A store's failure is recorded in its
 * outcome and never stops the others; only an interrupt (SIGINT/SIGTERM) stops starting new ones.
 */
export async function runFleet(deps: Deps, options: FleetOptions): Promise<StoreOutcome[]> {
  const outcomes: StoreOutcome[] = new Array(options.stores.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const at = next;
      next += 1;
      const shop = options.stores[at];
      if (shop === undefined) return;
      const outcome = deps.signal.aborted ? interrupted(shop) : await runOne(deps, shop, options.run);
      outcomes[at] = outcome;
      options.onStoreDone?.(outcome);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.stores.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

async function runOne(deps: Deps, shop: string, run: FleetOptions['run']): Promise<StoreOutcome> {
  const started = deps.clock.now().getTime();
  const stdout = collector();
  const stderr = lineForwarder((line) => deps.stderr.write(`${shop}: ${line}\n`));
  const storeDeps: Deps = {
    ...deps,
    stdout: stdout.stream,
    stderr: stderr.stream,
    global: { ...deps.global, store: shop, json: true },
    interactive: false,
    color: { stdout: false, stderr: false },
  };
  let exitCode: ExitCode = ExitCode.ok;
  let error: StoreOutcome['error'] = null;
  try {
    await run(storeDeps, shop);
  } catch (thrown) {
    const known = asDsyncError(thrown);
    exitCode = known.exitCode;
    error = { code: known.code, message: redactString(known.message), hint: known.hint ?? null };
  } finally {
    stderr.flush();
  }
  return {
    shop,
    exitCode,
    result: parseResult(stdout.text()),
    error,
    ms: deps.clock.now().getTime() - started,
  };
}

function interrupted(shop: string): StoreOutcome {
  const error = new InterruptedError('interrupted before this store started');
  return {
    shop,
    exitCode: error.exitCode,
    result: null,
    error: { code: error.code, message: error.message, hint: null },
    ms: 0,
  };
}

/** The same mapping main.ts applies to a single run. */
function asDsyncError(error: unknown): DsyncError {
  if (isDsyncError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return new InterruptedError();
  return new DsyncError(
    'bug',
    `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    ExitCode.error,
    { hint: 'this is a bug in dsync; rerun with --debug and report it with the output' },
  );
}

/** A command's --json stdout: one JSON document (or the last line of several), else null. */
function parseResult(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  try {
    return JSON.parse(trimmed);
  } catch {
    const last = trimmed.split('\n').pop() ?? '';
    try {
      return JSON.parse(last);
    } catch {
      return null;
    }
  }
}

function collector(): { stream: OutputStream; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function lineForwarder(emit: (line: string) => void): { stream: OutputStream; flush(): void } {
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') emit(line.replace(/\r/g, ''));
      callback();
    },
  });
  return {
    stream,
    flush() {
      if (pending.trim() !== '') emit(pending);
      pending = '';
    },
  };
}
