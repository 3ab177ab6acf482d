/** HTML the sandbox shows in the browser during authorization. Every interpolated value is escaped. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&#39;';
      default:
        return '&#96;';
    }
  });
}

/** What the merchant reads for each scope (Shopify's own wording where dsync needs the scope). */
const SCOPE_TEXT: Record<string, string> = {
  read_all_orders: 'View all orders, not only those from the last 60 days',
  read_orders: 'View orders, transactions and fulfillments',
  write_orders: 'Manage orders, transactions and fulfillments',
  read_products: 'View products, variants and collections',
  write_products: 'Manage products, variants and collections',
  read_inventory: 'View inventory across multiple locations',
  write_inventory: 'Manage inventory across multiple locations',
  read_locations: 'View the locations of stores, warehouses and other places',
  read_fulfillments: 'View fulfillment services',
  write_fulfillments: 'Manage fulfillment services',
  read_assigned_fulfillment_orders: 'View fulfillment orders assigned to a location this app manages',
  write_assigned_fulfillment_orders: 'Manage fulfillment orders assigned to a location this app manages',
  read_merchant_managed_fulfillment_orders: 'View fulfillment orders assigned to merchant-managed locations',
  write_merchant_managed_fulfillment_orders:
    'Manage fulfillment orders assigned to merchant-managed locations',
  read_third_party_fulfillment_orders: 'View fulfillment orders assigned to other fulfillment services',
  write_third_party_fulfillment_orders: 'Manage fulfillment orders assigned to other fulfillment services',
};

/** Human text for a scope: a known description, else `read_x`/`write_x` spelled out. */
export function describeScope(scope: string): string {
  const known = SCOPE_TEXT[scope];
  if (known !== undefined) return known;
  const match = /^(read|write)_(.+)$/.exec(scope);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return `${match[1] === 'read' ? 'View' : 'Manage'} ${match[2].replace(/_/g, ' ')}`;
  }
  return scope;
}

const STYLE = `
  body { font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", sans-serif; background: #f1f1f1;
         color: #303030; margin: 0; }
  main { max-width: 36rem; margin: 4rem auto; background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
  .shop { color: #616161; margin: 0 0 1.5rem; }
  ul { padding-left: 1.25rem; }
  code { font-size: .85em; color: #616161; }
  .actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 2rem; }
  form { margin: 0; }
  button { font: inherit; border-radius: 8px; padding: .5rem 1rem; cursor: pointer; border: 1px solid #303030;
           background: #303030; color: #fff; }
  button.secondary { background: #fff; color: #303030; border-color: #ccc; }
  .sandbox { font-size: .8rem; color: #8a8a8a; margin-top: 2rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="sandbox">dsync sandbox store — nothing here is a real Shopify store.</p>
</main>
</body>
</html>
`;
}

export interface ApprovalPageInput {
  shop: string;
  appName: string;
  scopes: readonly string[];
  /** Identifies the pending request; posted back with the decision. */
  nonce: string;
  /** Where the form posts (a path on the sandbox). */
  action: string;
}

/** Shopify's install screen: the app, the store, what it may access, Install / Cancel. */
export function approvalPage(input: ApprovalPageInput): string {
  const action = escapeHtml(input.action);
  const nonce = escapeHtml(input.nonce);
  const items = input.scopes
    .map((scope) => `  <li>${escapeHtml(describeScope(scope))} <code>${escapeHtml(scope)}</code></li>`)
    .join('\n');
  return layout(
    `Install ${input.appName}`,
    `<h1>Install ${escapeHtml(input.appName)}</h1>
<p class="shop">on <strong>${escapeHtml(input.shop)}</strong></p>
<p>This app will be able to:</p>
<ul>
${items}
</ul>
<div class="actions">
  <form method="post" action="${action}">
    <input type="hidden" name="nonce" value="${nonce}">
    <input type="hidden" name="decision" value="cancel">
    <button type="submit" class="secondary">Cancel</button>
  </form>
  <form method="post" action="${action}">
    <input type="hidden" name="nonce" value="${nonce}">
    <input type="hidden" name="decision" value="install">
    <button type="submit">Install</button>
  </form>
</div>`,
  );
}

/** Shopify's "Oauth error" page for a request it will not redirect back from. */
export function oauthErrorPage(error: string, description: string): string {
  return layout(
    'Oauth error',
    `<h1>Oauth error ${escapeHtml(error)}</h1>
<p>${escapeHtml(description)}</p>`,
  );
}
