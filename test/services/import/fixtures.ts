import type { RawFulfillmentOrder, RawLine, RawOrder } from '../../../src/services/import/raw-order.js';
import type { SelectionSettings } from '../../../src/services/import/select.js';

export const WAREHOUSE = 'gid://shopify/Location/1';
export const STORE = 'gid://shopify/Location/2';
export const SERVICE_LOCATION = 'gid://shopify/Location/9';

const bag = (shop: string, local: string) => ({
  shopMoney: { amount: shop, currencyCode: 'USD' },
  presentmentMoney: { amount: local, currencyCode: 'EUR' },
});

let counter = 0;

export function line(
  overrides: Partial<RawLine> & { price?: [string, string]; giftCard?: boolean } = {},
): RawLine {
  counter += 1;
  const { price, giftCard, ...rest } = overrides;
  return {
    id: `gid://shopify/FulfillmentOrderLineItem/${counter}`,
    remainingQuantity: 1,
    totalQuantity: 1,
    sku: `SKU-${counter}`,
    requiresShipping: true,
    productTitle: 'Widget',
    variantTitle: null,
    lineItem: {
      id: `gid://shopify/LineItem/${counter}`,
      isGiftCard: giftCard ?? false,
      discountedUnitPriceSet: bag(price?.[0] ?? '10.00', price?.[1] ?? '9.00'),
    },
    ...rest,
  };
}

export function fo(
  location: string | null,
  lines: RawLine[],
  status = 'OPEN',
  // Work at a fulfillment service's location is requested of it (accepted once in progress).
  requestStatus = location === SERVICE_LOCATION
    ? status === 'IN_PROGRESS'
      ? 'ACCEPTED'
      : 'SUBMITTED'
    : 'UNSUBMITTED',
): RawFulfillmentOrder {
  counter += 1;
  return {
    id: `gid://shopify/FulfillmentOrder/${counter}`,
    status,
    requestStatus,
    assignedLocation: { location: location ? { id: location } : null },
    lineItems: lines,
  };
}

export function order(overrides: Partial<RawOrder> = {}): RawOrder {
  return {
    id: 'gid://shopify/Order/1001',
    name: '#1001',
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:05:00Z',
    processedAt: '2026-11-20T10:00:00Z',
    cancelledAt: null,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'UNFULFILLED',
    email: 'ada@example.com',
    phone: null,
    currencyCode: 'USD',
    presentmentCurrencyCode: 'EUR',
    customer: {
      id: 'gid://shopify/Customer/1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      displayName: 'Ada Lovelace',
    },
    shippingAddress: {
      name: 'Ada Lovelace',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: null,
      address1: '1 Analytical Way',
      address2: null,
      city: 'London',
      province: null,
      provinceCode: null,
      zip: 'N1 1AA',
      country: 'United Kingdom',
      countryCodeV2: 'GB',
      phone: '+44 20 0000 0000',
    },
    shippingLine: { title: 'Standard', code: 'STD', source: 'shopify', carrierIdentifier: null },
    totalPriceSet: bag('25.00', '22.50'),
    subtotalPriceSet: bag('20.00', '18.00'),
    totalShippingPriceSet: bag('5.00', '4.50'),
    totalTaxSet: bag('0.00', '0.00'),
    fulfillmentOrders: [fo(WAREHOUSE, [line()])],
    ...overrides,
  };
}

export function settings(overrides: Partial<SelectionSettings> = {}): SelectionSettings {
  return {
    financialStatuses: ['paid'],
    includePartialFulfillments: false,
    acceptOrdersAfter: undefined,
    serviceLocationId: undefined,
    filterLocationId: undefined,
    excludeEmptyOrders: false,
    useLocalCurrency: false,
    ...overrides,
  };
}
