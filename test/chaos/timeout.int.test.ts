import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/** DSYNC_HTTP_TIMEOUT_MS: an answer slower than it counts as timed out, and a read is retried. */
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 5 });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('the HTTP timeout', () => {
  it('gives up on a slow answer after DSYNC_HTTP_TIMEOUT_MS and retries the read', async () => {
    sandbox.setFaults('slow@1:ms=4000');
    const started = Date.now();
    const run = await runCli(['locations', 'list', '--json', '--debug'], {
      env: { ...sandbox.env(), DSYNC_HTTP_TIMEOUT_MS: '800' },
    });
    const took = Date.now() - started;
    const { injected } = sandbox.faults();
    sandbox.setFaults(undefined);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('request timed out');
    expect(JSON.parse(run.stdout).locations.length).toBeGreaterThan(0);
    // The slow answer was not waited for.
    expect(took).toBeLessThan(4000 + 2000);
    expect(injected).toEqual({ slow: 1 });
  });

  it('refuses a timeout that is not a whole number of milliseconds (exit 2)', async () => {
    const run = await runCli(['locations', 'list'], {
      env: { ...sandbox.env(), DSYNC_HTTP_TIMEOUT_MS: 'soon' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DSYNC_HTTP_TIMEOUT_MS');
  });
});
