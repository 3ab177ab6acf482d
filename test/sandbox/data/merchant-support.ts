import { expect } from 'vitest';
import { NOW, setup } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL results are checked field by field
type Json = any;

/** What the merchant-side tests read back after a mutation, as an app would. */
export const READ_ORDER = /* GraphQL */ `
  query ReadOrder($id: ID!) {
    order(id: $id) {
      id name updatedAt cancelledAt cancelReason closed closedAt note tags email
      displayFinancialStatus displayFulfillmentStatus merchantEditable
      totalPriceSet { shopMoney { amount } }
      currentTotalPriceSet { shopMoney { amount } }
      totalRefundedSet { shopMoney { amount } }
      totalReceivedSet { shopMoney { amount } }
      totalOutstandingSet { shopMoney { amount } }
      shippingAddress { address1 city zip countryCodeV2 }
      lineItems(first: 50) {
        nodes { id sku quantity currentQuantity refundableQuantity unfulfilledQuantity variant { id } }
      }
      fulfillmentOrders(first: 50) {
        nodes {
          id status requestStatus
          assignedLocation { location { id } }
          fulfillmentHolds { id handle reason reasonNotes }
          merchantRequests(first: 10) { nodes { kind message requestOptions } }
          lineItems(first: 50) { nodes { id totalQuantity remainingQuantity lineItem { id } } }
        }
      }
      refunds(first: 10) {
        id note totalRefundedSet { shopMoney { amount } }
        refundLineItems(first: 10) { nodes { quantity restockType restocked location { id } lineItem { id } } }
      }
    }
  }
`;

const CHANGED_SINCE = /* GraphQL */ `
  query ChangedSince($query: String!) {
    orders(first: 250, query: $query, sortKey: UPDATED_AT) { nodes { id updatedAt } }
  }
`;

/** A seeded store whose clock then moves an hour on, so every change is newer than every seed. */
export function merchantSetup(opts: { orders?: number; seed?: number } = {}) {
  const store = setup(opts);
  const changedAt = new Date(NOW.getTime() + 3_600_000);
  store.data.setNow(changedAt);

  /** Runs a document and fails the test on GraphQL errors (userErrors are the test's to check). */
  const ok = async (source: string, variables: Record<string, unknown> = {}): Promise<Json> => {
    const result = await store.run(source, variables);
    expect(result.errors ?? []).toEqual([]);
    return result.data;
  };

  const readOrder = async (id: string): Promise<Json> => (await ok(READ_ORDER, { id })).order;

  /** Ids of the orders an `updated_at:>=` search finds since the clock moved. */
  const changedOrders = async (): Promise<string[]> => {
    const data = await ok(CHANGED_SINCE, { query: `updated_at:>='${changedAt.toISOString()}'` });
    return data.orders.nodes.map((n: Json) => n.id);
  };

  return { ...store, ok, readOrder, changedOrders, changedAt };
}

export type MerchantStore = ReturnType<typeof merchantSetup>;

export const CREATE_ORDER = /* GraphQL */ `
  mutation CreateOrder($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order {
        id name createdAt displayFinancialStatus displayFulfillmentStatus presentmentCurrencyCode email tags note
        totalPriceSet { shopMoney { amount } presentmentMoney { amount currencyCode } }
        lineItems(first: 10) { nodes { id sku quantity title } }
        fulfillmentOrders(first: 10) {
          nodes {
            id status requestStatus
            assignedLocation { location { id } }
            lineItems(first: 10) { nodes { id totalQuantity } }
          }
        }
      }
      userErrors { field message code }
    }
  }
`;

/** The gid of the first variant with this SKU (an input a script would look up by SKU). */
export function variantGid(store: MerchantStore, sku: string): string {
  const variant = [...store.data.variants.values()].find((v) => v.sku === sku);
  if (!variant) throw new Error(`no variant ${sku}`);
  return `gid://shopify/ProductVariant/${variant.id}`;
}

export function locationGid(id: number): string {
  return `gid://shopify/Location/${id}`;
}

/** Creates an order through orderCreate; fails the test on userErrors. */
export async function createOrder(
  store: MerchantStore,
  order: Record<string, unknown>,
  options?: Record<string, unknown>,
): Promise<Json> {
  const data = await store.ok(CREATE_ORDER, { order, options });
  expect(data.orderCreate.userErrors).toEqual([]);
  return data.orderCreate.order;
}
