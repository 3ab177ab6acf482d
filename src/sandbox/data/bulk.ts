import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  type GraphQLField,
  GraphQLIncludeDirective,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  GraphQLUnionType,
  type InlineFragmentNode,
  isLeafType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import { FULFILLMENT_ORDERS_READ_SCOPES, hasAnyScope, orderVisible } from './access.js';
import type { BulkTiming } from './bulk-timing.js';
import { sortItems } from './connection.js';
import { isoTime } from './gid.js';
import type { BulkOperationRecord } from './model.js';
import {
  fulfillmentOrderSort,
  INVENTORY_ITEM_SEARCH,
  OrderIndex,
  VARIANT_SEARCH,
  visibleFulfillmentOrders,
} from './queries.js';
import { compileSearch, parseSearchQuery } from './search.js';
import type { SandboxData } from './store.js';
import { Views } from './views.js';

/** Shopify's limits for bulk queries. */
export const BULK_MAX_CONNECTIONS = 5;
export const BULK_MAX_DEPTH = 2;
/** Roots rendered per event-loop turn, so a 100k-order export never blocks the server. */
const CHUNK = 250;

type Obj = Record<string, unknown>;
type BulkCtx = Pick<
  SandboxRequestContext,
  'scopes' | 'now' | 'origin' | 'accessToken' | 'clientId' | 'apiVersion' | 'shop' | 'requestId'
>;

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: 'INVALID' | 'OPERATION_IN_PROGRESS';
}

/**
 * Root connections the sandbox can run in bulk, with the scopes each needs (as the paged query
 * checks them). `assignedFulfillmentOrders` is left out: dsync never reads it.
 */
const ROOTS: Record<string, readonly string[]> = {
  orders: ['read_orders'],
  fulfillmentOrders: FULFILLMENT_ORDERS_READ_SCOPES,
  productVariants: ['read_products'],
  products: ['read_products'],
  inventoryItems: ['read_inventory', 'read_products'],
  locations: ['read_locations'],
};

let bulkDirPath: string | null = null;

/** One temp directory per sandbox process for result files, removed when the process exits. */
function bulkDir(): string {
  if (bulkDirPath === null) {
    const dir = mkdtempSync(join(tmpdir(), 'dsync-sandbox-bulk-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    bulkDirPath = dir;
  }
  return bulkDirPath;
}

function isConnectionType(type: GraphQLOutputType): type is GraphQLObjectType {
  const named = getNamedType(type);
  return (
    named instanceof GraphQLObjectType &&
    named.name.endsWith('Connection') &&
    ('edges' in named.getFields() || 'nodes' in named.getFields())
  );
}

function unwrapNonNull(type: GraphQLOutputType): GraphQLOutputType {
  return type instanceof GraphQLNonNull ? (type.ofType as GraphQLOutputType) : type;
}

/**
 * `@skip(if:)` / `@include(if:)` on a selection. Bulk queries take no variables, so the
 * conditions are literals.
 */
function included(node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, {})?.if === true) return false;
  if (getDirectiveValues(GraphQLIncludeDirective, node, {})?.if === false) return false;
  return true;
}

interface Analysis {
  rootField: FieldNode;
  fragments: Map<string, FragmentDefinitionNode>;
}

