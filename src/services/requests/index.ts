import type { Clock } from '../../core/clock.js';
import { readSettings, type Settings } from '../../core/config/settings.js';
import type { Deps } from '../../core/deps.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { Ledger } from '../../core/ledger/ledger.js';
import {
  AcceptCancellationRequest,
  AcceptFulfillmentRequest,
  type AnsweredFulfillmentOrder,
  type AssignmentStatus,
  OrdersRequests,
  PendingRequests,
  RejectCancellationRequest,
  RejectFulfillmentRequest,
  RequestedFulfillmentOrders,
} from '../../shopify/operations/requests.js';
import { ShopFulfillmentServices } from '../../shopify/operations/shop.js';
import type { AdminClient } from '../../shopify/types.js';
import { connectStore } from '../connect.js';
import { REJECTION_REASONS, type RejectionReason } from './reasons.js';

export { REJECTION_REASONS, type RejectionReason };
import { parseOrderRef, refMatches, searchTerm } from '../orders/order-ref.js';
import { decideAcceptance, pickAwaiting, type RequestKind } from './decide.js';

const READ_SCOPES = ['read_assigned_fulfillment_orders'];
const WRITE_SCOPES = ['write_assigned_fulfillment_orders'];

/** The locations whose requests this connection answers: the service's, or every service's with `all`. */
export async function serviceLocations(
  settings: Settings,
  client: AdminClient,
  shop: string,
  signal?: AbortSignal,
): Promise<{ ids: string[]; names: Map<string, string> }> {
  const { data } = await client.request(ShopFulfillmentServices, {}, { signal });
  const services =
    settings.fulfillmentService === 'all'
      ? data.shop.fulfillmentServices
      : data.shop.fulfillmentServices.filter((s) => s.handle === settings.fulfillmentService);
  if (settings.fulfillmentService !== 'all' && services.length === 0) {
    throw new ConfigError(
      `the fulfillment service "${settings.fulfillmentService}" does not exist in ${shop}`,
      {
        hint: 'see `dsync fulfillment-services list`, then `dsync config set fulfillment-service <handle|all>`',
      },
    );
  }
  const names = new Map<string, string>();
  for (const s of services) if (s.location) names.set(s.location.id, s.location.name);
  if (names.size === 0) {
    throw new ConfigError(
      `${shop} has no fulfillment service with a location: there are no requests to answer`,
      {
        hint: 'fulfillment requests go to fulfillment services; see `dsync fulfillment-services list`',
      },
    );
  }
  return { ids: [...names.keys()], names };
}

// ---- dsync requests list --------------------------------------------------------------------

export interface PendingRequest {
  kind: RequestKind;
  fulfillmentOrderId: string;
  orderId: string;
  orderName: string;
  location: string;
  requestStatus: string;
  lines: { sku: string | null; title: string; quantity: number }[];
  message: string | null;
  sentAt: string | null;
  /** The ledger's status for the order (null: never seen by the import). */
  ledgerStatus: string | null;
}

export interface RequestList {
  shop: string;
  requests: PendingRequest[];
}

export async function listRequests(deps: Deps, options: { kind: RequestKind | 'all' }): Promise<RequestList> {
  const store = await connectStore(deps, { requireScopes: READ_SCOPES });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const locations = await serviceLocations(settings, store.client, store.shop, deps.signal);
  const kinds: RequestKind[] = options.kind === 'all' ? ['fulfillment', 'cancellation'] : [options.kind];
  const ledger = await openLedgerIfAny(deps, store.shop);
  try {
    const requests: PendingRequest[] = [];
    for (const kind of kinds) {
      const status: AssignmentStatus =
        kind === 'fulfillment' ? 'FULFILLMENT_REQUESTED' : 'CANCELLATION_REQUESTED';
      const nodes = store.client.paginate(
        PendingRequests,
        { status, locationIds: locations.ids },
        (data) => data.assignedFulfillmentOrders,
        { signal: deps.signal },
      );
      for await (const fo of nodes) {
        const request = fo.merchantRequests.nodes[0];
        requests.push({
          kind,
          fulfillmentOrderId: fo.id,
          orderId: fo.order.id,
          orderName: fo.order.name,
          location: fo.assignedLocation.name,
          requestStatus: fo.requestStatus,
          lines: fo.lineItems.nodes
            .filter((l) => l.remainingQuantity > 0)
            .map((l) => ({ sku: l.sku, title: l.productTitle, quantity: l.remainingQuantity })),
          message: request?.message ?? null,
          sentAt: request?.sentAt ?? null,
          ledgerStatus: (await ledger?.get(fo.order.id))?.status ?? null,
        });
      }
    }
    return { shop: store.shop, requests };
  } finally {
    await ledger?.close();
  }
}

async function openLedgerIfAny(deps: Deps, shop: string): Promise<Ledger | undefined> {
  const state = await deps.state();
  try {
    // No import has run for this store yet (undefined): nothing to show beside the requests.
    return await state.openLedgerReadonly(shop);
  } catch {
    // A ledger that cannot be read is not this command's business: the requests are shown alone.
    return undefined;
  }
}

