#!/usr/bin/env node
// The script a warehouse developer writes in an afternoon instead of using dsync: Shopify's own
// client, one orders search (paid, nothing shipped, open, created in the last N days), every page
// written to a file as JSON lines. It is the baseline of scripts/bench/import-vs-script.js, so it
// is written as competently as such a script would be, not as a strawman:
//
// - The search lets Shopify filter (financial_status, fulfillment_status, status, created_at):
//   no order outside the selection is read.
// - Only the fields a warehouse needs: name, email, shipping address, totals, and the lines'
//   sku, quantity and name.
// - The page size is the largest that keeps the requested cost under Shopify's 1,000-point
//   limit for one query (first: 50 is refused with MAX_COST_EXCEEDED: 50 line items make each
//   order cost 63 points; see PAGE_SIZE).
// - THROTTLED (HTTP 200 with a THROTTLED error, which the client's `retries` do not cover: those
//   retry 429/503 and dropped connections, 1 s apart) waits as Shopify's rate-limit docs say: for
//   the points missing, (requestedQueryCost − currentlyAvailable) ÷ restoreRate seconds, then
//   retries the same page.
//
// Run alone: SHOPIFY_STORE=shop.myshopify.com SHOPIFY_ACCESS_TOKEN=… node plain-script.js out.jsonl
// (DAYS=30 by default, or SINCE=<ISO datetime>; SHOPIFY_API_ORIGIN=http://127.0.0.1:port points
// it at a sandbox). Prints one JSON line: orders, requests, throttled retries, requested and
// actual cost, seconds.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createAdminApiClient } from '@shopify/admin-api-client';

/** 2 + 15 × 63 = 947 requested points per page (2 for the connection, 63 per order; 16 would be 1,010). */
export const PAGE_SIZE = 15;

export const ORDERS_QUERY = `#graphql
  query UnfulfilledOrders($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        createdAt
        email
        phone
        note
        currencyCode
        shippingAddress {
          name company address1 address2 city province provinceCode zip country countryCodeV2 phone
        }
        shippingLine { title code }
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalShippingPriceSet { shopMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
        lineItems(first: 50) {
          nodes { id sku name variantTitle quantity requiresShipping }
        }
      }
    }
  }
`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes every matching order to `out` as one JSON line. `origin` (optional) sends the requests
 * to a sandbox instead of https://{store}.
 */
export async function importOrders({ store, accessToken, origin, since, out, pageSize = PAGE_SIZE }) {
  const client = createAdminApiClient({
    storeDomain: store,
    apiVersion: '2026-10',
    accessToken,
    retries: 3,
    ...(origin
      ? { customFetchApi: (url, init) => fetch(String(url).replace(`https://${store}`, origin), init) }
      : {}),
  });
  const search = `financial_status:paid fulfillment_status:unfulfilled status:open created_at:>='${since}'`;
  const stats = {
    orders: 0,
    requests: 0,
    throttled: 0,
    requestedCost: 0,
    actualCost: 0,
    maxRequestedCost: 0,
  };

  async function page(after) {
    for (;;) {
      const { data, errors, extensions } = await client.request(ORDERS_QUERY, {
        variables: { first: pageSize, after, query: search },
      });
      stats.requests += 1;
      const cost = extensions?.cost;
      if (errors?.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED') && cost) {
        stats.throttled += 1;
        const { currentlyAvailable, restoreRate } = cost.throttleStatus;
        await sleep(Math.ceil(((cost.requestedQueryCost - currentlyAvailable) / restoreRate) * 1000));
        continue;
      }
      if (errors) throw new Error(JSON.stringify(errors.graphQLErrors ?? errors.message));
      stats.requestedCost += cost?.requestedQueryCost ?? 0;
      stats.actualCost += cost?.actualQueryCost ?? 0;
      stats.maxRequestedCost = Math.max(stats.maxRequestedCost, cost?.requestedQueryCost ?? 0);
      return data.orders;
    }
  }

  const file = createWriteStream(out);
  let after = null;
  do {
    const orders = await page(after);
    for (const order of orders.nodes) {
      const ok = file.write(`${JSON.stringify(order)}\n`);
      stats.orders += 1;
      if (!ok) await new Promise((resolve) => file.once('drain', resolve));
    }
    after = orders.pageInfo.hasNextPage ? orders.pageInfo.endCursor : null;
  } while (after);
  file.end();
  await finished(file);
  return stats;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const days = Number(process.env.DAYS ?? 30);
  const since =
    process.env.SINCE ?? new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const stats = await importOrders({
    store: process.env.SHOPIFY_STORE,
    accessToken: process.env.SHOPIFY_ACCESS_TOKEN,
    origin: process.env.SHOPIFY_API_ORIGIN,
    since,
    out: process.argv[2] ?? 'orders.jsonl',
  });
  console.log(JSON.stringify({ ...stats, since, seconds: (Date.now() - started) / 1000 }));
}
