import { spawn } from 'node:child_process';
import { CLI_PATH, type CliResult, REPO_ROOT } from '../support/cli.js';

/**
 * The CLI as a long-running process (e.g. `auth login` waiting for the browser): lets a test
 * wait for a line on stderr while the command is still running.
 */
export interface RunningCli {
  /** Resolves with the first match of `pattern` in stderr so far or later. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
  kill(): void;
  /** Writes to stdin and closes it (with `openStdin`). */
  send(text: string): void;
}

export function startCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; openStdin?: boolean } = {},
): RunningCli {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(base)) {
    if (key.startsWith('DSYNC_') || key === 'CI' || key === 'NO_COLOR' || key === 'FORCE_COLOR')
      delete base[key];
  }
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: REPO_ROOT,
    env: { ...base, ...options.env } as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of [...waiters]) {
      const match = stderr.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  else if (!options.openStdin) child.stdin.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    done,
    kill: () => child.kill('SIGKILL'),
    send: (text) => child.stdin.end(text),
    waitForStderr(pattern, timeoutMs = 20_000) {
      const match = stderr.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`stderr never matched ${pattern}:\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`dsync exited before stderr matched ${pattern}:\n${stderr}\n${stdout}`));
        });
      });
    },
  };
}

/** The authorize URL `auth login --no-browser` prints: against the sandbox, `{origin}/shops/{shop}/admin/oauth/authorize?…`. */
export const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+(?:\/shops\/[^/\s]+)?\/admin\/oauth\/authorize\?\S+)/;

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
