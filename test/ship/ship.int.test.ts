import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxData } from '../../src/sandbox/index.js';
import { runCli, tempConfigDir } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { type Json, LOCATIONS, scenario } from '../import/helpers.js';

/**
 * `dsync ship` against the sandbox over HTTP, running the built CLI: what it did is read back
 * through the Admin API (fulfillments, tracking, remaining quantities, fulfillment status).
 */
const THREE_PL = `gid://shopify/Location/${LOCATIONS.acme3pl}`;

let sandbox: TestSandbox;
let s: ReturnType<typeof scenario>;
let shop: ReturnType<typeof merchant>;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 200, seed: 7, plan: 'plus' });
  s = scenario(sandbox);
  shop = merchant(sandbox);
  await s.set('fulfillment-location', THREE_PL);
});
afterAll(async () => {
  s?.cleanup();
  await sandbox?.stop();
});

type Candidate = { id: string; name: string; lines: { sku: string; quantity: number }[] };

/** Open orders with an untouched, submitted fulfillment order at the 3PL (chosen from the seed). */
function candidates(data: SandboxData, filter: (c: Candidate) => boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const order of data.orders) {
    if (order.cancelledAt !== null) continue;
    const fos = data.fulfillmentOrdersOf(order);
    const fo = fos.find((f) => f.locationId === LOCATIONS.acme3pl);
    if (fo?.status !== 'OPEN' || fo.requestStatus !== 'SUBMITTED') continue;
    if (fo.lineItems.some((l) => l.remainingQuantity !== l.totalQuantity)) continue;
    const lines = fo.lineItems.map((l) => {
      const li = order.lineItems.find((x) => x.id === l.lineItemId);
      return { sku: li?.sku ?? '', quantity: l.remainingQuantity };
    });
    if (lines.some((l) => l.sku === '')) continue;
    if (new Set(lines.map((l) => l.sku)).size !== lines.length) continue;
    out.push({ id: `gid://shopify/Order/${order.id}`, name: order.name, lines });
  }
  return out.filter(filter);
}

const used = new Set<string>();
function pick(filter: (c: Candidate) => boolean): Candidate {
  const found = candidates(sandbox.data, (c) => !used.has(c.id) && filter(c))[0];
  if (!found) throw new Error('no candidate order in the seed');
  used.add(found.id);
  return found;
}
const stocked = (c: Candidate) => c.lines.every((l) => l.sku !== 'CAP-TRAIL');

