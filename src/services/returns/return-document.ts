import { z } from 'zod';
import type { ReturnRef } from '../../core/ledger/ledger.js';

/**
 * The normalized return document dsync hands to the warehouse: what is coming back to the
 * fulfillment location. Versioned like the order document: removing or renaming a field bumps
 * RETURN_SCHEMA_VERSION (and is written in the CHANGELOG). `dsync schema return` prints its JSON
 * Schema.
 */
export const RETURN_SCHEMA_VERSION = 1;

export const DISPOSITION_TYPES = ['RESTOCKED', 'NOT_RESTOCKED', 'PROCESSING_REQUIRED', 'MISSING'] as const;

export const returnLineSchema = z.object({
  returnLineItemId: z.string().describe('gid of the return line item'),
  reverseFulfillmentOrderId: z
    .string()
    .nullable()
    .describe('gid of the reverse fulfillment order holding this line (null until the return is approved)'),
  reverseFulfillmentOrderLineItemId: z
    .string()
    .nullable()
    .describe('gid of the reverse fulfillment order line item the dispositions are recorded on'),
  sku: z.string().nullable(),
  quantity: z.number().int().nonnegative().describe('units coming back'),
  reason: z.string().describe('Shopify return reason (SIZE_TOO_SMALL, DEFECTIVE, …)'),
  reasonNote: z.string().nullable(),
  customerNote: z.string().nullable(),
  dispositions: z
    .array(z.object({ type: z.enum(DISPOSITION_TYPES), quantity: z.number().int() }))
    .describe('what was recorded for these units so far (restocked, not restocked, …)'),
});
export type ReturnLine = z.infer<typeof returnLineSchema>;

export const returnTrackingSchema = z.object({
  carrier: z.string().nullable(),
  number: z.string().nullable(),
  url: z.string().nullable(),
});
export type ReturnTracking = z.infer<typeof returnTrackingSchema>;

export const returnDocumentSchema = z
  .object({
    schemaVersion: z.literal(RETURN_SCHEMA_VERSION),
    id: z.string().describe('Shopify return gid'),
    legacyId: z.string().describe('numeric return id'),
    name: z.string().describe('return name, e.g. #1001-R1'),
    shop: z.string(),
    status: z.enum(['REQUESTED', 'OPEN', 'CLOSED', 'CANCELED', 'DECLINED']),
    order: z.object({ id: z.string(), name: z.string() }),
    updatedAt: z.string().describe("the order's updatedAt when the return was read"),
    locationId: z.string().describe('gid of the fulfillment location the items come back to'),
    lines: z.array(returnLineSchema).describe('the items coming back to the fulfillment location'),
    tracking: z.array(returnTrackingSchema).describe('reverse deliveries: the parcels on their way back'),
  })
  .describe(`dsync normalized return document, schema version ${RETURN_SCHEMA_VERSION}`);
export type ReturnDocument = z.infer<typeof returnDocumentSchema>;

/** Every event `dsync returns import` sends, and what the warehouse does with it. */
export const RETURN_EVENT_MEANINGS = {
  'return.opened': 'a return is coming back to the warehouse: expect the lines',
  'return.updated': 'a return the warehouse expects has changed (lines, quantities or tracking): replace it',
  'return.cancelled': 'the return was cancelled or declined: nothing is coming back (final)',
  'return.closed': 'the merchant closed the return: nothing more is expected for it',
} as const;
export type ReturnEventType = keyof typeof RETURN_EVENT_MEANINGS;
export const RETURN_EVENT_TYPES = Object.keys(RETURN_EVENT_MEANINGS) as ReturnEventType[];

export const returnEventSchema = z.object({
  id: z.string().describe('stable event id; also the webhook Idempotency-Key'),
  type: z.enum(RETURN_EVENT_TYPES as [ReturnEventType, ...ReturnEventType[]]).describe(
    Object.entries(RETURN_EVENT_MEANINGS)
      .map(([type, meaning]) => `${type}: ${meaning}`)
      .join('; '),
  ),
  schemaVersion: z.literal(RETURN_SCHEMA_VERSION),
  occurredAt: z.string().describe('the order updatedAt this event reflects'),
  return: returnDocumentSchema,
});
export type ReturnEvent = z.infer<typeof returnEventSchema>;

/** The JSON Schema (draft 2020-12) of the event envelope carrying a return document. */
export function returnJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(returnEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $id: `https://dsync.dev/schema/return-event.v${RETURN_SCHEMA_VERSION}.json`,
    title: 'dsync return event',
    ...schema,
  };
}

/** How the ledger keys and describes a return. */
export function returnRefOf(document: ReturnDocument): ReturnRef {
  return {
    returnId: document.id,
    name: document.name,
    orderId: document.order.id,
    orderName: document.order.name,
    status: document.status,
    updatedAt: document.updatedAt,
  };
}
