import { z } from 'zod';

/**
 * The order as the Admin API returns it (OrdersPage + OrdersDetail, or bulk JSONL + OrdersDetail),
 * validated at the boundary. Paged results and bulk results are both reassembled into this one
 * shape, with every fulfillment order and every fulfillment-order line present; the fields only a
 * document needs are present only for the orders read with OrdersDetail (or from bulk JSONL).
 */
const money = z.object({ amount: z.string(), currencyCode: z.string() });
/** Only the currency the settings ask for is read (shop, or presentment with use-local-currency). */
export const moneyBagSchema = z.object({ shopMoney: money.optional(), presentmentMoney: money.optional() });
export type MoneyBag = z.infer<typeof moneyBagSchema>;

export const rawLineSchema = z.object({
  id: z.string(),
  remainingQuantity: z.number().int(),
  totalQuantity: z.number().int(),
  sku: z.string().nullable(),
  requiresShipping: z.boolean(),
  productTitle: z.string(),
  variantTitle: z.string().nullable(),
  lineItem: z.object({
    id: z.string(),
    isGiftCard: z.boolean(),
    discountedUnitPriceSet: moneyBagSchema,
  }),
});
export type RawLine = z.infer<typeof rawLineSchema>;

export const FULFILLMENT_ORDER_STATUSES = [
  'OPEN',
  'IN_PROGRESS',
  'CANCELLED',
  'INCOMPLETE',
  'CLOSED',
  'SCHEDULED',
  'ON_HOLD',
] as const;

export const rawFulfillmentOrderSchema = z.object({
  id: z.string(),
  status: z.string(),
  requestStatus: z.string(),
  assignedLocation: z.object({
    location: z.object({ id: z.string() }).nullable(),
  }),
  lineItems: z.array(rawLineSchema),
});
export type RawFulfillmentOrder = z.infer<typeof rawFulfillmentOrderSchema>;

const address = z.object({
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  zip: z.string().nullable(),
  country: z.string().nullable(),
  countryCodeV2: z.string().nullable(),
  phone: z.string().nullable(),
});

/** The order-level fields that decide an order (OrdersPage), with every fulfillment order. */
export const rawOrderSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string(),
  fulfillmentOrders: z.array(rawFulfillmentOrderSchema),
});
export type RawOrderSummary = z.infer<typeof rawOrderSummarySchema>;

/** The order-level fields only a document needs (OrdersDetail, bulk JSONL). */
export const orderDetailSchema = z.object({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  customer: z
    .object({
      id: z.string(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      displayName: z.string(),
    })
    .nullable(),
  shippingAddress: address.nullable(),
  shippingLine: z
    .object({
      title: z.string(),
      code: z.string().nullable(),
      source: z.string().nullable(),
      carrierIdentifier: z.string().nullable(),
    })
    .nullable(),
  totalPriceSet: moneyBagSchema,
  subtotalPriceSet: moneyBagSchema.nullable(),
  totalShippingPriceSet: moneyBagSchema,
  totalTaxSet: moneyBagSchema.nullable(),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;
const DETAIL_KEYS = Object.keys(orderDetailSchema.shape) as (keyof OrderDetail)[];

/** An order with every field a document needs. */
export type DetailedOrder = RawOrderSummary & OrderDetail;

/**
 * A validated order: the deciding fields always; the detail fields either all present and valid
 * or all absent (an order decided on its order-level fields alone is read without them).
 */
export type RawOrder = RawOrderSummary & Partial<OrderDetail>;

/** Whether the order was read with its detail fields. */
export function hasDetail(order: RawOrder): order is DetailedOrder {
  return DETAIL_KEYS.every((key) => order[key] !== undefined);
}

/**
 * The order as a DetailedOrder, for building a document. An order read without its detail
 * fields is a bug in deciding which orders need them: fail loudly rather than deliver a document
 * with no customer, address or totals.
 */
export function requireDetail(order: RawOrder): DetailedOrder {
  if (hasDetail(order)) return order;
  const missing = DETAIL_KEYS.filter((key) => order[key] === undefined);
  throw new Error(
    `internal error: order ${order.name} (${order.id}) was read without ${missing.join(', ')}; a document cannot be built from it`,
  );
}

function failure(error: z.ZodError): { ok: false; message: string } {
  const issue = error.issues[0];
  const path = issue ? issue.path.join('.') : '';
  return {
    ok: false,
    message: `unexpected order data from Shopify at ${path || '(root)'}: ${issue?.message}`,
  };
}

/**
 * Validates one order; the error names the first bad field. The detail fields may be absent
 * only when `needsDetail` says the order's outcome does not depend on them (it is decided on
 * the order-level fields alone); when present they are validated whatever the order.
 */
export function parseRawOrder(
  value: unknown,
  needsDetail: (order: RawOrderSummary) => boolean = () => true,
): { ok: true; order: RawOrder } | { ok: false; message: string } {
  const summary = rawOrderSummarySchema.safeParse(value);
  if (!summary.success) return failure(summary.error);
  const fields = value as Record<string, unknown>;
  const present = DETAIL_KEYS.some((key) => fields[key] !== undefined);
  if (!present) {
    if (!needsDetail(summary.data)) return { ok: true, order: summary.data };
    return {
      ok: false,
      message: `Shopify returned no customer, address or totals for this order (${DETAIL_KEYS.join(', ')} missing)`,
    };
  }
  const detail = orderDetailSchema.safeParse(value);
  if (!detail.success) return failure(detail.error);
  return { ok: true, order: { ...summary.data, ...detail.data } };
}
