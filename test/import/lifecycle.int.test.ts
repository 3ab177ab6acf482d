import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { events, type Json, LOCATIONS, scenario } from './helpers.js';

/**
 * Several days of a live store between cron runs: the merchant creates, pays, edits, holds,
 * releases, moves, refunds and cancels orders through the Admin API, and the window rolls past
 * orders the warehouse already has. After every run the warehouse's view, replayed from the
 * events it received, is compared with the store read back through the Admin API.
 */
const WAREHOUSE = `gid://shopify/Location/${LOCATIONS.warehouse}`;
const STORE = `gid://shopify/Location/${LOCATIONS.store}`;

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 150, seed: 31, plan: 'plus' });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** What the warehouse believes, from the events alone. */
interface Held {
  name: string;
  state: 'ship' | 'paused' | 'stopped' | 'cancelled';
  /** fulfillment-order line item → quantity to ship. */
  lines: Map<string, number>;
  reason?: string;
}

function replay(view: Map<string, Held>, received: Json[]): void {
  for (const event of received) {
    const lines = new Map<string, number>(
      event.order.lines.map((l: Json) => [l.fulfillmentOrderLineItemId, l.quantity]),
    );
    const state =
      event.type === 'order.on_hold'
        ? 'paused'
        : event.type === 'order.withdrawn'
          ? 'stopped'
          : event.type === 'order.cancelled'
            ? 'cancelled'
            : 'ship';
    view.set(event.order.id, { name: event.order.name, state, lines, reason: event.reason });
  }
}

/**
 * The store's answer to "must the warehouse ship this order, and what": paid, not cancelled, with
 * physical units left on an open fulfillment order at the warehouse location.
 */
function toShip(order: Json): Map<string, number> | undefined {
  if (order.cancelledAt !== null || order.displayFinancialStatus !== 'PAID') return undefined;
  const lines = new Map<string, number>();
  for (const fo of order.fulfillmentOrders.nodes) {
    if (!['OPEN', 'IN_PROGRESS'].includes(fo.status) || fo.assignedLocation.location?.id !== WAREHOUSE)
      continue;
    for (const line of fo.lineItems.nodes) {
      if (line.remainingQuantity > 0 && line.requiresShipping && !line.lineItem.isGiftCard)
        lines.set(line.id, line.remainingQuantity);
    }
  }
  return lines.size > 0 ? lines : undefined;
}

