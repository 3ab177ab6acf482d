import type {
  FulfillmentRecord,
  OrderRecord,
  ReturnReason,
  ReturnRecord,
  ReturnStatus,
  ReverseFulfillmentOrderRecord,
} from './model.js';
import { Prng } from './prng.js';
import { orderReturnStatus } from './returns.js';
import { LOCATION_IDS, wholeSeconds } from './seed.js';
import type { SandboxData } from './store.js';

const DAY = 86_400_000;

/** The seeded returns: what each is, and where its items were shipped from (and go back to). */
const SEEDED_RETURNS: readonly {
  status: ReturnStatus;
  delivery: boolean;
  disposed: boolean;
  from: number;
}[] = [
  { status: 'OPEN', delivery: true, disposed: false, from: LOCATION_IDS.acme3pl },
  { status: 'OPEN', delivery: true, disposed: false, from: LOCATION_IDS.warehouse },
  { status: 'OPEN', delivery: false, disposed: false, from: LOCATION_IDS.acme3pl },
  { status: 'REQUESTED', delivery: false, disposed: false, from: LOCATION_IDS.acme3pl },
  { status: 'CLOSED', delivery: true, disposed: true, from: LOCATION_IDS.warehouse },
  { status: 'CANCELED', delivery: false, disposed: false, from: LOCATION_IDS.warehouse },
];

const REASONS: readonly ReturnReason[] = ['SIZE_TOO_SMALL', 'DEFECTIVE', 'UNWANTED', 'WRONG_ITEM', 'COLOR'];

/**
 * A handful of returns on fulfilled orders of the last 45 days (SEEDED_RETURNS), from a PRNG stream
 * of their own, added after everything else: no value seeded before changes. Each return happens
 * between its order's last fulfillment and the order's `updatedAt`, so the orders' times stay as
 * they were; the stock seeded is the stock after these returns (their restocks are in it).
 */
export function seedReturns(seed: number, data: SandboxData, now: number): void {
  const rng = Prng.derive(seed, 11);
  const used = new Set<number>();
  const shipped = (order: OrderRecord): FulfillmentRecord[] =>
    data.fulfillmentsOf(order).filter((f) => f.status === 'SUCCESS' && f.lineItems.length > 0);
  const candidates = data.orders.filter(
    (o) => o.cancelledAt === null && o.createdAt >= now - 45 * DAY && shipped(o).length > 0,
  );
  for (const spec of SEEDED_RETURNS) {
    const free = candidates.filter((o) => !used.has(o.id));
    const there = free.filter((o) => shipped(o).some((f) => f.locationId === spec.from));
    const pool = there.length > 0 ? there : free;
    if (pool.length === 0) return;
    const order = rng.pick(pool);
    used.add(order.id);
    const fulfillments = shipped(order);
    const fulfillment = fulfillments.find((f) => f.locationId === spec.from) ?? rng.pick(fulfillments);
    const last = Math.max(...fulfillments.map((f) => f.createdAt));
    const between = (from: number) => wholeSeconds(from + rng.next() * (order.updatedAt - from));
    const requestedAt = between(last);
    const lines = fulfillment.lineItems.slice(0, rng.int(1, Math.min(2, fulfillment.lineItems.length)));
    order.returnIds ??= [];
    const ret: ReturnRecord = {
      id: data.ids.take('return'),
      orderId: order.id,
      name: `${order.name}-R${order.returnIds.length + 1}`,
      status: spec.status,
      requestedAt,
      createdAt: requestedAt,
      updatedAt: requestedAt,
      closedAt: null,
      lineItems: lines.map((l) => ({
        id: data.ids.take('returnLineItem'),
        fulfillmentLineItemId: l.id,
        lineItemId: l.lineItemId,
        quantity: rng.int(1, l.quantity),
        returnReason: rng.pick(REASONS),
        returnReasonNote: '',
        customerNote: spec.status === 'REQUESTED' ? 'Could I send this back, please?' : null,
      })),
      reverseFulfillmentOrders: [],
      decline: null,
    };
    if (spec.status !== 'REQUESTED') {
      const rfo: ReverseFulfillmentOrderRecord = {
        id: data.ids.take('reverseFulfillmentOrder'),
        returnId: ret.id,
        orderId: order.id,
        status: spec.status === 'CANCELED' ? 'CANCELED' : spec.disposed ? 'CLOSED' : 'OPEN',
        lineItems: ret.lineItems.map((l) => ({
          id: data.ids.take('reverseFulfillmentOrderLineItem'),
          returnLineItemId: l.id,
          fulfillmentLineItemId: l.fulfillmentLineItemId,
          lineItemId: l.lineItemId,
          totalQuantity: l.quantity,
          dispositions: [],
        })),
        deliveries: [],
      };
      if (spec.delivery) {
        rfo.deliveries.push({
          id: data.ids.take('reverseDelivery'),
          reverseFulfillmentOrderId: rfo.id,
          createdAt: requestedAt,
          updatedAt: requestedAt,
          tracking: {
            number: `1Z999RT1${String(ret.id % 100_000_000).padStart(8, '0')}00`,
            url: null,
            carrierName: 'UPS',
          },
          label: null,
          lineItems: rfo.lineItems.map((l) => ({
            id: data.ids.take('reverseDeliveryLineItem'),
            reverseFulfillmentOrderLineItemId: l.id,
            quantity: l.totalQuantity,
          })),
        });
        data.reverseDeliveries.set(rfo.deliveries[0]?.id ?? 0, rfo.id);
      }
      if (spec.disposed) {
        for (const l of rfo.lineItems) {
          const li = data.lineItem(order, l.lineItemId);
          const variant = li?.variantId == null ? undefined : data.variants.get(li.variantId);
          const stocked =
            variant !== undefined &&
            data.level(variant.inventoryItemId, fulfillment.locationId) !== undefined;
          l.dispositions.push({
            id: data.ids.take('reverseFulfillmentOrderDisposition'),
            type: stocked && rng.chance(0.7) ? 'RESTOCKED' : 'NOT_RESTOCKED',
            quantity: l.totalQuantity,
            locationId: fulfillment.locationId,
          });
        }
        ret.closedAt = between(requestedAt);
        ret.updatedAt = ret.closedAt;
      }
      ret.reverseFulfillmentOrders.push(rfo);
      data.reverseFulfillmentOrders.set(rfo.id, rfo);
    }
    data.returns.set(ret.id, ret);
    order.returnIds.push(ret.id);
    order.returnStatus = orderReturnStatus(
      order.returnIds.map((id) => data.returns.get(id)).filter((r): r is ReturnRecord => r !== undefined),
    );
  }
}
