import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, separateOperations } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.js';
import { setup } from './support.js';

// Every query the sandbox declares it serves must resolve against seeded data without errors:
// a missing field or a wrong shape in the resolvers shows up here as a GraphQL error.
const served = parse(readFileSync(join(REPO_ROOT, 'src/sandbox/schema/served.graphql'), 'utf8'));
const documents = separateOperations(served);

describe('served operations', () => {
  const { data, run } = setup({ orders: 120 });
  const order = data.orders.find(
    (o) => o.fulfillmentIds.length > 0 && o.createdAt > Date.parse('2026-10-01'),
  )!;
  const ids: Record<string, string> = {
    'gid://shopify/Order/1': `gid://shopify/Order/${order.id}`,
    'gid://shopify/Location/1': `gid://shopify/Location/${data.locations[0]!.id}`,
    'gid://shopify/FulfillmentOrder/1': `gid://shopify/FulfillmentOrder/${order.fulfillmentOrderIds[0]}`,
    'gid://shopify/Fulfillment/1': `gid://shopify/Fulfillment/${order.fulfillmentIds[0]}`,
    'gid://shopify/ProductVariant/1': `gid://shopify/ProductVariant/${[...data.variants.keys()][0]}`,
    'gid://shopify/InventoryItem/1': `gid://shopify/InventoryItem/${[...data.inventoryItems.keys()][0]}`,
    'gid://shopify/Return/1': `gid://shopify/Return/${[...data.returns.keys()][0]}`,
    'gid://shopify/ReverseFulfillmentOrder/1': `gid://shopify/ReverseFulfillmentOrder/${[...data.reverseFulfillmentOrders.keys()][0]}`,
    'gid://shopify/ReverseDelivery/1': `gid://shopify/ReverseDelivery/${[...data.reverseDeliveries.keys()][0]}`,
  };
  const queries = served.definitions.filter(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query',
  );
  for (const op of queries) {
    if (op.kind !== Kind.OPERATION_DEFINITION) continue;
    it(`${op.name?.value} resolves with data and no errors`, async () => {
      let source = print(documents[op.name?.value ?? ''] ?? op);
      for (const [from, to] of Object.entries(ids)) source = source.split(`"${from}"`).join(`"${to}"`);
      const result = await run(source, { first: 5 });
      expect(result.errors ?? []).toEqual([]);
      expect(result.data).toBeTruthy();
    });
  }
});
