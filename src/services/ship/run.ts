import type { CrashHook } from '../../core/crash-points.js';
import type { Ledger, LedgerShipment } from '../../core/ledger/ledger.js';
import {
  CreateFulfillment,
  type CreateFulfillmentData,
  FULFILLMENTS_PER_LINES_REQUEST,
  FulfillmentLines,
  SHIPMENT_ORDERS_PER_REQUEST,
  type ShipmentFulfillmentOrder,
  ShipmentFulfillmentOrderLines,
  ShipmentFulfillmentOrders,
  type ShipmentOrderNode,
  ShipmentOrders,
} from '../../shopify/operations/fulfillments.js';
import { ShopifyUnavailableError, ThrottleExhaustedError } from '../../shopify/errors.js';
import {
  AcceptFulfillmentRequest,
  type AnsweredFulfillmentOrder,
} from '../../shopify/operations/requests.js';
import type { AdminClient, GraphQLResult } from '../../shopify/types.js';
import type { RowError } from '../files/rows.js';
import { type OrderRef, parseOrderRef, refMatches, searchTerm } from '../orders/order-ref.js';
import {
  type OrderSnapshot,
  type PlannedFulfillmentOrder,
  planShipment,
  requestKey,
  requestLines,
  type ShipmentDecision,
  type ShipmentRequest,
} from './plan.js';

/** What a shipment came to. */
export type ShipmentStatus = 'created' | 'already_applied' | 'failed' | 'planned';

export interface ShipmentResult {
  order: string;
  orderId: string | null;
  trackingNumber: string;
  rows: number[];
  lines: { sku: string | null; quantity: number | null }[];
  status: ShipmentStatus;
  fulfillmentId: string | null;
  message: string | null;
  /** The fulfillment orders, lines and quantities (created or, in a dry run, to be created). */
  plan: PlannedFulfillmentOrder[] | null;
}

export interface ShipDeps {
  client: AdminClient;
  /** null in a dry run without a ledger yet. */
  ledger: Ledger | null;
  now: () => Date;
  signal?: AbortSignal;
  /** Progress for the terminal: one shipment decided or applied. */
  onResult?: (result: ShipmentResult) => void;
  /** Named points for crash tests (Deps.crashAt). */
  crashAt?: CrashHook;
}

export interface ShipSettings {
  location: { id: string; name: string | null };
  notifyCustomer: boolean;
  dryRun: boolean;
  file: string;
}

/** read → decide → apply → record, for every shipment of the file. */
export async function runShipments(
  deps: ShipDeps,
  requests: ShipmentRequest[],
  settings: ShipSettings,
): Promise<{ results: ShipmentResult[]; rowErrors: RowError[]; location: ShipSettings['location'] }> {
  const results: ShipmentResult[] = [];
  const rowErrors: RowError[] = [];

  // 1. The ledger: shipments it recorded as applied need no read at all.
  const recordedFor = async (request: ShipmentRequest): Promise<LedgerShipment | undefined> => {
    const known = await deps.ledger?.find(request.orderRef);
    return known ? await deps.ledger?.shipment(requestKey(request, known.orderId)) : undefined;
  };
  const toRead: ShipmentRequest[] = [];
  const recorded = new Map<ShipmentRequest, LedgerShipment | undefined>();
  for (const request of requests) {
    const record = await recordedFor(request);
    recorded.set(request, record);
    if (record?.state !== 'applied') toRead.push(request);
  }

  // 2. The store: orders in batches, completed where a page did not hold them.
  const orders = await readOrders(deps, toRead);
  const location = { ...settings.location };
  if (location.name === null) {
    for (const order of orders.values())
      location.name ??=
        order.fulfillmentOrders.find((fo) => fo.locationId === location.id)?.locationName ?? null;
  }

  // 3. Decide and 4. apply, order by order (shipments of one order one after the other).
  for (const request of requests) {
    const order = orders.get(request);
    const decision = planShipment(request, order, recorded.get(request), location);
    if (decision.kind === 'refused') {
      for (const e of decision.rowErrors) rowErrors.push({ file: settings.file, ...e });
    }
    let result = resultOf(request, order, decision);
    if (decision.kind === 'already_applied' && order && deps.ledger && !settings.dryRun) {
      await recordApplied(deps, request, order, decision.fulfillmentId, order.displayFulfillmentStatus);
    }
    if (decision.kind === 'refused' && order && decision.key && deps.ledger && !settings.dryRun) {
      await deps.ledger.recordShipmentFailed(
        orderRef(order),
        shipmentOf(request, decision.key),
        decision.message,
        deps.now(),
      );
    }
    if (decision.kind === 'create' && order) {
      if (settings.dryRun) result = { ...result, status: 'planned' };
      else {
        result = await apply(deps, request, order, decision, settings);
      }
    }
    results.push(result);
    deps.onResult?.(result);
  }
  rowErrors.sort((a, b) => a.line - b.line);
  return { results, rowErrors, location };
}

