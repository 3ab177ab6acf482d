import { z } from 'zod';

/**
 * Shopify's `userErrors` of a mutation payload (HTTP 200, yet the mutation failed): the field
 * path and the message, and for the payloads that have one, the error code.
 */
export const userErrorsSchema = z.array(
  z.object({ field: z.array(z.string()).nullable(), message: z.string() }),
);

export const codedUserErrorsSchema = z.array(
  z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullable() }),
);
