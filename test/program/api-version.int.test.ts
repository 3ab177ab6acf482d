import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 5 });
});
afterAll(() => sandbox.stop());

describe('--api-version', () => {
  it('sends requests to the chosen Admin API version', async () => {
    const result = await runCli(['--debug', '--api-version', '2026-07', 'locations', 'list'], {
      env: sandbox.env(),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('/admin/api/2026-07/graphql.json');
    expect(result.stderr).not.toContain('/admin/api/2026-10/graphql.json');
  });

  it('uses the pinned version by default', async () => {
    const result = await runCli(['--debug', 'locations', 'list'], { env: sandbox.env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('/admin/api/2026-10/graphql.json');
  });

  it('takes DSYNC_API_VERSION and refuses versions Shopify never released', async () => {
    const fromEnv = await runCli(['--debug', 'locations', 'list'], {
      env: { ...sandbox.env(), DSYNC_API_VERSION: '2026-04' },
    });
    expect(fromEnv.stderr).toContain('/admin/api/2026-04/graphql.json');
    const bad = await runCli(['--json', '--api-version', '2026-05', 'locations', 'list'], {
      env: sandbox.env(),
    });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toContain('invalid API version "2026-05"');
  });
});
