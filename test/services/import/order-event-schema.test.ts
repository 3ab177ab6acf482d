import { describe, expect, it } from 'vitest';
import { orderJsonSchema } from '../../../src/services/import/order-document.js';
import { ORDER_EVENT_JSON_SCHEMA } from '../../../src/services/import/order-event-schema.js';

describe('the published order event schema', () => {
  it('is the JSON Schema of the zod schema the import validates with (else run `npm run schema:order`)', () => {
    expect(ORDER_EVENT_JSON_SCHEMA).toBe(JSON.stringify(orderJsonSchema(), null, 2));
  });
});
