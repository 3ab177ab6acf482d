import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigHarness, LOCATION, SCOPES_WITHOUT_ALL_ORDERS, startHarness } from './helpers.js';

let h: ConfigHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cleanup();
});

const readConfig = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

describe('config set: booleans', () => {
  it.each([
    'filter-by-location',
    'exclude-empty-orders',
    'use-local-currency',
    'include-duplicate-skus',
    'include-partial-fulfillments',
    'accept-fulfillment-requests',
    'notify-customer',
  ])('%s takes true/false words and refuses anything else', async (key) => {
    const s = h.session();
    expect((await s.dsync(['config', 'set', key, 'yes'])).code).toBe(0);
    expect((await s.json(['config', 'get', key])).body).toMatchObject({ key, value: true, isDefault: false });
    expect((await s.dsync(['config', 'set', key, 'OFF'])).code).toBe(0);
    expect((await s.dsync(['config', 'get', key])).stdout.trim()).toBe('false');

    const bad = await s.dsync(['config', 'set', key, 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`invalid value "maybe" for ${key}`);
    expect(bad.stderr).toContain('allowed: true or false');
    expect(readConfig(s.dir).stores[h.sandbox.shop].settings[key]).toBe(false);
  });
});

describe('config set: financial-status', () => {
  it('takes a comma list of the seven statuses', async () => {
    const s = h.session();
    const set = await s.json(['config', 'set', 'financial-status', 'paid, Partially_Refunded,paid']);
    expect(set.code).toBe(0);
    expect(set.body.value).toEqual(['paid', 'partially_refunded']);
    expect((await s.dsync(['config', 'get', 'financial-status'])).stdout.trim()).toBe(
      'paid,partially_refunded',
    );
  });

  it.each([
    ['', /at least one status is required/],
    [' , ', /at least one status is required/],
    ['paid,expired', /unknown status "expired".*allowed: a comma list of paid, pending, authorized/],
  ])('refuses %j', async (value, message) => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'financial-status', value]);
    expect(result.code).toBe(2);
    expect(result.body.error.message).toMatch(message);
    expect(result.body.error.message).toContain('financial-status');
  });
});

describe('config set: api-version', () => {
  it('takes a quarterly version and refuses others', async () => {
    const s = h.session();
    expect((await s.dsync(['config', 'set', 'api-version', '2026-07'])).code).toBe(0);
    expect((await s.dsync(['config', 'get', 'api-version'])).stdout.trim()).toBe('2026-07');
    const bad = await s.dsync(['config', 'set', 'api-version', '2026-02']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid value "2026-02" for api-version; allowed: YYYY-MM/);
  });
});

