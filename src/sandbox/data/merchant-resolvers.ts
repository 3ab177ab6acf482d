import type { SandboxRequestContext } from '../context.js';
import {
  accessDenied,
  fulfillmentOrderVisible,
  fulfillmentOrderWriteScopes,
  hasAnyScope,
  orderVisible,
  requireScope,
} from './access.js';
import { gid, isoTime, parseGid, splitGid } from './gid.js';
import { runIdempotent } from './idempotency.js';
import type {
  InventoryBehaviour,
  InventoryChangeRecord,
  LineQuantity,
  Merchant,
  MerchantError,
  NewOrder,
  NewOrderLine,
  Outcome,
} from './merchant.js';
import type {
  Address,
  CancelReason,
  FinancialStatus,
  FulfillmentOrderRecord,
  OrderRecord,
  RestockType,
} from './model.js';
import type { SandboxData } from './store.js';
import type { Views } from './views.js';
import { type Args, idOf, type Input, list, obj, type Resolver, str } from './input.js';

/**
 * The Admin API mutations of the merchant's side, over `data.merchant`'s rules: each resolver
 * checks the token's scopes, turns Shopify's input shapes into plain records, and shapes the
 * answer as Shopify's payload. No state rule lives here.
 */

const WRITE_ORDERS = ['write_orders'];
const WRITE_ORDER_EDITS = ['write_order_edits'];
const WRITE_INVENTORY = ['write_inventory'];
const FO_WRITE = [
  'write_merchant_managed_fulfillment_orders',
  'write_third_party_fulfillment_orders',
  'write_assigned_fulfillment_orders',
];
const SERVICE_WRITE = ['write_assigned_fulfillment_orders', 'write_third_party_fulfillment_orders'];

const COUNTRY_NAMES: Record<string, string> = {
  US: 'United States',
  CA: 'Canada',
  DE: 'Germany',
  GB: 'United Kingdom',
  FR: 'France',
  NL: 'Netherlands',
  AU: 'Australia',
  MX: 'Mexico',
};

/** A Money/Decimal input ("12.50") in cents; NaN when it is not a number. */
function cents(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.round(n * 100) : Number.NaN;
}

function addressFrom(value: unknown): Address | null {
  if (value === null || value === undefined) return null;
  const a = obj(value);
  const countryCode = str(a.countryCode) ?? 'US';
  return {
    firstName: str(a.firstName) ?? '',
    lastName: str(a.lastName) ?? '',
    company: str(a.company),
    address1: str(a.address1) ?? '',
    address2: str(a.address2),
    city: str(a.city) ?? '',
    province: str(a.provinceCode),
    provinceCode: str(a.provinceCode),
    zip: str(a.zip) ?? '',
    country: COUNTRY_NAMES[countryCode] ?? countryCode,
    countryCode,
    phone: str(a.phone),
  };
}

function lineQuantities(value: unknown): LineQuantity[] | null {
  if (!Array.isArray(value)) return null;
  return list(value).map((l) => ({
    id: parseGid(l.id, 'FulfillmentOrderLineItem'),
    quantity: typeof l.quantity === 'number' ? l.quantity : Number.NaN,
  }));
}

/** Errors as a payload's `userErrors`; `withCode` for error types that have a code. */
function userErrors(errors: MerchantError[], withCode: boolean): Record<string, unknown>[] {
  return errors.map((e) =>
    withCode
      ? { field: e.field, message: e.message, code: e.code ?? null }
      : { field: e.field, message: e.message },
  );
}

function errorsOf<T extends object>(outcome: Outcome<T>): MerchantError[] {
  return outcome.ok ? [] : outcome.errors;
}

