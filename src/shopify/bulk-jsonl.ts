import { StringDecoder } from 'node:string_decoder';
import { type FieldNode, type FragmentDefinitionNode, Kind, parse, type SelectionSetNode } from 'graphql';

/**
 * Splits a byte stream into lines without holding more than one line in memory. A trailing line
 * without a newline is yielded too. Multi-byte characters split across chunks are decoded whole.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string, void, undefined> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    rest +=
      typeof chunk === 'string'
        ? chunk
        : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    // Walk the buffer by index and cut the remainder once per chunk (linear in the file size).
    let start = 0;
    let newline = rest.indexOf('\n', start);
    while (newline !== -1) {
      const line = rest.slice(start, newline).replace(/\r$/, '');
      start = newline + 1;
      if (line.trim() !== '') yield line;
      newline = rest.indexOf('\n', start);
    }
    rest = start === 0 ? rest : rest.slice(start);
  }
  rest += decoder.end();
  if (rest.trim() !== '') yield rest.replace(/\r$/, '');
}

/** Where a node's nested connections are, as learned from the bulk query. */
export interface NodeShape {
  /** Response keys the node's own line carries (its non-connection fields). */
  keys: Set<string>;
  connections: ConnectionShape[];
}

export interface ConnectionShape {
  /** Response keys from the parent node down to the connection field (usually one). */
  path: string[];
  /** How the query selected the nodes: `edges { node }` or `nodes`. */
  style: 'edges' | 'nodes';
  node: NodeShape;
}

/**
 * Reads the bulk query to learn the shape of the objects in its JSONL: the root connection's
 * node, and under it each nested connection. Returns undefined when the query cannot be read
 * (the reassembler then files children under `__children`).
 */
export function analyzeBulkQuery(query: string): NodeShape | undefined {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return undefined;
  const roots = findConnections(operation.selectionSet, [], fragments);
  const root = roots[0];
  return root?.node;
}

function fieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      out.push(...fieldsOf(selection.selectionSet, fragments));
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) out.push(...fieldsOf(fragment.selectionSet, fragments));
    }
  }
  return out;
}

const keyOf = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** The node selection of a connection field, or undefined when the field is not a connection. */
function connectionNode(
  field: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
): { style: 'edges' | 'nodes'; selection: SelectionSetNode } | undefined {
  if (!field.selectionSet) return undefined;
  for (const child of fieldsOf(field.selectionSet, fragments)) {
    if (child.name.value === 'nodes' && child.selectionSet)
      return { style: 'nodes', selection: child.selectionSet };
    if (child.name.value === 'edges' && child.selectionSet) {
      const node = fieldsOf(child.selectionSet, fragments).find(
        (f) => f.name.value === 'node' && f.selectionSet,
      );
      if (node?.selectionSet) return { style: 'edges', selection: node.selectionSet };
    }
  }
  return undefined;
}

function findConnections(
  selectionSet: SelectionSetNode,
  path: string[],
  fragments: Map<string, FragmentDefinitionNode>,
): ConnectionShape[] {
  const out: ConnectionShape[] = [];
  for (const field of fieldsOf(selectionSet, fragments)) {
    const connection = connectionNode(field, fragments);
    if (connection) {
      out.push({
        path: [...path, keyOf(field)],
        style: connection.style,
        node: shapeOf(connection.selection, fragments),
      });
    } else if (field.selectionSet) {
      out.push(...findConnections(field.selectionSet, [...path, keyOf(field)], fragments));
    }
  }
  return out;
}

function shapeOf(selection: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): NodeShape {
  const connections = findConnections(selection, [], fragments);
  const direct = new Set(connections.filter((c) => c.path.length === 1).map((c) => c.path[0]));
  const keys = new Set<string>();
  for (const field of fieldsOf(selection, fragments)) {
    const key = keyOf(field);
    if (!direct.has(key)) keys.add(key);
  }
  return { keys, connections };
}

export type JsonObject = Record<string, unknown>;

interface Entry {
  object: JsonObject;
  shape: NodeShape | undefined;
}

export class BulkFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkFormatError';
  }
}

/**
 * Puts bulk JSONL lines back together: children (lines with `__parentId`) go under their parent,
 * in the shape the query selected them (`lineItems: { nodes: [...] }` or `{ edges: [{ node }] }`),
 * at any depth. In grouped mode (children right after their parent) a root is complete when the
 * next root starts, so only one root's subtree is held in memory; ungrouped, every root waits for
 * the end of the file.
 */
