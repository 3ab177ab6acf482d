import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.js';
import { NOW, setup } from './support.js';

// dsync's own read operations, run against the seeded store: the client and the sandbox are
// written apart (STYLE.md #10) and meet here. Text only: nothing from src/shopify is imported.
const DIR = join(REPO_ROOT, 'src', 'shopify', 'operations');
const operations: [string, OperationDefinitionNode, string][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .flatMap((file) =>
    [...readFileSync(join(DIR, file), 'utf8').matchAll(/\/\*\s*GraphQL\s*\*\/\s*`([^`]*)`/g)].flatMap((m) => {
      const body = m[1] ?? '';
      return parse(body)
        .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .map((op): [string, OperationDefinitionNode, string] => [
          `${file} ${op.name?.value ?? '(anonymous)'}`,
          op,
          body,
        ]);
    }),
  );

describe("dsync's operations against the seeded sandbox", () => {
  const env = setup({ orders: 150 });
  const order = env.data.orders.find(
    (o) => o.createdAt > NOW.getTime() - 30 * 86_400_000 && o.fulfillmentOrderIds.length > 1,
  )!;
  const variables: Record<string, unknown> = {
    first: 50,
    after: null,
    query: 'status:open',
    limit: 1000,
    ids: [`gid://shopify/Order/${order.id}`],
    // The 3PL's location (inventory operations).
    locationId: 'gid://shopify/Location/70000000004',
    // Presentment money instead of shop money (`@include(if: $local)`); the longer selection.
    local: true,
    // A fulfillment service's queue (requests.ts).
    status: 'FULFILLMENT_REQUESTED',
  };

  const queries = operations.filter(([, op]) => op.operation === 'query');
  it('finds operations', () => {
    expect(queries.length).toBeGreaterThan(3);
  });

  for (const [name, op, body] of queries) {
    const isBulkDocument =
      (op.variableDefinitions ?? []).length === 0 && /\b(orders|fulfillmentOrders)\s*\(query:/.test(body);
    it(`${name} ${isBulkDocument ? 'runs as a bulk query' : 'resolves'} without errors`, async () => {
      if (isBulkDocument) {
        const r = await env.run(
          `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`,
          { q: body.replace(/"__DSYNC_SEARCH__"/, JSON.stringify('status:open')) },
        );
        expect(r.data.bulkOperationRunQuery.userErrors).toEqual([]);
        const id = r.data.bulkOperationRunQuery.bulkOperation.id;
        let status = 'CREATED';
        for (let i = 0; i < 500 && (status === 'CREATED' || status === 'RUNNING'); i++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          status = (await env.run(`query($id: ID!) { bulkOperation(id: $id) { status } }`, { id })).data
            .bulkOperation.status;
        }
        expect(status).toBe('COMPLETED');
        return;
      }
      const id = name.includes('FulfillmentOrderLines')
        ? `gid://shopify/FulfillmentOrder/${order.fulfillmentOrderIds[0]}`
        : `gid://shopify/Order/${order.id}`;
      const r = await env.run(body, { ...variables, id }, {}, op.name?.value);
      expect(r.errors ?? []).toEqual([]);
      expect(r.data).toBeTruthy();
    });
  }
});