// ---- dsync requests accept|reject -----------------------------------------------------------

export interface AnswerOptions {
  refs: string[];
  decision: 'accept' | 'reject';
  kind: RequestKind;
  reason?: RejectionReason;
  message?: string;
}

export interface AnswerResult {
  ref: string;
  orderId: string | null;
  orderName: string | null;
  ok: boolean;
  /** The fulfillment orders answered, with their request status afterwards. */
  fulfillmentOrders: { id: string; requestStatus: string | null }[];
  message: string | null;
}

export interface AnswerSummary {
  shop: string;
  decision: 'accept' | 'reject';
  kind: RequestKind;
  results: AnswerResult[];
  answered: number;
  failed: number;
}

/** Orders per search (`name:"#1001" OR …`); 25 fit one page of OrdersRequests. */
const REFS_PER_SEARCH = 25;

export async function answerRequests(deps: Deps, options: AnswerOptions): Promise<AnswerSummary> {
  if (options.refs.length === 0) {
    throw new UsageError('which orders?', {
      hint: `e.g. dsync requests ${options.decision} "#1001" "#1002"`,
    });
  }
  if (options.decision === 'reject' && options.kind === 'fulfillment' && !options.reason) {
    throw new UsageError('rejecting a fulfillment request needs --reason', {
      hint: `one of ${REJECTION_REASONS.join(', ')}, e.g. --reason INVENTORY_OUT_OF_STOCK --message "back in May"`,
    });
  }
  if (options.kind === 'cancellation' && options.reason) {
    throw new UsageError(
      '--reason is for fulfillment requests; a cancellation request is answered with --message only',
    );
  }
  const store = await connectStore(deps, { requireScopes: WRITE_SCOPES });
  const config = await deps.config();
  const settings = readSettings(store.profile, config.path);
  const locations = await serviceLocations(settings, store.client, store.shop, deps.signal);
  const ledger = await (await deps.state()).openLedger(store.shop);
  try {
    const found = await findOrders(store.client, options.refs, deps.signal);
    const results: AnswerResult[] = [];
    for (const ref of options.refs) {
      const order = found.get(ref);
      if (!order) {
        const readable = parseOrderRef(ref) !== null;
        results.push({
          ref,
          orderId: null,
          orderName: null,
          ok: false,
          fulfillmentOrders: [],
          message: readable
            ? `no order ${ref} in ${store.shop}`
            : `${ref} is not an order name (#1001) or id`,
        });
        continue;
      }
      const pick = pickAwaiting(order, options.kind, new Set(locations.ids));
      if (!pick.ok) {
        results.push({
          ref,
          orderId: order.id,
          orderName: order.name,
          ok: false,
          fulfillmentOrders: [],
          message: pick.message,
        });
        continue;
      }
      results.push(
        await answerOrder(
          store.client,
          ledger,
          deps.clock,
          deps.signal,
          ref,
          order,
          pick.fulfillmentOrderIds,
          options,
        ),
      );
    }
    const answered = results.filter((r) => r.ok).length;
    return {
      shop: store.shop,
      decision: options.decision,
      kind: options.kind,
      results,
      answered,
      failed: results.length - answered,
    };
  } finally {
    await ledger.close();
  }
}

async function findOrders(
  client: AdminClient,
  refs: string[],
  signal: AbortSignal | undefined,
): Promise<Map<string, Parameters<typeof pickAwaiting>[0]>> {
  const found = new Map<string, Parameters<typeof pickAwaiting>[0]>();
  const parsed = refs.flatMap((text) => {
    const ref = parseOrderRef(text);
    return ref ? [{ text, ref }] : [];
  });
  for (let i = 0; i < parsed.length; i += REFS_PER_SEARCH) {
    const chunk = parsed.slice(i, i + REFS_PER_SEARCH);
    const { data } = await client.request(
      OrdersRequests,
      { query: chunk.map((c) => searchTerm(c.ref)).join(' OR ') },
      { signal },
    );
    for (const c of chunk) {
      const order = data.orders.nodes.find((o) => refMatches(c.ref, o));
      if (order) found.set(c.text, { ...order, fulfillmentOrders: order.fulfillmentOrders.nodes });
    }
  }
  return found;
}

function answerOperation(options: AnswerOptions, id: string) {
  const message = options.message ?? null;
  if (options.kind === 'fulfillment') {
    return options.decision === 'accept'
      ? {
          op: AcceptFulfillmentRequest,
          variables: { id, message },
          field: 'fulfillmentOrderAcceptFulfillmentRequest',
        }
      : {
          op: RejectFulfillmentRequest,
          variables: { id, message, reason: options.reason ?? 'OTHER' },
          field: 'fulfillmentOrderRejectFulfillmentRequest',
        };
  }
  return options.decision === 'accept'
    ? {
        op: AcceptCancellationRequest,
        variables: { id, message },
        field: 'fulfillmentOrderAcceptCancellationRequest',
      }
    : {
        op: RejectCancellationRequest,
        variables: { id, message },
        field: 'fulfillmentOrderRejectCancellationRequest',
      };
}

