import { describe, expect, it } from 'vitest';
import { approvalPage, describeScope, escapeHtml, oauthErrorPage } from '../../../src/sandbox/auth/pages.js';

describe('escapeHtml', () => {
  it.each([
    ['<b>', '&lt;b&gt;'],
    ['a & b', 'a &amp; b'],
    ['"quoted"', '&quot;quoted&quot;'],
    ["it's", 'it&#39;s'],
    ['`tick`', '&#96;tick&#96;'],
    ['&amp;', '&amp;amp;'],
    ['plain', 'plain'],
  ])('escapes %s', (input, output) => {
    expect(escapeHtml(input)).toBe(output);
  });
});

describe('describeScope', () => {
  it.each([
    ['read_orders', 'View orders, transactions and fulfillments'],
    ['write_inventory', 'Manage inventory across multiple locations'],
    ['read_all_orders', 'View all orders, not only those from the last 60 days'],
    ['read_gift_cards', 'View gift cards'],
    ['write_draft_orders', 'Manage draft orders'],
    ['customer_read_orders', 'customer_read_orders'],
  ])('%s reads as "%s"', (scope, text) => {
    expect(describeScope(scope)).toBe(text);
  });
});

describe('approvalPage', () => {
  const html = approvalPage({
    shop: 'acme.myshopify.com',
    appName: 'Ware"house',
    scopes: ['read_orders', 'write_inventory'],
    nonce: 'abc123',
    action: '/admin/oauth/authorize/approve',
  });

  it('lists every requested scope with its text', () => {
    expect(html).toContain('View orders, transactions and fulfillments <code>read_orders</code>');
    expect(html).toContain('Manage inventory across multiple locations <code>write_inventory</code>');
  });

  it('posts the nonce with either decision', () => {
    expect(html.match(/name="nonce" value="abc123"/g)).toHaveLength(2);
    expect(html).toContain('name="decision" value="install"');
    expect(html).toContain('name="decision" value="cancel"');
  });

  it('escapes the app name in the title and the heading', () => {
    expect(html).toContain('<title>Install Ware&quot;house</title>');
    expect(html).toContain('<h1>Install Ware&quot;house</h1>');
  });
});

describe('oauthErrorPage', () => {
  it('names the error and escapes the description', () => {
    const html = oauthErrorPage('invalid_scope', 'The access scope is invalid: <x>');
    expect(html).toContain('Oauth error invalid_scope');
    expect(html).toContain('The access scope is invalid: &lt;x&gt;');
  });
});
