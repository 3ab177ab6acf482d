import type { Prng } from '../data/prng.js';
import {
  type CalculatedLineView,
  gidNumber,
  ORDER_SEARCH,
  planAddressChange,
  planAddVariant,
  planCancel,
  planCancellationRequest,
  planFulfillmentRequest,
  planHold,
  planMove,
  planNewOrder,
  planQuantityEdit,
  planRefund,
  planRelease,
  planStockAdjustment,
  pickOrderToEdit,
  pickOrderToMarkPaid,
} from './decide.js';
import type { ActivityExecutor } from './executor.js';
import type { ActivityAction } from './mix.js';
import type { ActivityOperationName } from './operations.js';
import { type CatalogView, type OrderView, readOrders } from './reads.js';

export interface UserErrorView {
  field: string[] | null;
  message: string;
}

/** One change the live store made (or tried to make and was refused). */
export interface ActivityChange {
  /** When, by the store's clock (ISO 8601). */
  at: string;
  action: ActivityAction;
  /** The order's name (`#1043`), when the change is to an order. */
  order: string | null;
  /** What changed, briefly: `CUSTOMER`, `fulfillment order 2201`, `PAID`, … */
  detail: string;
  /** False when the mutation answered with userErrors (or GraphQL errors). */
  ok: boolean;
  /** The mutation that made the change (or refused it). */
  mutation: string;
  /** One readable sentence: `cancelled #1043 (CUSTOMER)`. */
  summary: string;
  /** Admin API ids of what changed: `order`, `fulfillmentOrder`, `location`, `inventoryItem`, … */
  ids: Record<string, string>;
  userErrors?: UserErrorView[];
  /** GraphQL errors: the mutation did not run (a bug in the sandbox, not a refusal). */
  errors?: string[];
}

export interface ActionContext {
  executor: ActivityExecutor;
  catalog: CatalogView;
  now(): Date;
}

/** Does one change of its kind, or answers null when the store has nothing it applies to. */
export type ActionRunner = (ctx: ActionContext, rng: Prng) => Promise<ActivityChange | null>;

type CallResult<P> =
  | { ok: true; payload: P }
  | { ok: false; mutation: string; userErrors: UserErrorView[]; errors: string[] };

/** One mutation to send: the operation that carries it, its field, and its variables. */
interface Mutation {
  operation: ActivityOperationName;
  field: string;
  variables: Record<string, unknown>;
  /** Where the payload lists its userErrors, when not in `userErrors`. */
  errorsField?: string;
}

/** Runs one mutation; userErrors (or `errorsField`) and GraphQL errors come back as a refusal. */
async function call<P>(ctx: ActionContext, mutation: Mutation): Promise<CallResult<P>> {
  const { operation, field, variables, errorsField = 'userErrors' } = mutation;
  const result = await ctx.executor.run<Record<string, unknown>>(operation, variables);
  const payload = result.data?.[field] as (P & Record<string, unknown>) | null | undefined;
  const userErrors = (payload?.[errorsField] as UserErrorView[] | undefined) ?? [];
  if (result.errors.length > 0 || !payload || userErrors.length > 0) {
    return { ok: false, mutation: field, userErrors, errors: result.errors };
  }
  return { ok: true, payload };
}

interface Subject {
  /** The order changed (its name is reported), if the change is to an order. */
  order: Pick<OrderView, 'name'> | null;
  detail: string;
  ids: Record<string, string>;
}

function change(
  ctx: ActionContext,
  action: ActivityAction,
  mutation: string,
  subject: Subject,
  summary: string,
): ActivityChange {
  return {
    at: ctx.now().toISOString(),
    action,
    order: subject.order?.name ?? null,
    detail: subject.detail,
    ok: true,
    mutation,
    summary,
    ids: subject.ids,
  };
}

function refusal(
  ctx: ActionContext,
  action: ActivityAction,
  failed: Extract<CallResult<unknown>, { ok: false }>,
  subject: Subject,
): ActivityChange {
  const userError = failed.userErrors[0]?.message;
  const what = userError !== undefined ? 'userError' : 'error';
  const message = userError ?? failed.errors[0] ?? 'no answer';
  const on = subject.order ? `${failed.mutation} ${subject.order.name}` : failed.mutation;
  return {
    at: ctx.now().toISOString(),
    action,
    order: subject.order?.name ?? null,
    detail: subject.detail,
    ok: false,
    mutation: failed.mutation,
    summary: `${what} on ${on}: ${message}`,
    ids: subject.ids,
    ...(failed.userErrors.length > 0 ? { userErrors: failed.userErrors } : {}),
    ...(failed.errors.length > 0 ? { errors: failed.errors } : {}),
  };
}

