#!/usr/bin/env node
// Derives the sandbox's GraphQL schema from Shopify's own Admin API introspection (2025-01),
// pruned to the fields dsync and the sandbox actually use, then amended for 2026-10.
//
//   node scripts/derive-sandbox-schema.js [path/to/admin-schema-2025-01.json.gz]
//   npm run schema:derive
//
// Inputs:  the introspection (default ../shared/shopify/admin-schema-2025-01.json.gz, relative to
//          the repo), every `/* GraphQL */` template literal in src/shopify/operations/*.ts, and
//          src/sandbox/schema/served.graphql (what the sandbox serves beyond dsync's operations).
// Outputs: src/sandbox/schema/admin-2026-10.graphql (SDL) and src/sandbox/schema/admin-sdl.ts
//          (the same SDL as a string constant, so it ships in dist/ without a copy step).
//
// Pruning is by FIELD: a type keeps only the fields some operation selects (on the type itself,
// or on an interface it implements); root types keep the root fields selected. Everything a kept
// field needs comes along whole: its argument types, input objects (all their fields), enums (all
// their values), scalars. Kept fields read exactly as Shopify's (arguments, defaults, nullability,
// deprecations); descriptions are dropped to keep the file small. The output is sorted, so the same
// inputs always give the same bytes.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  buildASTSchema,
  buildClientSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  printSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OPERATIONS_DIR = join(repo, 'src', 'shopify', 'operations');
const SERVED = join(repo, 'src', 'sandbox', 'schema', 'served.graphql');
const OUT_SDL = join(repo, 'src', 'sandbox', 'schema', 'admin-2026-10.graphql');
const OUT_TS = join(repo, 'src', 'sandbox', 'schema', 'admin-sdl.ts');

/** GraphQL documents in `/* GraphQL *\/` tagged template literals (the same rule the tests use). */
export function extractOperations(source) {
  const documents = [];
  const pattern = /\/\*\s*GraphQL\s*\*\/\s*`([^`]*)`/g;
  for (const match of source.matchAll(pattern)) documents.push(match[1]);
  return documents;
}

function readOperationSources() {
  const sources = [];
  let files = [];
  try {
    files = readdirSync(OPERATIONS_DIR)
      .filter((f) => f.endsWith('.ts'))
      .sort();
  } catch {
    files = [];
  }
  for (const file of files) {
    for (const doc of extractOperations(readFileSync(join(OPERATIONS_DIR, file), 'utf8'))) {
      sources.push({ name: `src/shopify/operations/${file}`, body: doc });
    }
  }
  sources.push({ name: 'src/sandbox/schema/served.graphql', body: readFileSync(SERVED, 'utf8') });
  return sources;
}

// ---------------------------------------------------------------------------------------------
// Step 1: Shopify's schema, as an SDL document without descriptions.
// ---------------------------------------------------------------------------------------------
function readIntrospection(introspectionPath) {
  let raw;
  try {
    raw = readFileSync(introspectionPath);
  } catch (error) {
    throw new Error(
      `cannot read Shopify's introspection at ${introspectionPath} (${error.code ?? error.message}); ` +
        'pass its path: node scripts/derive-sandbox-schema.js path/to/admin-schema-2025-01.json.gz',
    );
  }
  return JSON.parse(introspectionPath.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw);
}

