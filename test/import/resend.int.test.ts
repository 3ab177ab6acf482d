import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { type Json, scenario } from './helpers.js';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 40, seed: 23, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

const read = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]));

describe('a warehouse that lost what it received gets it again', () => {
  it('orders resend delivers the current document under the id first sent, and the ledger says so', async () => {
    const s = scenario(sandbox);
    const out = join(s.dir, 'out');
    try {
      const first = await s.run(['import', '--out', out, '--json']);
      expect(first.code, first.stderr).toBe(0);
      const delivered = read(out);
      const [file, event] = Object.entries(delivered)[0] as [string, Json];
      rmSync(join(out, file));

      const resent = await s.run(['orders', 'resend', event.order.name, '--out', out, '--json']);
      expect(resent.code, resent.stderr).toBe(0);
      expect(JSON.parse(resent.stdout).resent).toEqual([
        expect.objectContaining({ name: event.order.name, eventId: event.id, type: 'order.created' }),
      ]);
      expect(read(out)[file]).toMatchObject({
        id: event.id,
        type: 'order.created',
        order: { id: event.order.id },
      });
      const shown = JSON.parse((await s.run(['orders', 'show', event.order.name, '--json'])).stdout);
      expect(shown.activity.map((a: Json) => a.action)).toEqual(['order.created', 'resent']);
      expect(shown.order.status).toBe('imported');

      const unknown = await s.run(['orders', 'resend', '#99999', '--out', out]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('#99999: not in the ledger');
    } finally {
      s.cleanup();
    }
  });

  it('import --replay --since re-delivers every event of the period with the same ids, without moving the checkpoint', async () => {
    const s = scenario(sandbox);
    const out = join(s.dir, 'out');
    const again = join(s.dir, 'again');
    try {
      const first = await s.run(['import', '--out', out, '--json']);
      expect(first.code, first.stderr).toBe(0);
      const checkpoint = JSON.parse(first.stdout).summary.checkpoint;
      const replay = await s.run(['import', '--replay', '--since', '1d', '--out', again, '--json']);
      expect(replay.code, replay.stderr).toBe(0);
      expect(readdirSync(again).sort()).toEqual(readdirSync(out).sort());
      const status = await s.run(['import', '--json', '--out', out]);
      expect(JSON.parse(status.stdout).summary.window.updatedSince).toBe(
        new Date(Date.parse(checkpoint) - 2 * 60_000).toISOString(),
      );

      const bad = await s.run(['import', '--replay']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--replay needs --since');
    } finally {
      s.cleanup();
    }
  });

  it('an explicit --since after the checkpoint reads its window but leaves the checkpoint, and says so', async () => {
    const s = scenario(sandbox);
    try {
      const first = await s.run(['import', '--out', join(s.dir, 'out'), '--json']);
      expect(first.code, first.stderr).toBe(0);
      const checkpoint = JSON.parse(first.stdout).summary.checkpoint as string;
      // The outage: the next run is told to start later than the checkpoint.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const since = new Date(Date.parse(checkpoint) + 1000).toISOString();
      const later = await s.run(['import', '--since', since, '--out', join(s.dir, 'out'), '--json']);
      expect(later.code, later.stderr).toBe(0);
      const summary = JSON.parse(later.stdout).summary;
      expect(summary.checkpoint).toBe(checkpoint);
      const line = await s.run(['import', '--since', since, '--out', join(s.dir, 'out')]);
      expect(line.stdout + line.stderr).toContain('the checkpoint stays');
    } finally {
      s.cleanup();
    }
  });
});
