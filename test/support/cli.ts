import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..');
export const CLI_PATH = join(REPO_ROOT, 'bin', 'dsync.js');

export interface CliResult {
  code: number | null;
  /** The signal that ended the process, if one did (SIGKILL for a crash). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed. Without it stdin is closed at once. */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Runs the built CLI (`node bin/dsync.js`) as a separate process, as a user or cron would.
 * The environment starts clean of DSYNC_* and CI variables so the caller states what it relies on.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** A CLI process still running: its child (to signal it) and its result once it exits. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  result: Promise<CliResult>;
}

/** Like runCli, with the child process in hand (e.g. to send it SIGINT mid-run). */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(base)) {
    if (key.startsWith('DSYNC_') || key === 'CI' || key === 'NO_COLOR' || key === 'FORCE_COLOR')
      delete base[key];
  }
  const env = { ...base, ...options.env };
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`dsync ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\n${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
  return { child, result };
}

/** A fresh, empty config dir, removed by the returned cleanup. */
export function tempConfigDir(prefix = 'dsync-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
