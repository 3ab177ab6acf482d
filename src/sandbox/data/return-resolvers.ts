import type { GraphQLResolveInfo } from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import { orderVisible, requireScope } from './access.js';
import { parseGid } from './gid.js';
import type { MerchantError, Outcome } from './merchant.js';
import type { ReturnRecord } from './model.js';
import type { DispositionInput, NewReturn } from './returns.js';
import {
  RETURNS_READ_SCOPES,
  RETURNS_WRITE_SCOPES,
  returnView,
  reverseDeliveryView,
  reverseFulfillmentOrderLineItemView,
  reverseFulfillmentOrderView,
} from './return-views.js';
import type { SandboxData } from './store.js';
import type { Views } from './views.js';
import { idOf, type Input, list, obj, type Resolver, str } from './input.js';

/**
 * The Admin API's returns: the reads (`return`, `reverseFulfillmentOrder`, `reverseDelivery`) and
 * the mutations over `data.returnRules`. Each resolver checks the token's scopes, turns Shopify's
 * input shapes into plain records and shapes the answer as Shopify's payload (`ReturnUserError`
 * with its code). No state rule lives here.
 */

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function userErrors(errors: MerchantError[]): Record<string, unknown>[] {
  return errors.map((e) => ({
    __typename: 'ReturnUserError',
    field: e.field,
    message: e.message,
    code: e.code ?? null,
  }));
}

function newReturnFrom(input: Input): NewReturn {
  const requestedAt = str(input.requestedAt);
  return {
    orderId: parseGid(input.orderId, 'Order'),
    requestedAt: requestedAt === null ? null : Date.parse(requestedAt),
    lines: list(input.returnLineItems).map((l) => ({
      fulfillmentLineItemId: parseGid(l.fulfillmentLineItemId, 'FulfillmentLineItem'),
      quantity: num(l.quantity),
      returnReason: str(l.returnReason) ?? '',
      returnReasonNote: str(l.returnReasonNote),
      customerNote: str(l.customerNote),
    })),
  };
}

export function returnQueries(data: SandboxData, views: Views): Record<string, Resolver> {
  return {
    return: (_p, args, ctx) => {
      requireScope(ctx, 'return', RETURNS_READ_SCOPES);
      const n = parseGid(args.id, 'Return');
      const r = n === null ? undefined : data.returns.get(n);
      const order = r ? data.ordersById.get(r.orderId) : undefined;
      return r && order && orderVisible(ctx, order) ? returnView(views, r) : null;
    },
    reverseFulfillmentOrder: (_p, args, ctx) => {
      requireScope(ctx, 'reverseFulfillmentOrder', RETURNS_READ_SCOPES);
      const n = parseGid(args.id, 'ReverseFulfillmentOrder');
      const rfo = n === null ? undefined : data.reverseFulfillmentOrders.get(n);
      const order = rfo ? data.ordersById.get(rfo.orderId) : undefined;
      return rfo && order && orderVisible(ctx, order) ? reverseFulfillmentOrderView(views, rfo) : null;
    },
    reverseDelivery: (_p, args, ctx) => {
      requireScope(ctx, 'reverseDelivery', RETURNS_READ_SCOPES);
      const n = parseGid(args.id, 'ReverseDelivery');
      const rfoId = n === null ? undefined : data.reverseDeliveries.get(n);
      const rfo = rfoId === undefined ? undefined : data.reverseFulfillmentOrders.get(rfoId);
      const d = rfo?.deliveries.find((x) => x.id === n);
      const order = rfo ? data.ordersById.get(rfo.orderId) : undefined;
      return rfo && d && order && orderVisible(ctx, order) ? reverseDeliveryView(views, rfo, d) : null;
    },
  };
}

/** `node(id:)` for the returns' types (null when unknown or not visible). */
export function returnNode(
  data: SandboxData,
  views: Views,
  type: string,
  id: string,
  ctx: SandboxRequestContext,
): unknown {
  requireScope(ctx, 'node', RETURNS_READ_SCOPES);
  const resolver = returnQueries(data, views);
  const field =
    type === 'Return'
      ? 'return'
      : type === 'ReverseFulfillmentOrder'
        ? 'reverseFulfillmentOrder'
        : 'reverseDelivery';
  const read = resolver[field];
  if (!read) return null;
  return read(null, { id }, ctx, undefined as unknown as GraphQLResolveInfo);
}

