import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, importLockPath, readLock } from '../../../src/core/lock/lock.js';
import { REPO_ROOT } from '../../support/cli.js';

/**
 * Separate processes (the built lock module, as the CLI runs it) racing for the same stale lock.
 * Each racer waits on the clock for an agreed instant, then tries to take the lock.
 */
const RACER = `
const { acquireLock } = await import(process.env.LOCK_MODULE);
let handle;
process.on('message', (message) => {
  if (message.type === 'race') {
    while (Date.now() < message.at) {}
    try {
      handle = acquireLock(message.path, 'acme');
      process.send({ won: true, pid: process.pid });
    } catch (error) {
      process.send({ won: false, pid: process.pid, code: error.code, message: error.message });
    }
  } else if (message.type === 'release') {
    handle?.release();
    handle = undefined;
    process.send({ released: true });
  } else process.exit(0);
});
process.send({ ready: true });
`;

interface Answer {
  won?: boolean;
  pid?: number;
  code?: string;
  message?: string;
  ready?: boolean;
  released?: boolean;
}

function startRacer(): Promise<{ child: ChildProcess; ask: (message: object) => Promise<Answer> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RACER], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      LOCK_MODULE: pathToFileURL(join(REPO_ROOT, 'dist', 'core', 'lock', 'lock.js')).href,
    },
  });
  const next = () =>
    new Promise<Answer>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`racer exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (answer) => {
        child.off('exit', onExit);
        resolve(answer as Answer);
      });
    });
  return next().then(() => ({
    child,
    ask: (message: object) => {
      const answer = next();
      child.send(message);
      return answer;
    },
  }));
}

/** The pid of a process that has exited: a lock it held is stale. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid as number));
  });
}

let racers: Awaited<ReturnType<typeof startRacer>>[] = [];
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dsync-lock-race-'));
  racers = await Promise.all([startRacer(), startRacer()]);
});
afterAll(() => {
  for (const racer of racers) racer.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('import lock across processes', () => {
  it('of two runs taking over the same stale lock, exactly one wins, round after round', async () => {
    const path = importLockPath(dir, 'acme.myshopify.com');
    const dead = await deadPid();
    const winners = new Set<number>();
    for (let round = 0; round < 40; round += 1) {
      // A lock left behind by a run that died on this host.
      acquireLock(path, 'acme', { pid: dead, host: hostname() });
      expect(readLock(path)?.pid).toBe(dead);

      const at = Date.now() + 40;
      const answers = await Promise.all(racers.map((racer) => racer.ask({ type: 'race', path, at })));
      const won = answers.filter((a) => a.won);
      const lost = answers.filter((a) => !a.won);
      expect(won, `round ${round}: ${JSON.stringify(answers)}`).toHaveLength(1);
      const winner = won[0]?.pid as number;
      winners.add(winner);
      expect(lost[0]?.code).toBe('locked');
      expect(lost[0]?.message).toContain(`pid ${winner} on ${hostname()}`);
      expect(readLock(path)?.pid).toBe(winner);

      const index = answers.findIndex((a) => a.won);
      await racers[index]?.ask({ type: 'release' });
      expect(readLock(path)).toBeUndefined();
    }
    // Both racers are able to win: the rounds were real races, not a fixed order.
    expect(winners.size).toBe(2);
  });
});