/** Checks a bulk query against the schema and Shopify's bulk rules; returns errors as messages. */
export function analyzeBulkQuery(
  schema: GraphQLSchema,
  query: string,
): { ok: true; analysis: Analysis } | { ok: false; message: string } {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch (error) {
    return { ok: false, message: `Invalid bulk query: ${(error as Error).message}` };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) {
    return { ok: false, message: `Invalid bulk query: ${errors.map((e) => e.message).join('; ')}` };
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  if (operations.length !== 1 || operations[0]?.operation !== 'query') {
    return {
      ok: false,
      message: 'Invalid bulk query: a bulk query must contain exactly one query operation.',
    };
  }
  const operation = operations[0];
  if ((operation.variableDefinitions ?? []).length > 0) {
    return { ok: false, message: 'Invalid bulk query: variables are not supported in bulk queries.' };
  }
  const topFields = operation.selectionSet.selections.filter(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename',
  );
  if (topFields.length !== 1 || operation.selectionSet.selections.length !== topFields.length) {
    return { ok: false, message: 'Invalid bulk query: bulk queries must have exactly one top-level field.' };
  }
  const rootField = topFields[0] as FieldNode;
  if (rootField.name.value === 'node' || rootField.name.value === 'nodes') {
    return {
      ok: false,
      message: "Invalid bulk query: the top-level node and nodes fields can't be used in bulk queries.",
    };
  }
  const queryType = schema.getQueryType();
  const rootDef = queryType?.getFields()[rootField.name.value];
  if (!rootDef || !isConnectionType(rootDef.type)) {
    return { ok: false, message: 'Invalid bulk query: Bulk queries must contain at least one connection.' };
  }
  if (!(rootField.name.value in ROOTS)) {
    return {
      ok: false,
      message: `Invalid bulk query: the field '${rootField.name.value}' is not supported in bulk queries by this sandbox.`,
    };
  }
  // Count connections and their nesting depth.
  let connections = 0;
  let maxDepth = 0;
  let problem: string | null = null;
  const walk = (
    selectionSet: SelectionSetNode | undefined,
    parent: GraphQLOutputType,
    depth: number,
    visited: Set<string>,
  ): void => {
    if (!selectionSet || problem) return;
    const named = getNamedType(parent);
    for (const sel of selectionSet.selections) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value);
        if (frag && !visited.has(frag.name.value)) {
          const type = schema.getType(frag.typeCondition.name.value) as GraphQLOutputType | undefined;
          walk(frag.selectionSet, type ?? parent, depth, new Set([...visited, frag.name.value]));
        }
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition
          ? (schema.getType(sel.typeCondition.name.value) as GraphQLOutputType | undefined)
          : parent;
        walk(sel.selectionSet, type ?? parent, depth, visited);
        continue;
      }
      if (!(named instanceof GraphQLObjectType || named instanceof GraphQLInterfaceType)) continue;
      const def = named.getFields()[sel.name.value];
      if (!def) continue;
      if (isConnectionType(def.type)) {
        connections++;
        const d = depth + 1;
        maxDepth = Math.max(maxDepth, d);
        const conn = getNamedType(def.type) as GraphQLObjectType;
        const nodeType = nodeTypeOf(conn);
        const inner = connectionNodeSelections(sel, fragments);
        if (inner.length === 0) {
          problem = `Invalid bulk query: the connection '${sel.name.value}' must select edges { node { … } } or nodes { … }.`;
          return;
        }
        for (const s of inner) walk(s, nodeType ?? def.type, d, visited);
      } else if (
        getNamedType(def.type) instanceof GraphQLObjectType ||
        getNamedType(def.type) instanceof GraphQLInterfaceType
      ) {
        walk(sel.selectionSet, def.type, depth, visited);
      }
    }
  };
  walk(operation.selectionSet, queryType as GraphQLObjectType, -1, new Set());
  if (problem) return { ok: false, message: problem };
  if (connections > BULK_MAX_CONNECTIONS) {
    return {
      ok: false,
      message: `Invalid bulk query: Bulk queries cannot contain more than ${BULK_MAX_CONNECTIONS} connections.`,
    };
  }
  if (maxDepth > BULK_MAX_DEPTH - 1) {
    return {
      ok: false,
      message: `Invalid bulk query: Bulk queries cannot contain connections with a nesting depth greater than ${BULK_MAX_DEPTH}.`,
    };
  }
  return { ok: true, analysis: { rootField, fragments } };
}

function nodeTypeOf(connection: GraphQLObjectType): GraphQLOutputType | undefined {
  const fields = connection.getFields();
  const nodes = fields.nodes;
  if (nodes) return nodes.type;
  const edges = fields.edges;
  if (!edges) return undefined;
  const edgeType = getNamedType(edges.type);
  return edgeType instanceof GraphQLObjectType ? edgeType.getFields().node?.type : undefined;
}