function file(name: string, text: string): string {
  const path = join(s.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('dsync ship', () => {
  it('ships whole and partial orders, groups rows into one fulfillment, refuses what it cannot ship, and a second run creates nothing', async () => {
    const whole = pick((c) => stocked(c));
    const partial = pick((c) => stocked(c) && c.lines.length === 1 && (c.lines[0]?.quantity ?? 0) >= 2);
    const grouped = pick((c) => stocked(c) && c.lines.length >= 2);
    const unstocked = pick((c) => c.lines.some((l) => l.sku === 'CAP-TRAIL'));
    const unknownSku = pick(stocked);
    const cancelled = pick(stocked);
    await shop.cancel(cancelled.id);

    const [g1, g2] = grouped.lines as [Candidate['lines'][number], Candidate['lines'][number]];
    const p1 = partial.lines[0] as Candidate['lines'][number];
    const csv = [
      'order,sku,quantity,carrier,tracking_number,tracking_url',
      `${whole.name},,,UPS,1ZWHOLE1,https://ups.example/track?n=1ZWHOLE1`,
      `${partial.name},${p1.sku},1,"DHL, Express",PARTIAL1,`,
      `${grouped.name},${g1.sku},${g1.quantity},FedEx,GROUP1,`,
      `${grouped.name},${g2.sku},,FedEx,GROUP1,`,
      `${unstocked.name},,,UPS,UNSTOCKED1,`,
      '#99999,,,UPS,NOPE1,',
      `${unknownSku.name},NO-SUCH-SKU,1,UPS,SKU1,`,
      `${cancelled.name},,,UPS,CANCEL1,`,
    ].join('\r\n');
    const path = file('shipments.csv', `\uFEFF${csv}\r\n`);

    const first = await s.run(['ship', '--file', path, '--json', '--no-input']);
    expect(first.code, first.stderr).toBe(3);
    const summary = JSON.parse(first.stdout);
    const status = (order: string) => summary.shipments.find((r: Json) => r.order === order);
    expect(summary.counts).toMatchObject({ rows: 8, shipments: 7, created: 3, alreadyApplied: 0, failed: 4 });
    expect(status(whole.name)).toMatchObject({ status: 'created', trackingNumber: '1ZWHOLE1' });
    expect(status(unstocked.name).message).toMatch(/CAP-TRAIL\) is not stocked at Acme 3PL/);
    expect(status('#99999').message).toMatch(/not found/);
    expect(status(cancelled.name).message).toMatch(/was cancelled/);
    expect(summary.rowErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: path, line: 7, field: 'order' }),
        expect.objectContaining({
          file: path,
          line: 8,
          field: 'sku',
          message: expect.stringMatching(/NO-SUCH-SKU is not on order/),
        }),
        expect.objectContaining({ file: path, line: 9, field: 'order' }),
      ]),
    );

    // The store, read back: the whole order is fulfilled from the 3PL with its tracking (its request was accepted first).
    const w = await shop.shipping(whole.id);
    expect(w.fulfillments).toHaveLength(1);
    expect(w.fulfillments[0].trackingInfo).toEqual([
      { company: 'UPS', number: '1ZWHOLE1', url: 'https://ups.example/track?n=1ZWHOLE1' },
    ]);
    const wFo = w.fulfillmentOrders.nodes.find((fo: Json) => fo.assignedLocation.location.id === THREE_PL);
    expect(wFo.lineItems.nodes.every((l: Json) => l.remainingQuantity === 0)).toBe(true);
    expect(wFo.status).toBe('CLOSED');

    const p = await shop.shipping(partial.id);
    expect(p.displayFulfillmentStatus).toBe('PARTIALLY_FULFILLED');
    expect(p.fulfillments[0].trackingInfo[0]).toMatchObject({ company: 'DHL, Express', number: 'PARTIAL1' });
    const pLine = p.fulfillmentOrders.nodes
      .find((fo: Json) => fo.assignedLocation.location.id === THREE_PL)
      .lineItems.nodes.find((l: Json) => l.sku === p1.sku);
    expect(pLine.remainingQuantity).toBe(p1.quantity - 1);

    const g = await shop.shipping(grouped.id);
    expect(g.fulfillments).toHaveLength(1);
    expect(
      g.fulfillments[0].fulfillmentLineItems.nodes.map((n: Json) => [n.lineItem.sku, n.quantity]).sort(),
    ).toEqual(grouped.lines.map((l) => [l.sku, l.quantity]).sort());

    const u = await shop.shipping(unstocked.id);
    expect(u.fulfillments).toHaveLength(0);
    const c = await shop.shipping(cancelled.id);
    expect(c.fulfillments).toHaveLength(0);

    // The ledger: the refusal is recorded with Shopify's message; shipped orders moved on.
    const shown = await s.run(['orders', 'show', unstocked.name, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const ledgerOrder = JSON.parse(shown.stdout);
    expect(ledgerOrder.activity.map((a: Json) => a.action)).toContain('shipment_failed');
    expect(ledgerOrder.order.message).toMatch(/UNSTOCKED1: .*not stocked at Acme 3PL/);
    const shippedShow = JSON.parse((await s.run(['orders', 'show', whole.name, '--json'])).stdout);
    expect(shippedShow.order.status).toBe(
      w.displayFulfillmentStatus === 'FULFILLED' ? 'shipped' : 'partially_shipped',
    );
    expect(shippedShow.activity.at(-1)).toMatchObject({
      action: 'shipment',
      detail: expect.stringContaining('1ZWHOLE1'),
    });

    // The same file again: nothing new in the store.
    const second = await s.run(['ship', '--file', path, '--json', '--no-input']);
    expect(second.code, second.stderr).toBe(3);
    const again = JSON.parse(second.stdout);
    expect(again.counts).toMatchObject({ created: 0, alreadyApplied: 3 });
    expect((await shop.shipping(whole.id)).fulfillments).toHaveLength(1);
    expect((await shop.shipping(partial.id)).fulfillments).toHaveLength(1);
    expect((await shop.shipping(grouped.id)).fulfillments).toHaveLength(1);

    // Without the ledger (another machine): recognised from the order's fulfillments.
    const other = tempConfigDir('dsync-ship-');
    try {
      const env = sandbox.env({ configDir: other.dir });
      await runCli(['config', 'set', 'fulfillment-location', THREE_PL], { env });
      const good = file(
        'good.csv',
        `order,sku,quantity,carrier,tracking_number,tracking_url\n${partial.name},${p1.sku},1,DHL,PARTIAL1,\n${grouped.name},${g1.sku},${g1.quantity},FedEx,GROUP1,\n${grouped.name},${g2.sku},,FedEx,GROUP1,\n`,
      );
      const third = await runCli(['ship', '--file', good], { env });
      expect(third.code, third.stderr).toBe(0);
      expect(third.stdout).toMatch(/already applied/);
      expect((await shop.shipping(partial.id)).fulfillments).toHaveLength(1);
      expect((await shop.shipping(grouped.id)).fulfillments).toHaveLength(1);
    } finally {
      other.cleanup();
    }
  }, 120_000);

  it('--dry-run prints the plan and changes nothing', async () => {
    const order = pick(stocked);
    const path = file(
      'dry.jsonl',
      `${JSON.stringify({ order: order.name, carrier: 'UPS', tracking_number: 'DRY1' })}\n`,
    );
    const result = await s.run(['ship', '--file', path, '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.counts).toMatchObject({ planned: 1, created: 0 });
    expect(summary.shipments[0].plan[0]).toMatchObject({ accept: true });
    expect(summary.shipments[0].plan[0].lines.map((l: Json) => [l.sku, l.quantity])).toEqual(
      order.lines.map((l) => [l.sku, l.quantity]),
    );
    const after = await shop.shipping(order.id);
    expect(after.fulfillments).toHaveLength(0);
    expect(
      after.fulfillmentOrders.nodes.find((fo: Json) => fo.assignedLocation.location.id === THREE_PL)
        .requestStatus,
    ).toBe('SUBMITTED');
    expect((await s.run(['orders', 'show', order.name])).code).toBe(2);
  });

  it('--notify-customer and the notify-customer setting reach Shopify', async () => {
    const a = pick(stocked);
    const b = pick(stocked);
    const flagged = await s.run([
      'ship',
      '--file',
      file('n1.csv', `order,tracking_number\n${a.name},NOTIFY1\n`),
      '--notify-customer',
    ]);
    expect(flagged.code, flagged.stderr).toBe(0);
    await s.set('notify-customer', 'true');
    const bySetting = await s.run([
      'ship',
      '--file',
      file('n2.csv', `order,tracking_number\n${b.name},NOTIFY2\n`),
    ]);
    expect(bySetting.code, bySetting.stderr).toBe(0);
    await s.set('notify-customer', 'false');
    const notified = (name: string) =>
      [...sandbox.data.fulfillments.values()].find((f) => f.trackingInfo.some((t) => t.number === name))
        ?.notifyCustomer;
    expect(notified('NOTIFY1')).toBe(true);
    expect(notified('NOTIFY2')).toBe(true);
  });

  it('names file, line and field for every bad row, and still ships the good ones', async () => {
    const good = pick((c) => stocked(c) && (c.lines[0]?.quantity ?? 0) >= 1);
    const more = pick((c) => stocked(c) && c.lines.length === 1);
    const l0 = good.lines[0] as Candidate['lines'][number];
    const m0 = more.lines[0] as Candidate['lines'][number];
    const path = file(
      'bad.csv',
      [
        'order,sku,quantity,carrier,tracking_number,tracking_url',
        `${good.name},${l0.sku},-1,UPS,BAD1,`,
        `${good.name},${l0.sku},1.5,UPS,BAD2,`,
        `${good.name},${l0.sku},1,UPS,,`,
        `${more.name},${m0.sku},${m0.quantity + 1},UPS,BAD3,`,
        `${good.name},${l0.sku},${l0.quantity},UPS,GOOD1,not-a-url`,
        `${good.name},${l0.sku},${l0.quantity},UPS,GOOD1,`,
      ].join('\n'),
    );
    const result = await s.run(['ship', '--file', path]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('bad.csv:2: quantity: must be 1 or more');
    expect(result.stderr).toContain('bad.csv:3: quantity: must be a whole number');
    expect(result.stderr).toContain('bad.csv:4: tracking_number: is required');
    expect(result.stderr).toMatch(/bad\.csv:5: quantity: .* is more than the \d+ left to ship/);
    expect(result.stderr).toContain('bad.csv:6: tracking_url: must be an http(s) URL');
    expect(result.stdout).toMatch(/GOOD1\s+created/);
    expect((await shop.shipping(good.id)).fulfillments).toHaveLength(1);

    const missing = await s.run(['ship', '--file', file('cols.csv', 'order,sku\n#1001,X\n')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cols\.csv:1: tracking_number: missing column tracking_number/);

    const otherStore = await s.run([
      'ship',
      '--file',
      file('store.csv', 'store,order,tracking_number\nother-shop,#1001,X1\n'),
    ]);
    expect(otherStore.code).toBe(3);
    expect(otherStore.stderr).toMatch(/store\.csv:2: store: is other-shop, not /);
  });

  it('usage errors: no --file, an unreadable file, no fulfillment-location (exit 2)', async () => {
    expect((await s.run(['ship'])).code).toBe(2);
    const unreadable = await s.run(['shipments', 'push', '--file', join(s.dir, 'absent.csv')]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read .*absent\.csv/);
    const bare = tempConfigDir('dsync-ship-');
    try {
      const result = await runCli(['ship', '--file', file('x.csv', 'order,tracking_number\n#1001,X\n')], {
        env: sandbox.env({ configDir: bare.dir }),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('dsync config set fulfillment-location');
    } finally {
      bare.cleanup();
    }
  });
});