/**
 * What a change says once the store has answered: its summary, or (when the answer names what was
 * made) a function of the payload giving the summary and what the answer adds to the subject.
 */
type Report<P> = string | ((payload: P) => { summary: string } & Partial<Subject>);

/** Runs one mutation and reports it: as a change when the store made it, a refusal when not. */
async function perform<P = unknown>(
  ctx: ActionContext,
  action: ActivityAction,
  mutation: Mutation,
  subject: Subject,
  report: Report<P>,
): Promise<ActivityChange> {
  const result = await call<P>(ctx, mutation);
  if (!result.ok) return refusal(ctx, action, result, subject);
  if (typeof report === 'string') return change(ctx, action, mutation.field, subject, report);
  const { summary, ...answered } = report(result.payload);
  return change(ctx, action, mutation.field, { ...subject, ...answered }, summary);
}

/** `ids` with `key` added, when the store answered with an id for it. */
function withId(ids: Record<string, string>, key: string, id: string | undefined): Record<string, string> {
  return id ? { ...ids, [key]: id } : ids;
}

function foLabel(id: string, order: OrderView): string {
  return `fulfillment order ${gidNumber(id)} of ${order.name}`;
}

const createOrder: ActionRunner = async (ctx, rng) => {
  const plan = planNewOrder(ctx.catalog, rng);
  if (!plan) return null;
  const status = plan.financialStatus.toLowerCase();
  const detail = `${status}, ${plan.items} item${plan.items === 1 ? '' : 's'}`;
  return perform<{ order: { id: string; name: string } }>(
    ctx,
    'create-order',
    { operation: 'ActivityOrderCreate', field: 'orderCreate', variables: plan.variables },
    { order: null, detail, ids: {} },
    ({ order }) => ({ order, ids: { order: order.id }, summary: `new order ${order.name} (${detail})` }),
  );
};

const markPaid: ActionRunner = async (ctx, rng) => {
  const order = pickOrderToMarkPaid(await readOrders(ctx.executor, ORDER_SEARCH.markPaid), rng);
  if (!order) return null;
  return perform(
    ctx,
    'mark-paid',
    {
      operation: 'ActivityOrderMarkAsPaid',
      field: 'orderMarkAsPaid',
      variables: { input: { id: order.id } },
    },
    { order, detail: `${order.financialStatus} → PAID`, ids: { order: order.id } },
    `captured payment of ${order.name}`,
  );
};

const changeAddress: ActionRunner = async (ctx, rng) => {
  const plan = planAddressChange(await readOrders(ctx.executor, ORDER_SEARCH.unshipped), rng);
  if (!plan) return null;
  const { order, address } = plan;
  const where = `${address.city}, ${address.provinceCode}`;
  return perform(
    ctx,
    'change-address',
    {
      operation: 'ActivityOrderUpdate',
      field: 'orderUpdate',
      variables: { input: { id: order.id, shippingAddress: address } },
    },
    { order, detail: where, ids: { order: order.id } },
    `changed the shipping address of ${order.name} to ${where}`,
  );
};

interface BeginPayload {
  calculatedOrder: { id: string; lineItems: { nodes: CalculatedLineView[] } };
}

/** Order edits: begin, one change, commit — what the admin's "Edit order" page does. */
function orderEdit(
  action: 'edit-quantity' | 'add-item',
  stage: (
    ctx: ActionContext,
    rng: Prng,
    order: OrderView,
    calculated: BeginPayload['calculatedOrder'],
  ) => { mutation: Mutation; detail: string; summary: string } | null,
): ActionRunner {
  return async (ctx, rng) => {
    const order = pickOrderToEdit(await readOrders(ctx.executor, ORDER_SEARCH.unshipped), rng);
    if (!order) return null;
    const ids = { order: order.id };
    const begun = await call<BeginPayload>(ctx, {
      operation: 'ActivityOrderEditBegin',
      field: 'orderEditBegin',
      variables: { id: order.id },
    });
    if (!begun.ok) return refusal(ctx, action, begun, { order, detail: '', ids });
    const calculated = begun.payload.calculatedOrder;
    const staged = stage(ctx, rng, order, calculated);
    if (!staged) return null;
    const subject = { order, detail: staged.detail, ids };
    const set = await call(ctx, staged.mutation);
    if (!set.ok) return refusal(ctx, action, set, subject);
    return perform(
      ctx,
      action,
      {
        operation: 'ActivityOrderEditCommit',
        field: 'orderEditCommit',
        variables: { id: calculated.id, staffNote: staged.detail },
      },
      subject,
      staged.summary,
    );
  };
}