describe('config set: fulfillment-location resolves against the live store', () => {
  it.each([
    ['Main Warehouse', LOCATION.warehouse],
    ['  main warehouse ', LOCATION.warehouse],
    [LOCATION.overflow, LOCATION.overflow],
    ['70000000004', LOCATION.acme3pl],
  ])('%j is stored as its gid', async (input, gid) => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'fulfillment-location', input]);
    expect(result.code).toBe(0);
    expect(result.body).toMatchObject({ key: 'fulfillment-location', value: gid });
    expect(readConfig(s.dir).stores[h.sandbox.shop].settings['fulfillment-location']).toBe(gid);
  });

  it('shows the location name beside its gid, and forgets it with the value', async () => {
    const s = h.session();
    expect((await s.dsync(['config', 'set', 'fulfillment-location', 'Acme 3PL'])).code).toBe(0);
    expect((await s.dsync(['config', 'get', 'fulfillment-location'])).stdout.trim()).toBe(
      `${LOCATION.acme3pl} (Acme 3PL)`,
    );
    expect((await s.json(['config', 'get', 'fulfillment-location'])).body).toMatchObject({
      value: LOCATION.acme3pl,
      name: 'Acme 3PL',
    });
    expect((await s.dsync(['config', 'list'])).stdout).toContain(`${LOCATION.acme3pl} (Acme 3PL)`);
    expect((await s.dsync(['config', 'unset', 'fulfillment-location'])).code).toBe(0);
    expect((await s.json(['config', 'get', 'fulfillment-location'])).body.name).toBeUndefined();
    expect(readConfig(s.dir).stores[h.sandbox.shop].labels).toBeUndefined();
  });

  it('refuses an unknown name, listing the candidates', async () => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'fulfillment-location', 'Atlantis']);
    expect(result.code).toBe(2);
    expect(result.body.error.message).toContain('no location named or with the id "Atlantis"');
    expect(result.body.error.message).toContain(`"Main Warehouse" (${LOCATION.warehouse})`);
    expect(result.body.error.hint).toContain('dsync locations list');
    expect(result.body.error.details.candidates).toHaveLength(5);
  });

  it('suggests partial matches', async () => {
    const s = h.session();
    const result = await s.dsync(['config', 'set', 'fulfillment-location', 'brooklyn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`did you mean: "Brooklyn Store" (${LOCATION.store})`);
  });

  it('refuses an inactive location', async () => {
    const s = h.session();
    const result = await s.dsync(['config', 'set', 'fulfillment-location', 'Old Depot (closed)']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is inactive and cannot be the fulfillment location');
    expect(() => readConfig(s.dir).stores[h.sandbox.shop].settings['fulfillment-location']).toThrow();
  });

  it('refuses an ambiguous name, listing both gids', async () => {
    const copy = { ...h.sandbox.data.locations[0]!, id: 70000000099 };
    h.sandbox.data.locations.push(copy);
    try {
      const s = h.session();
      const result = await s.json(['config', 'set', 'fulfillment-location', 'main warehouse']);
      expect(result.code).toBe(2);
      expect(result.body.error.message).toContain('is ambiguous');
      expect(result.body.error.message).toContain(LOCATION.warehouse);
      expect(result.body.error.message).toContain('gid://shopify/Location/70000000099');
      expect(result.body.error.hint).toContain('pass the gid instead');
    } finally {
      h.sandbox.data.locations.pop();
    }
  });
});

describe('config set: fulfillment-service', () => {
  it('takes a handle or all', async () => {
    const s = h.session();
    expect((await s.json(['config', 'set', 'fulfillment-service', 'acme-3pl'])).body.value).toBe('acme-3pl');
    expect((await s.json(['config', 'set', 'fulfillment-service', 'ALL'])).body.value).toBe('all');
  });

  it('warns when the service ships from another location than the configured one', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'fulfillment-location', 'Main Warehouse']);
    const result = await s.dsync(['config', 'set', 'fulfillment-service', 'acme-3pl']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: acme-3pl ships from "Acme 3PL"');
    expect(result.stderr).toContain('dsync doctor');
  });

  it('refuses an unknown handle, listing the handles', async () => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'fulfillment-service', 'shipbob']);
    expect(result.code).toBe(2);
    expect(result.body.error.message).toContain('handles are: all, acme-3pl, gift_card, manual');
  });

  it('points from a service name to its handle', async () => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'fulfillment-service', 'Acme 3PL']);
    expect(result.code).toBe(2);
    expect(result.body.error.hint).toContain('dsync config set fulfillment-service acme-3pl');
  });
});

