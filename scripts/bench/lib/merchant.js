// The merchant's side of a sandbox store for the benchmarks, through the Admin API with Shopify's
// own client and a token of its own (another app, another throttle bucket): the changes a store
// in use sees between two cron runs. `store` is the sandbox, or one of its `shops` ({ shop, origin }).
// Every call throws on GraphQL errors and userErrors.
import { createAdminApiClient } from '@shopify/admin-api-client';

export function merchant(store, accessToken) {
  const client = createAdminApiClient({
    storeDomain: store.shop,
    apiVersion: '2026-10',
    accessToken,
    customFetchApi: (url, init) => fetch(String(url).replace(`https://${store.shop}`, store.origin), init),
  });
  async function request(query, variables = {}) {
    const { data, errors, extensions } = await client.request(query, { variables });
    if (errors) throw new Error(JSON.stringify(errors.graphQLErrors ?? errors.message ?? errors));
    return { data, extensions };
  }
  async function call(query, variables, field) {
    const payload = (await request(query, variables)).data[field];
    const userErrors = [...(payload?.userErrors ?? []), ...(payload?.orderCancelUserErrors ?? [])];
    if (userErrors.length > 0) throw new Error(`${field}: ${JSON.stringify(userErrors)}`);
    return payload;
  }
  return {
    request,
    async order(id) {
      const { data } = await request(
        `query O($id: ID!) { order(id: $id) { id displayFinancialStatus lineItems(first: 50) { nodes { id quantity requiresShipping } } } }`,
        { id },
      );
      return data.order;
    },
    async count(query) {
      const { data } = await request(
        `query C($q: String) { ordersCount(query: $q, limit: null) { count } }`,
        {
          q: query,
        },
      );
      return data.ordersCount.count;
    },
    async firstOrder(query) {
      const { data } = await request(`query F($q: String) { orders(first: 1, query: $q) { nodes { id } } }`, {
        q: query,
      });
      return data.orders.nodes[0]?.id;
    },
    async physicalVariants() {
      const { data } = await request(
        `query V { productVariants(first: 50) { nodes { id sku product { isGiftCard } } } }`,
      );
      return data.productVariants.nodes.filter((v) => v.sku && !v.product.isGiftCard);
    },
    note: (id, note) =>
      call(
        `mutation N($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { field message } } }`,
        { input: { id, note } },
        'orderUpdate',
      ),
    cancel: (orderId) =>
      call(
        `mutation X($orderId: ID!) {
          orderCancel(orderId: $orderId, reason: CUSTOMER, refund: true, restock: true) {
            job { id } orderCancelUserErrors { field message code } userErrors { field message }
          }
        }`,
        { orderId },
        'orderCancel',
      ),
    updateAddress: (id, address1) =>
      call(
        `mutation U($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { field message } } }`,
        {
          input: {
            id,
            shippingAddress: {
              firstName: 'Ada',
              lastName: 'Lovelace',
              address1,
              city: 'London',
              zip: 'N1 9GU',
              countryCode: 'GB',
            },
          },
        },
        'orderUpdate',
      ),
    hold: (id) =>
      call(
        `mutation H($id: ID!, $hold: FulfillmentOrderHoldInput!) {
          fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { fulfillmentOrder { id status } userErrors { field message } }
        }`,
        { id, hold: { reason: 'OTHER', reasonNotes: 'customer asked to wait' } },
        'fulfillmentOrderHold',
      ),
    move: (id, to) =>
      call(
        `mutation M($id: ID!, $to: ID!) {
          fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id status } userErrors { field message } }
        }`,
        { id, to },
        'fulfillmentOrderMove',
      ),
    refund: (orderId, lines) =>
      call(
        `mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { field message } } }`,
        { input: { orderId, refundLineItems: lines.map((l) => ({ ...l, restockType: 'CANCEL' })) } },
        'refundCreate',
      ),
    /** An order edit that sets one line's quantity (calculated lines follow the order's one for one). */
    async setQuantity(orderId, lineItemId, quantity) {
      const begun = await call(
        `mutation B($id: ID!) {
          orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 50) { nodes { id } } } userErrors { field message } }
        }`,
        { id: orderId },
        'orderEditBegin',
      );
      const index = (await this.order(orderId)).lineItems.nodes.findIndex((l) => l.id === lineItemId);
      const calculated = begun.calculatedOrder;
      await call(
        `mutation Q($id: ID!, $line: ID!, $quantity: Int!) {
          orderEditSetQuantity(id: $id, lineItemId: $line, quantity: $quantity, restock: true) {
            calculatedOrder { id } userErrors { field message }
          }
        }`,
        { id: calculated.id, line: calculated.lineItems.nodes[index].id, quantity },
        'orderEditSetQuantity',
      );
      await call(
        `mutation E($id: ID!) { orderEditCommit(id: $id) { order { id } userErrors { field message } } }`,
        { id: calculated.id },
        'orderEditCommit',
      );
    },
    createOrder: (order) =>
      call(
        `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id name } userErrors { field message } } }`,
        { order },
        'orderCreate',
      ),
  };
}