describe('a living store: the warehouse hears of every change to what it ships', () => {
  it('follows delivered orders through holds, moves, edits, refunds and cancellations, whatever the window', async () => {
    const shop = merchant(sandbox);
    const s = scenario(sandbox);
    const view = new Map<string, Held>();
    let windowStart = Date.now() - 30 * 86_400_000;
    const run = async (label: string) => {
      const result = await s.run(['import', '--no-input']);
      expect(result.code, `${label}: ${result.stderr}`).toBe(0);
      const received = events(result.stdout);
      replay(view, received);
      return received;
    };
    const check = async (label: string) => {
      const store = await shop.allOrders();
      for (const order of store) {
        const truth = toShip(order);
        const held = view.get(order.id);
        if (held?.state === 'ship') {
          // Everything the warehouse ships is to be shipped, exactly those units.
          expect(truth, `${label}: ${order.name} is with the warehouse but not to be shipped`).toBeDefined();
          expect(held.lines, `${label}: ${order.name} lines`).toEqual(truth);
        } else if (
          truth &&
          order.displayFulfillmentStatus === 'UNFULFILLED' &&
          Date.parse(order.createdAt) >= windowStart + 60_000
        ) {
          // Everything unfulfilled and to be shipped in the window is with the warehouse (orders a
          // fulfillment service declined, or already partly shipped, are not imported by default).
          expect(
            held?.state,
            `${label}: ${order.name} is to be shipped but the warehouse has it as ${held?.state}`,
          ).toBe('ship');
        }
      }
    };

    await s.set('filter-by-location', 'true');
    await s.set('exclude-empty-orders', 'true');
    await s.set('fulfillment-location', WAREHOUSE);
    await s.set('accept-orders-after', '30d');
    try {
      // Day 1: the first run.
      const first = await run('day 1');
      expect(first.length).toBeGreaterThan(6);
      await check('day 1');
      const shipping = () => [...view.entries()].filter(([, h]) => h.state === 'ship').map(([id]) => id);

      // Day 2: the window rolls past every order the warehouse has; the merchant changes them.
      windowStart = Math.floor(Date.now() / 1000) * 1000 - 1000;
      await s.set('accept-orders-after', new Date(windowStart).toISOString());
      // An order with a line of two or more units, to take one off (an edit that owes the buyer
      // money: still paid, unlike adding units, which leaves it partially paid).
      const twoAtWarehouse = (order: Json): string | undefined =>
        order.fulfillmentOrders.nodes
          .filter((fo: Json) => fo.assignedLocation.location?.id === WAREHOUSE)
          .flatMap((fo: Json) => fo.lineItems.nodes)
          .find((line: Json) => line.remainingQuantity >= 2)?.lineItem.id;
      let edited: string | undefined;
      for (const id of shipping()) {
        if (twoAtWarehouse(await shop.order(id))) {
          edited = id;
          break;
        }
      }
      const [cancelled, refunded, held, moved, emptied, readdressed] = shipping().filter(
        (id) => id !== edited,
      );
      for (const id of [cancelled, refunded, held, moved, emptied, edited, readdressed])
        expect(id, 'enough delivered orders to change').toBeDefined();
      const details = new Map<string, Json>();
      for (const id of [refunded, held, moved, emptied, edited] as string[])
        details.set(id, await shop.order(id));
      const warehouseFo = (id: string) =>
        details
          .get(id)
          .fulfillmentOrders.nodes.find(
            (fo: Json) => fo.assignedLocation.location?.id === WAREHOUSE && fo.status === 'OPEN',
          );
      await shop.cancel(cancelled as string);
      await shop.refundLines(
        refunded as string,
        details
          .get(refunded as string)
          .lineItems.nodes.map((l: Json) => ({ lineItemId: l.id, quantity: l.quantity })),
      );
      await shop.hold(warehouseFo(held as string).id);
      const movedFo = await shop.move(warehouseFo(moved as string).id, STORE);
      await shop.editQuantities(
        emptied as string,
        new Map(details.get(emptied as string).lineItems.nodes.map((l: Json) => [l.id, 0])),
      );
      const editedLine = details
        .get(edited as string)
        .lineItems.nodes.find((l: Json) => l.id === twoAtWarehouse(details.get(edited as string)));
      await shop.editQuantities(edited as string, new Map([[editedLine.id, editedLine.quantity - 1]]));
      await shop.updateAddress(readdressed as string, '1 New Street');
      // New orders of a few physical products: the store routes each line to where it is stocked.
      const lineItems = (await shop.variants())
        .filter((v: Json) => v.sku && !v.product.isGiftCard)
        .slice(0, 4)
        .map((v: Json) => ({ variantId: v.id, quantity: 1 }));
      const paidNew = await shop.createOrder({
        lineItems,
        financialStatus: 'PAID',
        email: 'new@example.com',
      });
      const pendingNew = await shop.createOrder({
        lineItems,
        financialStatus: 'PENDING',
        email: 'later@example.com',
      });
      expect(
        toShip(await shop.order(paidNew.order.id)),
        'a new order with work at the warehouse',
      ).toBeDefined();

      const second = await run('day 2');
      const types = new Map(second.map((e) => [e.order.id, `${e.type}${e.reason ? `:${e.reason}` : ''}`]));
      expect(types.get(cancelled as string)).toBe('order.cancelled');
      expect(types.get(refunded as string)).toMatch(/^order\.withdrawn:(financial_status|no_lines)$/);
      expect(types.get(held as string)).toBe('order.on_hold');
      expect(types.get(moved as string)).toBe('order.withdrawn:other_location');
      expect(types.get(emptied as string)).toBe('order.withdrawn:no_lines');
      expect(types.get(edited as string)).toBe('order.updated');
      expect(types.get(readdressed as string)).toBe('order.updated');
      expect(types.get(paidNew.order.id)).toBe('order.created');
      expect(types.has(pendingNew.order.id)).toBe(false);
      await check('day 2');

      // Day 3: the hold is released, the work moves back, the pending order is paid.
      const heldFo = (await shop.order(held as string)).fulfillmentOrders.nodes.find(
        (fo: Json) => fo.status === 'ON_HOLD',
      );
      await shop.release(heldFo.id);
      await shop.move(movedFo.movedFulfillmentOrder.id, WAREHOUSE);
      await shop.markAsPaid(pendingNew.order.id);
      const third = await run('day 3');
      const thirdTypes = new Map(third.map((e) => [e.order.id, e.type]));
      expect(thirdTypes.get(held as string)).toBe('order.released');
      expect(thirdTypes.get(moved as string)).toBe('order.released');
      expect(thirdTypes.get(pendingNew.order.id)).toBe('order.created');
      await check('day 3');

      // Day 4: nothing changed: nothing is sent. Then the released order is cancelled.
      expect(await run('day 4')).toEqual([]);
      await shop.cancel(held as string);
      const fifth = await run('day 5');
      expect(fifth.map((e) => `${e.order.id} ${e.type}`)).toEqual([`${held} order.cancelled`]);
      await check('day 5');

      const log = JSON.parse(
        (await s.run(['orders', 'show', view.get(held as string)?.name as string, '--json'])).stdout,
      );
      expect(log.activity.map((a: Json) => a.action)).toEqual([
        'order.created',
        'order.on_hold',
        'order.released',
        'order.cancelled',
      ]);
      expect(log.order.status).toBe('cancelled');
    } finally {
      s.cleanup();
    }
  });
});
