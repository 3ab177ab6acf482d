import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactString, redactValue } from '../../src/core/redact.js';

const TOKEN = `shpat_${'a1'.repeat(16)}`;
const SECRET = `shpss_${'b2'.repeat(16)}`;

describe('redaction', () => {
  it.each([
    [`token ${TOKEN} used`, `token shpat_${REDACTED} used`],
    [`secret=${SECRET}`, `secret=shpss_${REDACTED}`],
    [
      'http://127.0.0.1:3456/callback?code=abc123&hmac=deadbeef&shop=x.myshopify.com',
      `http://127.0.0.1:3456/callback?code=${REDACTED}&hmac=${REDACTED}&shop=x.myshopify.com`,
    ],
    [
      '/token?refresh_token=r1&client_secret=s2',
      `/token?refresh_token=${REDACTED}&client_secret=${REDACTED}`,
    ],
    ['nothing to hide', 'nothing to hide'],
  ])('redactString(%j)', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('removes known secrets that have no recognisable prefix', () => {
    expect(redactString('the key is hunter2-long-secret', ['hunter2-long-secret'])).toBe(
      `the key is ${REDACTED}`,
    );
  });

  it('redacts sensitive keys at any depth and leaves the rest', () => {
    const out = redactValue({
      access_token: TOKEN,
      scope: 'read_orders',
      nested: [{ client_secret: SECRET, refresh_token: 'shprt_x', name: 'ok' }],
    });
    expect(out).toEqual({
      access_token: REDACTED,
      scope: 'read_orders',
      nested: [{ client_secret: REDACTED, refresh_token: REDACTED, name: 'ok' }],
    });
    expect(JSON.stringify(out)).not.toContain('shpat_a1');
  });

  it('redacts the access-token header whatever its case', () => {
    expect(redactHeaders({ 'X-Shopify-Access-Token': TOKEN, 'content-type': 'application/json' })).toEqual({
      'X-Shopify-Access-Token': REDACTED,
      'content-type': 'application/json',
    });
  });
});