function orderRef(order: OrderSnapshot) {
  return { orderId: order.id, name: order.name, updatedAt: order.updatedAt };
}

function shipmentOf(request: ShipmentRequest, key: string) {
  return { key, trackingNumber: request.trackingNumber, lines: requestLines(request) };
}

function describeShipment(request: ShipmentRequest, plan: PlannedFulfillmentOrder[] | null): string {
  const lines = plan
    ? plan.flatMap((p) => p.lines.map((l) => `${l.sku ?? l.id} × ${l.quantity}`))
    : request.lines.map((l) => `${l.sku} × ${l.quantity ?? 'all'}`);
  return `tracking ${request.trackingNumber}${lines.length > 0 ? `: ${lines.join(', ')}` : ''}`;
}

async function recordApplied(
  deps: ShipDeps,
  request: ShipmentRequest,
  order: OrderSnapshot,
  fulfillmentId: string | null,
  displayFulfillmentStatus: string,
  plan: PlannedFulfillmentOrder[] | null = null,
): Promise<void> {
  await deps.ledger?.recordShipmentApplied(
    orderRef(order),
    { ...shipmentOf(request, requestKey(request, order.id)), fulfillmentId },
    displayFulfillmentStatus === 'FULFILLED' ? 'shipped' : 'partially_shipped',
    `${describeShipment(request, plan)}${fulfillmentId ? ` (${fulfillmentId})` : ''}`,
    deps.now(),
  );
}

function resultOf(
  request: ShipmentRequest,
  order: OrderSnapshot | undefined,
  decision: ShipmentDecision,
): ShipmentResult {
  const base = {
    order: order?.name ?? request.orderRef,
    orderId: order?.id ?? null,
    trackingNumber: request.trackingNumber,
    rows: request.rows,
    lines: requestLines(request),
  };
  switch (decision.kind) {
    case 'create':
      return {
        ...base,
        status: 'planned',
        fulfillmentId: null,
        message: null,
        plan: decision.fulfillmentOrders,
      };
    case 'already_applied':
      return {
        ...base,
        status: 'already_applied',
        fulfillmentId: decision.fulfillmentId,
        message: `already applied (${decision.source === 'ledger' ? 'recorded in the ledger' : 'a fulfillment with this tracking number exists'})`,
        plan: null,
      };
    case 'refused':
      return { ...base, status: 'failed', fulfillmentId: null, message: decision.message, plan: null };
  }
}