const editQuantity = orderEdit('edit-quantity', (_ctx, rng, order, calculated) => {
  const plan = planQuantityEdit(calculated.lineItems.nodes, rng);
  if (!plan) return null;
  const sku = plan.line.sku ?? 'item';
  return {
    mutation: {
      operation: 'ActivityOrderEditSetQuantity',
      field: 'orderEditSetQuantity',
      variables: { id: calculated.id, lineItemId: plan.line.id, quantity: plan.quantity, restock: true },
    },
    detail: `${sku} ${plan.line.quantity} → ${plan.quantity}`,
    summary: `changed ${sku} on ${order.name} from ${plan.line.quantity} to ${plan.quantity}`,
  };
});

const addItem = orderEdit('add-item', (ctx, rng, order, calculated) => {
  const plan = planAddVariant(calculated.lineItems.nodes, ctx.catalog, rng);
  if (!plan) return null;
  const detail = `${plan.quantity} × ${plan.sku}`;
  return {
    mutation: {
      operation: 'ActivityOrderEditAddVariant',
      field: 'orderEditAddVariant',
      variables: { id: calculated.id, variantId: plan.variantId, quantity: plan.quantity },
    },
    detail,
    summary: `added ${detail} to ${order.name}`,
  };
});

const hold: ActionRunner = async (ctx, rng) => {
  const plan = planHold(await readOrders(ctx.executor, ORDER_SEARCH.unshipped), rng);
  if (!plan) return null;
  const { order, fulfillmentOrder: fo } = plan;
  return perform(
    ctx,
    'hold',
    {
      operation: 'ActivityFulfillmentOrderHold',
      field: 'fulfillmentOrderHold',
      variables: { id: fo.id, fulfillmentHold: { reason: plan.reason, reasonNotes: plan.reasonNotes } },
    },
    {
      order,
      detail: `fulfillment order ${gidNumber(fo.id)} (${plan.reason})`,
      ids: { order: order.id, fulfillmentOrder: fo.id },
    },
    `held ${foLabel(fo.id, order)} (${plan.reason})`,
  );
};

const releaseHold: ActionRunner = async (ctx, rng) => {
  const plan = planRelease(await readOrders(ctx.executor, ORDER_SEARCH.onHold), rng);
  if (!plan) return null;
  const { order, fulfillmentOrder: fo } = plan;
  return perform(
    ctx,
    'release-hold',
    {
      operation: 'ActivityFulfillmentOrderReleaseHold',
      field: 'fulfillmentOrderReleaseHold',
      variables: { id: fo.id },
    },
    {
      order,
      detail: `fulfillment order ${gidNumber(fo.id)}`,
      ids: { order: order.id, fulfillmentOrder: fo.id },
    },
    `released ${foLabel(fo.id, order)}`,
  );
};

const move: ActionRunner = async (ctx, rng) => {
  const plan = planMove(await readOrders(ctx.executor, ORDER_SEARCH.unshipped), ctx.catalog, rng);
  if (!plan) return null;
  const { order, fulfillmentOrder: fo, location } = plan;
  const ids = { order: order.id, fulfillmentOrder: fo.id, location: location.id };
  return perform<{ movedFulfillmentOrder: { id: string } | null }>(
    ctx,
    'move',
    {
      operation: 'ActivityFulfillmentOrderMove',
      field: 'fulfillmentOrderMove',
      variables: { id: fo.id, newLocationId: location.id },
    },
    { order, detail: `fulfillment order ${gidNumber(fo.id)} → ${location.name}`, ids },
    ({ movedFulfillmentOrder: moved }) => ({
      ids: withId(ids, 'movedFulfillmentOrder', moved?.id),
      summary: `moved ${foLabel(fo.id, order)} to ${location.name}`,
    }),
  );
};

const requestFulfillment: ActionRunner = async (ctx, rng) => {
  const plan = planFulfillmentRequest(
    await readOrders(ctx.executor, ORDER_SEARCH.unshipped),
    ctx.catalog,
    rng,
  );
  if (!plan) return null;
  const { order, fulfillmentOrder: fo, location } = plan;
  return perform(
    ctx,
    'request-fulfillment',
    {
      operation: 'ActivitySubmitFulfillmentRequest',
      field: 'fulfillmentOrderSubmitFulfillmentRequest',
      variables: { id: fo.id, message: plan.message },
    },
    {
      order,
      detail: `fulfillment order ${gidNumber(fo.id)} → ${location.name}`,
      ids: { order: order.id, fulfillmentOrder: fo.id, location: location.id },
    },
    `requested fulfillment of ${foLabel(fo.id, order)} from ${location.name}`,
  );
};

