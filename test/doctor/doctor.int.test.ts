import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConfigHarness,
  type ConfigSession,
  LOCATION,
  SCOPES_WITHOUT_ALL_ORDERS,
  startHarness,
} from '../config/helpers.js';

interface Check {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  hint?: string;
}

let h: ConfigHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cleanup();
});

async function doctor(s: ConfigSession, env: Record<string, string | undefined> = {}) {
  const result = await s.json(['doctor'], { env });
  const checks = Object.fromEntries((result.body.checks as Check[]).map((c) => [c.id, c]));
  return { ...result, checks };
}

const failed = (checks: Record<string, Check>) =>
  Object.values(checks)
    .filter((c) => c.status === 'fail')
    .map((c) => c.id)
    .sort();

async function configured(location = 'Acme 3PL', service = 'acme-3pl'): Promise<ConfigSession> {
  const s = h.session();
  expect((await s.dsync(['config', 'set', 'fulfillment-location', location])).code).toBe(0);
  expect((await s.dsync(['config', 'set', 'fulfillment-service', service])).code).toBe(0);
  return s;
}

describe('dsync doctor', () => {
  it('passes every check on a complete configuration, one line per check', async () => {
    const s = await configured();
    const { code, body, checks } = await doctor(s);
    expect(code).toBe(0);
    expect(body.ok).toBe(true);
    expect(failed(checks)).toEqual([]);
    expect(Object.keys(checks)).toEqual([
      'config-valid',
      'config-permissions',
      'credentials-permissions',
      'token',
      'scopes',
      'fulfillment-location',
      'fulfillment-service',
      'location-service',
      'accept-orders-after',
      'clock',
    ]);
    const human = await s.dsync(['doctor']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✓'))).toHaveLength(10);
    expect(human.stdout).toContain('✓ fulfillment location belongs to the fulfillment service');
    expect(lines.at(-1)).toBe('All checks passed.');
  });

  it('says what is missing for a new user: no location set', async () => {
    const s = h.session();
    const human = await s.dsync(['doctor']);
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(
      /✗ fulfillment location exists and is active: fulfillment-location is not set\n\s+→ .*dsync config set fulfillment-location/,
    );
  });

  it('fails with exit 4 when there is no token, skipping what needs one', async () => {
    const s = await configured();
    const { code, body, checks } = await doctor(s, { DSYNC_ACCESS_TOKEN: undefined });
    expect(code).toBe(4);
    expect(body.ok).toBe(false);
    expect(failed(checks)).toEqual(['token']);
    expect(checks.token?.hint).toContain('dsync auth login');
    expect(checks['fulfillment-location']?.status).toBe('skip');
  });

  it('fails when the store refuses the token', async () => {
    const s = await configured();
    const { code, checks } = await doctor(s, { DSYNC_ACCESS_TOKEN: 'shpat_not_a_real_token_0000' });
    expect(code).toBe(4);
    expect(failed(checks)).toEqual(['token']);
  });

  it('names missing scopes', async () => {
    const s = await configured();
    const { code, checks } = await doctor(s, { DSYNC_ACCESS_TOKEN: h.tokenWith(['read_locations']) });
    expect(code).toBe(4);
    expect(failed(checks)).toEqual(['scopes']);
    expect(checks.scopes?.detail).toContain('missing: read_orders');
    expect(checks.scopes?.hint).toContain('dsync auth login --scopes');
  });

  it('fails when the location was deactivated or deleted in the store', async () => {
    const s = await configured('Overflow Storage', 'all');
    const overflow = h.sandbox.data.locations.find((l) => l.name === 'Overflow Storage')!;
    overflow.isActive = false;
    try {
      const { code, checks } = await doctor(s);
      expect(code).toBe(2);
      expect(failed(checks)).toEqual(['fulfillment-location']);
      expect(checks['fulfillment-location']?.detail).toContain('is inactive');
    } finally {
      overflow.isActive = true;
    }
    const index = h.sandbox.data.locations.indexOf(overflow);
    h.sandbox.data.locations.splice(index, 1);
    try {
      const { checks } = await doctor(s);
      expect(checks['fulfillment-location']?.detail).toContain(`${LOCATION.overflow} is not a location`);
    } finally {
      h.sandbox.data.locations.splice(index, 0, overflow);
    }
  });

  it('fails when the service is gone, and when the location is not the service’s', async () => {
    const s = await configured('Main Warehouse', 'acme-3pl');
    const mismatch = await doctor(s);
    expect(mismatch.code).toBe(2);
    expect(failed(mismatch.checks)).toEqual(['location-service']);
    expect(mismatch.checks['location-service']?.hint).toContain(
      `dsync config set fulfillment-location ${LOCATION.acme3pl}`,
    );

    const path = join(s.dir, 'config.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.stores[h.sandbox.shop].settings['fulfillment-service'] = 'shipbob';
    writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
    const gone = await doctor(s);
    expect(failed(gone.checks)).toEqual(['fulfillment-service']);
    expect(gone.checks['fulfillment-service']?.detail).toContain('handles are: all, acme-3pl');
  });

  it('fails when accept-orders-after is beyond what the token may read', async () => {
    const s = await configured();
    expect((await s.dsync(['config', 'set', 'accept-orders-after', '90d'])).code).toBe(0);
    const { code, checks } = await doctor(s, { DSYNC_ACCESS_TOKEN: h.tokenWith(SCOPES_WITHOUT_ALL_ORDERS) });
    expect(code).toBe(4);
    expect(failed(checks)).toEqual(['accept-orders-after', 'scopes']);
    expect(checks['accept-orders-after']?.detail).toMatch(/90 days back.*last 60 days/);
    expect(checks.scopes?.detail).toBe('missing: read_all_orders');
  });

  it('fails on a config file others can read', async () => {
    const s = await configured();
    chmodSync(join(s.dir, 'config.json'), 0o644);
    const { code, checks } = await doctor(s);
    expect(code).toBe(1);
    expect(failed(checks)).toEqual(['config-permissions']);
    expect(checks['config-permissions']?.hint).toBe(`chmod 600 ${join(s.dir, 'config.json')}`);
  });

  it('checks the credentials file too: 0600 passes, wider fails with the chmod to run', async () => {
    const s = await configured();
    // DSYNC_KEYCHAIN=off: the secret setting goes to credentials.json.
    expect((await s.dsync(['config', 'set', 'webhook-secret', '-'], { input: 'whsec-doctor' })).code).toBe(0);
    const path = join(s.dir, 'credentials.json');
    const before = await doctor(s);
    expect(before.checks['credentials-permissions']).toMatchObject({
      status: 'pass',
      detail: `${path} is mode 600`,
    });
    chmodSync(path, 0o644);
    const { code, checks } = await doctor(s);
    expect(code).toBe(1);
    expect(failed(checks)).toEqual(['credentials-permissions']);
    expect(checks['credentials-permissions']?.detail).toBe(`${path} is mode 644: other users can read it`);
    expect(checks['credentials-permissions']?.hint).toBe(`chmod 600 ${path}`);
  });

  it('fails on a hand-edited bad setting, naming it', async () => {
    const s = await configured();
    const path = join(s.dir, 'config.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.stores[h.sandbox.shop].settings['notify-customer'] = 'sometimes';
    writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
    const { code, checks } = await doctor(s);
    expect(code).toBe(2);
    expect(failed(checks)).toEqual(['config-valid']);
    expect(checks['config-valid']?.detail).toContain('notify-customer');
  });

  describe('clock skew', () => {
    let proxy: Server;
    let origin: string;
    beforeAll(async () => {
      // Forwards to the sandbox, but claims to be ten minutes ahead in its Date header.
      proxy = createServer((req, res) => {
        const target = new URL(h.sandbox.origin);
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            const headers = { ...answer.headers, date: new Date(Date.now() + 600_000).toUTCString() };
            res.writeHead(answer.statusCode ?? 502, headers);
            answer.pipe(res);
          },
        );
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => proxy.close(resolve));
    });

    it('fails when the local clock is far from the store’s', async () => {
      const s = await configured();
      const { code, checks } = await doctor(s, { DSYNC_API_ORIGIN: origin });
      expect(code).toBe(1);
      expect(failed(checks)).toEqual(['clock']);
      expect(checks.clock?.detail).toMatch(/the local clock is (59\d|6\d\d) s behind the store's/);
    });
  });
});