function ledgerRef(order: { id: string; name: string }): { orderId: string; name: string } {
  return { orderId: order.id, name: order.name };
}

/** The ledger action of an answer: `request.accepted`, `cancellation.rejected`, … */
function ledgerAction(kind: RequestKind, decision: 'accept' | 'reject'): string {
  return `${kind === 'fulfillment' ? 'request' : 'cancellation'}.${decision === 'accept' ? 'accepted' : 'rejected'}`;
}

async function answerOrder(
  client: AdminClient,
  ledger: Ledger,
  clock: Clock,
  signal: AbortSignal | undefined,
  ref: string,
  order: { id: string; name: string },
  fulfillmentOrderIds: string[],
  options: AnswerOptions,
): Promise<AnswerResult> {
  const answered: { id: string; requestStatus: string | null }[] = [];
  const errors: string[] = [];
  for (const id of fulfillmentOrderIds) {
    const { op, variables, field } = answerOperation(options, id);
    // Each operation's payload sits under its own field; all share the answered shape.
    const { data } = await client.request(op as typeof AcceptFulfillmentRequest, variables, { signal });
    const payload = (data as unknown as Record<string, AnsweredFulfillmentOrder>)[field];
    const userErrors = payload?.userErrors ?? [];
    if (userErrors.length > 0 || !payload?.fulfillmentOrder) {
      const message = userErrors.map((e) => e.message).join('; ') || 'Shopify returned no fulfillment order';
      errors.push(message);
      await ledger.note(
        ledgerRef(order),
        `${ledgerAction(options.kind, options.decision)}.failed`,
        `${id}: ${message}`,
        clock.now(),
      );
      continue;
    }
    answered.push({ id, requestStatus: payload.fulfillmentOrder.requestStatus });
    const detail = [
      id,
      options.reason ? `reason ${options.reason}` : '',
      options.message ? `message ${JSON.stringify(options.message)}` : '',
    ]
      .filter((part) => part !== '')
      .join(', ');
    await ledger.note(ledgerRef(order), ledgerAction(options.kind, options.decision), detail, clock.now());
  }
  return {
    ref,
    orderId: order.id,
    orderName: order.name,
    ok: errors.length === 0,
    fulfillmentOrders: answered,
    message: errors.length > 0 ? errors.join('; ') : null,
  };
}

// ---- the import's acceptance ------------------------------------------------------------------

export interface AcceptedSummary {
  accepted: number;
  waiting: number;
  failures: { orderName: string; fulfillmentOrderId: string; message: string }[];
}

/**
 * After an import: accept every fulfillment request at the service's location whose order the
 * warehouse has as it is now (see decideAcceptance). Orders delivered in this run are in the
 * ledger by then; a request that waits is accepted by a later run once its order is delivered.
 */
export async function acceptDeliveredRequests(env: {
  client: AdminClient;
  ledger: Ledger;
  clock: Clock;
  signal?: AbortSignal;
  locationId: string;
}): Promise<AcceptedSummary> {
  const summary: AcceptedSummary = { accepted: 0, waiting: 0, failures: [] };
  const requested = env.client.paginate(
    RequestedFulfillmentOrders,
    { locationIds: [env.locationId] },
    (data) => data.assignedFulfillmentOrders,
    { signal: env.signal },
  );
  const toAccept = [];
  for await (const fo of requested) {
    const recorded = await env.ledger.get(fo.order.id);
    const decision = decideAcceptance(
      fo,
      recorded && { warehouse: recorded.warehouse, orderUpdatedAt: recorded.orderUpdatedAt },
    );
    if (decision.kind === 'accept') toAccept.push(fo);
    else summary.waiting += 1;
  }
  for (const fo of toAccept) {
    const { data } = await env.client.request(
      AcceptFulfillmentRequest,
      { id: fo.id, message: null },
      { signal: env.signal },
    );
    const payload = data.fulfillmentOrderAcceptFulfillmentRequest;
    const message = (payload?.userErrors ?? []).map((e) => e.message).join('; ');
    if (message || !payload?.fulfillmentOrder) {
      summary.failures.push({
        orderName: fo.order.name,
        fulfillmentOrderId: fo.id,
        message: message || 'no fulfillment order returned',
      });
      await env.ledger.note(
        ledgerRef(fo.order),
        'request.accepted.failed',
        `${fo.id}: ${message}`,
        env.clock.now(),
      );
      continue;
    }
    summary.accepted += 1;
    await env.ledger.note(
      ledgerRef(fo.order),
      'request.accepted',
      `${fo.id} (after delivery)`,
      env.clock.now(),
    );
  }
  return summary;
}