/** The selection sets applied to each node of a connection field (`edges { node {…} }` and/or `nodes {…}`). */
function connectionNodeSelections(
  field: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
): SelectionSetNode[] {
  const out: SelectionSetNode[] = [];
  const visit = (set: SelectionSetNode | undefined, level: 'connection' | 'edge'): void => {
    if (!set) return;
    for (const sel of set.selections) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet, level);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) visit(fragments.get(sel.name.value)?.selectionSet, level);
      else if (level === 'connection' && sel.name.value === 'edges') visit(sel.selectionSet, 'edge');
      else if (level === 'connection' && sel.name.value === 'nodes' && sel.selectionSet)
        out.push(sel.selectionSet);
      else if (level === 'edge' && sel.name.value === 'node' && sel.selectionSet) out.push(sel.selectionSet);
    }
  };
  visit(field.selectionSet, 'connection');
  return out;
}

/** Renders one node for the JSONL file: its own line plus child lines (`__parentId`). */
class NodeRenderer {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly ctx: BulkCtx,
  ) {}

  /** Appends the node's line to `own` and its descendants' lines to `children`. */
  render(
    node: Obj,
    type: GraphQLOutputType,
    selections: SelectionSetNode[],
    parentId: string | null,
    own: string[],
    children: string[],
  ): void {
    const descendants: string[] = [];
    const object = this.object(node, type, selections, descendants);
    if (parentId !== null) object.__parentId = parentId;
    own.push(JSON.stringify(object));
    for (const line of descendants) children.push(line);
  }

  private concreteType(node: Obj, type: GraphQLOutputType): GraphQLObjectType | null {
    const named = getNamedType(type);
    if (named instanceof GraphQLObjectType) return named;
    if (named instanceof GraphQLInterfaceType || named instanceof GraphQLUnionType) {
      const t = typeof node.__typename === 'string' ? this.schema.getType(node.__typename) : undefined;
      return t instanceof GraphQLObjectType ? t : null;
    }
    return null;
  }

  private collect(
    type: GraphQLObjectType,
    sets: readonly SelectionSetNode[],
    out: FieldNode[] = [],
  ): FieldNode[] {
    for (const set of sets) {
      for (const sel of set.selections) {
        if (!included(sel)) continue;
        if (sel.kind === Kind.FIELD) out.push(sel);
        else if (sel.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(type, sel.typeCondition?.name.value)) this.collect(type, [sel.selectionSet], out);
        } else {
          const frag = this.fragments.get(sel.name.value);
          if (frag && this.applies(type, frag.typeCondition.name.value))
            this.collect(type, [frag.selectionSet], out);
        }
      }
    }
    return out;
  }

  private applies(type: GraphQLObjectType, condition: string | undefined): boolean {
    if (!condition || condition === type.name) return true;
    const cond = this.schema.getType(condition);
    if (cond instanceof GraphQLInterfaceType) return type.getInterfaces().some((i) => i.name === condition);
    if (cond instanceof GraphQLUnionType) return cond.getTypes().some((t) => t.name === type.name);
    return false;
  }

  private resolve(node: Obj, def: GraphQLField<unknown, unknown>, field: FieldNode): unknown {
    const raw = node[field.name.value];
    if (typeof raw === 'function') {
      const args = getArgumentValues(def, field, {});
      return (raw as (a: Obj, c: BulkCtx) => unknown)(args, this.ctx);
    }
    return raw;
  }

  private object(
    node: Obj,
    type: GraphQLOutputType,
    selections: readonly SelectionSetNode[],
    descendants: string[],
  ): Obj {
    const concrete = this.concreteType(node, type);
    const out: Obj = {};
    if (!concrete) return out;
    const fields = concrete.getFields();
    for (const field of this.collect(concrete, selections)) {
      const key = field.alias?.value ?? field.name.value;
      if (field.name.value === '__typename') {
        out[key] = concrete.name;
        continue;
      }
      const def = fields[field.name.value];
      if (!def) continue;
      const value = this.resolve(node, def, field);
      if (isConnectionType(def.type)) {
        const conn = value as { nodes?: Obj[] } | null | undefined;
        const nodeType = nodeTypeOf(getNamedType(def.type) as GraphQLObjectType);
        const parentId = typeof node.id === 'string' ? node.id : null;
        const inner = connectionNodeSelections(field, this.fragments);
        for (const child of conn?.nodes ?? []) {
          if (!nodeType) continue;
          // A child's own line precedes its own children.
          const own: string[] = [];
          const kids: string[] = [];
          this.render(child, nodeType, inner, parentId, own, kids);
          descendants.push(...own, ...kids);
        }
        continue;
      }
      out[key] = this.value(value, def.type, field, descendants);
    }
    return out;
  }

  private value(value: unknown, type: GraphQLOutputType, field: FieldNode, descendants: string[]): unknown {
    if (value === undefined || value === null) return null;
    const t = unwrapNonNull(type);
    if (t instanceof GraphQLList) {
      const itemType = t.ofType as GraphQLOutputType;
      return (value as unknown[]).map((v) =>
        this.value(typeof v === 'function' ? (v as () => unknown)() : v, itemType, field, descendants),
      );
    }
    if (isLeafType(t)) return value;
    const resolved = typeof value === 'function' ? (value as () => unknown)() : value;
    if (resolved === null || resolved === undefined) return null;
    return this.object(resolved as Obj, t, field.selectionSet ? [field.selectionSet] : [], descendants);
  }
}