/** Records the intent, accepts pending requests, creates the fulfillment, records the outcome. */
async function apply(
  deps: ShipDeps,
  request: ShipmentRequest,
  order: OrderSnapshot,
  decision: Extract<ShipmentDecision, { kind: 'create' }>,
  settings: ShipSettings,
): Promise<ShipmentResult> {
  const ledger = deps.ledger;
  const shipment = shipmentOf(request, decision.key);
  const planned = resultOf(request, order, decision);
  const fail = async (message: string) => {
    await ledger?.recordShipmentFailed(orderRef(order), shipment, message, deps.now());
    return { ...planned, status: 'failed' as const, message };
  };
  await ledger?.recordShipmentIntent(orderRef(order), shipment, deps.now());

  for (const fo of decision.fulfillmentOrders.filter((f) => f.accept)) {
    let payload: AnsweredFulfillmentOrder;
    try {
      const { data } = await deps.client.request(
        AcceptFulfillmentRequest,
        { id: fo.fulfillmentOrderId, message: `Shipping ${request.trackingNumber}` },
        { signal: deps.signal },
      );
      payload = data.fulfillmentOrderAcceptFulfillmentRequest;
    } catch (error) {
      if (!isLostAnswer(error)) throw error;
      // The answer was lost, not necessarily the acceptance: look before giving up on the shipment.
      const again = await lookAgain(deps, request);
      const now = again?.fulfillmentOrders.find((f) => f.id === fo.fulfillmentOrderId);
      if (now?.requestStatus === 'ACCEPTED') continue;
      return fail(
        `accepting the fulfillment request of ${fo.fulfillmentOrderId}: ${(error as Error).message}`,
      );
    }
    const errors = payload?.userErrors ?? [];
    if (errors.length > 0 || !payload)
      return fail(
        `accepting the fulfillment request of ${fo.fulfillmentOrderId}: ${errors.map((e) => e.message).join('; ') || 'no answer'}`,
      );
  }

  const variables = {
    fulfillment: {
      lineItemsByFulfillmentOrder: decision.fulfillmentOrders.map((fo) => ({
        fulfillmentOrderId: fo.fulfillmentOrderId,
        fulfillmentOrderLineItems: fo.lines.map((l) => ({ id: l.id, quantity: l.quantity })),
      })),
      trackingInfo: { company: request.carrier, number: request.trackingNumber, url: request.trackingUrl },
      notifyCustomer: settings.notifyCustomer,
    },
  };
  let created: GraphQLResult<CreateFulfillmentData>;
  try {
    created = await deps.client.request(CreateFulfillment, variables, { signal: deps.signal });
  } catch (error) {
    if (!isLostAnswer(error)) throw error;
    // The request may or may not have reached Shopify: look before anything is created again.
    const again = await lookAgain(deps, request);
    const found = again?.fulfillments.find((f) => f.trackingNumbers.includes(request.trackingNumber));
    if (again && found) {
      await recordApplied(
        deps,
        request,
        again,
        found.id,
        again.displayFulfillmentStatus,
        decision.fulfillmentOrders,
      );
      return { ...planned, status: 'created', fulfillmentId: found.id, message: null };
    }
    return fail(`not shipped: ${(error as Error).message}`);
  }
  const payload = created.data.fulfillmentCreate;
  const errors = payload?.userErrors ?? [];
  const fulfillment = payload?.fulfillment;
  if (errors.length > 0 || !fulfillment) {
    return fail(errors.map((e) => e.message).join('; ') || 'Shopify created no fulfillment');
  }
  deps.crashAt?.('ship.created');
  await recordApplied(
    deps,
    request,
    order,
    fulfillment.id,
    fulfillment.order.displayFulfillmentStatus,
    decision.fulfillmentOrders,
  );
  return { ...planned, status: 'created', fulfillmentId: fulfillment.id, message: null };
}

/**
 * A failure after which the change may or may not have been applied, and after which the rest of
 * the file can still go on: the store could not be reached or kept failing. Anything else (the
 * token, the scopes, an interrupt) stops the run.
 */
function isLostAnswer(error: unknown): boolean {
  return error instanceof ShopifyUnavailableError || error instanceof ThrottleExhaustedError;
}

/**
 * The order as the store has it now, after a lost answer; undefined when it cannot be read either
 * (the shipment then fails, and the next run finds out what happened by its tracking number).
 */
async function lookAgain(deps: ShipDeps, request: ShipmentRequest): Promise<OrderSnapshot | undefined> {
  try {
    return (await readOrders(deps, [request])).get(request);
  } catch (error) {
    if (isLostAnswer(error)) return undefined;
    throw error;
  }
}

/**
 * The orders of `requests`, read SHIPMENT_ORDERS_PER_REQUEST at a time by one search
 * (`name:"#1001" OR name:"#1002" …`), then completed: fulfillment orders and lines beyond the
 * first page, and the lines of fulfillments carrying a tracking number the file ships.
 */
