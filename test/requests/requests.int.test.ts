import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, type Json, LOCATIONS, scenario } from '../import/helpers.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

/**
 * A fulfillment service's requests, end to end: the merchant routes work to the 3PL and asks
 * for it (and for it back) through the Admin API; dsync delivers, accepts and answers; the truth
 * is read back from the store.
 */
const SERVICE = `gid://shopify/Location/${LOCATIONS.acme3pl}`;

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 60, seed: 23, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A new order whose work the merchant sends to the 3PL and requests of it. */
async function orderAtService(shop: ReturnType<typeof merchant>, financialStatus: 'PAID' | 'PENDING') {
  const lineItems = (await shop.variants())
    .filter((v: Json) => v.sku && !v.product.isGiftCard)
    .slice(0, 2)
    .map((v: Json) => ({ variantId: v.id, quantity: 1 }));
  const created = await shop.createOrder({ lineItems, financialStatus, email: 'svc@example.com' });
  const order = await shop.order(created.order.id);
  for (const fo of order.fulfillmentOrders.nodes) {
    const moved = await shop.move(fo.id, SERVICE);
    await shop.submitFulfillmentRequest(moved.movedFulfillmentOrder.id);
  }
  return shop.order(created.order.id);
}

const serviceFos = (order: Json): Json[] =>
  order.fulfillmentOrders.nodes.filter((fo: Json) => fo.assignedLocation.location?.id === SERVICE);