/** Bulk operations belong to the calling app (its client id), else to the token. */
export function bulkOwner(ctx: Pick<SandboxRequestContext, 'accessToken' | 'clientId'>): string {
  return ctx.clientId ? `app:${ctx.clientId}` : `token:${ctx.accessToken}`;
}

/** Read through a function so TypeScript does not narrow a status that changes across awaits. */
function isCanceling(op: BulkOperationRecord): boolean {
  return op.status === 'CANCELING';
}

/** Active (not finished) bulk operations of one app. */
function activeOperations(data: SandboxData, owner: string): BulkOperationRecord[] {
  return [...data.bulkOperations.values()].filter(
    (op) => op.owner === owner && (op.status === 'CREATED' || op.status === 'RUNNING' || isCanceling(op)),
  );
}

/** The most recent bulk operation of the calling app (`currentBulkOperation`). */
export function currentBulkOperation(
  data: SandboxData,
  ctx: Pick<SandboxRequestContext, 'accessToken'>,
): BulkOperationRecord | null {
  let latest: BulkOperationRecord | null = null;
  for (const op of data.bulkOperations.values())
    if (op.owner === bulkOwner(ctx) && (!latest || op.id > latest.id)) latest = op;
  return latest;
}

/** Requests cancellation; returns a user-error message when the operation already finished. */
export function cancelBulkOperation(data: SandboxData, op: BulkOperationRecord): string | null {
  if (op.status === 'CREATED' || op.status === 'RUNNING') {
    op.status = 'CANCELING';
    data.version++;
    // A held operation must notice the cancellation without waiting for a release.
    return null;
  }
  if (isCanceling(op)) return null;
  return `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}.`;
}

export interface RunOptions {
  /** `groupObjects` argument (2026-01+); null = the version's default. */
  groupObjects: boolean | null;
}

/**
 * `bulkOperationRunQuery`: validates, enforces the concurrency limit, creates the operation and
 * runs it in the background, writing JSONL to a temp file.
 */