function loadFullDocument(json) {
  const schema = buildClientSchema(json.data ?? json);
  const document = parse(printSchema(schema), { noLocation: true });
  return visit(document, {
    enter(node) {
      if ('description' in node && node.description) return { ...node, description: undefined };
      return undefined;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Step 2: the 2026 amendments (NOTES.md, "Writing" and "Bulk operations"). Applied to the full
// document BEFORE collecting selections, so operations written for 2026-10 (which select these
// fields and arguments) are understood. Everything else stays exactly as in 2025-01.
// ---------------------------------------------------------------------------------------------
const field = (name, type, args = []) => ({
  kind: Kind.FIELD_DEFINITION,
  name: { kind: Kind.NAME, value: name },
  arguments: args,
  type: parse(`type X { x: ${type} }`).definitions[0].fields[0].type,
  directives: [],
});
const inputValue = (name, type) => ({
  kind: Kind.INPUT_VALUE_DEFINITION,
  name: { kind: Kind.NAME, value: name },
  type: parse(`type X { x: ${type} }`).definitions[0].fields[0].type,
  directives: [],
});

function applyAmendments2026(document) {
  const definitions = document.definitions.map((def) => {
    const name = def.name?.value;
    // 2026-04: every quantity carries `changeFromQuantity` (compare-and-swap; an explicit null
    // opts out); `compareQuantity` and `ignoreCompareQuantity` are gone. GraphQL cannot say
    // "required but nullable", so the field is `Int` and the resolver rejects a missing key.
    if (name === 'InventoryQuantityInput') {
      return {
        ...def,
        fields: [
          ...def.fields.filter((f) => f.name.value !== 'compareQuantity'),
          inputValue('changeFromQuantity', 'Int'),
        ],
      };
    }
    if (name === 'InventorySetQuantitiesInput') {
      return { ...def, fields: def.fields.filter((f) => f.name.value !== 'ignoreCompareQuantity') };
    }
    // 2026-04: a stale or missing `changeFromQuantity` has its own user-error codes.
    if (name === 'InventorySetQuantitiesUserErrorCode') {
      const extra = ['CHANGE_FROM_QUANTITY_REQUIRED', 'CHANGE_FROM_QUANTITY_STALE'].map((value) => ({
        kind: Kind.ENUM_VALUE_DEFINITION,
        name: { kind: Kind.NAME, value },
        directives: [],
      }));
      return { ...def, values: [...def.values, ...extra] };
    }
    // 2026-01: `bulkOperationRunQuery(groupObjects:)`.
    if (name === 'Mutation') {
      return {
        ...def,
        fields: def.fields.map((f) =>
          f.name.value === 'bulkOperationRunQuery'
            ? { ...f, arguments: [...f.arguments, inputValue('groupObjects', 'Boolean')] }
            : f,
        ),
      };
    }
    // 2026-01: several bulk operations at once, so one is polled by id: `bulkOperation(id:)`.
    if (name === 'QueryRoot' && document.definitions.some((d) => d.name?.value === 'BulkOperation')) {
      const fields = [...def.fields, field('bulkOperation', 'BulkOperation', [inputValue('id', 'ID!')])];
      return { ...def, fields: fields.sort((a, b) => a.name.value.localeCompare(b.name.value)) };
    }
    return def;
  });
  // 2026-04: `@idempotent(key:)` on mutation fields (required at run time for inventory
  // set/adjust/move; the same key on a retry of the same request).
  const idempotent = parse('directive @idempotent(key: String!) on FIELD', { noLocation: true })
    .definitions[0];
  return { ...document, definitions: [...definitions, idempotent] };
}

// ---------------------------------------------------------------------------------------------
// Step 3: collect the (type, field) pairs every operation selects.
// ---------------------------------------------------------------------------------------------
function collectSelections(schema, sources) {
  const selected = new Map(); // type name -> Set(field names)
  const add = (type, fieldName) => {
    if (!selected.has(type)) selected.set(type, new Set());
    selected.get(type).add(fieldName);
  };
  const problems = [];
  const conditions = new Set(); // types named by fragments (`... on Location`)
  for (const source of sources) {
    let document;
    try {
      document = parse(source.body);
    } catch (error) {
      throw new Error(`${source.name}: ${error.message}`);
    }
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        InlineFragment(node) {
          if (node.typeCondition) conditions.add(node.typeCondition.name.value);
        },
        FragmentDefinition(node) {
          conditions.add(node.typeCondition.name.value);
        },
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent || node.name.value.startsWith('__')) return;
          if (!typeInfo.getFieldDef()) {
            problems.push(
              `${source.name}: ${parent.name}.${node.name.value} does not exist in Shopify's schema`,
            );
            return;
          }
          add(parent.name, node.name.value);
        },
      }),
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  // A field selected on an interface is kept on every implementation too.
  let changed = true;
  while (changed) {
    changed = false;
    for (const [typeName, fields] of [...selected]) {
      const type = schema.getType(typeName);
      if (!isInterfaceType(type)) continue;
      for (const impl of [...schema.getPossibleTypes(type), ...schema.getImplementations(type).interfaces]) {
        for (const f of fields) {
          if (!selected.get(impl.name)?.has(f)) {
            add(impl.name, f);
            changed = true;
          }
        }
      }
    }
  }
  return { selected, conditions };
}

// ---------------------------------------------------------------------------------------------
// Step 4: the closure of kept types, then the pruned document.
// ---------------------------------------------------------------------------------------------
function prune(schema, document, { selected, conditions }) {
  const kept = new Set();
  const queue = [];
  const keep = (type) => {
    const named = getNamedType(type);
    if (!named || kept.has(named.name)) return;
    kept.add(named.name);
    queue.push(named);
  };
  keep(schema.getQueryType());
  if (schema.getMutationType() && selected.has(schema.getMutationType().name)) {
    keep(schema.getMutationType());
  }
  // Types only reached through a fragment (`node(id:) { ... on Location { name } }`).
  for (const name of conditions) if (selected.has(name)) keep(schema.getType(name));
  while (queue.length > 0) {
    const type = queue.shift();
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = type.getFields();
      for (const name of selected.get(type.name) ?? []) {
        const f = fields[name];
        keep(f.type);
        for (const arg of f.args) keep(arg.type);
      }
      // Interfaces whose fields are selected stay in `implements`.
      for (const iface of type.getInterfaces()) if (selected.has(iface.name)) keep(iface);
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) keep(f.type);
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) if (selected.has(member.name)) keep(member);
    }
  }

  const definitions = [];
  for (const def of document.definitions) {
    if (def.kind === Kind.DIRECTIVE_DEFINITION) {
      if (def.name.value === 'idempotent') definitions.push(def);
      continue;
    }
    if (def.kind === Kind.SCHEMA_DEFINITION) {
      definitions.push({
        ...def,
        operationTypes: def.operationTypes.filter((op) => kept.has(op.type.name.value)),
      });
      continue;
    }
    const name = def.name.value;
    if (!kept.has(name)) continue;
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const fieldsKept = selected.get(name) ?? new Set();
      const fields = def.fields.filter((f) => fieldsKept.has(f.name.value));
      if (fields.length === 0) throw new Error(`type ${name} is reachable but no field of it is selected`);
      definitions.push({
        ...def,
        fields,
        interfaces: def.interfaces.filter((i) => kept.has(i.name.value)),
      });
    } else if (def.kind === Kind.UNION_TYPE_DEFINITION) {
      definitions.push({ ...def, types: def.types.filter((t) => kept.has(t.name.value)) });
    } else {
      definitions.push(def);
    }
  }
  return { ...document, definitions };
}

