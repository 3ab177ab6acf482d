import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AuthError, UsageError } from '../../../src/core/errors.js';
import { startCallbackServer } from '../../../src/services/auth/callback-server.js';
import { computeHmac, signatureMessage } from '../../../src/services/auth/hmac.js';

const SECRET = 'shpss_unit';
const SHOP = 'acme.myshopify.com';
const STATE = 'the-state';

function signed(params: Record<string, string>): string {
  const search = new URLSearchParams(params);
  search.set('hmac', computeHmac(signatureMessage(search.entries()), SECRET));
  return search.toString();
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const start = (timeoutMs = 10_000) =>
  startCallbackServer({
    port: 0,
    expectation: { state: STATE, shop: SHOP, clientSecret: SECRET },
    now: () => new Date(),
    timeoutMs,
  });

const goodQuery = () =>
  signed({ code: 'the-code', shop: SHOP, state: STATE, timestamp: String(Math.floor(Date.now() / 1000)) });

describe('loopback callback server', () => {
  it('listens on 127.0.0.1 only and names the redirect URI', async () => {
    const server = await start();
    try {
      expect(server.redirectUri).toBe(`http://127.0.0.1:${server.port}/callback`);
    } finally {
      await server.close();
    }
  });

  it('hands over the code once, tells the browser to return to the terminal, then stops listening', async () => {
    const server = await start();
    const page = await get(server.port, `/callback?${goodQuery()}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('return to your terminal');
    expect(await server.code).toBe('the-code');
    await new Promise((r) => setTimeout(r, 50));
    await expect(get(server.port, `/callback?${goodQuery()}`)).rejects.toThrow();
    await server.close();
  });

  it('escapes what the request carried in its failure page', async () => {
    const server = await start();
    const query = signed({
      code: 'c',
      shop: '<script>alert(1)</script>',
      state: STATE,
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    const page = await get(server.port, `/callback?${query}`);
    expect(page.status).toBe(400);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;');
    await expect(server.code).rejects.toBeInstanceOf(AuthError);
    await server.close();
  });

  it('answers forged callbacks without ending the login: the real callback afterwards still completes it', async () => {
    const server = await start();
    try {
      const now = String(Math.floor(Date.now() / 1000));
      const forged = [
        // Another page cannot know this login's state: whatever it sends is not this login's callback.
        `/callback?${signed({ code: 'evil', shop: SHOP, state: 'forged', timestamp: now })}`,
        `/callback?code=evil&shop=${SHOP}&timestamp=${now}&hmac=${'0'.repeat(64)}`,
        '/callback?error=access_denied&error_description=declined',
        `/callback?${signed({ code: 'evil', shop: 'evil.myshopify.com', state: 'forged', timestamp: now })}`,
        `/callback?${goodQuery()}&state=${STATE}`,
        `/callback?${goodQuery()}&x=${'a'.repeat(20_000)}`,
        '/callback',
        '/callback?%zz',
      ];
      const answers: number[] = [];
      for (const path of forged) answers.push((await get(server.port, path)).status);
      expect(answers.every((status) => status >= 400 && status < 500)).toBe(true);
      const real = await get(server.port, `/callback?${goodQuery()}`);
      expect(real.status).toBe(200);
      expect(await server.code).toBe('the-code');
    } finally {
      await server.close();
    }
  });

  it("ends the login on a refused callback that carries this login's state (a wrong client secret, a denial)", async () => {
    for (const query of [
      `code=c&shop=${SHOP}&state=${STATE}&timestamp=${Math.floor(Date.now() / 1000)}&hmac=${'0'.repeat(64)}`,
      signed({
        error: 'access_denied',
        shop: SHOP,
        state: STATE,
        timestamp: String(Math.floor(Date.now() / 1000)),
      }),
    ]) {
      const server = await start();
      try {
        expect((await get(server.port, `/callback?${query}`)).status).toBe(400);
        await expect(server.code).rejects.toBeInstanceOf(AuthError);
      } finally {
        await server.close();
      }
    }
  });

  it('gives up after the timeout with a message saying what to do', async () => {
    const server = await start(150);
    const error = await server.code.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('login_timeout');
    expect((error as AuthError).message).toContain('no answer from the browser');
    expect((error as AuthError).hint).toContain('dsync auth login');
    await server.close();
  });

  it('names --port when the port is taken', async () => {
    const first = await start();
    try {
      const error = await startCallbackServer({
        port: first.port,
        expectation: { state: STATE, shop: SHOP, clientSecret: SECRET },
        now: () => new Date(),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).hint).toContain('--port');
    } finally {
      await first.close();
    }
  });
});
