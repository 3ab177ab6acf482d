import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, shipmentKey } from '../../../src/core/ledger/ledger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
async function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-ledger-'));
  dirs.push(dir);
  return openLedger(join(dir, 'ledger.sqlite'));
}

const ref = { orderId: 'gid://shopify/Order/1001', name: '#1001', updatedAt: '2026-11-20T10:00:00Z' };
const at = new Date('2026-11-26T12:00:00Z');
const later = new Date('2026-11-26T12:05:00Z');

describe('ledger shipments', () => {
  it('keys a shipment by order, sorted lines and tracking number', () => {
    const a = shipmentKey(
      ref.orderId,
      [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
      'T1',
    );
    const b = shipmentKey(
      ref.orderId,
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      'T1',
    );
    expect(a).toBe(b);
    expect(shipmentKey(ref.orderId, [{ sku: 'A', quantity: 2 }], 'T2')).not.toBe(
      shipmentKey(ref.orderId, [{ sku: 'A', quantity: 2 }], 'T1'),
    );
    expect(shipmentKey(ref.orderId, [{ sku: null, quantity: null }], 'T1')).toBe(`${ref.orderId}|*=*|T1`);
  });

  it('records the intent, then the applied shipment; the order becomes shipped with the tracking number in its activity', async () => {
    const ledger = await fresh();
    const shipment = { key: 'k1', trackingNumber: '1Z1', lines: [{ sku: 'A', quantity: 1 }] };
    await ledger.recordShipmentIntent(ref, shipment, at);
    expect(await ledger.shipment('k1')).toMatchObject({
      state: 'pending',
      orderName: '#1001',
      fulfillmentId: null,
    });
    await ledger.recordShipmentApplied(
      ref,
      { ...shipment, fulfillmentId: 'gid://shopify/Fulfillment/9' },
      'partially_shipped',
      'tracking 1Z1: A × 1',
      later,
    );
    expect(await ledger.shipment('k1')).toMatchObject({
      state: 'applied',
      fulfillmentId: 'gid://shopify/Fulfillment/9',
      lines: [{ sku: 'A', quantity: 1 }],
      createdAt: at.toISOString(),
      updatedAt: later.toISOString(),
    });
    // An order the import never saw gets a row.
    expect(await ledger.find('#1001')).toMatchObject({
      status: 'partially_shipped',
      warehouse: 'partially_shipped',
    });
    expect((await ledger.activity(ref.orderId)).map((a) => [a.action, a.detail])).toEqual([
      ['shipment', 'tracking 1Z1: A × 1'],
    ]);
    expect(await ledger.shipmentsOf(ref.orderId)).toHaveLength(1);
    await ledger.close();
  });

  it('records a refusal with its message: a known order keeps its status, an unknown one becomes error', async () => {
    const ledger = await fresh();
    await ledger.recordDelivered(ref, { type: 'order.created', id: 'e1', hash: 'h1' }, 'active', at);
    const shipment = { key: 'k2', trackingNumber: '1Z2', lines: [{ sku: 'CAP', quantity: 1 }] };
    await ledger.recordShipmentFailed(ref, shipment, 'Cap (CAP) is not stocked at Acme 3PL.', later);
    expect(await ledger.shipment('k2')).toMatchObject({
      state: 'failed',
      message: 'Cap (CAP) is not stocked at Acme 3PL.',
    });
    expect(await ledger.find('#1001')).toMatchObject({
      status: 'imported',
      message: 'tracking 1Z2: Cap (CAP) is not stocked at Acme 3PL.',
    });
    expect((await ledger.activity(ref.orderId)).at(-1)).toMatchObject({ action: 'shipment_failed' });

    const other = { orderId: 'gid://shopify/Order/1002', name: '#1002', updatedAt: ref.updatedAt };
    await ledger.recordShipmentFailed(other, { ...shipment, key: 'k3' }, 'refused', later);
    expect(await ledger.find('#1002')).toMatchObject({ status: 'error', message: 'tracking 1Z2: refused' });
    await ledger.close();
  });
});
