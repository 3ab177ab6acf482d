import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { LOCATIONS, scenario, scenarioAt } from '../import/helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: summaries are inspected field by field
type Json = any;

/**
 * `dsync inventory push` and `pull` against the sandbox over HTTP, the truth read back through
 * the Admin API (the merchant's side), never from dsync's own account of what it did.
 */
const ACME = `gid://shopify/Location/${LOCATIONS.acme3pl}`;
const OVERFLOW = 'gid://shopify/Location/70000000005';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 5, seed: 3 });
});
afterAll(async () => {
  await sandbox?.stop();
});

const setup = (location = ACME) => scenarioAt(sandbox, location);

async function available(location = ACME): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const l of await merchant(sandbox).levels(location)) {
    if (l.sku === null) continue;
    out.set(l.sku, [...(out.get(l.sku) ?? []), l.available]);
  }
  return out;
}
const one = (levels: Map<string, number[]>, sku: string) => levels.get(sku)?.[0] ?? Number.NaN;

describe('dsync inventory push', () => {
  it('sets available, sends only changes, and a second push of the same file sends nothing', async () => {
    const s = await setup();
    const before = await available();
    // A SKU the 3PL holds some of, to be counted down to zero.
    const emptied =
      ['HOOD-GRY-L', 'NOTE-DOT', 'BOTTLE-750', 'SOCK-WOOL-SM'].find((sku) => one(before, sku) > 0) ?? '';
    const file = s.file(
      'stock.csv',
      `sku,quantity\nTEE-BLK-S,${one(before, 'TEE-BLK-S') + 5}\nTEE-BLK-M,${one(before, 'TEE-BLK-M')}\n${emptied},0\n`,
    );
    const first = await s.run(['inventory', 'push', '--file', file, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ rows: 3, changed: 2, unchanged: 1, failed: 0, requests: { writes: 1 } });
    expect(summary.diff.map((d: Json) => [d.sku, d.current, d.new, d.delta])).toEqual([
      ['TEE-BLK-S', one(before, 'TEE-BLK-S'), one(before, 'TEE-BLK-S') + 5, 5],
      [emptied, one(before, emptied), 0, -one(before, emptied)],
    ]);
    const after = await available();
    expect(one(after, 'TEE-BLK-S')).toBe(one(before, 'TEE-BLK-S') + 5);
    expect(one(after, emptied)).toBe(0);
    expect(one(after, 'TEE-BLK-M')).toBe(one(before, 'TEE-BLK-M'));

    const again = await s.run(['inventory', 'push', '--file', file, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: 0, unchanged: 3, requests: { writes: 0 } });
    expect(await available()).toEqual(after);
    s.cleanup();
  });

  it('--dry-run prints the diff and changes nothing', async () => {
    const s = await setup();
    const before = await available();
    const file = s.file('stock.csv', `sku,quantity\nHOOD-GRY-M,${one(before, 'HOOD-GRY-M') + 3}\n`);
    const result = await s.run(['inventory', 'push', '--file', file, '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SKU\s+CURRENT\s+NEW\s+DELTA/);
    expect(result.stdout).toMatch(
      new RegExp(`HOOD-GRY-M\\s+${one(before, 'HOOD-GRY-M')}\\s+${one(before, 'HOOD-GRY-M') + 3}\\s+\\+3`),
    );
    expect(result.stderr).toMatch(/dry run: nothing was sent/);
    expect(await available()).toEqual(before);
    s.cleanup();
  });

  it('skips a shared SKU with a warning naming its variants, or sets every match with include-duplicate-skus', async () => {
    const s = await setup();
    const before = await available();
    const file = s.file('stock.jsonl', '{"sku":"MUG-CLASSIC","quantity":17}\n');
    const skipped = await s.run(['inventory', 'push', '--file', file]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toMatch(
      /stock.jsonl:1: MUG-CLASSIC is shared by 2 variants at Acme 3PL: Classic Mug - Default Title \(gid:\/\/shopify\/ProductVariant\/\d+\), Mug Gift Box - Default Title/,
    );
    expect(await available()).toEqual(before);

    await s.set('include-duplicate-skus', 'true');
    const all = await s.run(['inventory', 'push', '--file', file, '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ changed: 2, skippedDuplicates: 0 });
    expect((await available()).get('MUG-CLASSIC')).toEqual([17, 17]);
    s.cleanup();
  });

  it('fails unknown SKUs, untracked items and items not stocked at the location per row, applies the rest, exit 3', async () => {
    const s = await setup(OVERFLOW);
    const before = await available(OVERFLOW);
    // Overflow Storage stocks every fourth seeded item: TEE-WHT-M (4th) yes, TEE-BLK-S (1st) no.
    const target = one(before, 'TEE-WHT-M') + 2;
    const file = s.file(
      'stock.csv',
      `sku,quantity\nNO-SUCH-SKU,1\nGIFT-25,5\nTEE-BLK-S,4\ntee-wht-m,9\nTEE-WHT-M,${target}\n`,
    );
    const result = await s.run(['inventory', 'push', '--file', file, '--json']);
    expect(result.code, result.stderr).toBe(3);
    const summary = JSON.parse(result.stdout);
    expect(summary.problems.map((p: Json) => [p.file, p.line, p.field])).toEqual([
      ['stock.csv', 2, 'sku'],
      ['stock.csv', 3, 'sku'],
      ['stock.csv', 4, 'sku'],
      ['stock.csv', 5, 'sku'],
    ]);
    expect(summary.problems[0].message).toMatch(/no variant has the SKU NO-SUCH-SKU/);
    expect(summary.problems[1].message).toMatch(/not tracked for GIFT-25/);
    expect(summary.problems[2].message).toMatch(/TEE-BLK-S is not stocked at Overflow Storage/);
    expect(summary.problems[3].message).toMatch(
      /no variant has the SKU tee-wht-m \(SKUs are case-sensitive\)/,
    );
    expect(summary).toMatchObject({ changed: 1, failed: 4 });
    expect(one(await available(OVERFLOW), 'TEE-WHT-M')).toBe(target);
    s.cleanup();
  });

  it('reads malformed files row by row: BOM and CRLF, missing columns, negative, fractional and repeated rows', async () => {
    const s = await setup();
    const before = await available();
    const good = one(before, 'NOTE-DOT') + 1;
    const file = s.file(
      'stock.csv',
      `\uFEFFsku,quantity\r\nNOTE-DOT,${good}\r\nNOTE-LINED,-1\r\nBOTTLE-750,2.5\r\nNOTE-DOT,3\r\n`,
    );
    const result = await s.run(['inventory', 'push', '--file', file, '--json']);
    expect(result.code, result.stderr).toBe(3);
    const summary = JSON.parse(result.stdout);
    expect(summary.problems.map((p: Json) => [p.line, p.field, p.message])).toEqual([
      [3, 'quantity', 'must be 0 or more'],
      [4, 'quantity', 'must be a whole number'],
      [5, 'sku', 'NOTE-DOT is already on line 2; a SKU may appear only once in a file'],
    ]);
    expect(one(await available(), 'NOTE-DOT')).toBe(good);

    const noQuantity = s.file('bad.csv', 'sku,qty\nNOTE-DOT,1\n');
    const bad = await s.run(['inventory', 'push', '--file', noQuantity]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad.csv:1: qty: unknown column "qty"/);
    const header = s.file('header.csv', 'sku\nNOTE-DOT\n');
    const missing = await s.run(['inventory', 'push', '--file', header]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/header.csv:1: quantity: missing column quantity/);
    s.cleanup();
  });

  it('refuses to run without a fulfillment location, naming the setting', async () => {
    const s = scenario(sandbox);
    writeFileSync(join(s.dir, 'stock.csv'), 'sku,quantity\nTEE-BLK-S,1\n');
    const result = await runCli(['inventory', 'push', '--file', join(s.dir, 'stock.csv')], { env: s.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fulfillment-location is not set/);
    expect(result.stderr).toMatch(/dsync config set fulfillment-location/);
    s.cleanup();
  });

  it('keeps a sale the merchant made between the read and the write (stale compare-and-swap, retried once)', async () => {
    const s = await setup();
    const shop = merchant(sandbox);
    const before = await shop.levels(ACME);
    const sock = before.find((l) => l.sku === 'SOCK-WOOL-SM');
    if (!sock) throw new Error('seed: SOCK-WOOL-SM missing');
    const target = sock.available + 10;
    // A proxy in front of the store: the merchant sells one just before dsync's first write.
    let sold = false;
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        if (!sold && body.includes('"operationName":"InventorySetAvailable"')) {
          sold = true;
          await shop.adjustInventory(sock.itemId, ACME, -1);
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
        ) as Record<string, string>;
        const answer = await fetch(`${sandbox.origin}${req.url}`, { method: req.method, headers, body });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const file = s.file('stock.csv', `sku,quantity\nSOCK-WOOL-SM,${target}\n`);
      const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const result = await runCli(['inventory', 'push', '--file', file, '--json'], {
        env: { ...s.env, DSYNC_API_ORIGIN: origin },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(sold).toBe(true);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ changed: 1, retried: 1, failed: 0, requests: { writes: 2 } });
      // The file's count less the unit sold meanwhile: the sale is not lost.
      const now = (await shop.levels(ACME)).find((l) => l.sku === 'SOCK-WOOL-SM');
      expect(now?.available).toBe(target - 1);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
      s.cleanup();
    }
  });
});

describe('a catalog of more than 250 SKUs', () => {
  let big: TestSandbox;
  beforeAll(async () => {
    big = await startTestSandbox({ orders: 0, products: 400, seed: 4, plan: 'plus' });
  });
  afterAll(async () => {
    await big?.stop();
  });

  it('sends more than 250 changes in several requests of at most 250; pull → push round trips unchanged (CSV and JSONL)', async () => {
    const s = scenario(big);
    await s.set('fulfillment-location', ACME);
    const shop = merchant(big);
    const before = await shop.levels(ACME);
    const generated = before.filter((l) => l.sku?.startsWith('GEN-'));
    const path = join(s.dir, 'stock.csv');
    writeFileSync(path, `sku,quantity\n${generated.map((l) => `${l.sku},${l.available + 1}`).join('\n')}\n`);
    const push = await s.run(['inventory', 'push', '--file', path, '--json']);
    expect(push.code, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ changed: 400, requests: { writes: 2 } });
    const after = new Map((await shop.levels(ACME)).map((l) => [l.itemId, l.available]));
    for (const l of generated) expect(after.get(l.itemId)).toBe(l.available + 1);

    for (const format of ['csv', 'jsonl'] as const) {
      const out = join(s.dir, `pulled.${format}`);
      const pull = await s.run(['inventory', 'pull', '--format', format, '--out', out]);
      expect(pull.code, pull.stderr).toBe(0);
      const text = readFileSync(out, 'utf8');
      if (format === 'csv') {
        expect(text.split('\n')[0]).toBe('sku,available,on_hand');
        expect(text).toMatch(/\nGEN-000001,\d+,\d+\n/);
      } else {
        const first = JSON.parse(text.split('\n')[0] ?? '');
        expect(Object.keys(first)).toEqual([
          'sku',
          'available',
          'on_hand',
          'variant_id',
          'inventory_item_id',
        ]);
      }
      const round = await s.run(['inventory', 'push', '--file', out, '--json']);
      expect(round.code, round.stderr).toBe(0);
      expect(JSON.parse(round.stdout)).toMatchObject({ changed: 0, failed: 0, requests: { writes: 0 } });
    }
    const stdout = await s.run(['inventory', 'pull']);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout.split('\n')[0]).toBe('sku,available,on_hand');
    expect(new Map((await shop.levels(ACME)).map((l) => [l.itemId, l.available]))).toEqual(after);
    s.cleanup();
  });
});
