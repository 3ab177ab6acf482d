import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/** What a user sees of the client through the built CLI: --debug lines, retries, typed errors. */
describe('the client through the CLI', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ orders: 3, faults: '500@1' });
  });
  afterAll(() => sandbox.stop());

  it('--debug logs each request and response with the request id, retries a 500, and never prints the token', async () => {
    const result = await runCli(['locations', 'list', '--json', '--debug'], { env: sandbox.env() });
    expect(result.code).toBe(0);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stderr).toMatch(
      /http → POST http:\/\/127\.0\.0\.1:\d+\/shops\/[a-z0-9.-]+\/admin\/api\/2026-10\/graphql\.json LocationsList/,
    );
    expect(result.stderr).toMatch(/http ← 500 LocationsList/);
    expect(result.stderr).toMatch(/waiting \d+ms before retrying LocationsList: Shopify answered HTTP 500/);
    expect(result.stderr).toMatch(
      /http ← 200 LocationsList \d+ms cost \d+\/\d+ throttle \d+\/\d+ \+\d+\/s request-id \S+/,
    );
    expect(result.stderr).toContain('"x-shopify-access-token":"[redacted]"');
    expect(result.stdout + result.stderr).not.toContain(sandbox.accessToken);
  });

  it('an invalid token exits 4 with token_invalid, the login hint and a request id', async () => {
    const result = await runCli(['locations', 'list', '--json'], {
      env: sandbox.env({ accessToken: 'shpat_00000000000000000000000000000000' }),
    });
    expect(result.code).toBe(4);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('token_invalid');
    expect(error.message).toContain(`the access token for ${sandbox.shop} is no longer valid`);
    expect(error.message).toMatch(/request id \S+/);
    expect(error.hint).toBe(`dsync auth login --store ${sandbox.shop}`);
  });
});
