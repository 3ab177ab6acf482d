import {
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
  type ValueNode,
  valueFromAST,
} from 'graphql';

/**
 * Shopify's calculated query cost (https://shopify.dev/docs/api/usage/limits#cost-calculation):
 * scalars and enums cost 0, objects 1, a connection 2 plus its page size times the cost of one
 * node, a mutation field 10 (whatever it selects). An interface or union costs the most
 * expensive of its possible selections. Fields and fragments `@skip`/`@include` leave out cost
 * nothing. `requestedQueryCost` is computed from the document
 * before execution; `actualQueryCost` from the response (the nodes actually returned).
 */
export const MUTATION_COST = 10;
export const CONNECTION_COST = 2;
export const OBJECT_COST = 1;
export const MAX_QUERY_COST = 1000;
export const MAX_PAGE_SIZE = 250;

type Variables = Record<string, unknown>;

interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Variables;
}

/** A field selected under some parent type, with the parent type it was selected on. */
interface SelectedField {
  node: FieldNode;
  parent: GraphQLCompositeType;
}

export function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return (
    isObjectType(named) &&
    named.name.endsWith('Connection') &&
    field.args.some((a) => a.name === 'first' || a.name === 'last')
  );
}

/** The value of an argument (literal or variable), or undefined. */
export function argumentValue(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  name: string,
  variables: Variables,
): unknown {
  const argNode = node.arguments?.find((a) => a.name.value === name);
  const def = field.args.find((a) => a.name === name);
  if (!argNode || !def) return def?.defaultValue;
  return valueFromAST(argNode.value as ValueNode, def.type, variables);
}

/** The page size a connection asks for: `first`, else `last`, else 0. */
export function pageSize(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Variables,
): number {
  const first = argumentValue(field, node, 'first', variables);
  if (typeof first === 'number') return first;
  const last = argumentValue(field, node, 'last', variables);
  if (typeof last === 'number') return last;
  return 0;
}

/**
 * Whether `@skip(if:)` / `@include(if:)` keep a selection, with the request's variables: a
 * field left out is not executed, so it costs nothing (as on Shopify).
 */
function included(input: CostInput, node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, input.variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, input.variables)?.if === false) return false;
  } catch {
    // A missing or invalid variable: execution reports it; the field is costed as selected.
  }
  return true;
}

/**
 * Every field of a selection set that applies when the runtime type is `runtime`, without those
 * `@skip`/`@include` leave out (unless `allSelections`: page sizes are checked on every field).
 */
function fieldsFor(
  input: CostInput,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  runtime: GraphQLNamedType | undefined,
  allSelections = false,
  out: SelectedField[] = [],
): SelectedField[] {
  for (const selection of selectionSet.selections) {
    if (!allSelections && !included(input, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      out.push({ node: selection, parent });
      continue;
    }
    const resolved = resolveFragment(input, selection, parent);
    if (!resolved) continue;
    const { fragment, condition } = resolved;
    if (runtime !== undefined && !applies(input.schema, condition, runtime)) continue;
    fieldsFor(input, fragment.selectionSet, condition, runtime, allSelections, out);
  }
  return out;
}

/** The fragment a spread or inline fragment stands for, and the type it applies to. */
function resolveFragment(
  input: CostInput,
  selection: InlineFragmentNode | FragmentSpreadNode,
  parent: GraphQLCompositeType,
): { fragment: InlineFragmentNode | FragmentDefinitionNode; condition: GraphQLCompositeType } | undefined {
  const fragment =
    selection.kind === Kind.INLINE_FRAGMENT ? selection : input.fragments[selection.name.value];
  if (!fragment) return undefined;
  const condition = fragment.typeCondition
    ? (typeFromAST(input.schema, fragment.typeCondition) as GraphQLCompositeType | undefined)
    : parent;
  return condition ? { fragment, condition } : undefined;
}

function applies(schema: GraphQLSchema, condition: GraphQLNamedType, runtime: GraphQLNamedType): boolean {
  if (condition.name === runtime.name) return true;
  if (isAbstractType(condition) && isObjectType(runtime)) return schema.isSubType(condition, runtime);
  if (isInterfaceType(condition) && isInterfaceType(runtime)) return schema.isSubType(condition, runtime);
  return false;
}

/** Concrete types named by fragments in this selection set (the candidates for an abstract type). */
function candidateTypes(
  input: CostInput,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  seen = new Set<string>(),
): GraphQLObjectType[] {
  const out = new Map<string, GraphQLObjectType>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD || !included(input, selection)) continue;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(selection.name.value)) continue;
      seen.add(selection.name.value);
    }
    const resolved = resolveFragment(input, selection, parent);
    if (!resolved) continue;
    const { fragment, condition } = resolved;
    if (isObjectType(condition)) out.set(condition.name, condition);
    else if (isAbstractType(condition)) {
      for (const t of input.schema.getPossibleTypes(condition)) out.set(t.name, t);
    }
    for (const t of candidateTypes(input, fragment.selectionSet, condition, seen)) out.set(t.name, t);
  }
  return [...out.values()];
}

