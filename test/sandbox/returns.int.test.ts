import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCATION_IDS } from '../../src/sandbox/data/index.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: response documents are inspected field by field
type Json = any;

const warehouse = `gid://shopify/Location/${LOCATION_IDS.warehouse}`;

/** What a 3PL reads to find returns coming back: orders by return status, their returns and shipments. */
const RETURNS_COMING_BACK = `#graphql
  query Returns($query: String!) {
    orders(first: 5, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id name updatedAt returnStatus
        fulfillments(first: 3) { location { id } fulfillmentLineItems(first: 5) { nodes { id } } }
        returns(first: 3, query: "status:open") {
          nodes {
            id name status
            returnLineItems(first: 5) { nodes { id quantity ... on ReturnLineItem { fulfillmentLineItem { id lineItem { sku } } } } }
            reverseFulfillmentOrders(first: 1) {
              nodes {
                id status
                lineItems(first: 5) { nodes { id totalQuantity dispositions { type quantity } } }
                reverseDeliveries(first: 1) { nodes { id } }
              }
            }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('returns over HTTP, with Shopify’s client', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.stop());

  /** A new order of `sku` at the warehouse, shipped through fulfillmentCreate. */
  async function shippedOrder(sku: string, quantity: number): Promise<string> {
    const order = sandbox.data.addOrder({ lines: [{ sku, quantity }] });
    const shipped = sandbox.data.fulfillOrder(order.id);
    if (!shipped.ok) throw new Error(JSON.stringify(shipped.errors));
    return `gid://shopify/Order/${order.id}`;
  }

  it('sets the scene with the merchant helpers: request, approve, deliver, dispose, close', async () => {
    const shop = merchant(sandbox);
    const orderId = await shippedOrder('TEE-BLK-M', 3);
    const [line] = await shop.shippedLines(orderId);
    expect(line).toMatchObject({ quantity: 3, sku: 'TEE-BLK-M', locationId: warehouse });

    const requested = await shop.requestReturn(orderId, [
      { fulfillmentLineItemId: line!.fulfillmentLineItemId, quantity: 2, customerNote: 'too big' },
    ]);
    expect(requested).toMatchObject({ status: 'REQUESTED', order: { returnStatus: 'RETURN_REQUESTED' } });
    const approved = await shop.approveReturn(requested.id);
    const rfo = approved.reverseFulfillmentOrders.nodes[0];
    const delivery = await shop.addReverseDelivery(rfo.id, { number: '1Z999AA10123456784' });
    expect(delivery.deliverable.tracking).toMatchObject({ number: '1Z999AA10123456784', carrierName: 'UPS' });

    const [level] = (await shop.levels(warehouse)).filter((l) => l.sku === 'TEE-BLK-M');
    const disposed = await shop.disposeReturn([
      {
        reverseFulfillmentOrderLineItemId: rfo.lineItems.nodes[0].id,
        quantity: 2,
        locationId: warehouse,
        dispositionType: 'RESTOCKED',
      },
    ]);
    expect(disposed[0].dispositions).toEqual([
      { type: 'RESTOCKED', quantity: 2, location: { id: warehouse } },
    ]);
    const [after] = (await shop.levels(warehouse)).filter((l) => l.sku === 'TEE-BLK-M');
    expect(after).toMatchObject({ available: level!.available + 2, onHand: level!.onHand + 2 });

    const read = await shop.readReturn(approved.id);
    expect(read.reverseFulfillmentOrders.nodes[0].status).toBe('CLOSED');
    expect((await shop.orderReturns(orderId)).returnStatus).toBe('INSPECTION_COMPLETE');
    await shop.closeReturn(approved.id);
    expect((await shop.orderReturns(orderId)).returnStatus).toBe('RETURNED');

    // One unit is left to return: a second return takes it, and is canceled before it arrives.
    const second = await shop.createReturn(orderId, [
      { fulfillmentLineItemId: line!.fulfillmentLineItemId, quantity: 1 },
    ]);
    await expect(
      shop.createReturn(orderId, [{ fulfillmentLineItemId: line!.fulfillmentLineItemId, quantity: 1 }]),
    ).rejects.toThrow(/LESS_THAN_OR_EQUAL_TO/);
    expect((await shop.cancelReturn(second.id)).status).toBe('CANCELED');
    const declined = await shop.declineReturn(
      (
        await shop.requestReturn(orderId, [
          { fulfillmentLineItemId: line!.fulfillmentLineItemId, quantity: 1 },
        ])
      ).id,
      'RETURN_PERIOD_ENDED',
    );
    expect(declined).toMatchObject({ status: 'DECLINED', decline: { reason: 'RETURN_PERIOD_ENDED' } });
    const all = await shop.orderReturns(orderId);
    expect(all.returns.map((r: Json) => r.status)).toEqual(['CLOSED', 'CANCELED', 'DECLINED']);
    expect(all.returnStatus).toBe('RETURNED');
  });

  it('finds returns coming back with orders(query: "return_status:…"), costed as Shopify costs them', async () => {
    const client = createAdminApiClient({
      storeDomain: sandbox.shop,
      apiVersion: '2026-10',
      accessToken: sandbox.accessToken,
      customFetchApi: (url, init) =>
        fetch(String(url).replace(`https://${sandbox.shop}`, sandbox.origin), init as RequestInit),
    });
    const result = await client.request(RETURNS_COMING_BACK, {
      variables: { query: 'return_status:in_progress' },
    });
    expect(result.errors).toBeUndefined();
    const orders = (result.data as Json).orders.nodes;
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      expect(o.returnStatus).toBe('IN_PROGRESS');
      expect(o.returns.nodes.length).toBeGreaterThan(0);
    }
    // A connection costs 2 + first × node, an object 1, a plain list `first` × (1 + inner).
    const fulfillments = 3 * (1 + 1 + (2 + 5 * 1));
    const returnLines = 2 + 5 * (1 + 1 + 1); // node, fulfillmentLineItem, lineItem
    const rfoLines = 2 + 5 * (1 + 1); // node, dispositions
    const rfos = 2 + 1 * (1 + rfoLines + (2 + 1 * 1));
    const returns = 2 + 3 * (1 + returnLines + rfos);
    expect(result.extensions?.cost).toMatchObject({
      requestedQueryCost: 2 + 5 * (1 + fulfillments + returns),
    });
  });

  it('refuses a token without the returns scopes with Shopify’s access-denied error', async () => {
    const token = sandbox.issueToken(['read_orders', 'read_all_orders']);
    const res = await fetch(sandbox.graphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify({
        query:
          'mutation C($id: ID!) { returnClose(id: $id) { return { id } userErrors { field message code } } }',
        variables: { id: 'gid://shopify/Return/1' },
      }),
    });
    const json = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(json.errors[0]).toMatchObject({
      message:
        'Access denied for returnClose field. Required access: `write_returns` or `write_marketplace_returns` access scopes.',
      extensions: { code: 'ACCESS_DENIED' },
    });
  });
});
