import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/services/import/order-document.js';
import { assess, buildEvent } from '../../../src/services/import/lifecycle.js';
import {
  eventCsvRows,
  eventFileName,
  outDirSink,
  retryableStatus,
} from '../../../src/services/import/sinks.js';
import { fo, line, order, settings, WAREHOUSE } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function event(overrides: Parameters<typeof order>[0] = {}): OrderEvent {
  const selection = assess(order(overrides), 'acme.myshopify.com', settings(), false);
  if (selection.kind !== 'shippable') throw new Error('expected shippable');
  return buildEvent('order.created', selection.document, { hash: 'h', reason: null });
}

describe('sinks', () => {
  it.each([
    [200, false],
    [400, false],
    [404, false],
    [408, true],
    [422, false],
    [429, true],
    [500, true],
    [503, true],
  ])('HTTP %i retryable: %s', (status, expected) => {
    expect(retryableStatus(status)).toBe(expected);
  });

  it('names files by order, event and id, so the same event always lands in the same file', () => {
    const e = event();
    expect(eventFileName(e, 'jsonl')).toBe(`1001.order.created.${e.id.slice(0, 16)}.json`);
    expect(eventFileName(e, 'csv')).toMatch(/\.csv$/);
  });

  it('writes each event once, completely, with no temp files left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsync-out-'));
    dirs.push(dir);
    const sink = outDirSink(dir, 'json');
    const e = event();
    expect(await sink.deliver(e)).toMatchObject({ ok: true });
    expect(await sink.deliver(e)).toMatchObject({
      ok: true,
      detail: expect.stringContaining('already written'),
    });
    const files = readdirSync(dir);
    expect(files).toEqual([eventFileName(e, 'json')]);
    expect(JSON.parse(readFileSync(join(dir, files[0] as string), 'utf8'))).toEqual(e);
  });

  it('CSV: one row per line, quoted where needed, formulas neutralised', () => {
    const e = event({
      name: '#1001',
      email: '=HYPERLINK("x")',
      fulfillmentOrders: [fo(WAREHOUSE, [line({ sku: 'A,1' }), line({ sku: 'B' })])],
    });
    const rows = eventCsvRows(e);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('"A,1"');
    expect(rows[0]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('the order document schema', () => {
  it('every emitted event validates against the published schema', async () => {
    const { orderEventSchema, orderJsonSchema, ORDER_SCHEMA_VERSION } = await import(
      '../../../src/services/import/order-document.js'
    );
    expect(() => orderEventSchema.parse(event())).not.toThrow();
    const schema = orderJsonSchema() as {
      $id: string;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.$id).toContain(`v${ORDER_SCHEMA_VERSION}`);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'type', 'schemaVersion', 'order']));
  });
});