export async function readOrders(
  deps: Pick<ShipDeps, 'client' | 'signal'>,
  requests: ShipmentRequest[],
): Promise<Map<ShipmentRequest, OrderSnapshot>> {
  const refs = new Map<string, OrderRef>();
  for (const r of requests) {
    const ref = parseOrderRef(r.orderRef);
    if (ref) refs.set(searchTerm(ref), ref);
  }
  const terms = [...refs.keys()];
  const nodes: ShipmentOrderNode[] = [];
  for (let i = 0; i < terms.length; i += SHIPMENT_ORDERS_PER_REQUEST) {
    const batch = terms.slice(i, i + SHIPMENT_ORDERS_PER_REQUEST);
    const { data } = await deps.client.request(
      ShipmentOrders,
      { query: batch.join(' OR '), first: SHIPMENT_ORDERS_PER_REQUEST },
      { signal: deps.signal },
    );
    nodes.push(...data.orders.nodes);
  }
  const snapshots = new Map<string, OrderSnapshot>();
  for (const node of nodes) snapshots.set(node.id, await snapshotOf(deps, node));

  // Lines of the fulfillments whose tracking number a shipment of the file carries.
  const wanted: { order: OrderSnapshot; fulfillment: OrderSnapshot['fulfillments'][number] }[] = [];
  const byRequest = new Map<ShipmentRequest, OrderSnapshot>();
  for (const request of requests) {
    const ref = parseOrderRef(request.orderRef);
    const order = ref ? [...snapshots.values()].find((o) => refMatches(ref, o)) : undefined;
    if (!order) continue;
    byRequest.set(request, order);
    if (request.whole) continue;
    for (const f of order.fulfillments)
      if (
        f.lines === null &&
        f.trackingNumbers.includes(request.trackingNumber) &&
        !wanted.some((w) => w.fulfillment === f)
      )
        wanted.push({ order, fulfillment: f });
  }
  for (let i = 0; i < wanted.length; i += FULFILLMENTS_PER_LINES_REQUEST) {
    const batch = wanted.slice(i, i + FULFILLMENTS_PER_LINES_REQUEST);
    const { data } = await deps.client.request(
      FulfillmentLines,
      { ids: batch.map((w) => w.fulfillment.id) },
      { signal: deps.signal },
    );
    for (const node of data.nodes) {
      if (!node) continue;
      const target = batch.find((w) => w.fulfillment.id === node.id);
      if (target)
        target.fulfillment.lines = node.fulfillmentLineItems.nodes.map((n) => ({
          sku: n.lineItem.sku,
          quantity: n.quantity ?? 0,
        }));
    }
  }
  return byRequest;
}

async function snapshotOf(
  deps: Pick<ShipDeps, 'client' | 'signal'>,
  node: ShipmentOrderNode,
): Promise<OrderSnapshot> {
  let fos: ShipmentFulfillmentOrder[] = node.fulfillmentOrders.nodes;
  if (node.fulfillmentOrders.pageInfo.hasNextPage) {
    fos = [];
    for await (const fo of deps.client.paginate(
      ShipmentFulfillmentOrders,
      { id: node.id },
      (data) =>
        data.order?.fulfillmentOrders ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
      { signal: deps.signal },
    ))
      fos.push(fo);
  }
  const fulfillmentOrders: OrderSnapshot['fulfillmentOrders'] = [];
  for (const fo of fos) {
    let lines = fo.lineItems.nodes;
    if (fo.lineItems.pageInfo.hasNextPage) {
      lines = [];
      for await (const line of deps.client.paginate(
        ShipmentFulfillmentOrderLines,
        { id: fo.id },
        (data) =>
          data.fulfillmentOrder?.lineItems ?? {
            nodes: [],
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        { signal: deps.signal },
      ))
        lines.push(line);
    }
    fulfillmentOrders.push({
      id: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      locationId: fo.assignedLocation.location?.id ?? null,
      locationName: fo.assignedLocation.location?.name ?? null,
      lines: lines.map((l) => ({
        id: l.id,
        sku: l.sku,
        remaining: l.remainingQuantity,
        title: l.variantTitle ? `${l.productTitle} - ${l.variantTitle}` : l.productTitle,
      })),
    });
  }
  return {
    id: node.id,
    name: node.name,
    updatedAt: node.updatedAt,
    cancelledAt: node.cancelledAt,
    displayFulfillmentStatus: node.displayFulfillmentStatus,
    fulfillmentOrders,
    fulfillments: node.fulfillments.map((f) => ({
      id: f.id,
      trackingNumbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => n !== null),
      lines: null,
    })),
  };
}
