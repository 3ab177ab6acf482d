// Shared by the benchmarks: a sandbox store in this process, and dsync runs as child
// processes with their wall time and peak RSS (VmHWM from /proc, polled while they run).
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'bin', 'dsync.js');

export async function startSandbox(options) {
  const { startSandbox: start, PLAN_LIMITS } = await import(join(root, 'dist', 'sandbox', 'index.js'));
  const sandbox = await start({ port: 0, autoApprove: true, seed: 1, ...options });
  const limits = PLAN_LIMITS[options.plan ?? 'standard'];
  return { sandbox, limits };
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function peakRssKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Runs dsync with its stdout (the events) sent to /dev/null, --json so the summary arrives on
 * stderr as JSON. Resolves with the exit code, wall time, peak RSS, CPU time (as last polled, up
 * to 50 ms short) and the summary. With an
 * `--out` sink the events go to files and `--json` prints `{ summary, sink, ledger }` on stdout:
 * pass `{ summaryOnStdout: true }` to read it from there, and `{ whole: true }` too when the
 * command's JSON document is the summary itself (`inventory push --json`). `exitCodes` lists the
 * exit codes that still count as a run (default only 0; `--all-stores` runs racing another worker
 * exit 5 for the stores it found locked). `nodeArgs` go to node before the CLI (`--cpu-prof`).
 */
export function runDsync(
  args,
  env,
  { summaryOnStdout = false, whole = false, exitCodes = [0], nodeArgs = [] } = {},
) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const devnull = openSync('/dev/null', 'w');
    const child = spawn(process.execPath, [...nodeArgs, cli, ...args], {
      cwd: root,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', summaryOnStdout ? 'pipe' : devnull, 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let peak = 0;
    let cpu = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    const poll = setInterval(() => {
      peak = Math.max(peak, peakRssKb(child.pid));
      cpu = Math.max(cpu, cpuSeconds(child.pid));
    }, 50);
    child.on('error', reject);
    child.on('exit', () => {
      peak = Math.max(peak, peakRssKb(child.pid));
    });
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = stderr
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{"summary"'));
      const summary = line
        ? JSON.parse(line).summary
        : summaryOnStdout
          ? parseSummary(stdout, whole)
          : undefined;
      if (!exitCodes.includes(code) || !summary) {
        reject(new Error(`dsync ${args.join(' ')} exited ${code}\n${stderr}`));
        return;
      }
      resolve({ ms, peakRssMb: Number((peak / 1024).toFixed(1)), cpuSeconds: cpu, summary, code });
    });
  });
}

function parseSummary(text, whole) {
  try {
    return whole ? JSON.parse(text) : JSON.parse(text).summary;
  } catch {
    return undefined;
  }
}

/** A node child process to completion: its exit code, output and wall time (ms); `input` goes to its stdin. */
export function runNode(args, env, input) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** Runs any other dsync command (`config set …`) to completion: its exit code and output. */
export function runCli(args, env, input) {
  return runNode([cli, ...args], { ...cleanEnv(), ...env }, input);
}

function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('DSYNC_') || key === 'CI') delete env[key];
  return env;
}

export function dsyncEnv(sandbox, configDir) {
  return {
    DSYNC_API_ORIGIN: sandbox.origin,
    DSYNC_STORE: sandbox.shop,
    DSYNC_ACCESS_TOKEN: sandbox.accessToken,
    DSYNC_CONFIG_DIR: configDir,
    DSYNC_NO_INPUT: '1',
  };
}