/** OrderCreateOrderInput → the rules' NewOrder. */
function newOrderFrom(input: Input): NewOrder {
  const lines: NewOrderLine[] = list(input.lineItems).map((l) => ({
    variantId: idOf(l.variantId, 'ProductVariant'),
    quantity: typeof l.quantity === 'number' ? l.quantity : Number.NaN,
    title: str(l.title),
    variantTitle: str(l.variantTitle),
    sku: str(l.sku),
    vendor: str(l.vendor),
    price: l.priceSet ? cents(obj(obj(l.priceSet).shopMoney).amount) : null,
    requiresShipping: typeof l.requiresShipping === 'boolean' ? l.requiresShipping : null,
    taxable: typeof l.taxable === 'boolean' ? l.taxable : null,
    giftCard: l.giftCard === true,
    fulfillmentService: str(l.fulfillmentService),
  }));
  const shipping = list(input.shippingLines)[0];
  const customer = obj(obj(input.customer).toUpsert ?? obj(input.customer).toAssociate);
  const processedAt = str(input.processedAt);
  return {
    lines,
    email: str(input.email) ?? str(customer.email),
    phone: str(input.phone),
    note: str(input.note),
    tags: Array.isArray(input.tags) ? input.tags.filter((t): t is string => typeof t === 'string') : null,
    shippingAddress: addressFrom(input.shippingAddress),
    billingAddress: addressFrom(input.billingAddress),
    financialStatus: (str(input.financialStatus) as FinancialStatus | null) ?? null,
    transactions: list(input.transactions).map((t) => ({
      kind: str(t.kind) ?? 'SALE',
      status: str(t.status) ?? 'SUCCESS',
      amount: cents(obj(obj(t.amountSet).shopMoney).amount),
    })),
    presentmentCurrency: str(input.presentmentCurrency),
    test: input.test === true,
    processedAt: processedAt === null ? null : Date.parse(processedAt),
    shippingLine: shipping
      ? {
          title: str(shipping.title) ?? 'Shipping',
          code: str(shipping.code) ?? str(shipping.title) ?? 'custom',
          source: str(shipping.source) ?? 'shopify',
          price: cents(obj(obj(shipping.priceSet).shopMoney).amount) || 0,
        }
      : null,
  };
}

/** A calculated line item id: an order's line (numeric) or a line the edit added (its key). */
function calculatedLineRef(value: unknown): number | string | null {
  const parts = splitGid(value);
  if (!parts || (parts.type !== 'CalculatedLineItem' && parts.type !== 'LineItem')) return null;
  return /^[1-9][0-9]{0,17}$/.test(parts.id) ? Number(parts.id) : parts.id;
}