describe('the import and a fulfillment service', () => {
  it('accepts the requests of the orders it delivered, only after delivery, and none it did not deliver', async () => {
    const shop = merchant(sandbox);
    const paid = await orderAtService(shop, 'PAID');
    const pending = await orderAtService(shop, 'PENDING');
    expect(serviceFos(paid).map((fo: Json) => fo.requestStatus)).toEqual(['SUBMITTED']);

    // With the setting off, the import delivers but answers nothing.
    const off = scenario(sandbox);
    await off.set('fulfillment-service', 'acme-3pl');
    await off.set('accept-fulfillment-requests', 'false');
    const first = await off.run(['import', '--since', '30d', '--dry-run']);
    expect(first.code, first.stderr).toBe(0);
    const quiet = await off.run(['import', '--out', `${off.dir}/out`]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(serviceFos(await shop.order(paid.id)).map((fo: Json) => fo.requestStatus)).toEqual(['SUBMITTED']);
    off.cleanup();

    const submittedBefore = new Set<string>();
    for (const order of await shop.allOrders())
      for (const fo of serviceFos(order)) if (fo.requestStatus === 'SUBMITTED') submittedBefore.add(fo.id);

    const s = scenario(sandbox);
    await s.set('fulfillment-service', 'acme-3pl');
    const result = await s.run(['import', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const delivered = new Set(events(result.stdout).map((e) => e.order.id));
    expect(delivered.has(paid.id)).toBe(true);
    expect(delivered.has(pending.id)).toBe(false);

    // Every order of the store: a request at the service is accepted exactly when its order was delivered.
    const all = await shop.allOrders();
    let accepted = 0;
    for (const order of all) {
      for (const fo of serviceFos(order)) {
        if (delivered.has(order.id) && ['OPEN', 'IN_PROGRESS'].includes(fo.status)) {
          expect(fo.requestStatus, `${order.name} was delivered`).not.toBe('SUBMITTED');
          if (fo.requestStatus === 'ACCEPTED') accepted += 1;
        }
        if (!delivered.has(order.id))
          expect(fo.requestStatus, `${order.name} was not delivered`).not.toBe('ACCEPTED_BY_IMPORT');
      }
    }
    expect(serviceFos(await shop.order(pending.id)).map((fo: Json) => fo.requestStatus)).toEqual([
      'SUBMITTED',
    ]);
    expect(accepted).toBeGreaterThan(0);

    const shown = await s.run(['orders', 'show', paid.name]);
    expect(shown.stdout).toMatch(
      /request\.accepted\s+gid:\/\/shopify\/FulfillmentOrder\/\d+ \(after delivery\)/,
    );
    s.cleanup();
  });

  it('delivers a cancellation request once, and the warehouse answers it', async () => {
    const shop = merchant(sandbox);
    const s = scenario(sandbox);
    await s.set('fulfillment-service', 'acme-3pl');
    const kept = await orderAtService(shop, 'PAID');
    const given = await orderAtService(shop, 'PAID');
    const first = await s.run(['import']);
    expect(first.code, first.stderr).toBe(0);
    for (const order of [kept, given]) {
      expect(serviceFos(await shop.order(order.id)).map((fo: Json) => fo.requestStatus)).toEqual([
        'ACCEPTED',
      ]);
      await shop.submitCancellationRequest(serviceFos(await shop.order(order.id))[0].id, 'customer moved');
    }

    const second = await s.run(['import']);
    expect(second.code, second.stderr).toBe(0);
    const types = events(second.stdout).map((e) => `${e.order.name} ${e.type}`);
    expect(types).toContain(`${kept.name} order.cancellation_requested`);
    expect(types).toContain(`${given.name} order.cancellation_requested`);
    const again = await s.run(['import']);
    expect(events(again.stdout).filter((e) => e.type === 'order.cancellation_requested')).toEqual([]);

    const listed = await s.run(['requests', 'list', '--kind', 'cancellation', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const pending = JSON.parse(listed.stdout).requests.filter((r: Json) =>
      [kept.id, given.id].includes(r.orderId),
    );
    expect(pending.map((r: Json) => [r.orderName, r.kind, r.message, r.ledgerStatus])).toEqual(
      expect.arrayContaining([
        [kept.name, 'cancellation', 'customer moved', 'cancellation_requested'],
        [given.name, 'cancellation', 'customer moved', 'cancellation_requested'],
      ]),
    );

    const rejected = await s.run([
      'requests',
      'reject',
      kept.name,
      '--cancellation',
      '--message',
      'already packed',
    ]);
    expect(rejected.code, rejected.stderr).toBe(0);
    const accepted = await s.run(['requests', 'accept', given.name, '--cancellation']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(serviceFos(await shop.order(kept.id)).map((fo: Json) => fo.requestStatus)).toEqual([
      'CANCELLATION_REJECTED',
    ]);
    expect(
      serviceFos(await shop.order(given.id)).some((fo: Json) => fo.requestStatus === 'CANCELLATION_ACCEPTED'),
    ).toBe(true);

    // The warehouse kept one (no event, back to imported) and gave the other back (withdrawn).
    const third = await s.run(['import']);
    expect(third.code, third.stderr).toBe(0);
    const after = events(third.stdout);
    expect(after.filter((e) => e.order.id === kept.id)).toEqual([]);
    expect(after.filter((e) => e.order.id === given.id).map((e) => `${e.type}:${e.reason}`)).toEqual([
      'order.withdrawn:not_requested',
    ]);
    const keptShown = await s.run(['orders', 'show', kept.name, '--json']);
    const body = JSON.parse(keptShown.stdout);
    expect(body.order.status).toBe('imported');
    expect(body.activity.map((a: Json) => a.action)).toEqual(
      expect.arrayContaining([
        'order.created',
        'order.cancellation_requested',
        'cancellation.rejected',
        'kept',
      ]),
    );
    s.cleanup();
  });

  it("answers fulfillment requests by hand, with Shopify's rejection reasons, and says why it cannot", async () => {
    const shop = merchant(sandbox);
    const s = scenario(sandbox);
    await s.set('fulfillment-service', 'acme-3pl');
    const refused = await orderAtService(shop, 'PENDING');
    const taken = await orderAtService(shop, 'PENDING');

    const listed = await s.run(['requests', 'list', '--kind', 'fulfillment']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(refused.name);
    expect(listed.stdout).toMatch(new RegExp(`${refused.name}.*not imported`));

    const noReason = await s.run(['requests', 'reject', refused.name]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');

    const rejected = await s.run([
      'requests',
      'reject',
      refused.name,
      '--reason',
      'INVENTORY_OUT_OF_STOCK',
      '--message',
      'back in May',
    ]);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(serviceFos(await shop.order(refused.id)).map((fo: Json) => fo.requestStatus)).toEqual([
      'REJECTED',
    ]);

    const accepted = await s.run(['requests', 'accept', taken.name, refused.name, '#999999', '--json']);
    expect(accepted.code).toBe(3);
    const results = JSON.parse(accepted.stdout).results;
    expect(results.map((r: Json) => [r.ref, r.ok])).toEqual([
      [taken.name, true],
      [refused.name, false],
      ['#999999', false],
    ]);
    expect(results[1].message).toContain('no pending fulfillment request (request status rejected)');
    expect(results[2].message).toContain('no order #999999');
    expect(serviceFos(await shop.order(taken.id)).map((fo: Json) => fo.requestStatus)).toEqual(['ACCEPTED']);
    s.cleanup();
  });
});