describe('config set: accept-orders-after and the 60-day rule', () => {
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

  it.each(['30d', '12h', daysAgo(59)])('takes %s', async (value) => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'accept-orders-after', value]);
    expect(result.code).toBe(0);
    expect(result.body.value).toBe(value);
  });

  it('allows more than 60 days back when the token holds read_all_orders', async () => {
    const s = h.session();
    expect((await s.dsync(['config', 'set', 'accept-orders-after', '90d'])).code).toBe(0);
    expect((await s.dsync(['config', 'set', 'accept-orders-after', daysAgo(120)])).code).toBe(0);
  });

  it.each(['90d', daysAgo(61)])('refuses %s without read_all_orders and says so', async (value) => {
    const s = h.session();
    const token = h.tokenWith(SCOPES_WITHOUT_ALL_ORDERS);
    const result = await s.json(['config', 'set', 'accept-orders-after', value], {
      env: { DSYNC_ACCESS_TOKEN: token },
    });
    expect(result.code).toBe(2);
    expect(result.body.error.message).toMatch(/days back.*last 60 days.*read_all_orders/);
    expect(result.body.error.hint).toContain('read_all_orders');
  });

  it.each([
    ['yesterday', /invalid value "yesterday" for accept-orders-after/],
    ['2026-02-30', /invalid value "2026-02-30"/],
    ['0d', /invalid value "0d"/],
    [new Date(Date.now() + 3 * 86_400_000).toISOString(), /in the future/],
  ])('refuses %s', async (value, message) => {
    const s = h.session();
    const result = await s.dsync(['config', 'set', 'accept-orders-after', value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('config set: secrets', () => {
  const KEY = 'rm_live_0123456789abcdefWXYZ';

  it('reads return-magic-api-key from stdin, keeps it out of the config file and masks it', async () => {
    const s = h.session();
    const set = await s.dsync(['config', 'set', 'return-magic-api-key', '-'], { input: `${KEY}\n` });
    expect(set.code).toBe(0);
    expect(set.stderr).not.toContain(KEY);
    const configPath = join(s.dir, 'config.json');
    if (existsSync(configPath)) expect(readFileSync(configPath, 'utf8')).not.toContain(KEY);

    const list = await s.dsync(['config', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(KEY);
    expect(list.stdout).toMatch(/return-magic-api-key\s+••••WXYZ/);
    const get = await s.json(['config', 'get', 'return-magic-api-key']);
    expect(get.body).toMatchObject({ value: '••••WXYZ', secret: true });

    expect((await s.dsync(['config', 'unset', 'return-magic-api-key'])).code).toBe(0);
    expect((await s.json(['config', 'get', 'return-magic-api-key'])).body.value).toBeNull();
  });

  it('keeps webhook-secret the same way: stdin only, never in the file, masked, unset removes it', async () => {
    const s = h.session();
    const SECRET = 'whsec_0123456789abcdefQRST';
    const refused = await s.dsync(['config', 'set', 'webhook-secret', SECRET]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain(SECRET);
    expect(refused.stderr).toContain('dsync config set webhook-secret -');

    const set = await s.dsync(['config', 'set', 'webhook-secret', '-'], { input: SECRET });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(SECRET);
    const configPath = join(s.dir, 'config.json');
    if (existsSync(configPath)) expect(readFileSync(configPath, 'utf8')).not.toContain(SECRET);
    const list = await s.dsync(['config', 'list']);
    expect(list.stdout).not.toContain(SECRET);
    expect(list.stdout).toMatch(/webhook-secret\s+••••QRST/);
    expect((await s.json(['config', 'get', 'webhook-secret'])).body).toMatchObject({
      value: '••••QRST',
      secret: true,
    });

    expect((await s.json(['config', 'unset', 'webhook-secret'])).body).toMatchObject({ removed: true });
    expect((await s.json(['config', 'get', 'webhook-secret'])).body.value).toBeNull();
    expect((await s.dsync(['config', 'set', 'webhook-secret', '-'], { input: '\n' })).code).toBe(2);
  });

  it('refuses a secret on the command line without echoing it', async () => {
    const s = h.session();
    const result = await s.dsync(['config', 'set', 'return-magic-api-key', KEY]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(KEY);
    expect(result.stderr).toContain('dsync config set return-magic-api-key -');
  });

  it('refuses an empty secret from stdin', async () => {
    const s = h.session();
    const result = await s.dsync(['config', 'set', 'return-magic-api-key', '-'], { input: '\n' });
    expect(result.code).toBe(2);
  });
});

describe('config get, list, unset, path', () => {
  it('lists every key with effective values, defaults marked', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'notify-customer', 'true']);
    const { code, body } = await s.json(['config', 'list']);
    expect(code).toBe(0);
    const byKey = Object.fromEntries(body.settings.map((e: { key: string }) => [e.key, e]));
    expect(Object.keys(byKey)).toHaveLength(14);
    expect(byKey['webhook-secret']).toMatchObject({ value: null, secret: true });
    expect(byKey['accept-fulfillment-requests']).toMatchObject({ value: true, isDefault: true });
    expect(byKey['notify-customer']).toMatchObject({ value: true, isDefault: false });
    expect(byKey['financial-status']).toMatchObject({ value: ['paid'], isDefault: true });
    expect(byKey['fulfillment-service']).toMatchObject({ value: 'all', isDefault: true });
    expect(byKey['fulfillment-location']).toMatchObject({ value: null, isDefault: true });

    const human = await s.dsync(['config', 'list']);
    expect(human.stdout).toMatch(/notify-customer\s+true\s+set/);
    expect(human.stdout).toMatch(/financial-status\s+paid\s+default/);
  });

  it('unset brings the default back', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'financial-status', 'refunded']);
    const unset = await s.json(['config', 'unset', 'financial-status']);
    expect(unset.body).toMatchObject({ removed: true, value: ['paid'] });
    expect((await s.json(['config', 'get', 'financial-status'])).body).toMatchObject({
      value: ['paid'],
      isDefault: true,
    });
  });

  it('names an unknown key and suggests the right one', async () => {
    const s = h.session();
    const result = await s.json(['config', 'set', 'fulfilment-location', 'x']);
    expect(result.code).toBe(2);
    expect(result.body.error.message).toBe('unknown setting "fulfilment-location"');
    expect(result.body.error.hint).toContain('did you mean fulfillment-location?');
    for (const [typo, meant] of [
      ['fullfillment-location', 'fulfillment-location'],
      ['financial-statuses', 'financial-status'],
    ]) {
      const near = await s.json(['config', 'set', typo as string, 'x']);
      expect(near.code).toBe(2);
      expect(near.body.error.hint).toContain(`did you mean ${meant}?`);
    }
    const sub = await s.dsync(['config', 'lists']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('did you mean `dsync config list`?');
  });

  it('prints the config path, and writes the file with mode 0600', async () => {
    const s = h.session();
    expect((await s.dsync(['config', 'path'])).stdout.trim()).toBe(join(s.dir, 'config.json'));
    await s.dsync(['config', 'set', 'notify-customer', 'true']);
    expect(statSync(join(s.dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('reads a value from stdin with -', async () => {
    const s = h.session();
    expect(
      (await s.dsync(['config', 'set', 'financial-status', '-'], { input: 'paid,pending\n' })).code,
    ).toBe(0);
    expect((await s.dsync(['config', 'get', 'financial-status'])).stdout.trim()).toBe('paid,pending');
  });
});

describe('a hand-edited or corrupted config file', () => {
  it('is an error naming the file, and is never rewritten', async () => {
    const s = h.session();
    const path = join(s.dir, 'config.json');
    const broken = '{"stores": {"x": ';
    writeFileSync(path, broken, { mode: 0o600 });
    for (const args of [
      ['config', 'list'],
      ['config', 'set', 'notify-customer', 'true'],
    ]) {
      const result = await s.json(args);
      expect(result.code).toBe(2);
      expect(result.body.error.message).toContain(path);
      expect(result.body.error.message).toContain('not valid JSON');
    }
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect((await s.dsync(['config', 'path'])).stdout.trim()).toBe(path);
  });

  it('names a bad value and its key, keeps the other settings, and lets it be fixed', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'notify-customer', 'true']);
    const path = join(s.dir, 'config.json');
    const file = readConfig(s.dir);
    file.stores[h.sandbox.shop].settings['financial-status'] = 'paid';
    file.stores[h.sandbox.shop].settings.colour = 'blue';
    writeFileSync(path, JSON.stringify(file));

    const list = await s.json(['config', 'list']);
    expect(list.code).toBe(2);
    expect(list.body.error.message).toMatch(/financial-status|colour/);
    expect(list.body.error.message).toContain(path);

    expect((await s.dsync(['config', 'unset', 'colour'])).code).toBe(0);
    const again = await s.json(['config', 'list']);
    expect(again.body.error.message).toContain('invalid value "paid" for financial-status');
    expect((await s.dsync(['config', 'set', 'financial-status', 'paid'])).code).toBe(0);
    const fixed = await s.json(['config', 'list']);
    expect(fixed.code).toBe(0);
    expect(readConfig(s.dir).stores[h.sandbox.shop].settings['notify-customer']).toBe(true);
  });

  it('refuses a file of the wrong shape, naming the field', async () => {
    const s = h.session();
    const path = join(s.dir, 'config.json');
    writeFileSync(path, JSON.stringify({ stores: [] }));
    const result = await s.json(['config', 'list']);
    expect(result.code).toBe(2);
    expect(result.body.error.message).toContain(`${path} is invalid: stores`);
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify({ stores: [] }));
  });
});
