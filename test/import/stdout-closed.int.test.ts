import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { expectedImports, type Json, scenario } from './helpers.js';

let sandbox: TestSandbox;
beforeAll(async () => {
  // Enough orders that their events (about 300 KB) overflow a pipe's buffer (64 KB) many times over.
  sandbox = await startTestSandbox({ orders: 1000, seed: 23, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

/**
 * Runs `dsync import` with stdout into a pipe whose reader goes away after the first line
 * (`dsync import | head -n 1`). Returns the complete lines the reader got.
 */
function importIntoShortReader(env: Record<string, string | undefined>) {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('DSYNC_') || key === 'CI') delete base[key];
  const child = spawn(process.execPath, [CLI_PATH, 'import', '--no-input'], {
    cwd: REPO_ROOT,
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let received = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
    if (received.includes('\n')) child.stdout.destroy();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; lines: Json[]; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dsync import did not finish\n${stderr}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const complete = received.split('\n').slice(0, -1);
      resolve({ code, lines: complete.map((line) => JSON.parse(line)), stderr });
    });
  });
}

describe('dsync import: stdout closed by its reader', () => {
  it('stops with a non-zero exit, records only what was written, and the next run sends the rest', async () => {
    const s = scenario(sandbox);
    try {
      const expected = expectedImports(sandbox.data, {});
      expect(expected.size, 'the seed gives many orders to import').toBeGreaterThan(150);

      const first = await importIntoShortReader(s.env);
      expect(first.code, first.stderr).not.toBe(0);
      expect(first.stderr).toContain('stdout was closed by its reader');
      expect(first.lines.length).toBeGreaterThanOrEqual(1);

      const list = await s.run(['orders', 'list', '--json', '--limit', '10000']);
      expect(list.code, list.stderr).toBe(0);
      const recorded: Json[] = JSON.parse(list.stdout).orders;
      const imported = new Set(recorded.filter((o) => o.status === 'imported').map((o) => o.name as string));
      // Every event the reader got was written, so it is recorded as delivered …
      for (const line of first.lines) expect(imported.has(line.order.name)).toBe(true);
      // … and the events after the break are not: the run stopped instead of recording them.
      expect(imported.size).toBeLessThan(expected.size);
      expect(recorded.filter((o) => o.status === 'error')).toEqual([]);

      // The checkpoint did not move past what was not delivered: the next run sends exactly the rest.
      const out = join(s.dir, 'out');
      const second = await s.run(['import', '--out', out, '--json']);
      expect(second.code, second.stderr).toBe(0);
      const rest = readdirSync(out).map(
        (file) => JSON.parse(readFileSync(join(out, file), 'utf8')).order.name as string,
      );
      for (const name of rest) expect(imported.has(name), `${name} delivered twice`).toBe(false);
      expect([...imported, ...rest].sort()).toEqual([...expected.keys()].sort());
    } finally {
      s.cleanup();
    }
  });
});
