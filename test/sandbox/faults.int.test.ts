import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected field by field
type Json = any;

/** The fault kinds of `--faults` over real HTTP, with Shopify's shapes. */
let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ orders: 30, seed: 3 });
});
afterAll(async () => {
  await sandbox?.stop();
});

async function post(body: unknown, token: string = sandbox.accessToken) {
  const res = await fetch(sandbox.graphqlUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify(body),
  });
  return { res, json: (await res.json()) as Json };
}

const RUN_BULK = {
  query: `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id lineItems { edges { node { id } } } } } } }") {
    bulkOperation { id status } userErrors { field message } } }`,
};
const bulkStatus = async (id: string) =>
  (
    await post({
      query: `query B($id: ID!) { bulkOperation(id: $id) { status errorCode objectCount url partialDataUrl } }`,
      variables: { id },
    })
  ).json.data.bulkOperation;

async function settle(id: string): Promise<Json> {
  for (let i = 0; i < 100; i++) {
    const op = await bulkStatus(id);
    if (!['CREATED', 'RUNNING', 'CANCELING'].includes(op.status)) return op;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`bulk operation ${id} did not settle`);
}

describe('sandbox faults over HTTP', () => {
  it('lost@N applies the mutation and resets the connection', async () => {
    sandbox.setFaults('lost@1');
    await expect(post(RUN_BULK)).rejects.toThrow();
    sandbox.setFaults(undefined);
    // The bulk query was started even though its answer never came.
    const current = await post({ query: '{ currentBulkOperation { id status } }' });
    expect(current.json.data.currentBulkOperation).not.toBeNull();
    await settle(current.json.data.currentBulkOperation.id);
  });

  it('bulk-failed ends the operation FAILED with partialDataUrl holding the objects written', async () => {
    sandbox.setFaults('bulk-failed@1:objects=7');
    const run = await post(RUN_BULK);
    sandbox.setFaults(undefined);
    const op = await settle(run.json.data.bulkOperationRunQuery.bulkOperation.id);
    expect(op).toMatchObject({
      status: 'FAILED',
      errorCode: 'INTERNAL_SERVER_ERROR',
      objectCount: '7',
      url: null,
    });
    const partial = await (await fetch(op.partialDataUrl)).text();
    expect(partial.trim().split('\n')).toHaveLength(7);
  });

  it('bulk-stuck keeps the operation RUNNING until it is cancelled', async () => {
    sandbox.setFaults('bulk-stuck@1');
    const run = await post(RUN_BULK);
    sandbox.setFaults(undefined);
    const id = run.json.data.bulkOperationRunQuery.bulkOperation.id;
    await new Promise((r) => setTimeout(r, 300));
    expect(await bulkStatus(id)).toMatchObject({ status: 'RUNNING', objectCount: '0' });
    await post({
      query: `mutation C($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`,
      variables: { id },
    });
    expect((await settle(id)).status).toBe('CANCELED');
  });

  it('revoke@N answers that request and every later one with Shopify’s 401', async () => {
    const own = sandbox.issueToken(['read_orders']);
    sandbox.setFaults('revoke@2');
    expect((await post({ query: '{ shop { name } }' }, own)).res.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const denied = await post({ query: '{ shop { name } }' }, own);
      expect(denied.res.status).toBe(401);
      expect(denied.json).toEqual({
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    sandbox.setFaults(undefined);
    // A token issued afterwards works.
    expect((await post({ query: '{ shop { name } }' }, sandbox.issueToken(['read_orders']))).res.status).toBe(
      200,
    );
  });

  it('mix at rate 1: every request faulted, queries never with a lost mutation; counts what it injected', async () => {
    // The revoke above took the sandbox's own token: a token of its own.
    const token = sandbox.issueToken(['read_orders']);
    sandbox.setFaults('mix:rate=1:seed=1:slow-ms=10');
    const answers: number[] = [];
    for (let i = 0; i < 40; i++) {
      try {
        answers.push((await post({ query: '{ shop { name } }' }, token)).res.status);
      } catch {
        answers.push(0);
      }
    }
    const { requests, injected } = sandbox.faults();
    sandbox.setFaults(undefined);
    expect(requests).toBe(40);
    expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBe(40);
    expect(new Set(answers)).toEqual(new Set([0, 200, 429, 500, 502, 503]));
    expect(injected['applied-reset']).toBeUndefined();
    expect(injected['applied-status']).toBeUndefined();
  });
});
