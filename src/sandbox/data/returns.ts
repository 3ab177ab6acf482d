/**
 * Returns, with Shopify's rules: a return takes back fulfilled units of an order; an open return
 * has a reverse fulfillment order (the work of taking the units back), reverse deliveries (how
 * they travel back) and dispositions (what the warehouse did with each unit). Like merchant.ts,
 * nothing here knows about HTTP or GraphQL: inputs are plain records with numeric ids, and every
 * rule answers `{ ok: true, … }` or `{ ok: false, errors }`. The decisions that need no store
 * (the order's return status, what is left to return or to dispose) are pure functions below.
 *
 * Shopify's exact wordings of these user errors are not on record; the messages are plain and
 * say what went wrong, and the codes are the real `ReturnErrorCode` values.
 */
import type { MerchantError, Outcome } from './merchant.js';
import type {
  DispositionType,
  FulfillmentRecord,
  OrderRecord,
  OrderReturnStatus,
  ReturnDeclineReason,
  ReturnReason,
  ReturnRecord,
  ReverseDeliveryRecord,
  ReverseFulfillmentOrderLineItemRecord,
  ReverseFulfillmentOrderRecord,
} from './model.js';
import { DISPOSITION_TYPES, RETURN_REASONS } from './model.js';
import type { SandboxData } from './store.js';

function err(field: string[] | null, message: string, code: string): MerchantError {
  return { field, message, code };
}

function refused(...errors: MerchantError[]): { ok: false; errors: MerchantError[] } {
  return { ok: false, errors };
}

// ---- pure rules -----------------------------------------------------------------------------------

/** Returns that hold units: a canceled or declined return gives its units back to the order. */
export function holdsUnits(r: Pick<ReturnRecord, 'status'>): boolean {
  return r.status !== 'CANCELED' && r.status !== 'DECLINED';
}

/** Units of a reverse fulfillment order line already disposed of. */
export function disposedOf(line: Pick<ReverseFulfillmentOrderLineItemRecord, 'dispositions'>): number {
  return line.dispositions.reduce((sum, d) => sum + d.quantity, 0);
}

/** Whether every unit of an open return's reverse fulfillment orders has a disposition. */
function fullyDisposed(r: ReturnRecord): boolean {
  return r.reverseFulfillmentOrders
    .filter((rfo) => rfo.status !== 'CANCELED')
    .every((rfo) => rfo.lineItems.every((l) => disposedOf(l) >= l.totalQuantity));
}

/**
 * `Order.returnStatus` from the order's returns: a return still being worked on (open, with units
 * not yet disposed) → IN_PROGRESS; else a request awaiting an answer → RETURN_REQUESTED; else an
 * open return with every unit disposed → INSPECTION_COMPLETE; else a closed one → RETURNED.
 * Canceled and declined returns count as none. (RETURN_FAILED is never produced.)
 */
export function orderReturnStatus(returns: readonly ReturnRecord[]): OrderReturnStatus {
  const live = returns.filter(holdsUnits);
  if (live.some((r) => r.status === 'OPEN' && !fullyDisposed(r))) return 'IN_PROGRESS';
  if (live.some((r) => r.status === 'REQUESTED')) return 'RETURN_REQUESTED';
  if (live.some((r) => r.status === 'OPEN')) return 'INSPECTION_COMPLETE';
  if (live.some((r) => r.status === 'CLOSED')) return 'RETURNED';
  return 'NO_RETURN';
}

/**
 * Units of each fulfillment line item that can still be returned: shipped by a successful
 * fulfillment, less what returns that hold units already take back.
 */
export function returnableQuantities(
  fulfillments: readonly FulfillmentRecord[],
  returns: readonly ReturnRecord[],
): Map<number, number> {
  const left = new Map<number, number>();
  for (const f of fulfillments) {
    if (f.status !== 'SUCCESS') continue;
    for (const l of f.lineItems) left.set(l.id, (left.get(l.id) ?? 0) + l.quantity);
  }
  for (const r of returns) {
    if (!holdsUnits(r)) continue;
    for (const l of r.lineItems) {
      const n = left.get(l.fulfillmentLineItemId);
      if (n !== undefined) left.set(l.fulfillmentLineItemId, n - l.quantity);
    }
  }
  return left;
}

