import { describe, expect, it } from 'vitest';
import { csvHeader, eventCsvRows, eventFileName } from '../../../src/services/import/sinks.js';
import { followSearches, returnsSearch } from '../../../src/services/returns/import.js';
import { buildReturnEvent } from '../../../src/services/returns/lifecycle.js';
import type { ReturnDocument } from '../../../src/services/returns/return-document.js';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('the searches of a returns import', () => {
  it.each([
    [
      'first run: every order with a return in the last 60 days',
      undefined,
      "updated_at:>='2026-10-01T12:00:00Z' (return_status:return_requested OR return_status:in_progress OR return_status:returned OR return_status:inspection_complete OR return_status:return_failed)",
    ],
    [
      'since the checkpoint: every order whose returns may have changed',
      new Date('2026-11-30T11:58:00Z'),
      "updated_at:>='2026-11-30T11:58:00Z' (return_status:return_requested OR return_status:in_progress OR return_status:returned OR return_status:inspection_complete OR return_status:return_failed)",
    ],
  ])('%s', (_name, since, expected) => {
    expect(returnsSearch(since, NOW)).toBe(expected);
  });

  it('follows the orders of the returns the warehouse expects by id, 50 to a search', () => {
    const ids = Array.from({ length: 51 }, (_, i) => `gid://shopify/Order/${1000 + i}`);
    const searches = followSearches(ids, new Date('2026-11-30T11:58:00Z'));
    expect(searches).toHaveLength(2);
    expect(searches[0]).toMatch(
      /^updated_at:>='2026-11-30T11:58:00Z' \(id:1000 OR id:1001 OR .* OR id:1049\)$/,
    );
    expect(searches[1]).toBe("updated_at:>='2026-11-30T11:58:00Z' id:1050");
  });
});

describe('return events in the sinks', () => {
  const document: ReturnDocument = {
    schemaVersion: 1,
    id: 'gid://shopify/Return/501',
    legacyId: '501',
    name: '#1001-R1',
    shop: 's',
    status: 'OPEN',
    order: { id: 'gid://shopify/Order/1001', name: '#1001' },
    updatedAt: '2026-11-20T10:00:00Z',
    locationId: 'gid://shopify/Location/1',
    lines: [
      {
        returnLineItemId: 'rli',
        reverseFulfillmentOrderId: 'rfo',
        reverseFulfillmentOrderLineItemId: 'rfoli',
        sku: 'TEE',
        quantity: 2,
        reason: 'DEFECTIVE',
        reasonNote: null,
        customerNote: '=cmd',
        dispositions: [],
      },
    ],
    tracking: [{ carrier: 'UPS', number: '1Z', url: null }],
  };
  const event = buildReturnEvent('return.opened', document, { hash: 'h' });

  it('names the file after the return, the type and the event id', () => {
    expect(eventFileName(event, 'jsonl')).toBe(`return-501.return.opened.${event.id.slice(0, 16)}.json`);
  });

  it('writes one CSV row per line under the return columns, formulas neutralised', () => {
    expect(csvHeader(event)).toMatch(/^event_id,event,return_id,return_name,/);
    expect(eventCsvRows(event)).toEqual([
      `${event.id},return.opened,gid://shopify/Return/501,#1001-R1,OPEN,gid://shopify/Order/1001,#1001,2026-11-20T10:00:00Z,1Z,rfoli,TEE,2,DEFECTIVE,,'=cmd`,
    ]);
  });
});
