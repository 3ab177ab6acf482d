import { z } from 'zod';

/**
 * The normalized order document dsync hands to the warehouse. Versioned: a change that removes
 * or renames a field bumps ORDER_SCHEMA_VERSION (and is written in the CHANGELOG); adding an
 * optional field does not. `dsync schema order` prints its JSON Schema.
 */
export const ORDER_SCHEMA_VERSION = 1;

const amount = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe('decimal amount as a string, in `currency`');

export const orderLineSchema = z.object({
  fulfillmentOrderId: z
    .string()
    .describe('gid of the fulfillment order holding this line (needed to ship it)'),
  fulfillmentOrderLineItemId: z
    .string()
    .describe('gid of the fulfillment-order line item (needed to ship it)'),
  lineItemId: z.string().describe('gid of the order line item'),
  locationId: z.string().nullable().describe('gid of the location the fulfillment order is assigned to'),
  sku: z.string().nullable(),
  title: z.string(),
  variantTitle: z.string().nullable(),
  quantity: z.number().int().positive().describe('quantity still to ship'),
  unitPrice: amount.describe('unit price after line discounts'),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const addressSchema = z.object({
  name: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  zip: z.string().nullable(),
  country: z.string().nullable(),
  countryCode: z.string().nullable(),
  phone: z.string().nullable(),
});

export const orderDocumentSchema = z
  .object({
    schemaVersion: z.literal(ORDER_SCHEMA_VERSION),
    id: z.string().describe('Shopify order gid'),
    legacyId: z.string().describe('numeric order id'),
    name: z.string().describe('order name, e.g. #1001'),
    shop: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    processedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    financialStatus: z.string().nullable(),
    fulfillmentStatus: z.string(),
    currency: z
      .string()
      .describe('ISO currency of every amount: shop currency, or presentment with use-local-currency'),
    customer: z.object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    shippingAddress: addressSchema.nullable(),
    shippingMethod: z
      .object({ title: z.string(), code: z.string().nullable(), source: z.string().nullable() })
      .nullable(),
    lines: z.array(orderLineSchema),
    fulfillmentOrderIds: z.array(z.string()),
    totals: z.object({
      subtotal: amount.nullable(),
      shipping: amount,
      tax: amount.nullable(),
      total: amount,
    }),
  })
  .describe(`dsync normalized order document, schema version ${ORDER_SCHEMA_VERSION}`);
export type OrderDocument = z.infer<typeof orderDocumentSchema>;

/**
 * Every event the import sends, and what the warehouse does with it, from its type alone.
 * `dsync schema order` prints this table in the schema's descriptions.
 */
export const EVENT_MEANINGS = {
  'order.created': 'a new order to ship: the lines are what to ship',
  'order.updated': 'an order the warehouse has changed (lines, quantities, address or method): replace it',
  'order.cancelled': 'the order was cancelled: do not ship it (final)',
  'order.on_hold': 'the merchant put the order on hold: pause it until order.released',
  'order.withdrawn':
    "the order is no longer the warehouse's to ship (see `reason`): stop; it comes back as order.released if that changes",
  'order.released':
    'an order that was on hold or withdrawn is to be shipped again: the lines are what to ship',
  'order.cancellation_requested':
    'the merchant asks the fulfillment service to give the order back: answer with `dsync requests accept|reject --cancellation`',
} as const;
export const EVENT_TYPES = Object.keys(EVENT_MEANINGS) as (keyof typeof EVENT_MEANINGS)[];
export type EventType = keyof typeof EVENT_MEANINGS;

export const WITHDRAW_REASON_CODES = [
  'financial_status',
  'no_lines',
  'other_location',
  'fulfillment_status',
  'not_requested',
] as const;

export const orderEventSchema = z.object({
  id: z.string().describe('stable event id; also the webhook Idempotency-Key'),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]).describe(
    Object.entries(EVENT_MEANINGS)
      .map(([type, meaning]) => `${type}: ${meaning}`)
      .join('; '),
  ),
  schemaVersion: z.literal(ORDER_SCHEMA_VERSION),
  occurredAt: z.string().describe('the order updatedAt this event reflects'),
  reason: z
    .enum(WITHDRAW_REASON_CODES)
    .optional()
    .describe(
      "order.withdrawn only: financial_status (refunded, voided or otherwise out of financial-status), no_lines (nothing left to ship), other_location (moved off the fulfillment location or service), fulfillment_status, not_requested (the fulfillment service's request was rejected or its cancellation accepted)",
    ),
  order: orderDocumentSchema,
});
export type OrderEvent = z.infer<typeof orderEventSchema>;

/** The JSON Schema (draft 2020-12) of the event envelope carrying an order document. */
export function orderJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(orderEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $id: `https://dsync.dev/schema/order-event.v${ORDER_SCHEMA_VERSION}.json`,
    title: 'dsync order event',
    ...schema,
  };
}
