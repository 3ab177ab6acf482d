import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import BetterSqlite3OnNode20 from 'better-sqlite3';

/**
 * better-sqlite3, in the build that is safe on the running Node.js.
 *
 * 12.x wraps its objects in Node's own `node::ObjectWrap`. Built against Node 24.19+ headers,
 * that wrapper aborts the process ("Assertion failed: (env) != nullptr") when the garbage
 * collector finalises a statement outside a JavaScript context — at a random moment of a run.
 * 13.x is built on Node-API and has no such wrapper, but needs Node 22: on Node 20 it crashes
 * as it loads. So Node 20 loads 12 (`better-sqlite3`) and newer Node loads 13 (the package
 * alias `better-sqlite3-napi`). Both have the same API.
 */
export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteConstructor = typeof BetterSqlite3;

/** The package name to load on a Node.js of this major version. */
export function sqlitePackageFor(nodeMajor: number): 'better-sqlite3' | 'better-sqlite3-napi' {
  return nodeMajor >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';
}

let loaded: SqliteConstructor | undefined;

/** Loaded on first use, synchronously (the binding is native). */
export function loadSqlite(): SqliteConstructor {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const major = Number(process.versions.node.split('.')[0]);
    if (sqlitePackageFor(major) === 'better-sqlite3-napi') {
      loaded = require('better-sqlite3-napi') as SqliteConstructor;
    } else {
      const binary = builtBinary(require);
      loaded = binary
        ? withBinding(BetterSqlite3OnNode20, require(binary) as object)
        : (require('better-sqlite3') as SqliteConstructor);
    }
  }
  return loaded;
}

/**
 * Where npm put better-sqlite3 12's compiled binding, if it is where its install puts it.
 *
 * Handing the binding over skips the `bindings` package's search (a dozen paths tried, a stack
 * trace read), and lets its JavaScript come from dsync's bundle rather than a dozen CommonJS
 * files: together about 15 ms of every `orders list`. Anywhere else, the package finds it itself.
 */
function builtBinary(require: NodeJS.Require): string | undefined {
  try {
    const root = dirname(require.resolve('better-sqlite3/package.json'));
    const binary = join(root, 'build', 'Release', 'better_sqlite3.node');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** The constructor, with every database it opens using the given binding. */
function withBinding(Database: SqliteConstructor, binding: object): SqliteConstructor {
  return new Proxy(Database, {
    construct(target, [filename, options]: [string, BetterSqlite3.Options | undefined]) {
      return new target(filename, { ...options, nativeBinding: binding as unknown as string });
    },
  });
}
