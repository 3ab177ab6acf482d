import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZE_URL, freePort, startCli } from '../auth/cli-process.js';
import { runCli, tempConfigDir } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

describe('auth login against the second store of a many-store sandbox', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    // The approval page is shown, so its form has to post back to the right store.
    sandbox = await startTestSandbox({ shops: 2, orders: 5, autoApprove: false });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('installs through that store’s approval page; its token works there and nowhere else', async () => {
    const [first, second] = sandbox.shops;
    if (!first || !second) throw new Error('two stores expected');
    const config = tempConfigDir();
    const env = {
      DSYNC_API_ORIGIN: sandbox.origin,
      DSYNC_CONFIG_DIR: config.dir,
      DSYNC_KEYCHAIN: 'off',
      DSYNC_CLIENT_SECRET: sandbox.clientSecret,
    };
    try {
      const port = await freePort();
      const cli = startCli(
        [
          'auth',
          'login',
          '--store',
          second.shop,
          '--client-id',
          sandbox.clientId,
          '--no-browser',
          '--port',
          String(port),
        ],
        { env },
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
      expect(url).toContain(`/shops/${second.shop}/admin/oauth/authorize?`);
      const page = await (await fetch(url ?? '')).text();
      expect(page).toContain(second.shop);
      const action = /action="([^"]+)"/.exec(page)?.[1] ?? '';
      const nonce = /name="nonce" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
      expect(action).toBe(`/shops/${second.shop}/admin/oauth/authorize/approve`);
      const approved = await fetch(`${sandbox.origin}${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ nonce, decision: 'install' }).toString(),
        redirect: 'follow',
      });
      await approved.text();
      const login = await cli.done;
      expect(login.code, login.stderr).toBe(0);

      const token = await runCli(['auth', 'token', '--store', second.shop], { env });
      expect(token.code, token.stderr).toBe(0);
      const issued = token.stdout.trim();
      expect(second.tokens.lookup(issued).ok).toBe(true);
      expect(first.tokens.lookup(issued).ok).toBe(false);
      const list = await runCli(['locations', 'list', '--store', second.shop, '--json'], { env });
      expect(list.code, list.stderr).toBe(0);
    } finally {
      config.cleanup();
    }
  });
});
