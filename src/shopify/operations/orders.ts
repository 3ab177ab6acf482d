import { defineOperation } from '../operation.js';
import type { Connection } from '../types.js';

/**
 * Order import operations, in two steps so that most orders cost little: OrdersPage reads the
 * order-level fields of 50 orders (16 each, ~800 requested per page, Shopify refuses over 1000);
 * only the orders the settings can import then get their fulfillment orders and lines through
 * OrdersDetail (8 orders per request, ~113 each). Orders with more fulfillment orders or lines
 * than a detail page holds are completed with OrderFulfillmentOrders / FulfillmentOrderLines.
 */
export const ORDERS_PAGE_SIZE = 50;

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}
export interface MoneyBagData {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export interface FulfillmentOrderLineNode {
  id: string;
  remainingQuantity: number;
  totalQuantity: number;
  sku: string | null;
  requiresShipping: boolean;
  productTitle: string;
  variantTitle: string | null;
  lineItem: { id: string; isGiftCard: boolean; discountedUnitPriceSet: MoneyBagData };
}

export interface FulfillmentOrderNode {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null };
  lineItems: Connection<FulfillmentOrderLineNode>;
}

export interface MailingAddressData {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}

export interface OrderNode {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  email: string | null;
  phone: string | null;
  currencyCode: string;
  presentmentCurrencyCode: string;
  customer: { id: string; firstName: string | null; lastName: string | null; displayName: string } | null;
  shippingAddress: MailingAddressData | null;
  shippingLine: {
    title: string;
    code: string | null;
    source: string | null;
    carrierIdentifier: string | null;
  } | null;
  totalPriceSet: MoneyBagData;
  subtotalPriceSet: MoneyBagData | null;
  totalShippingPriceSet: MoneyBagData;
  totalTaxSet: MoneyBagData | null;
}

/** An order with its first fulfillment orders (OrdersDetail), before completion. */
export interface OrderWithFulfillmentOrders extends OrderNode {
  fulfillmentOrders: Connection<FulfillmentOrderNode>;
}

export interface OrdersPageData {
  orders: Connection<OrderNode>;
}
export interface OrdersPageVariables {
  first: number;
  after?: string | null;
  query: string;
}

/** Orders updated in a window, oldest update first: the order-level fields. */
export const OrdersPage = defineOperation<OrdersPageData, OrdersPageVariables>(
  'OrdersPage',
  'query',
  /* GraphQL */ `
  query OrdersPage($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        createdAt
        updatedAt
        processedAt
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        email
        phone
        currencyCode
        presentmentCurrencyCode
        customer { id firstName lastName displayName }
        shippingAddress {
          name firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone
        }
        shippingLine { title code source carrierIdentifier }
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        subtotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalShippingPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
);

export interface OrderFulfillmentOrdersData {
  order: { id: string; fulfillmentOrders: Connection<FulfillmentOrderNode> } | null;
}
export interface OrderFulfillmentOrdersVariables {
  id: string;
  after?: string | null;
}

/** All fulfillment orders of one order, for orders with more than a page holds (~770 per request). */
export const OrderFulfillmentOrders = defineOperation<
  OrderFulfillmentOrdersData,
  OrderFulfillmentOrdersVariables
>(
  'OrderFulfillmentOrders',
  'query',
  /* GraphQL */ `
  query OrderFulfillmentOrders($id: ID!, $after: String) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 3, after: $after) {
        nodes {
          id
          status
          assignedLocation { location { id } }
          lineItems(first: 50) {
            nodes {
              id
              remainingQuantity
              totalQuantity
              sku
              requiresShipping
              productTitle
              variantTitle
              lineItem {
                id
                isGiftCard
                discountedUnitPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
              }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
);

export interface FulfillmentOrderLinesData {
  fulfillmentOrder: { id: string; lineItems: Connection<FulfillmentOrderLineNode> } | null;
}
export interface FulfillmentOrderLinesVariables {
  id: string;
  after?: string | null;
}

/** The remaining lines of one fulfillment order (~500 per request). */
export const FulfillmentOrderLines = defineOperation<
  FulfillmentOrderLinesData,
  FulfillmentOrderLinesVariables
>(
  'FulfillmentOrderLines',
  'query',
  /* GraphQL */ `
  query FulfillmentOrderLines($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: 100, after: $after) {
        nodes {
          id
          remainingQuantity
          totalQuantity
          sku
          requiresShipping
          productTitle
          variantTitle
          lineItem {
            id
            isGiftCard
            discountedUnitPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
);

export interface OrdersCountData {
  ordersCount: { count: number; precision: 'EXACT' | 'AT_LEAST' } | null;
}

/** How many orders a search matches (decides between paging and a bulk operation). */
export const OrdersCount = defineOperation<OrdersCountData, { query: string; limit: number }>(
  'OrdersCount',
  'query',
  /* GraphQL */ `
  query OrdersCount($query: String!, $limit: Int) {
    ordersCount(query: $query, limit: $limit) {
      count
      precision
    }
  }
`,
);

export interface OrdersDetailData {
  nodes: ({ id: string; fulfillmentOrders?: Connection<FulfillmentOrderNode> } | null)[];
}
/** Orders per OrdersDetail request. */
export const ORDERS_DETAIL_BATCH = 8;

/**
 * The fulfillment orders and lines of up to 8 orders by id (~113 per order), for the orders the
 * settings can import. (A bulk query may nest connections only two levels deep, so orders →
 * fulfillment orders → lines cannot come from one bulk query either.)
 */
export const OrdersDetail = defineOperation<OrdersDetailData, { ids: string[] }>(
  'OrdersDetail',
  'query',
  /* GraphQL */ `
  query OrdersDetail($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on Order {
        fulfillmentOrders(first: 2) {
          nodes {
            id
            status
            assignedLocation { location { id } }
            lineItems(first: 10) {
              nodes {
                id
                remainingQuantity
                totalQuantity
                sku
                requiresShipping
                productTitle
                variantTitle
                lineItem {
                  id
                  isGiftCard
                  discountedUnitPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
                }
              }
              pageInfo { hasNextPage endCursor }
            }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`,
);

const BULK_SEARCH_PLACEHOLDER = '__DSYNC_SEARCH__';

/**
 * The bulk-operation twin of OrdersPage for the order-level fields: one flat JSONL line per
 * order, no cost limit. Fulfillment orders and their lines come from OrdersDetail, and only for
 * the orders the settings can import.
 * The search string is the only variable part, inserted as a GraphQL string literal.
 */
const ORDERS_BULK_DOCUMENT = /* GraphQL */ `
  query OrdersBulk {
    orders(query: "__DSYNC_SEARCH__", sortKey: UPDATED_AT) {
      edges {
        node {
          id
          name
          createdAt
          updatedAt
          processedAt
          cancelledAt
          displayFinancialStatus
          displayFulfillmentStatus
          email
          phone
          currencyCode
          presentmentCurrencyCode
          customer { id firstName lastName displayName }
          shippingAddress {
            name firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone
          }
          shippingLine { title code source carrierIdentifier }
          totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          subtotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          totalShippingPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          totalTaxSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        }
      }
    }
  }
`;

/** The bulk query document for an orders search. */
export function ordersBulkQuery(search: string): string {
  // JSON string escaping is valid GraphQL string escaping for the characters a search can hold.
  return ORDERS_BULK_DOCUMENT.replace(`"${BULK_SEARCH_PLACEHOLDER}"`, JSON.stringify(search));
}
