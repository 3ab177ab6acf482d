import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, type Json, LOCATIONS, scenario, scenarioAt } from '../import/helpers.js';
import { merchant, openShippedReturn } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * `dsync returns …` against the sandbox over HTTP. Returns are opened through the Admin API as a
 * returns app would; the truth (dispositions, stock) is read back the same way, never from
 * dsync's own account of what it did.
 */
const WAREHOUSE = `gid://shopify/Location/${LOCATIONS.warehouse}`;

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 5, seed: 7 });
});
afterAll(async () => {
  await sandbox?.stop();
});

const setup = () => scenarioAt(sandbox, WAREHOUSE);

const openReturn = (lines: Record<string, number>, options: { note?: string; tracking?: string } = {}) =>
  openShippedReturn(sandbox, lines, options);

async function availableAt(sku: string): Promise<number> {
  const levels = (await merchant(sandbox).levels(WAREHOUSE)).filter((l) => l.sku === sku);
  return levels[0]?.available ?? Number.NaN;
}

/** The return's dispositions in the store, as `sku type quantity` strings. */
async function dispositions(returnId: string): Promise<string[]> {
  const ret = await merchant(sandbox).call(
    `query R($id: ID!) {
      return(id: $id) {
        returnLineItems(first: 10) { nodes { ... on ReturnLineItem { fulfillmentLineItem { id lineItem { sku } } } } }
        reverseFulfillmentOrders(first: 3) {
          nodes { lineItems(first: 10) { nodes { fulfillmentLineItem { id } dispositions { type quantity location { id } } } } }
        }
      }
    }`,
    { id: returnId },
    'return',
  );
  const skuOf = new Map<string, string>(
    ret.returnLineItems.nodes.map((l: Json) => [
      l.fulfillmentLineItem.id,
      l.fulfillmentLineItem.lineItem.sku,
    ]),
  );
  const out: string[] = [];
  for (const rfo of ret.reverseFulfillmentOrders.nodes)
    for (const line of rfo.lineItems.nodes)
      for (const d of line.dispositions) {
        expect(d.location).toEqual({ id: WAREHOUSE });
        out.push(`${skuOf.get(line.fulfillmentLineItem.id)} ${d.type} ${d.quantity}`);
      }
  return out.sort();
}

const ofReturn = (list: Json[], name: string) => list.filter((e) => e.return.name === name);