/** The carrier Shopify would show for a return's tracking (from the URL, else the number's shape). */
export function carrierOf(number: string | null, url: string | null): string | null {
  const host = url ? (/^[a-z]+:\/\/([^/]+)/i.exec(url)?.[1] ?? '').toLowerCase() : '';
  const carriers: [string, string][] = [
    ['ups.', 'UPS'],
    ['fedex.', 'FedEx'],
    ['usps.', 'USPS'],
    ['dhl.', 'DHL'],
    ['canadapost', 'Canada Post'],
    ['royalmail.', 'Royal Mail'],
  ];
  for (const [part, name] of carriers) if (host.includes(part)) return name;
  if (number && /^1Z[0-9A-Z]{16}$/i.test(number)) return 'UPS';
  return null;
}

// ---- inputs ---------------------------------------------------------------------------------------

export interface NewReturnLine {
  /** FulfillmentLineItem id (null when the given id is not one). */
  fulfillmentLineItemId: number | null;
  quantity: number;
  returnReason: string;
  returnReasonNote?: string | null;
  customerNote?: string | null;
}

export interface NewReturn {
  orderId: number | null;
  lines: NewReturnLine[];
  requestedAt?: number | null;
}

export interface DispositionInput {
  /** ReverseFulfillmentOrderLineItem id (null when the given id is not one). */
  lineItemId: number | null;
  quantity: number;
  /** null when absent; -1 when given but not a Location id. */
  locationId: number | null;
  type: string;
}

export interface ReverseDeliveryInput {
  reverseFulfillmentOrderId: number | null;
  lines: { lineItemId: number | null; quantity: number }[];
  tracking: { number: string | null; url: string | null } | null;
  labelFileUrl: string | null;
}

// ---- the rules over the store ---------------------------------------------------------------------

export class ReturnRules {
  constructor(private readonly data: SandboxData) {}