export function returnMutations(data: SandboxData, views: Views): Record<string, Resolver> {
  const rules = data.returnRules;

  /** The id of a return the token may see (orders it cannot read hide their returns). */
  const visibleReturnId = (value: unknown, ctx: SandboxRequestContext): number | null => {
    const n = idOf(value, 'Return');
    const r = n === null ? undefined : data.returns.get(n);
    const order = r ? data.ordersById.get(r.orderId) : undefined;
    return r && order && orderVisible(ctx, order) ? r.id : -1;
  };

  const answer = (outcome: Outcome<{ ret: ReturnRecord }>) =>
    outcome.ok
      ? { return: returnView(views, outcome.ret), userErrors: [] }
      : { return: null, userErrors: userErrors(outcome.errors) };

  const guard = (field: string, ctx: SandboxRequestContext) => requireScope(ctx, field, RETURNS_WRITE_SCOPES);

  /** An order the token cannot read is as absent as one that does not exist. */
  const visibleOrderInput = (input: NewReturn, ctx: SandboxRequestContext): NewReturn => {
    const order = input.orderId === null ? undefined : data.ordersById.get(input.orderId);
    return order && orderVisible(ctx, order) ? input : { ...input, orderId: -1 };
  };

  return {
    returnCreate: (_p, args, ctx) => {
      guard('returnCreate', ctx);
      const input = visibleOrderInput(newReturnFrom(obj(args.returnInput)), ctx);
      return answer(rules.create(input, 'OPEN', 'returnInput'));
    },
    returnRequest: (_p, args, ctx) => {
      guard('returnRequest', ctx);
      const input = visibleOrderInput(newReturnFrom(obj(args.input)), ctx);
      return answer(rules.create({ ...input, requestedAt: null }, 'REQUESTED', 'input'));
    },
    returnApproveRequest: (_p, args, ctx) => {
      guard('returnApproveRequest', ctx);
      return answer(rules.approve(visibleReturnId(obj(args.input).id, ctx)));
    },
    returnDeclineRequest: (_p, args, ctx) => {
      guard('returnDeclineRequest', ctx);
      const input = obj(args.input);
      return answer(
        rules.decline(visibleReturnId(input.id, ctx), str(input.declineReason) ?? '', str(input.declineNote)),
      );
    },
    returnCancel: (_p, args, ctx) => {
      guard('returnCancel', ctx);
      return answer(rules.cancel(visibleReturnId(args.id, ctx)));
    },
    returnClose: (_p, args, ctx) => {
      guard('returnClose', ctx);
      return answer(rules.close(visibleReturnId(args.id, ctx)));
    },
    returnReopen: (_p, args, ctx) => {
      guard('returnReopen', ctx);
      return answer(rules.reopen(visibleReturnId(args.id, ctx)));
    },
    reverseDeliveryCreateWithShipping: (_p, args, ctx) => {
      guard('reverseDeliveryCreateWithShipping', ctx);
      const tracking =
        args.trackingInput === null || args.trackingInput === undefined ? null : obj(args.trackingInput);
      const label = args.labelInput === null || args.labelInput === undefined ? null : obj(args.labelInput);
      const rfoId = idOf(args.reverseFulfillmentOrderId, 'ReverseFulfillmentOrder');
      const rfo = rfoId === null ? undefined : data.reverseFulfillmentOrders.get(rfoId);
      const order = rfo ? data.ordersById.get(rfo.orderId) : undefined;
      const outcome = rules.createReverseDelivery({
        reverseFulfillmentOrderId: rfo && order && orderVisible(ctx, order) ? rfo.id : -1,
        lines: list(args.reverseDeliveryLineItems).map((l) => ({
          lineItemId: parseGid(l.reverseFulfillmentOrderLineItemId, 'ReverseFulfillmentOrderLineItem'),
          quantity: num(l.quantity),
        })),
        tracking: tracking ? { number: str(tracking.number), url: str(tracking.url) } : null,
        labelFileUrl: label ? str(label.fileUrl) : null,
      });
      if (!outcome.ok) return { reverseDelivery: null, userErrors: userErrors(outcome.errors) };
      const owner = data.reverseFulfillmentOrders.get(outcome.delivery.reverseFulfillmentOrderId);
      return {
        reverseDelivery: owner ? reverseDeliveryView(views, owner, outcome.delivery) : null,
        userErrors: [],
      };
    },
    reverseFulfillmentOrderDispose: (_p, args, ctx) => {
      guard('reverseFulfillmentOrderDispose', ctx);
      const inputs: DispositionInput[] = list(args.dispositionInputs).map((d) => ({
        lineItemId: parseGid(d.reverseFulfillmentOrderLineItemId, 'ReverseFulfillmentOrderLineItem'),
        quantity: num(d.quantity),
        locationId: idOf(d.locationId, 'Location'),
        type: str(d.dispositionType) ?? '',
      }));
      const outcome = rules.dispose(inputs);
      if (!outcome.ok)
        return { reverseFulfillmentOrderLineItems: null, userErrors: userErrors(outcome.errors) };
      return {
        reverseFulfillmentOrderLineItems: outcome.lines.map((line) => {
          const rfo = [...data.reverseFulfillmentOrders.values()].find((x) => x.lineItems.includes(line));
          return reverseFulfillmentOrderLineItemView(views, rfo && data.ordersById.get(rfo.orderId), line);
        }),
        userErrors: [],
      };
    },
  };
}