/** Fields merged by response key (the first definition wins, as in execution). */
function byResponseKey(fields: SelectedField[]): Map<string, SelectedField> {
  const map = new Map<string, SelectedField>();
  for (const f of fields) {
    const key = f.node.alias?.value ?? f.node.name.value;
    if (!map.has(key)) map.set(key, f);
  }
  return map;
}

function fieldDef(f: SelectedField): GraphQLField<unknown, unknown> | undefined {
  if (!isObjectType(f.parent) && !isInterfaceType(f.parent)) return undefined;
  return f.parent.getFields()[f.node.name.value];
}

function selectionSetCost(
  input: CostInput,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
): number {
  if (!isAbstractType(parent)) {
    return sumFields(input, byResponseKey(fieldsFor(input, selectionSet, parent, parent)));
  }
  // Interfaces and unions: the most expensive of the possible selections.
  let max = sumFields(input, byResponseKey(fieldsFor(input, selectionSet, parent, parent)));
  for (const runtime of candidateTypes(input, selectionSet, parent)) {
    max = Math.max(max, sumFields(input, byResponseKey(fieldsFor(input, selectionSet, parent, runtime))));
  }
  return max;
}

function sumFields(input: CostInput, fields: Map<string, SelectedField>): number {
  let total = 0;
  for (const f of fields.values()) total += fieldCost(input, f);
  return total;
}

function fieldCost(input: CostInput, f: SelectedField): number {
  const def = fieldDef(f);
  if (!def || !f.node.selectionSet) return 0; // scalars, enums, __typename
  const named = getNamedType(def.type) as GraphQLCompositeType;
  if (!isCompositeType(named)) return 0;
  if (isConnectionField(def)) {
    const size = pageSize(def, f.node, input.variables);
    return CONNECTION_COST + size * connectionNodeCost(input, f.node.selectionSet, named);
  }
  const inner = selectionSetCost(input, f.node.selectionSet, named);
  if (isListType(getNullableType(def.type))) {
    // A plain list: `first` or a list of `ids` says how many objects it can hold; otherwise one.
    const first = argumentValue(def, f.node, 'first', input.variables);
    const ids = argumentValue(def, f.node, 'ids', input.variables);
    const count = typeof first === 'number' ? first : Array.isArray(ids) ? ids.length : 1;
    return count * (OBJECT_COST + inner);
  }
  return OBJECT_COST + inner;
}

/**
 * The cost of one node of a connection: what `edges { node { … } }` and `nodes { … }` select
 * (the larger of the two when both are present). `pageInfo` and `cursor` cost nothing.
 */
function connectionNodeCost(
  input: CostInput,
  selectionSet: SelectionSetNode,
  connection: GraphQLCompositeType,
): number {
  let cost = 0;
  for (const f of byResponseKey(fieldsFor(input, selectionSet, connection, connection)).values()) {
    const def = fieldDef(f);
    if (!def || !f.node.selectionSet) continue;
    const named = getNamedType(def.type) as GraphQLCompositeType;
    if (f.node.name.value === 'nodes') {
      cost = Math.max(cost, OBJECT_COST + selectionSetCost(input, f.node.selectionSet, named));
    } else if (f.node.name.value === 'edges') {
      let edgeCost = 0;
      for (const e of byResponseKey(fieldsFor(input, f.node.selectionSet, named, named)).values()) {
        edgeCost += fieldCost(input, e);
      }
      cost = Math.max(cost, edgeCost);
    }
  }
  return cost;
}

function rootCost(input: CostInput): number {
  const { schema, operation } = input;
  if (operation.operation === 'mutation') {
    const root = schema.getMutationType();
    if (!root) return 0;
    const fields = byResponseKey(fieldsFor(input, operation.selectionSet, root, root));
    let total = 0;
    for (const f of fields.values()) if (!f.node.name.value.startsWith('__')) total += MUTATION_COST;
    return total;
  }
  const root = schema.getQueryType();
  if (!root) return 0;
  return selectionSetCost(input, operation.selectionSet, root);
}

export function requestedQueryCost(input: CostInput): number {
  return rootCost(input);
}

// ---------------------------------------------------------------------------------------------
// Actual cost: the same rules, applied to what the response holds.
// ---------------------------------------------------------------------------------------------

export function actualQueryCost(input: CostInput, data: unknown): number {
  const { schema, operation } = input;
  if (data === null || typeof data !== 'object') return 0;
  if (operation.operation === 'mutation') {
    const root = schema.getMutationType();
    if (!root) return 0;
    let total = 0;
    for (const key of byResponseKey(fieldsFor(input, operation.selectionSet, root, undefined)).keys()) {
      if (!key.startsWith('__') && key in (data as Record<string, unknown>)) total += MUTATION_COST;
    }
    return total;
  }
  const root = schema.getQueryType();
  if (!root) return 0;
  return actualSelection(input, operation.selectionSet, root, data as Record<string, unknown>);
}

