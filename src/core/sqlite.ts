import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

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

/** Loaded on first use, synchronously (the module is CommonJS and native). */
export function loadSqlite(): SqliteConstructor {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const major = Number(process.versions.node.split('.')[0]);
    // Each package named literally, so the dependency on both is plain to see (and to bundlers).
    loaded = (
      sqlitePackageFor(major) === 'better-sqlite3-napi'
        ? require('better-sqlite3-napi')
        : require('better-sqlite3')
    ) as SqliteConstructor;
  }
  return loaded;
}