export class BulkReassembler {
  private readonly byId = new Map<string, Entry>();
  private current: JsonObject | undefined;
  private readonly held: JsonObject[] = [];

  constructor(
    private readonly root: NodeShape | undefined,
    private readonly grouped: boolean,
  ) {}

  /** Adds one parsed line; returns the roots that are now complete. */
  push(object: JsonObject): JsonObject[] {
    const parentId = object.__parentId;
    // A query without nested connections: every line is a whole root.
    if (this.root && this.root.connections.length === 0 && typeof parentId !== 'string') return [object];
    if (typeof parentId !== 'string') {
      const done = this.grouped && this.current ? [this.current] : [];
      if (this.grouped) this.byId.clear();
      else this.held.push(object);
      this.current = object;
      this.register(object, this.root);
      return done;
    }
    const parent = this.byId.get(parentId);
    if (!parent) {
      throw new BulkFormatError(
        this.grouped
          ? `bulk result: object ${String(object.id ?? '(no id)')} refers to parent ${parentId}, which is not the object before it`
          : `bulk result: object ${String(object.id ?? '(no id)')} refers to unknown parent ${parentId}`,
      );
    }
    const { __parentId: _, ...child } = object;
    const connection = this.connectionFor(parent, child);
    if (!connection) {
      if (!Array.isArray(parent.object.__children)) parent.object.__children = [];
      (parent.object.__children as JsonObject[]).push(child);
      this.register(child, undefined);
      return [];
    }
    const holder = containerAt(parent.object, connection.path);
    if (connection.style === 'nodes') (holder.nodes as JsonObject[]).push(child);
    else (holder.edges as JsonObject[]).push({ node: child });
    this.register(child, connection.node);
    return [];
  }

  /** The roots still held at the end of the file. */
  finish(): JsonObject[] {
    const out = this.grouped ? (this.current ? [this.current] : []) : [...this.held];
    this.current = undefined;
    this.held.length = 0;
    this.byId.clear();
    return out;
  }

  private register(object: JsonObject, shape: NodeShape | undefined): void {
    for (const connection of shape?.connections ?? []) {
      // A connection under a nested object that came back null stays null.
      if (!pathReachable(object, connection.path)) continue;
      const holder = containerAt(object, connection.path);
      if (connection.style === 'nodes') holder.nodes ??= [];
      else holder.edges ??= [];
    }
    if (typeof object.id === 'string') this.byId.set(object.id, { object, shape });
  }

  private connectionFor(parent: Entry, child: JsonObject): ConnectionShape | undefined {
    const candidates = parent.shape?.connections ?? [];
    if (candidates.length <= 1) return candidates[0];
    const keys = Object.keys(child);
    const fitting = candidates.filter((c) => keys.every((key) => c.node.keys.has(key)));
    if (fitting.length === 1) return fitting[0];
    // Several connections select the same fields: the gid's type decides (gid://shopify/LineItem/1 → lineItems).
    const type =
      typeof child.id === 'string' ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(child.id)?.[1] : undefined;
    const pool = fitting.length > 0 ? fitting : candidates;
    if (type) {
      const singular = type.toLowerCase();
      const byName = pool.filter((c) => {
        const field = (c.path[c.path.length - 1] ?? '').toLowerCase();
        return field.startsWith(singular) || singular.endsWith(field.replace(/s$/, ''));
      });
      if (byName.length === 1) return byName[0];
    }
    throw new BulkFormatError(
      `bulk result: cannot tell which of ${pool.map((c) => c.path.join('.')).join(', ')} holds ${String(child.id ?? 'a child object')}; select distinct fields in each connection`,
    );
  }
}

function pathReachable(object: JsonObject, path: string[]): boolean {
  let target: unknown = object;
  for (const key of path.slice(0, -1)) {
    target = (target as JsonObject)[key];
    if (target === null || typeof target !== 'object') return false;
  }
  return true;
}

function containerAt(object: JsonObject, path: string[]): JsonObject {
  let target = object;
  for (const key of path) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const created: JsonObject = {};
      target[key] = created;
      target = created;
    } else target = next as JsonObject;
  }
  return target;
}