export function runBulkQuery(
  data: SandboxData,
  ctx: SandboxRequestContext,
  schema: GraphQLSchema,
  query: string,
  options: RunOptions,
): { operation: BulkOperationRecord | null; userErrors: BulkUserError[] } {
  const analysed = analyzeBulkQuery(schema, query);
  if (!analysed.ok)
    return {
      operation: null,
      userErrors: [{ field: ['query'], message: analysed.message, code: 'INVALID' }],
    };
  const limit = ctx.apiVersion >= '2026-01' ? 5 : 1;
  const active = activeOperations(data, bulkOwner(ctx));
  if (active.length >= limit) {
    const ids = active.map((op) => `gid://shopify/BulkOperation/${op.id}`).join(', ');
    return {
      operation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${ids}.`,
          code: 'OPERATION_IN_PROGRESS',
        },
      ],
    };
  }
  const op: BulkOperationRecord = {
    id: data.ids.take('bulkOperation'),
    owner: bulkOwner(ctx),
    query,
    status: 'CREATED',
    errorCode: null,
    createdAt: data.now(),
    completedAt: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    filePath: null,
    hasUrl: false,
    hasPartialUrl: false,
    origin: ctx.origin,
    ...(data.bulkHooks.stuckNext ? { stuck: true } : {}),
  };
  data.bulkHooks.stuckNext = false;
  data.bulkOperations.set(op.id, op);
  const group = options.groupObjects ?? ctx.apiVersion < '2026-01';
  const snapshot: BulkCtx = {
    scopes: new Set(ctx.scopes),
    now: new Date(ctx.now.getTime()),
    origin: ctx.origin,
    accessToken: ctx.accessToken,
    ...(ctx.clientId === undefined ? {} : { clientId: ctx.clientId }),
    apiVersion: ctx.apiVersion,
    shop: ctx.shop,
    requestId: ctx.requestId,
  };
  const failAfter = data.bulkHooks.failAfterObjects;
  data.bulkHooks.failAfterObjects = null;
  setImmediate(() => {
    execute(data, op, schema, analysed.analysis, snapshot, group, failAfter, data.bulkTiming).catch(
      (error: unknown) => {
        op.status = 'FAILED';
        op.errorCode = 'INTERNAL_SERVER_ERROR';
        op.completedAt = data.now();
        op.hasPartialUrl = op.objectCount > 0 && op.filePath !== null;
        void error;
      },
    );
  });
  return { operation: op, userErrors: [] };
}

function rootRecords(
  data: SandboxData,
  rootField: FieldNode,
  schema: GraphQLSchema,
  ctx: BulkCtx,
  views: Views,
): Obj[] | (() => Obj)[] {
  const def = schema.getQueryType()?.getFields()[rootField.name.value];
  const args = def ? getArgumentValues(def, rootField, {}) : {};
  const query = typeof args.query === 'string' ? args.query : null;
  const reverse = args.reverse === true;
  const order = <T>(list: T[]): T[] => (reverse ? [...list].reverse() : list);
  switch (rootField.name.value) {
    case 'orders': {
      const { list } = new OrderIndex(data).list(ctx, query, args.sortKey);
      return order(list.filter((o) => orderVisible(ctx, o))).map((o) => () => views.order(o));
    }
    case 'fulfillmentOrders': {
      const list = visibleFulfillmentOrders(data, ctx, { query, includeClosed: args.includeClosed === true });
      return order(sortItems(list, fulfillmentOrderSort(args.sortKey))).map(
        (fo) => () => views.fulfillmentOrder(fo),
      );
    }
    case 'productVariants': {
      const { test } = compileSearch(parseSearchQuery(query), VARIANT_SEARCH);
      return order([...data.variants.values()].filter(test)).map((v) => () => views.variant(v));
    }
    case 'products':
      return order([...data.products.values()]).map((p) => () => views.product(p));
    case 'inventoryItems': {
      const { test } = compileSearch(parseSearchQuery(query), INVENTORY_ITEM_SEARCH);
      return order([...data.inventoryItems.values()].filter(test)).map((i) => () => views.inventoryItem(i));
    }
    case 'locations':
      return order(
        data.locations.filter(
          (l) =>
            (args.includeInactive === true || l.isActive) &&
            (args.includeLegacy === true || !l.fulfillmentServiceHandle),
        ),
      ).map((l) => () => views.location(l));
    default:
      return [];
  }
}

function writeAll(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    const ok = stream.write(text, 'utf8', () => {
      stream.off('error', onError);
      if (ok) resolve();
    });
    if (!ok) stream.once('drain', resolve);
  });
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Resolves after `ms` of real time, or sooner once the operation is being cancelled. The timers
 * are unref'd: a bulk operation alone never keeps the process alive.
 */
function wait(op: BulkOperationRecord, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve) => {
    const tick = (): void => {
      const left = until - Date.now();
      if (left <= 0 || isCanceling(op)) resolve();
      else setTimeout(tick, Math.min(left, 50)).unref();
    };
    tick();
  });
}

/** One rendered line of the file and whether it is a root object (for rootObjectCount). */
interface Line {
  text: string;
  root: boolean;
}

async function execute(
  data: SandboxData,
  op: BulkOperationRecord,
  schema: GraphQLSchema,
  analysis: Analysis,
  ctx: BulkCtx,
  group: boolean,
  failAfter: number | null,
  timing: BulkTiming,
): Promise<void> {
  // Shopify's queue: the operation stays CREATED for a while before it runs.
  if (timing.startupMs > 0) await wait(op, timing.startupMs);
  if (!isCanceling(op)) op.status = 'RUNNING';
  // Test hook: stay RUNNING (nothing written) until released or cancelled.
  while ((data.bulkHooks.hold || op.stuck === true) && !isCanceling(op)) {
    await new Promise<void>((resolve) => setTimeout(resolve, 10).unref());
  }
  const finish = (status: BulkOperationRecord['status']): void => {
    op.status = status;
    op.completedAt = data.now();
    data.version++;
  };
  if (isCanceling(op)) {
    finish('CANCELED');
    return;
  }
  const required = ROOTS[analysis.rootField.name.value] ?? [];
  if (!hasAnyScope(ctx, required)) {
    op.errorCode = 'ACCESS_DENIED';
    finish('FAILED');
    return;
  }
  const views = new Views(data, { requireBound: false });
  const rootDef = schema.getQueryType()?.getFields()[analysis.rootField.name.value];
  const nodeType = rootDef ? nodeTypeOf(getNamedType(rootDef.type) as GraphQLObjectType) : undefined;
  if (!nodeType) throw new GraphQLError('bulk root has no node type');
  const selections = connectionNodeSelections(analysis.rootField, analysis.fragments);
  const renderer = new NodeRenderer(schema, analysis.fragments, ctx);
  const roots = rootRecords(data, analysis.rootField, schema, ctx, views) as (() => Obj)[];

  const path = join(bulkDir(), `${op.id}.jsonl`);
  op.filePath = path;
  const stream = createWriteStream(path, { encoding: 'utf8' });
  // Objects appear at `objectsPerSecond`, measured from the start of the run, in slices of about
  // 50 ms worth so objectCount grows smoothly while a client polls; at Infinity a rendered chunk
  // is written in one go.
  const rate = timing.objectsPerSecond;
  const paced = Number.isFinite(rate);
  const slice = paced ? Math.max(1, Math.ceil(rate / 20)) : Number.POSITIVE_INFINITY;
  const runStart = Date.now();
  let bytes = 0;
  let failed = false;
  chunks: for (let start = 0; start < roots.length; start += CHUNK) {
    if (isCanceling(op)) break;
    const parents: Line[] = [];
    const children: Line[] = [];
    let lines: Line[] = [];
    for (const make of roots.slice(start, start + CHUNK)) {
      const own: string[] = [];
      const kids: string[] = [];
      renderer.render(make(), nodeType, selections, null, own, kids);
      const ownLines = own.map((text) => ({ text, root: true }));
      const kidLines = kids.map((text) => ({ text, root: false }));
      if (group) lines.push(...ownLines, ...kidLines);
      else {
        parents.push(...ownLines);
        children.push(...kidLines);
      }
    }
    if (!group) lines = [...parents, ...children];
    if (failAfter !== null && op.objectCount + lines.length >= failAfter) {
      lines = lines.slice(0, Math.max(0, failAfter - op.objectCount));
      failed = true;
    }
    for (let at = 0; at < lines.length; at += slice) {
      const part = lines.slice(at, at + slice);
      if (paced) {
        await wait(op, runStart + ((op.objectCount + part.length) / rate) * 1000 - Date.now());
      }
      if (isCanceling(op)) break chunks;
      const text = `${part.map((l) => l.text).join('\n')}\n`;
      await writeAll(stream, text);
      bytes += Buffer.byteLength(text, 'utf8');
      op.objectCount += part.length;
      op.rootObjectCount += part.filter((l) => l.root).length;
      op.fileSize = bytes;
    }
    if (failed) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await closeStream(stream);
  op.fileSize = bytes;
  if (failed) {
    op.errorCode = 'INTERNAL_SERVER_ERROR';
    op.hasPartialUrl = op.objectCount > 0;
    finish('FAILED');
    return;
  }
  if (isCanceling(op)) {
    finish('CANCELED');
    return;
  }
  // Shopify hands out no URL when the query matched nothing.
  op.hasUrl = op.objectCount > 0;
  finish('COMPLETED');
}

/** For logs and tests: a one-line description of an operation. */
export function describeBulkOperation(op: BulkOperationRecord): string {
  return `BulkOperation/${op.id} ${op.status} objects=${op.objectCount} created=${isoTime(op.createdAt)}`;
}
