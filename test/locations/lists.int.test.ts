import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigHarness, LOCATION, startHarness } from '../config/helpers.js';

let h: ConfigHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cleanup();
});

describe('dsync locations list', () => {
  it('lists every location, inactive and fulfillment-service ones included, as JSON', async () => {
    const s = h.session();
    const { code, body } = await s.json(['locations', 'list']);
    expect(code).toBe(0);
    expect(body.shop).toBe(h.sandbox.shop);
    expect(body.locations.map((l: { name: string }) => l.name)).toEqual([
      'Acme 3PL',
      'Brooklyn Store',
      'Main Warehouse',
      'Old Depot (closed)',
      'Overflow Storage',
    ]);
    const byName = Object.fromEntries(body.locations.map((l: { name: string }) => [l.name, l]));
    expect(byName['Old Depot (closed)']).toMatchObject({
      id: LOCATION.closed,
      active: false,
      configured: false,
    });
    expect(byName['Acme 3PL']).toMatchObject({ fulfillmentService: 'acme-3pl', fulfillsOnlineOrders: true });
    expect(byName['Brooklyn Store']).toMatchObject({ fulfillsOnlineOrders: false, fulfillmentService: null });
  });

  it('marks the configured location in the table', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'fulfillment-location', 'Overflow Storage']);
    const table = await s.dsync(['locations', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/NAME\s+ID\s+ACTIVE\s+ONLINE ORDERS\s+SHIPS INVENTORY\s+FULFILLMENT SERVICE/);
    expect(lines.find((l) => l.includes('Overflow Storage'))).toMatch(/^\*\s+Overflow Storage/);
    expect(lines.filter((l) => l.startsWith('*'))).toHaveLength(1);
    expect(table.stderr).toContain('* = the configured fulfillment-location');
    const json = await s.json(['locations', 'list']);
    expect(json.body.locations.filter((l: { configured: boolean }) => l.configured)).toEqual([
      expect.objectContaining({ id: LOCATION.overflow }),
    ]);
  });

  it('fetches every page', async () => {
    const added = Array.from({ length: 260 }, (_, i) => ({
      ...h.sandbox.data.locations[0]!,
      id: 71000000000 + i,
      name: `Pop-up ${String(i).padStart(3, '0')}`,
    }));
    h.sandbox.data.locations.push(...added);
    try {
      const { code, body } = await h.session().json(['locations', 'list']);
      expect(code).toBe(0);
      expect(body.locations).toHaveLength(265);
      expect(new Set(body.locations.map((l: { id: string }) => l.id)).size).toBe(265);
    } finally {
      h.sandbox.data.locations.splice(-added.length);
    }
  });

  it('needs a token', async () => {
    const s = h.session();
    const result = await s.json(['locations', 'list'], { env: { DSYNC_ACCESS_TOKEN: undefined } });
    expect(result.code).toBe(4);
    expect(result.body.error.hint).toContain('dsync auth login');
  });
});

describe('dsync fulfillment-services list', () => {
  it('lists handle, name, location, inventory management and tracking support', async () => {
    const s = h.session();
    const { code, body } = await s.json(['fulfillment-services', 'list']);
    expect(code).toBe(0);
    expect(body.configured).toBe('all');
    expect(body.fulfillmentServices).toEqual([
      {
        handle: 'acme-3pl',
        name: 'Acme 3PL',
        type: 'THIRD_PARTY',
        location: { id: LOCATION.acme3pl, name: 'Acme 3PL' },
        inventoryManagement: true,
        trackingSupport: true,
        configured: false,
      },
      expect.objectContaining({ handle: 'gift_card', location: null, trackingSupport: false }),
      expect.objectContaining({ handle: 'manual', location: null }),
    ]);
  });

  it('marks the configured service in the table', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'fulfillment-service', 'acme-3pl']);
    const table = await s.dsync(['fulfillment-services', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/HANDLE\s+NAME\s+LOCATION\s+INVENTORY MANAGEMENT\s+TRACKING/);
    expect(lines.find((l) => l.startsWith('*'))).toMatch(
      /acme-3pl\s+Acme 3PL\s+Acme 3PL \(gid:\/\/shopify\/Location\/70000000004\)\s+yes\s+yes/,
    );
  });
});