export function merchantMutations(data: SandboxData, views: Views): Record<string, Resolver> {
  const rules = data.merchant;

  /** An order the token may see, by gid. */
  const visibleOrder = (value: unknown, ctx: SandboxRequestContext): OrderRecord | undefined => {
    const n = parseGid(value, 'Order');
    const order = n === null ? undefined : data.ordersById.get(n);
    return order && orderVisible(ctx, order) ? order : undefined;
  };

  /**
   * A fulfillment order the token may see, by gid, after checking it may write fulfillment
   * orders at its location (merchant-managed, or a fulfillment service's).
   */
  const writableFulfillmentOrder = (
    field: string,
    value: unknown,
    ctx: SandboxRequestContext,
    scopes: readonly string[] = FO_WRITE,
  ): FulfillmentOrderRecord | undefined => {
    requireScope(ctx, field, scopes);
    const n = parseGid(value, 'FulfillmentOrder');
    const fo = n === null ? undefined : data.fulfillmentOrders.get(n);
    const location = fo ? data.location(fo.locationId) : undefined;
    const order = fo ? data.ordersById.get(fo.orderId) : undefined;
    if (!fo || !order || !orderVisible(ctx, order) || !fulfillmentOrderVisible(ctx, location))
      return undefined;
    if (scopes === FO_WRITE && !hasAnyScope(ctx, fulfillmentOrderWriteScopes(location))) {
      throw accessDenied(field, fulfillmentOrderWriteScopes(location));
    }
    return fo;
  };

  const foView = (fo: FulfillmentOrderRecord | null | undefined) => (fo ? views.fulfillmentOrder(fo) : null);
  const orderView = (order: OrderRecord | null | undefined) => (order ? views.order(order) : null);
  const notFound = (code: string | null = null): MerchantError[] => [
    { field: ['id'], message: 'Fulfillment order does not exist.', code },
  ];

  const calculated = (editId: number | null) => {
    const edit = editId === null ? undefined : data.orderEdits.get(editId);
    return edit ? views.calculatedOrder(edit) : null;
  };

  /** The answer of a staged change to one line of an order edit (set quantity, add variant). */
  const editLinePayload = (
    editId: number | null,
    result: ReturnType<Merchant['editSetQuantity']> | ReturnType<Merchant['editAddVariant']>,
  ) => {
    if (!result.ok)
      return {
        calculatedLineItem: null,
        calculatedOrder: null,
        userErrors: userErrors(result.errors, false),
      };
    const order = data.ordersById.get(result.edit.orderId);
    return {
      calculatedLineItem: order ? views.calculatedLineItem(order, result.line) : null,
      calculatedOrder: calculated(editId),
      userErrors: [],
    };
  };

  /** The three answers of the service to requests share their checks; only the change differs. */
  const cancellationAnswer =
    (field: string, accept: boolean): Resolver =>
    (_p, args, ctx) => {
      const fo = writableFulfillmentOrder(field, args.id, ctx, SERVICE_WRITE);
      if (!fo) return { fulfillmentOrder: null, userErrors: userErrors(notFound(), false) };
      const result = rules.answerCancellationRequest(fo.id, accept);
      return { fulfillmentOrder: foView(fo), userErrors: userErrors(errorsOf(result), false) };
    };

  return {
    orderCreate: (_p, args, ctx) => {
      requireScope(ctx, 'orderCreate', WRITE_ORDERS);
      const behaviour = (str(obj(args.options).inventoryBehaviour) ?? 'BYPASS') as InventoryBehaviour;
      const result = rules.createOrder(newOrderFrom(obj(args.order)), behaviour);
      return {
        order: result.ok ? views.order(result.order) : null,
        userErrors: userErrors(errorsOf(result), true),
      };
    },

    orderUpdate: (_p, args, ctx) => {
      requireScope(ctx, 'orderUpdate', WRITE_ORDERS);
      const input = obj(args.input);
      const order = visibleOrder(input.id, ctx);
      if (!order) return { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
      const has = (k: string) => k in input && input[k] !== undefined;
      const result = rules.updateOrder(order.id, {
        ...(has('email') ? { email: str(input.email) } : {}),
        ...(has('note') ? { note: str(input.note) } : {}),
        ...(has('tags') && Array.isArray(input.tags)
          ? { tags: input.tags.filter((t): t is string => typeof t === 'string') }
          : {}),
        ...(has('shippingAddress') ? { shippingAddress: addressFrom(input.shippingAddress) } : {}),
      });
      return { order: result.ok ? orderView(order) : null, userErrors: userErrors(errorsOf(result), false) };
    },

    orderMarkAsPaid: (_p, args, ctx) => {
      requireScope(ctx, 'orderMarkAsPaid', WRITE_ORDERS);
      const order = visibleOrder(obj(args.input).id, ctx);
      if (!order) return { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
      const result = rules.markAsPaid(order.id);
      // Shopify answers with the order even when it refuses.
      return { order: orderView(order), userErrors: userErrors(errorsOf(result), false) };
    },

    orderCancel: (_p, args, ctx) => {
      requireScope(ctx, 'orderCancel', WRITE_ORDERS);
      const order = visibleOrder(args.orderId, ctx);
      const result: Outcome<{ order: OrderRecord }> = order
        ? rules.cancelOrder(order.id, {
            reason: String(args.reason) as CancelReason,
            refund: args.refund === true,
            restock: args.restock === true,
            staffNote: str(args.staffNote),
          })
        : {
            ok: false,
            errors: [{ field: ['orderId'], message: 'Order does not exist', code: 'NOT_FOUND' }],
          };
      // Shopify cancels in a job; here it is done by the time the job is reported.
      const job = result.ok
        ? { __typename: 'Job', id: gid('Job', rules.nextJobId()), done: true, query: null }
        : null;
      return {
        job,
        orderCancelUserErrors: userErrors(errorsOf(result), true),
        userErrors: userErrors(errorsOf(result), false),
      };
    },

    refundCreate: (_p, args, ctx) => {
      requireScope(ctx, 'refundCreate', WRITE_ORDERS);
      const input = obj(args.input);
      const order = visibleOrder(input.orderId, ctx);
      if (!order) {
        return {
          order: null,
          refund: null,
          userErrors: [{ field: ['orderId'], message: 'Order does not exist' }],
        };
      }
      const shipping = input.shipping ? obj(input.shipping) : null;
      const result = rules.refund(order.id, {
        lines: list(input.refundLineItems).map((l) => ({
          lineItemId: parseGid(l.lineItemId, 'LineItem'),
          quantity: typeof l.quantity === 'number' ? l.quantity : Number.NaN,
          restockType: (str(l.restockType) as RestockType | null) ?? null,
          locationId: idOf(l.locationId, 'Location'),
        })),
        transactions: list(input.transactions).map((t) => ({
          kind: str(t.kind) ?? '',
          amount: cents(t.amount),
        })),
        shipping: shipping
          ? {
              amount:
                shipping.amount === null || shipping.amount === undefined ? null : cents(shipping.amount),
              fullRefund: shipping.fullRefund === true,
            }
          : null,
        note: str(input.note),
      });
      return {
        order: orderView(order),
        refund: result.ok ? views.refund(order, result.refund) : null,
        userErrors: userErrors(errorsOf(result), false),
      };
    },

    orderEditBegin: (_p, args, ctx) => {
      requireScope(ctx, 'orderEditBegin', WRITE_ORDER_EDITS);
      const order = visibleOrder(args.id, ctx);
      if (!order)
        return {
          calculatedOrder: null,
          userErrors: [{ field: ['id'], message: 'The order does not exist.' }],
        };
      const result = rules.beginEdit(order.id);
      return {
        calculatedOrder: result.ok ? views.calculatedOrder(result.edit) : null,
        userErrors: userErrors(errorsOf(result), false),
      };
    },

    orderEditSetQuantity: (_p, args, ctx) => {
      requireScope(ctx, 'orderEditSetQuantity', WRITE_ORDER_EDITS);
      const editId = parseGid(args.id, 'CalculatedOrder');
      const result = rules.editSetQuantity(
        editId,
        calculatedLineRef(args.lineItemId),
        typeof args.quantity === 'number' ? args.quantity : Number.NaN,
        args.restock === true,
      );
      return editLinePayload(editId, result);
    },

    orderEditAddVariant: (_p, args, ctx) => {
      requireScope(ctx, 'orderEditAddVariant', WRITE_ORDER_EDITS);
      const editId = parseGid(args.id, 'CalculatedOrder');
      const result = rules.editAddVariant(
        editId,
        idOf(args.variantId, 'ProductVariant'),
        typeof args.quantity === 'number' ? args.quantity : Number.NaN,
        idOf(args.locationId, 'Location'),
        args.allowDuplicates === true,
      );
      return editLinePayload(editId, result);
    },

    orderEditCommit: (_p, args, ctx) => {
      requireScope(ctx, 'orderEditCommit', WRITE_ORDER_EDITS);
      const result = rules.commitEdit(parseGid(args.id, 'CalculatedOrder'));
      return {
        order: result.ok ? views.order(result.order) : null,
        userErrors: userErrors(errorsOf(result), false),
      };
    },

    fulfillmentOrderHold: (_p, args, ctx) => {
      const fo = writableFulfillmentOrder('fulfillmentOrderHold', args.id, ctx);
      const empty = { fulfillmentHold: null, fulfillmentOrder: null, remainingFulfillmentOrder: null };
      if (!fo) return { ...empty, userErrors: userErrors(notFound('FULFILLMENT_ORDER_NOT_FOUND'), true) };
      const hold = obj(args.fulfillmentHold);
      const result = rules.hold(fo.id, {
        reason: str(hold.reason) ?? 'OTHER',
        reasonNotes: str(hold.reasonNotes),
        handle: str(hold.handle),
        lines: lineQuantities(hold.fulfillmentOrderLineItems),
      });
      if (!result.ok) return { ...empty, userErrors: userErrors(result.errors, true) };
      return {
        fulfillmentHold: views.fulfillmentHold(result.fo, result.hold, result.fo.holds.indexOf(result.hold)),
        fulfillmentOrder: foView(result.fo),
        remainingFulfillmentOrder: foView(result.remaining),
        userErrors: [],
      };
    },

    fulfillmentOrderReleaseHold: (_p, args, ctx) => {
      const fo = writableFulfillmentOrder('fulfillmentOrderReleaseHold', args.id, ctx);
      if (!fo)
        return {
          fulfillmentOrder: null,
          userErrors: userErrors(notFound('FULFILLMENT_ORDER_NOT_FOUND'), true),
        };
      const holdIds = Array.isArray(args.holdIds)
        ? args.holdIds.map((h) => parseGid(h, 'FulfillmentHold') ?? -1)
        : null;
      const result = rules.releaseHold(fo.id, holdIds);
      return { fulfillmentOrder: foView(fo), userErrors: userErrors(errorsOf(result), true) };
    },

    fulfillmentOrderMove: (_p, args, ctx) => {
      const fo = writableFulfillmentOrder('fulfillmentOrderMove', args.id, ctx);
      const empty = {
        movedFulfillmentOrder: null,
        originalFulfillmentOrder: null,
        remainingFulfillmentOrder: null,
      };
      if (!fo) return { ...empty, userErrors: userErrors(notFound(), false) };
      const result = rules.move(
        fo.id,
        idOf(args.newLocationId, 'Location'),
        lineQuantities(args.fulfillmentOrderLineItems),
      );
      if (!result.ok) return { ...empty, userErrors: userErrors(result.errors, false) };
      return {
        movedFulfillmentOrder: foView(result.moved),
        originalFulfillmentOrder: foView(result.original),
        remainingFulfillmentOrder: foView(result.remaining),
        userErrors: [],
      };
    },

    fulfillmentOrderSubmitFulfillmentRequest: (_p, args, ctx) => {
      const fo = writableFulfillmentOrder('fulfillmentOrderSubmitFulfillmentRequest', args.id, ctx);
      const empty = {
        originalFulfillmentOrder: null,
        submittedFulfillmentOrder: null,
        unsubmittedFulfillmentOrder: null,
      };
      if (!fo) return { ...empty, userErrors: userErrors(notFound(), false) };
      const result = rules.submitFulfillmentRequest(fo.id, {
        message: str(args.message),
        notifyCustomer: args.notifyCustomer === true,
        lines: lineQuantities(args.fulfillmentOrderLineItems),
      });
      if (!result.ok) return { ...empty, userErrors: userErrors(result.errors, false) };
      return {
        originalFulfillmentOrder: foView(result.original),
        submittedFulfillmentOrder: foView(result.submitted),
        unsubmittedFulfillmentOrder: foView(result.unsubmitted),
        userErrors: [],
      };
    },

    fulfillmentOrderSubmitCancellationRequest: (_p, args, ctx) => {
      const fo = writableFulfillmentOrder('fulfillmentOrderSubmitCancellationRequest', args.id, ctx);
      if (!fo) return { fulfillmentOrder: null, userErrors: userErrors(notFound(), false) };
      const result = rules.submitCancellationRequest(fo.id, str(args.message));
      return { fulfillmentOrder: foView(fo), userErrors: userErrors(errorsOf(result), false) };
    },

    fulfillmentOrderAcceptCancellationRequest: cancellationAnswer(
      'fulfillmentOrderAcceptCancellationRequest',
      true,
    ),
    fulfillmentOrderRejectCancellationRequest: cancellationAnswer(
      'fulfillmentOrderRejectCancellationRequest',
      false,
    ),

    inventoryAdjustQuantities: (_p, args, ctx, info) => {
      requireScope(ctx, 'inventoryAdjustQuantities', WRITE_INVENTORY);
      return runIdempotent(data, ctx, info, args, () => {
        const input = obj(args.input);
        const result = rules.adjustInventory({
          name: str(input.name) ?? '',
          reason: str(input.reason) ?? '',
          referenceDocumentUri: str(input.referenceDocumentUri),
          changes: list(input.changes).map((c) => ({
            inventoryItemId: idOf(c.inventoryItemId, 'InventoryItem'),
            locationId: idOf(c.locationId, 'Location'),
            delta: typeof c.delta === 'number' ? c.delta : Number.NaN,
            ledgerDocumentUri: str(c.ledgerDocumentUri),
          })),
        });
        if (!result.ok)
          return { inventoryAdjustmentGroup: null, userErrors: userErrors(result.errors, true) };
        return {
          inventoryAdjustmentGroup: adjustmentGroup(result.at, input, result.changes),
          userErrors: [],
        };
      });
    },
  };

  function adjustmentGroup(
    at: number,
    input: Input,
    changes: InventoryChangeRecord[],
  ): Record<string, unknown> {
    const shaped = changes.map((c) => {
      const item = data.inventoryItems.get(c.itemId);
      const location = data.location(c.locationId);
      return {
        __typename: 'InventoryChange',
        name: c.name,
        delta: c.delta,
        quantityAfterChange: c.quantityAfterChange,
        ledgerDocumentUri: c.ledgerDocumentUri,
        item: item ? views.inventoryItem(item) : null,
        location: location ? views.location(location) : null,
      };
    });
    return {
      __typename: 'InventoryAdjustmentGroup',
      id: gid('InventoryAdjustmentGroup', data.ids.take('bulkOperation') + 900_000_000_000),
      createdAt: isoTime(at),
      reason: str(input.reason),
      referenceDocumentUri: str(input.referenceDocumentUri),
      app: null,
      staffMember: null,
      changes: (a: Args) => {
        const names = Array.isArray(a.quantityNames) ? (a.quantityNames as string[]) : null;
        const items = Array.isArray(a.inventoryItemIds) ? new Set(a.inventoryItemIds.map(String)) : null;
        const locations = Array.isArray(a.locationIds) ? new Set(a.locationIds.map(String)) : null;
        return shaped.filter(
          (c) =>
            (!names || names.includes(c.name)) &&
            (!items || items.has(String((c.item as { id?: unknown } | null)?.id))) &&
            (!locations || locations.has(String((c.location as { id?: unknown } | null)?.id))),
        );
      },
    };
  }
}
