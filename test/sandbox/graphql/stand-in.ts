import { GraphQLError } from 'graphql';
import type { ResolverMap, SandboxRequestContext } from '../../../src/sandbox/context.js';

/**
 * A tiny store for testing the GraphQL engine without the seeded data: `count` orders with two
 * line items each, and one location.
 */
export function standInResolvers(count = 300): ResolverMap {
  const orders = Array.from({ length: count }, (_, i) => ({
    id: `gid://shopify/Order/${i + 1}`,
    name: `#${1001 + i}`,
    createdAt: new Date(Date.UTC(2026, 9, 1, 12, 0, i)),
    totalPriceSet: {
      shopMoney: { amount: 10 + i, currencyCode: 'EUR' },
      presentmentMoney: { amount: '12.50', currencyCode: 'USD' },
    },
    lineItems: [
      { id: `gid://shopify/LineItem/${i * 2 + 1}`, sku: 'SKU-A', quantity: 1 },
      { id: `gid://shopify/LineItem/${i * 2 + 2}`, sku: 'SKU-B', quantity: 2 },
    ],
  }));
  const page = <T extends { id: string }>(items: T[], args: Record<string, unknown>) => {
    const first = typeof args.first === 'number' ? args.first : items.length;
    const start = typeof args.after === 'string' ? items.findIndex((o) => o.id === args.after) + 1 : 0;
    const slice = items.slice(start, start + first);
    return {
      edges: slice.map((node) => ({ cursor: node.id, node })),
      nodes: slice,
      pageInfo: {
        hasNextPage: start + first < items.length,
        hasPreviousPage: start > 0,
        startCursor: slice[0]?.id ?? null,
        endCursor: slice[slice.length - 1]?.id ?? null,
      },
    };
  };
  return {
    QueryRoot: {
      shop: (_p, _a, ctx: SandboxRequestContext) => ({
        id: 'gid://shopify/Shop/1',
        name: 'Stand-in',
        myshopifyDomain: ctx.shop,
        email: `${ctx.clientId}@${ctx.accessToken}`,
        currencyCode: 'EUR',
        ianaTimezone: 'Europe/Berlin',
        plan: { displayName: 'Basic', shopifyPlus: false, partnerDevelopment: true },
        fulfillmentServices: [],
      }),
      orders: (_p, args, ctx: SandboxRequestContext) => {
        if (!ctx.scopes.has('read_orders')) {
          throw new GraphQLError(
            'Access denied for orders field. Required access: `read_orders` access scope.',
            {
              extensions: {
                code: 'ACCESS_DENIED',
                documentation: 'https://shopify.dev/api/usage/access-scopes',
                requiredAccess: '`read_orders` access scope.',
              },
            },
          );
        }
        return page(orders, args);
      },
      order: (_p, args) => orders.find((o) => o.id === args.id) ?? null,
      locations: () => {
        throw new Error('boom: a bug in a resolver');
      },
    },
    Order: {
      lineItems: (parent, args) => page((parent as (typeof orders)[number]).lineItems, args),
    },
  };
}
