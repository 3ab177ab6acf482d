import { describe, expect, it } from 'vitest';
import { returnJsonSchema } from '../../../src/services/returns/return-document.js';
import { RETURN_EVENT_JSON_SCHEMA } from '../../../src/services/returns/return-event-schema.js';

describe('the published return event schema', () => {
  it('is the JSON Schema of the zod schema the returns import builds events from (else run `npm run schema:order`)', () => {
    expect(RETURN_EVENT_JSON_SCHEMA).toBe(JSON.stringify(returnJsonSchema(), null, 2));
  });
});
