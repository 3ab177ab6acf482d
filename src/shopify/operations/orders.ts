import { defineOperation } from '../operation.js';
import type { Connection } from '../types.js';

/**
 * Order import operations, in two steps so that most orders cost little: OrdersPage reads only
 * the scalar fields that decide an order (status, dates, currencies: 1 point per order, ~252
 * requested for a page of 250; Shopify refuses over 1000). Only the orders whose outcome needs
 * the whole document (importable ones, and delivered ones that may now be cancelled) then get
 * their customer, address, shipping line, totals, fulfillment orders and lines through
 * OrdersDetail (7 orders per request, ~128 each). Orders with more fulfillment orders or lines
 * than a detail page holds are completed with OrderFulfillmentOrders / FulfillmentOrderLines.
 */
export const ORDERS_PAGE_SIZE = 250;

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}
/** A money bag as read: only the currency the settings ask for (the other is left out). */
export interface MoneyBagData {
  shopMoney?: MoneyV2;
  presentmentMoney?: MoneyV2;
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
  requestStatus: string;
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

/** The order-level fields that decide an order (OrdersPage). */
export interface OrderSummaryNode {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  presentmentCurrencyCode: string;
}

/** The order-level fields only a document needs (OrdersDetail, bulk JSONL). */
export interface OrderDetailFields {
  email: string | null;
  phone: string | null;
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

/** Every order-level field: what the bulk JSONL holds per order. */
export interface OrderNode extends OrderSummaryNode, OrderDetailFields {}

/** An order with its first fulfillment orders (OrdersDetail), before completion. */
export interface OrderWithFulfillmentOrders extends OrderSummaryNode {
  fulfillmentOrders: Connection<FulfillmentOrderNode>;
}

export interface OrdersPageData {
  orders: Connection<OrderSummaryNode>;
}
export interface OrdersPageVariables {
  first: number;
  after?: string | null;
  query: string;
}

/** Orders updated in a window, oldest update first: the fields that decide each order. */
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
        currencyCode
        presentmentCurrencyCode
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
  /** Presentment money instead of shop money (use-local-currency). */
  local: boolean;
}

/** All fulfillment orders of one order, for orders with more than a page holds (~770 per request). */
export const OrderFulfillmentOrders = defineOperation<
  OrderFulfillmentOrdersData,
  OrderFulfillmentOrdersVariables
>(
  'OrderFulfillmentOrders',
  'query',
  /* GraphQL */ `
  query OrderFulfillmentOrders($id: ID!, $after: String, $local: Boolean!) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 3, after: $after) {
        nodes {
          id
          status
          requestStatus
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
                discountedUnitPriceSet { ...Money }
              }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  fragment Money on MoneyBag {
    shopMoney @skip(if: $local) { amount currencyCode }
    presentmentMoney @include(if: $local) { amount currencyCode }
  }
`,
);

export interface FulfillmentOrderLinesData {
  fulfillmentOrder: { id: string; lineItems: Connection<FulfillmentOrderLineNode> } | null;
}
export interface FulfillmentOrderLinesVariables {
  id: string;
  after?: string | null;
  /** Presentment money instead of shop money (use-local-currency). */
  local: boolean;
}

/** The remaining lines of one fulfillment order (~500 per request). */
export const FulfillmentOrderLines = defineOperation<
  FulfillmentOrderLinesData,
  FulfillmentOrderLinesVariables
>(
  'FulfillmentOrderLines',
  'query',
  /* GraphQL */ `
  query FulfillmentOrderLines($id: ID!, $after: String, $local: Boolean!) {
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
            discountedUnitPriceSet { ...Money }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  fragment Money on MoneyBag {
    shopMoney @skip(if: $local) { amount currencyCode }
    presentmentMoney @include(if: $local) { amount currencyCode }
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

/**
 * One OrdersDetail node: an order's document fields and first fulfillment orders (absent when
 * the id is not an order's).
 */
export type OrderDetailNode = {
  id: string;
  fulfillmentOrders?: Connection<FulfillmentOrderNode>;
} & Partial<OrderDetailFields>;

export interface OrdersDetailData {
  nodes: (OrderDetailNode | null)[];
}
/** Orders per OrdersDetail request (7 × ~128 = ~896 requested; 8 would pass 1000). */
export const ORDERS_DETAIL_BATCH = 7;

/**
 * The order-level fields a document needs (customer, e-mail, phone, shipping address and line,
 * totals) and the fulfillment orders and lines of up to 7 orders by id (~128 per order), for the
 * orders whose outcome needs their document. (A bulk query may nest connections only two levels
 * deep, so orders → fulfillment orders → lines cannot come from one bulk query either.)
 */
export const OrdersDetail = defineOperation<OrdersDetailData, { ids: string[]; local: boolean }>(
  'OrdersDetail',
  'query',
  /* GraphQL */ `
  query OrdersDetail($ids: [ID!]!, $local: Boolean!) {
    nodes(ids: $ids) {
      id
      ... on Order {
        email
        phone
        customer { id firstName lastName displayName }
        shippingAddress {
          name firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone
        }
        shippingLine { title code source carrierIdentifier }
        totalPriceSet { ...Money }
        subtotalPriceSet { ...Money }
        totalShippingPriceSet { ...Money }
        totalTaxSet { ...Money }
        fulfillmentOrders(first: 2) {
          nodes {
            id
            status
            requestStatus
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
                  discountedUnitPriceSet { ...Money }
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
  fragment Money on MoneyBag {
    shopMoney @skip(if: $local) { amount currencyCode }
    presentmentMoney @include(if: $local) { amount currencyCode }
  }
`,
);

const BULK_SEARCH_PLACEHOLDER = '__DSYNC_SEARCH__';

/**
 * The bulk-operation twin of OrdersPage, with every order-level field (a bulk query has no cost
 * limit): one flat JSONL line per order. Fulfillment orders and their lines come from
 * OrdersDetail, and only for the orders whose outcome needs their document.
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

/**
 * Open fulfillment orders with their lines, for a bulk operation: with the orders bulk query it
 * gives the import every field a document needs without spending query cost. One JSONL line per
 * fulfillment order, its lines as children (`__parentId`). Closed ones are left out: they never
 * hold lines to ship. The search string is the only variable part.
 */
const FULFILLMENT_ORDERS_BULK_DOCUMENT = /* GraphQL */ `
  query FulfillmentOrdersBulk {
    fulfillmentOrders(query: "__DSYNC_SEARCH__", includeClosed: false) {
      edges {
        node {
          id
          orderId
          status
          requestStatus
          assignedLocation { location { id } }
          lineItems {
            edges {
              node {
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
            }
          }
        }
      }
    }
  }
`;

/** The bulk query document for the open fulfillment orders a search selects. */
export function fulfillmentOrdersBulkQuery(search: string): string {
  return FULFILLMENT_ORDERS_BULK_DOCUMENT.replace(`"${BULK_SEARCH_PLACEHOLDER}"`, JSON.stringify(search));
}
