import { z } from 'zod';

/**
 * The order as the Admin API returns it (OrdersPage / bulk JSONL), validated at the boundary.
 * Paged results and bulk results are both reassembled into this one complete shape, with every
 * fulfillment order and every fulfillment-order line present.
 */
const money = z.object({ amount: z.string(), currencyCode: z.string() });
export const moneyBagSchema = z.object({ shopMoney: money, presentmentMoney: money });
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

export const rawOrderSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string(),
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
  fulfillmentOrders: z.array(rawFulfillmentOrderSchema),
});
export type RawOrder = z.infer<typeof rawOrderSchema>;

/** Validates one order; the error names the first bad field. */
export function parseRawOrder(
  value: unknown,
): { ok: true; order: RawOrder } | { ok: false; message: string } {
  const parsed = rawOrderSchema.safeParse(value);
  if (parsed.success) return { ok: true, order: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.join('.') : '';
  return {
    ok: false,
    message: `unexpected order data from Shopify at ${path || '(root)'}: ${issue?.message}`,
  };
}