  returnsOf(order: OrderRecord): ReturnRecord[] {
    const out: ReturnRecord[] = [];
    for (const id of order.returnIds ?? []) {
      const r = this.data.returns.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  /** Stamps a change on a return and its order (updatedAt moves on; the order's return status follows). */
  private changed(r: ReturnRecord, at = this.data.now()): number {
    const order = this.data.ordersById.get(r.orderId);
    const stamped = order ? this.data.touch(order, at) : at;
    r.updatedAt = Math.max(stamped, r.updatedAt + 1000);
    if (order) order.returnStatus = orderReturnStatus(this.returnsOf(order));
    this.data.version++;
    return r.updatedAt;
  }

  private newReverseFulfillmentOrder(r: ReturnRecord): ReverseFulfillmentOrderRecord {
    const rfo: ReverseFulfillmentOrderRecord = {
      id: this.data.ids.take('reverseFulfillmentOrder'),
      returnId: r.id,
      orderId: r.orderId,
      status: 'OPEN',
      lineItems: r.lineItems.map((l) => ({
        id: this.data.ids.take('reverseFulfillmentOrderLineItem'),
        returnLineItemId: l.id,
        fulfillmentLineItemId: l.fulfillmentLineItemId,
        lineItemId: l.lineItemId,
        totalQuantity: l.quantity,
        dispositions: [],
      })),
      deliveries: [],
    };
    r.reverseFulfillmentOrders.push(rfo);
    this.data.reverseFulfillmentOrders.set(rfo.id, rfo);
    return rfo;
  }

  /**
   * `returnCreate` (→ OPEN, with a reverse fulfillment order) and `returnRequest` (→ REQUESTED):
   * only fulfilled units, and no more of each than was shipped less what other returns take back.
   * `field` is the input's argument name (`returnInput` or `input`).
   */
  create(input: NewReturn, status: 'OPEN' | 'REQUESTED', field: string): Outcome<{ ret: ReturnRecord }> {
    const data = this.data;
    const order = input.orderId === null ? undefined : data.ordersById.get(input.orderId);
    if (!order) return refused(err([field, 'orderId'], 'Order does not exist.', 'NOT_FOUND'));
    const errors: MerchantError[] = [];
    if (input.lines.length === 0) {
      errors.push(
        err([field, 'returnLineItems'], 'Return must have at least one return line item.', 'BLANK'),
      );
    }
    const now = data.now();
    if (input.requestedAt != null && (Number.isNaN(input.requestedAt) || input.requestedAt > now)) {
      errors.push(err([field, 'requestedAt'], "Requested at can't be in the future.", 'INVALID'));
    }
    const fulfillments = data.fulfillmentsOf(order);
    const left = returnableQuantities(fulfillments, this.returnsOf(order));
    const lineOf = new Map<number, number>();
    for (const f of fulfillments) for (const l of f.lineItems) lineOf.set(l.id, l.lineItemId);
    const asked = new Map<number, number>();
    input.lines.forEach((line, k) => {
      const at = [field, 'returnLineItems', String(k)];
      const fliId = line.fulfillmentLineItemId;
      const available = fliId === null ? undefined : left.get(fliId);
      if (fliId === null || available === undefined) {
        errors.push(
          err(
            [...at, 'fulfillmentLineItemId'],
            'Fulfillment line item does not exist on this order, or was not fulfilled.',
            'NOT_FOUND',
          ),
        );
        return;
      }
      if (!(RETURN_REASONS as readonly string[]).includes(line.returnReason)) {
        errors.push(err([...at, 'returnReason'], 'Return reason is not valid.', 'INCLUSION'));
        return;
      }
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        errors.push(err([...at, 'quantity'], 'Quantity must be greater than 0.', 'GREATER_THAN'));
        return;
      }
      const total = (asked.get(fliId) ?? 0) + line.quantity;
      if (total > available) {
        errors.push(
          err(
            [...at, 'quantity'],
            `Quantity exceeds the returnable quantity of the fulfillment line item (${Math.max(0, available)}).`,
            'LESS_THAN_OR_EQUAL_TO',
          ),
        );
        return;
      }
      asked.set(fliId, total);
    });
    if (errors.length > 0) return refused(...errors);

    order.returnIds ??= [];
    const ret: ReturnRecord = {
      id: data.ids.take('return'),
      orderId: order.id,
      name: `${order.name}-R${order.returnIds.length + 1}`,
      status,
      requestedAt: input.requestedAt ?? now,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      lineItems: input.lines.map((line) => ({
        id: data.ids.take('returnLineItem'),
        fulfillmentLineItemId: line.fulfillmentLineItemId as number,
        lineItemId: lineOf.get(line.fulfillmentLineItemId as number) as number,
        quantity: line.quantity,
        returnReason: line.returnReason as ReturnReason,
        returnReasonNote: line.returnReasonNote ?? '',
        customerNote: line.customerNote ?? null,
      })),
      reverseFulfillmentOrders: [],
      decline: null,
    };
    data.returns.set(ret.id, ret);
    order.returnIds.push(ret.id);
    if (status === 'OPEN') this.newReverseFulfillmentOrder(ret);
    ret.createdAt = this.changed(ret, now);
    return { ok: true, ret };
  }

  private mustReturn(id: number | null, field: string[]): Outcome<{ ret: ReturnRecord }> {
    const ret = id === null ? undefined : this.data.returns.get(id);
    return ret ? { ok: true, ret } : refused(err(field, 'Return does not exist.', 'NOT_FOUND'));
  }

  private wrongState(
    field: string[],
    ret: ReturnRecord,
    action: string,
  ): { ok: false; errors: MerchantError[] } {
    return refused(err(field, `A return with status ${ret.status} cannot be ${action}.`, 'INVALID_STATE'));
  }

  /** `returnApproveRequest`: a REQUESTED return opens, with a reverse fulfillment order. */
  approve(id: number | null): Outcome<{ ret: ReturnRecord }> {
    const found = this.mustReturn(id, ['input', 'id']);
    if (!found.ok) return found;
    const ret = found.ret;
    if (ret.status !== 'REQUESTED') return this.wrongState(['input', 'id'], ret, 'approved');
    ret.status = 'OPEN';
    this.newReverseFulfillmentOrder(ret);
    this.changed(ret);
    return { ok: true, ret };
  }

  /** `returnDeclineRequest`: a REQUESTED return is DECLINED; its units may be returned again. */
  decline(id: number | null, reason: string, note: string | null): Outcome<{ ret: ReturnRecord }> {
    const found = this.mustReturn(id, ['input', 'id']);
    if (!found.ok) return found;
    const ret = found.ret;
    if (ret.status !== 'REQUESTED') return this.wrongState(['input', 'id'], ret, 'declined');
    if (!['RETURN_PERIOD_ENDED', 'FINAL_SALE', 'OTHER'].includes(reason)) {
      return refused(err(['input', 'declineReason'], 'Decline reason is not valid.', 'INCLUSION'));
    }
    ret.status = 'DECLINED';
    ret.decline = { reason: reason as ReturnDeclineReason, note };
    this.changed(ret);
    return { ok: true, ret };
  }

  /**
   * `returnCancel`: an OPEN return with nothing disposed yet is CANCELED, its reverse fulfillment
   * orders too; the units count as fulfilled again.
   */
  cancel(id: number | null): Outcome<{ ret: ReturnRecord }> {
    const found = this.mustReturn(id, ['id']);
    if (!found.ok) return found;
    const ret = found.ret;
    if (ret.status !== 'OPEN') return this.wrongState(['id'], ret, 'canceled');
    if (ret.reverseFulfillmentOrders.some((rfo) => rfo.lineItems.some((l) => l.dispositions.length > 0))) {
      return refused(
        err(['id'], 'A return cannot be canceled once its items have been disposed of.', 'INVALID_STATE'),
      );
    }
    ret.status = 'CANCELED';
    for (const rfo of ret.reverseFulfillmentOrders) rfo.status = 'CANCELED';
    this.changed(ret);
    return { ok: true, ret };
  }

  /** `returnClose`: an OPEN return is CLOSED; its open reverse fulfillment orders close with it. */
  close(id: number | null): Outcome<{ ret: ReturnRecord }> {
    const found = this.mustReturn(id, ['id']);
    if (!found.ok) return found;
    const ret = found.ret;
    if (ret.status !== 'OPEN') return this.wrongState(['id'], ret, 'closed');
    ret.status = 'CLOSED';
    for (const rfo of ret.reverseFulfillmentOrders) if (rfo.status === 'OPEN') rfo.status = 'CLOSED';
    ret.closedAt = this.changed(ret);
    return { ok: true, ret };
  }

  /** `returnReopen`: a CLOSED return is OPEN again; reverse fulfillment orders with units left to dispose reopen. */
  reopen(id: number | null): Outcome<{ ret: ReturnRecord }> {
    const found = this.mustReturn(id, ['id']);
    if (!found.ok) return found;
    const ret = found.ret;
    if (ret.status !== 'CLOSED') return this.wrongState(['id'], ret, 'reopened');
    ret.status = 'OPEN';
    ret.closedAt = null;
    for (const rfo of ret.reverseFulfillmentOrders) {
      if (rfo.status === 'CLOSED' && rfo.lineItems.some((l) => disposedOf(l) < l.totalQuantity))
        rfo.status = 'OPEN';
    }
    this.changed(ret);
    return { ok: true, ret };
  }

  /**
   * `reverseDeliveryCreateWithShipping`: how units of an open reverse fulfillment order travel
   * back (tracking, label). No lines = every line with its total quantity. A line's units on
   * reverse deliveries never exceed its total.
   */
  createReverseDelivery(input: ReverseDeliveryInput): Outcome<{ delivery: ReverseDeliveryRecord }> {
    const data = this.data;
    const rfo =
      input.reverseFulfillmentOrderId === null
        ? undefined
        : data.reverseFulfillmentOrders.get(input.reverseFulfillmentOrderId);
    if (!rfo) {
      return refused(
        err(['reverseFulfillmentOrderId'], 'Reverse fulfillment order does not exist.', 'NOT_FOUND'),
      );
    }
    if (rfo.status !== 'OPEN') {
      return refused(
        err(
          ['reverseFulfillmentOrderId'],
          `A reverse fulfillment order with status ${rfo.status} cannot have new reverse deliveries.`,
          'INVALID_STATE',
        ),
      );
    }
    const onDeliveries = new Map<number, number>();
    for (const d of rfo.deliveries)
      for (const l of d.lineItems)
        onDeliveries.set(
          l.reverseFulfillmentOrderLineItemId,
          (onDeliveries.get(l.reverseFulfillmentOrderLineItemId) ?? 0) + l.quantity,
        );
    const lines =
      input.lines.length > 0
        ? input.lines
        : rfo.lineItems.map((l) => ({ lineItemId: l.id, quantity: l.totalQuantity }));
    const errors: MerchantError[] = [];
    const plan: { line: ReverseFulfillmentOrderLineItemRecord; quantity: number }[] = [];
    lines.forEach((l, k) => {
      const at = ['reverseDeliveryLineItems', String(k)];
      const line = rfo.lineItems.find((x) => x.id === l.lineItemId);
      if (!line) {
        errors.push(
          err(
            [...at, 'reverseFulfillmentOrderLineItemId'],
            'Reverse fulfillment order line item does not exist on this reverse fulfillment order.',
            'NOT_FOUND',
          ),
        );
        return;
      }
      const already = onDeliveries.get(line.id) ?? 0;
      if (!Number.isInteger(l.quantity) || l.quantity < 1) {
        errors.push(err([...at, 'quantity'], 'Quantity must be greater than 0.', 'GREATER_THAN'));
        return;
      }
      if (already + l.quantity > line.totalQuantity) {
        errors.push(
          err(
            [...at, 'quantity'],
            `Quantity exceeds the units of the line not yet on a reverse delivery (${line.totalQuantity - already}).`,
            'LESS_THAN_OR_EQUAL_TO',
          ),
        );
        return;
      }
      onDeliveries.set(line.id, already + l.quantity);
      plan.push({ line, quantity: l.quantity });
    });
    if (errors.length > 0) return refused(...errors);
    const ret = data.returns.get(rfo.returnId);
    const at = data.now();
    const tracking = input.tracking;
    const delivery: ReverseDeliveryRecord = {
      id: data.ids.take('reverseDelivery'),
      reverseFulfillmentOrderId: rfo.id,
      createdAt: at,
      updatedAt: at,
      tracking:
        tracking && (tracking.number !== null || tracking.url !== null)
          ? { ...tracking, carrierName: carrierOf(tracking.number, tracking.url) }
          : null,
      label:
        input.labelFileUrl === null ? null : { fileUrl: input.labelFileUrl, createdAt: at, updatedAt: at },
      lineItems: plan.map((p) => ({
        id: data.ids.take('reverseDeliveryLineItem'),
        reverseFulfillmentOrderLineItemId: p.line.id,
        quantity: p.quantity,
      })),
    };
    rfo.deliveries.push(delivery);
    data.reverseDeliveries.set(delivery.id, rfo.id);
    if (ret) this.changed(ret, at);
    return { ok: true, delivery };
  }

  /** The reverse fulfillment order line with this id, and its reverse fulfillment order. */
  private rfoLine(
    id: number | null,
  ): { rfo: ReverseFulfillmentOrderRecord; line: ReverseFulfillmentOrderLineItemRecord } | undefined {
    if (id === null) return undefined;
    for (const rfo of this.data.reverseFulfillmentOrders.values()) {
      const line = rfo.lineItems.find((l) => l.id === id);
      if (line) return { rfo, line };
    }
    return undefined;
  }

  /**
   * `reverseFulfillmentOrderDispose`: what the warehouse did with returned units. All or nothing:
   * any error and nothing of the call applies. RESTOCKED units go to `available` (and so
   * on_hand) at the location, which must stock the item. A reverse fulfillment order whose units
   * are all disposed closes; the order's return status moves on.
   */
  dispose(inputs: DispositionInput[]): Outcome<{ lines: ReverseFulfillmentOrderLineItemRecord[] }> {
    const data = this.data;
    const errors: MerchantError[] = [];
    const planned = new Map<number, number>();
    const plan: {
      rfo: ReverseFulfillmentOrderRecord;
      line: ReverseFulfillmentOrderLineItemRecord;
      input: DispositionInput;
      levelKey: string | null;
    }[] = [];
    if (inputs.length === 0) {
      errors.push(err(['dispositionInputs'], 'At least one disposition is required.', 'BLANK'));
    }
    inputs.forEach((input, k) => {
      const at = ['dispositionInputs', String(k)];
      const found = this.rfoLine(input.lineItemId);
      const order = found ? data.ordersById.get(found.rfo.orderId) : undefined;
      if (!found || !order) {
        errors.push(
          err(
            [...at, 'reverseFulfillmentOrderLineItemId'],
            'Reverse fulfillment order line item does not exist.',
            'NOT_FOUND',
          ),
        );
        return;
      }
      const { rfo, line } = found;
      if (rfo.status !== 'OPEN') {
        errors.push(
          err(
            [...at, 'reverseFulfillmentOrderLineItemId'],
            `A reverse fulfillment order with status ${rfo.status} cannot be disposed of.`,
            'INVALID_STATE',
          ),
        );
        return;
      }
      if (!(DISPOSITION_TYPES as readonly string[]).includes(input.type)) {
        errors.push(err([...at, 'dispositionType'], 'Disposition type is not valid.', 'INCLUSION'));
        return;
      }
      if (!Number.isInteger(input.quantity) || input.quantity < 1) {
        errors.push(err([...at, 'quantity'], 'Quantity must be greater than 0.', 'GREATER_THAN'));
        return;
      }
      const left = line.totalQuantity - disposedOf(line) - (planned.get(line.id) ?? 0);
      if (input.quantity > left) {
        errors.push(
          err(
            [...at, 'quantity'],
            `Quantity exceeds the units left to dispose of (${left}).`,
            'LESS_THAN_OR_EQUAL_TO',
          ),
        );
        return;
      }
      const location = input.locationId === null ? undefined : data.location(input.locationId);
      if (input.locationId !== null && !location) {
        errors.push(err([...at, 'locationId'], 'Location does not exist.', 'NOT_FOUND'));
        return;
      }
      let levelKey: string | null = null;
      if (input.type === 'RESTOCKED') {
        if (!location) {
          errors.push(err([...at, 'locationId'], 'A location is required to restock.', 'BLANK'));
          return;
        }
        const li = data.lineItem(order, line.lineItemId);
        const variant = li?.variantId == null ? undefined : data.variants.get(li.variantId);
        if (!variant) {
          errors.push(
            err([...at, 'reverseFulfillmentOrderLineItemId'], 'The item cannot be restocked.', 'INVALID'),
          );
          return;
        }
        if (!data.level(variant.inventoryItemId, location.id)) {
          errors.push(
            err(
              [...at, 'locationId'],
              `${li?.sku ?? li?.title ?? 'The item'} is not stocked at ${location.name}.`,
              'INVALID',
            ),
          );
          return;
        }
        levelKey = `${variant.inventoryItemId}:${location.id}`;
      }
      planned.set(line.id, (planned.get(line.id) ?? 0) + input.quantity);
      plan.push({ rfo, line, input, levelKey });
    });
    if (errors.length > 0) return refused(...errors);

    const at = data.now();
    const touched = new Set<ReverseFulfillmentOrderRecord>();
    const lines: ReverseFulfillmentOrderLineItemRecord[] = [];
    for (const { rfo, line, input, levelKey } of plan) {
      line.dispositions.push({
        id: data.ids.take('reverseFulfillmentOrderDisposition'),
        type: input.type as DispositionType,
        quantity: input.quantity,
        locationId: input.locationId,
      });
      if (levelKey) {
        const level = data.levels.get(levelKey);
        if (level) {
          level.available += input.quantity;
          level.updatedAt = at;
          const item = data.inventoryItems.get(level.inventoryItemId);
          if (item) item.updatedAt = at;
        }
      }
      touched.add(rfo);
      if (!lines.includes(line)) lines.push(line);
    }
    const returns = new Set<ReturnRecord>();
    for (const rfo of touched) {
      if (rfo.lineItems.every((l) => disposedOf(l) >= l.totalQuantity)) rfo.status = 'CLOSED';
      const ret = data.returns.get(rfo.returnId);
      if (ret) returns.add(ret);
    }
    for (const ret of returns) this.changed(ret, at);
    return { ok: true, lines };
  }
}