describe('dsync returns list and import', () => {
  it('needs the fulfillment location', async () => {
    const s = scenario(sandbox);
    const r = await s.run(['returns', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dsync config set fulfillment-location');
    s.cleanup();
  });

  it('lists a return coming back with its items and tracking; imports it once, a rerun sends nothing new', async () => {
    const s = await setup();
    const ret = await openReturn(
      { 'TEE-BLK-M': 2, 'TEE-BLK-S': 1 },
      { note: 'runs small', tracking: '1Z999AA10123456784' },
    );

    const list = await s.run(['returns', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout).returns.find((r: Json) => r.id === ret.id);
    expect(listed).toMatchObject({ name: ret.name, status: 'OPEN', locationId: WAREHOUSE });
    expect(listed.lines.map((l: Json) => [l.sku, l.quantity, l.reason, l.reasonNote]).sort()).toEqual([
      ['TEE-BLK-M', 2, 'SIZE_TOO_SMALL', 'runs small'],
      ['TEE-BLK-S', 1, 'SIZE_TOO_SMALL', 'runs small'],
    ]);
    expect(listed.tracking).toEqual([expect.objectContaining({ number: '1Z999AA10123456784' })]);
    const text = await s.run(['returns', 'list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${ret.name}\\s+#\\d+\\s+open .*tracking UPS 1Z999AA10123456784`));
    expect(text.stdout).toMatch(/TEE-BLK-M\s+× 2\s+size too small — runs small/);
    // Every listed return has items that were shipped from the warehouse.
    for (const r of JSON.parse(list.stdout).returns) expect(r.lines.length).toBeGreaterThan(0);

    const first = await s.run(['returns', 'import']);
    expect(first.code, first.stderr).toBe(0);
    const opened = ofReturn(events(first.stdout), ret.name);
    expect(opened.map((e) => e.type)).toEqual(['return.opened']);
    expect(opened[0].return.lines).toHaveLength(2);

    const again = await s.run(['returns', 'import']);
    expect(again.code, again.stderr).toBe(0);
    expect(ofReturn(events(again.stdout), ret.name)).toEqual([]);
    s.cleanup();
  });

  it('sends return.cancelled for a return cancelled before it arrives, and return.closed for a closed one', async () => {
    const s = await setup();
    const cancelled = await openReturn({ 'TEE-BLK-M': 1 });
    const closed = await openReturn({ 'TEE-BLK-S': 1 });
    const out = join(s.dir, 'spool');
    const first = await s.run(['returns', 'import', '--out', out, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const shop = merchant(sandbox);
    await shop.cancelReturn(cancelled.id);
    await shop.closeReturn(closed.id);
    const second = await s.run(['returns', 'import', '--out', out, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const files = readdirSync(out);
    const typesOf = (ret: Json) =>
      files
        .filter((f) => f.startsWith(`return-${ret.id.split('/').pop()}.`))
        .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')).type)
        .sort();
    expect(typesOf(cancelled)).toEqual(['return.cancelled', 'return.opened']);
    expect(typesOf(closed)).toEqual(['return.closed', 'return.opened']);

    const show = await s.run(['returns', 'show', closed.name, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).activity.map((a: Json) => a.action)).toEqual([
      'return.opened',
      'return.closed',
    ]);
    const third = await s.run(['returns', 'import', '--out', out]);
    expect(third.code, third.stderr).toBe(0);
    expect(readdirSync(out)).toHaveLength(files.length);
    s.cleanup();
  });
});

describe('dsync returns receive', () => {
  it('records each disposition; restocked units add to available; the same file twice disposes nothing more', async () => {
    const s = await setup();
    const ret = await openReturn({ 'TEE-BLK-M': 3, 'TEE-BLK-S': 1 });
    const before = await availableAt('TEE-BLK-M');
    const file = s.file(
      'received.csv',
      `return,sku,quantity,disposition\n${ret.name},TEE-BLK-M,1,restocked\n${ret.name},TEE-BLK-M,1,not_restocked\n${ret.name},TEE-BLK-M,1,processing_required\n${ret.name},TEE-BLK-S,1,missing\n`,
    );
    const dry = await s.run(['returns', 'receive', '--file', file, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).counts).toMatchObject({ planned: 4, disposed: 0 });
    expect(await dispositions(ret.id)).toEqual([]);

    const first = await s.run(['returns', 'receive', '--file', file, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).counts).toMatchObject({ disposed: 4, failed: 0, rowErrors: 0 });
    const expected = [
      'TEE-BLK-M NOT_RESTOCKED 1',
      'TEE-BLK-M PROCESSING_REQUIRED 1',
      'TEE-BLK-M RESTOCKED 1',
      'TEE-BLK-S MISSING 1',
    ];
    expect(await dispositions(ret.id)).toEqual(expected);
    expect(await availableAt('TEE-BLK-M')).toBe(before + 1);

    const second = await s.run(['returns', 'receive', '--file', file, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).counts).toMatchObject({ disposed: 0, alreadyApplied: 4 });
    expect(await dispositions(ret.id)).toEqual(expected);
    expect(await availableAt('TEE-BLK-M')).toBe(before + 1);

    const human = await s.run(['returns', 'show', ret.name]);
    expect(human.stdout).toMatch(/TEE-BLK-S × 1 missing\s+applied/);
    const show = await s.run(['returns', 'show', ret.name, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).received.map((r: Json) => r.state)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    s.cleanup();
  });

  it('a return received before the first returns import still reaches the warehouse, once', async () => {
    const s = await setup();
    const ret = await openReturn({ 'TEE-BLK-M': 1 });
    const file = s.file(
      'received.csv',
      `return,sku,quantity,disposition\n${ret.name},TEE-BLK-M,1,restocked\n`,
    );
    const received = await s.run(['returns', 'receive', '--file', file]);
    expect(received.code, received.stderr).toBe(0);
    expect(await dispositions(ret.id)).toEqual(['TEE-BLK-M RESTOCKED 1']);

    const first = await s.run(['returns', 'import']);
    expect(first.code, first.stderr).toBe(0);
    expect(ofReturn(events(first.stdout), ret.name).map((e) => e.type)).toEqual(['return.opened']);
    const again = await s.run(['returns', 'import']);
    expect(again.code, again.stderr).toBe(0);
    expect(ofReturn(events(again.stdout), ret.name)).toEqual([]);
    s.cleanup();
  });

  it('refuses malformed, unknown and over-quantity rows by line and applies the rest (exit 3)', async () => {
    const s = await setup();
    const ret = await openReturn({ 'TEE-BLK-M': 2 });
    const file = s.file(
      'received.csv',
      [
        'return,sku,quantity,disposition',
        `${ret.name},TEE-BLK-M,1,lost`,
        '#9999-R1,TEE-BLK-M,1,restocked',
        `${ret.name},NOPE-SKU,1,restocked`,
        `${ret.name},TEE-BLK-M,5,restocked`,
        `${ret.name},TEE-BLK-M,two,restocked`,
        `${ret.name},TEE-BLK-M,1,restocked`,
        'other-store.myshopify.com,x,1',
        '',
      ].join('\n'),
    );
    const r = await s.run(['returns', 'receive', '--file', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('received.csv:2: disposition: must be one of');
    expect(r.stderr).toContain('received.csv:3: return: return #9999-R1 was not found');
    expect(r.stderr).toContain(`received.csv:4: sku: SKU NOPE-SKU is not on return ${ret.name}`);
    expect(r.stderr).toContain('received.csv:5: quantity: 5 of TEE-BLK-M is more than the 2 left to receive');
    expect(r.stderr).toContain('received.csv:6: quantity: must be a number');
    expect(r.stderr).toContain('received.csv:8:');
    expect(await dispositions(ret.id)).toEqual(['TEE-BLK-M RESTOCKED 1']);
    s.cleanup();
  });

  it('refuses a row naming another store', async () => {
    const s = await setup();
    const ret = await openReturn({ 'TEE-BLK-M': 1 });
    const file = s.file(
      'received.jsonl',
      `${JSON.stringify({ store: 'elsewhere.myshopify.com', return: ret.name, sku: 'TEE-BLK-M', quantity: 1, disposition: 'restocked' })}\n`,
    );
    const r = await s.run(['returns', 'receive', '--file', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('received.jsonl:1: store: is elsewhere.myshopify.com');
    expect(await dispositions(ret.id)).toEqual([]);
    s.cleanup();
  });
});