function actualSelection(
  input: CostInput,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  value: Record<string, unknown>,
): number {
  // All fragments are considered: a key present in the response was selected by one that applied.
  const fields = byResponseKey(fieldsFor(input, selectionSet, parent, undefined));
  let total = 0;
  for (const [key, f] of fields) {
    if (!(key in value)) continue;
    total += actualField(input, f, value[key]);
  }
  return total;
}

function actualField(input: CostInput, f: SelectedField, value: unknown): number {
  const def = fieldDef(f);
  if (!def || !f.node.selectionSet || value === null || value === undefined) return 0;
  const named = getNamedType(def.type) as GraphQLCompositeType;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += actualObject(input, f.node.selectionSet, named, item);
    return total;
  }
  if (isConnectionField(def)) {
    return CONNECTION_COST + actualConnection(input, f.node.selectionSet, named, value);
  }
  return actualObject(input, f.node.selectionSet, named, value);
}

function actualObject(
  input: CostInput,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
  value: unknown,
): number {
  if (value === null || typeof value !== 'object') return 0;
  return OBJECT_COST + actualSelection(input, selectionSet, type, value as Record<string, unknown>);
}

function actualConnection(
  input: CostInput,
  selectionSet: SelectionSetNode,
  connection: GraphQLCompositeType,
  value: unknown,
): number {
  if (value === null || typeof value !== 'object') return 0;
  const record = value as Record<string, unknown>;
  let cost = 0;
  for (const [key, f] of byResponseKey(fieldsFor(input, selectionSet, connection, undefined))) {
    const def = fieldDef(f);
    const list = record[key];
    if (!def || !f.node.selectionSet || !Array.isArray(list)) continue;
    const named = getNamedType(def.type) as GraphQLCompositeType;
    if (f.node.name.value === 'nodes') {
      cost = Math.max(cost, actualField(input, f, list));
    } else if (f.node.name.value === 'edges') {
      let edges = 0;
      for (const edge of list) {
        if (edge === null || typeof edge !== 'object') continue;
        edges += actualSelection(input, f.node.selectionSet, named, edge as Record<string, unknown>);
      }
      cost = Math.max(cost, edges);
    }
  }
  return cost;
}

// ---------------------------------------------------------------------------------------------
// Page sizes: checked before execution, like the cost.
// ---------------------------------------------------------------------------------------------

export interface PageSizeProblem {
  /** too_large: first/last over 250; missing: neither given; input_too_large: an input array over 250. */
  kind: 'too_large' | 'missing' | 'input_too_large';
  field: string;
  argument: string | undefined;
  /** The page size asked for, or the size of the input array. */
  value: number | undefined;
  node: FieldNode;
  /** Response path of the field (aliases as written). */
  path: string[];
}

/** The length of the longest array anywhere in an argument value. */
function longestArray(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray));
  if (value !== null && typeof value === 'object') {
    return Math.max(0, ...Object.values(value as Record<string, unknown>).map(longestArray));
  }
  return 0;
}

/**
 * Connections asked for more than 250 items or for neither `first` nor `last`, and input arrays
 * longer than 250 (Shopify's input limit).
 */
export function checkPageSizes(input: CostInput): PageSizeProblem[] {
  const root =
    input.operation.operation === 'mutation' ? input.schema.getMutationType() : input.schema.getQueryType();
  if (!root) return [];
  const problems: PageSizeProblem[] = [];
  walkPages(input, input.operation.selectionSet, root, [], problems);
  return problems;
}

function walkPages(
  input: CostInput,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  path: string[],
  problems: PageSizeProblem[],
): void {
  for (const f of fieldsFor(input, selectionSet, parent, undefined, true)) {
    const def = fieldDef(f);
    if (!def) continue;
    const here = [...path, f.node.alias?.value ?? f.node.name.value];
    for (const arg of def.args) {
      if (!f.node.arguments?.some((a) => a.name.value === arg.name)) continue;
      const size = longestArray(argumentValue(def, f.node, arg.name, input.variables));
      if (size > MAX_PAGE_SIZE) {
        problems.push({
          kind: 'input_too_large',
          field: def.name,
          argument: arg.name,
          value: size,
          node: f.node,
          path: here,
        });
      }
    }
    if (isConnectionField(def)) {
      const first = argumentValue(def, f.node, 'first', input.variables);
      const last = argumentValue(def, f.node, 'last', input.variables);
      const base = { field: def.name, node: f.node, path: here };
      if (typeof first !== 'number' && typeof last !== 'number') {
        problems.push({ ...base, kind: 'missing', argument: undefined, value: undefined });
      }
      for (const [name, value] of [
        ['first', first],
        ['last', last],
      ] as const) {
        if (typeof value === 'number' && value > MAX_PAGE_SIZE) {
          problems.push({ ...base, kind: 'too_large', argument: name, value });
        }
      }
    }
    if (f.node.selectionSet) {
      const named = getNamedType(def.type);
      if (isCompositeType(named)) walkPages(input, f.node.selectionSet, named, here, problems);
    }
  }
}