const requestCancellation: ActionRunner = async (ctx, rng) => {
  const plan = planCancellationRequest(await readOrders(ctx.executor, ORDER_SEARCH.inProgress), rng);
  if (!plan) return null;
  const { order, fulfillmentOrder: fo } = plan;
  return perform(
    ctx,
    'request-cancellation',
    {
      operation: 'ActivitySubmitCancellationRequest',
      field: 'fulfillmentOrderSubmitCancellationRequest',
      variables: { id: fo.id, message: plan.message },
    },
    {
      order,
      detail: `fulfillment order ${gidNumber(fo.id)}`,
      ids: { order: order.id, fulfillmentOrder: fo.id },
    },
    `requested cancellation of ${foLabel(fo.id, order)}`,
  );
};

const cancel: ActionRunner = async (ctx, rng) => {
  const plan = planCancel(await readOrders(ctx.executor, ORDER_SEARCH.unshipped), rng);
  if (!plan) return null;
  const { order } = plan;
  return perform(
    ctx,
    'cancel',
    {
      operation: 'ActivityOrderCancel',
      field: 'orderCancel',
      variables: {
        orderId: order.id,
        reason: plan.reason,
        refund: plan.refund,
        restock: plan.restock,
        staffNote: plan.staffNote,
      },
      errorsField: 'orderCancelUserErrors',
    },
    { order, detail: plan.reason, ids: { order: order.id } },
    `cancelled ${order.name} (${plan.reason})`,
  );
};

const refund: ActionRunner = async (ctx, rng) => {
  const plan = planRefund(await readOrders(ctx.executor, ORDER_SEARCH.refundable), rng);
  if (!plan) return null;
  const { order, line } = plan;
  const sku = line.sku ?? 'item';
  const money = `${plan.amount} ${line.currencyCode}`;
  const ids = { order: order.id, lineItem: line.id };
  const input = {
    orderId: order.id,
    note: 'Refunded by the merchant',
    notify: false,
    refundLineItems: [
      {
        lineItemId: line.id,
        quantity: plan.quantity,
        restockType: plan.restockType,
        ...(plan.locationId ? { locationId: plan.locationId } : {}),
      },
    ],
    // A free item goes back without money changing hands.
    transactions:
      Number(plan.amount) > 0
        ? [{ orderId: order.id, kind: 'REFUND', gateway: 'manual', amount: plan.amount }]
        : [],
  };
  return perform<{ refund: { id: string } | null }>(
    ctx,
    'refund',
    { operation: 'ActivityRefundCreate', field: 'refundCreate', variables: { input } },
    { order, detail: `${plan.quantity} × ${sku}, ${money}`, ids },
    ({ refund: made }) => ({
      ids: withId(ids, 'refund', made?.id),
      summary: `refunded ${plan.quantity} × ${sku} of ${order.name} (${money})`,
    }),
  );
};

const adjustStock: ActionRunner = async (ctx, rng) => {
  const plan = planStockAdjustment(ctx.catalog, rng);
  if (!plan) return null;
  const signed = plan.delta > 0 ? `+${plan.delta}` : String(plan.delta);
  // The idempotency key comes from the tick's stream too, so a rerun sends the same request.
  const key = Array.from({ length: 4 }, () =>
    Math.floor(rng.next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0'),
  ).join('-');
  return perform(
    ctx,
    'adjust-stock',
    {
      operation: 'ActivityInventoryAdjust',
      field: 'inventoryAdjustQuantities',
      variables: {
        key: `activity-${key}`,
        input: {
          name: 'available',
          reason: plan.reason,
          referenceDocumentUri: 'dsync-sandbox://activity',
          changes: [
            { inventoryItemId: plan.inventoryItemId, locationId: plan.location.id, delta: plan.delta },
          ],
        },
      },
    },
    {
      order: null,
      detail: `${plan.sku} at ${plan.location.name} ${signed} (${plan.reason})`,
      ids: { inventoryItem: plan.inventoryItemId, location: plan.location.id },
    },
    `adjusted ${plan.sku} at ${plan.location.name} by ${signed} (${plan.reason})`,
  );
};

export const ACTION_RUNNERS: Record<ActivityAction, ActionRunner> = {
  'create-order': createOrder,
  'mark-paid': markPaid,
  'change-address': changeAddress,
  'edit-quantity': editQuantity,
  'add-item': addItem,
  hold,
  'release-hold': releaseHold,
  move,
  'request-fulfillment': requestFulfillment,
  'request-cancellation': requestCancellation,
  cancel,
  refund,
  'adjust-stock': adjustStock,
};