export { applyAmendments2026, loadFullDocument, readOperationSources };

/** The pruned, amended SDL for an introspection result (`{ data: { __schema } }` or `{ __schema }`). */
export function deriveSdl(introspection, sources = readOperationSources()) {
  const amended = applyAmendments2026(loadFullDocument(introspection));
  const amendedSchema = buildASTSchema(amended, { assumeValidSDL: true });
  const selected = collectSelections(amendedSchema, sources);
  const pruned = prune(amendedSchema, amended, selected);
  // Types in name order; fields, arguments and values keep Shopify's order.
  const rank = (def) =>
    def.kind === Kind.SCHEMA_DEFINITION ? 0 : def.kind === Kind.DIRECTIVE_DEFINITION ? 1 : 2;
  const sorted = [...pruned.definitions].sort(
    (a, b) => rank(a) - rank(b) || (a.name?.value ?? '').localeCompare(b.name?.value ?? '', 'en'),
  );
  const schema = buildASTSchema({ ...pruned, definitions: sorted });
  return printSchema(schema);
}

function main() {
  const introspection = resolve(
    repo,
    process.argv[2] ?? join('..', 'shared', 'shopify', 'admin-schema-2025-01.json.gz'),
  );
  const sdl = deriveSdl(readIntrospection(introspection));
  const header =
    '# Shopify Admin GraphQL API 2026-10, as served by the dsync sandbox.\n' +
    '# GENERATED by scripts/derive-sandbox-schema.js from the 2025-01 introspection: do not edit.\n' +
    '# Pruned to the fields dsync and the sandbox use; amended for 2026 (see the script).\n\n';
  writeFileSync(OUT_SDL, `${header}${sdl}\n`);
  writeFileSync(
    OUT_TS,
    '// GENERATED by scripts/derive-sandbox-schema.js: do not edit. Regenerate: npm run schema:derive\n' +
      "// The sandbox's Admin API schema (2026-10), the same text as admin-2026-10.graphql.\n" +
      `export const ADMIN_SDL: string = ${JSON.stringify(sdl)};\n`,
  );
  const types = (sdl.match(/^(type|interface|input|enum|scalar|union) /gm) ?? []).length;
  process.stderr.write(`derived ${types} types into ${OUT_SDL} and ${OUT_TS}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`derive-sandbox-schema: ${error.message}\n`);
    process.exitCode = 1;
  }
}
