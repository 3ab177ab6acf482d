import { loadSqlite } from '../../../src/core/sqlite.js';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../../src/core/ledger/ledger.js';
import type { ShipmentRequest } from '../../../src/services/ship/plan.js';
import { runShipments } from '../../../src/services/ship/run.js';
import { ShopifyUnavailableError } from '../../../src/shopify/errors.js';
import type { AdminClient, Operation } from '../../../src/shopify/types.js';

const Database = loadSqlite();

const LOC = { id: 'gid://shopify/Location/4', name: 'Acme 3PL' };

/** An order as ShipmentOrders returns it; `fulfilled` adds the fulfillment carrying T1. */
function orderNode(fulfilled: boolean) {
  return {
    id: 'gid://shopify/Order/1',
    name: '#1001',
    updatedAt: '2026-11-20T00:00:00Z',
    cancelledAt: null,
    displayFulfillmentStatus: fulfilled ? 'FULFILLED' : 'UNFULFILLED',
    fulfillmentOrders: {
      nodes: [
        {
          id: 'gid://shopify/FulfillmentOrder/1',
          status: fulfilled ? 'CLOSED' : 'OPEN',
          requestStatus: 'UNSUBMITTED',
          assignedLocation: { location: LOC },
          lineItems: {
            nodes: [
              {
                id: 'gid://shopify/FulfillmentOrderLineItem/1',
                sku: 'X',
                remainingQuantity: fulfilled ? 0 : 1,
                totalQuantity: 1,
                productTitle: 'Item',
                variantTitle: null,
              },
            ],
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: null },
    },
    fulfillments: fulfilled
      ? [{ id: 'gid://shopify/Fulfillment/9', status: 'SUCCESS', trackingInfo: [{ number: 'T1' }] }]
      : [],
  };
}

/**
 * A client whose fulfillmentCreate reaches the store but whose answer is lost (a reset after
 * the write): every request after it sees the fulfillment. Fails on any other request.
 */
function lostAnswerClient(calls: string[]): AdminClient {
  let created = false;
  return {
    shop: 'acme.myshopify.com',
    apiVersion: '2026-10',
    async request<TData, TVariables>(op: Operation<TData, TVariables>) {
      calls.push(op.name);
      if (op.name === 'ShipmentOrders')
        return {
          data: { orders: { nodes: [orderNode(created)] } } as TData,
          cost: undefined,
          requestId: undefined,
        };
      if (op.name === 'CreateFulfillment') {
        created = true;
        // What the client throws once its retries of a reset connection are spent.
        throw new ShopifyUnavailableError('CreateFulfillment', 'socket hang up', {
          attempts: 1,
          retryable: false,
        });
      }
      throw new Error(`unexpected request ${op.name}`);
    },
    paginate() {
      throw new Error('unexpected paginate');
    },
  };
}

const request: ShipmentRequest = {
  orderRef: '#1001',
  trackingNumber: 'T1',
  carrier: 'UPS',
  trackingUrl: null,
  whole: true,
  lines: [],
  rows: [2],
};

describe('runShipments after a lost answer', () => {
  it('looks at the order before anything is created again: found, recorded applied, no second fulfillmentCreate', async () => {
    const ledger = createLedger(new Database(':memory:'), ':memory:');
    const calls: string[] = [];
    const deps = { client: lostAnswerClient(calls), ledger, now: () => new Date('2026-11-26T12:00:00Z') };
    const settings = { location: LOC, notifyCustomer: false, dryRun: false, file: 's.csv' };
    const { results } = await runShipments(deps, [request], settings);
    expect(results[0]).toMatchObject({ status: 'created', fulfillmentId: 'gid://shopify/Fulfillment/9' });
    expect(calls).toEqual(['ShipmentOrders', 'CreateFulfillment', 'ShipmentOrders']);
    expect(await ledger.find('#1001')).toMatchObject({ status: 'shipped' });

    // And the rerun needs no request at all: the ledger has it.
    calls.length = 0;
    const again = await runShipments(deps, [request], settings);
    expect(again.results[0]).toMatchObject({ status: 'already_applied' });
    expect(calls).toEqual([]);
  });
});
