#!/usr/bin/env node
// npm run build, second step: bundle the CLI into dist/bundle/ with rolldown (tsc has typechecked
// and compiled dist/ first; tests and benchmarks import dist/ directly).
//
// Why: on Node 20 a command's start-up is mostly the ESM loader resolving, reading and compiling
// modules one by one, each bundle file costing about a millisecond and each kilobyte a little
// more. Every command's `import()` stays lazy (code splitting), and the chunks are laid out by
// hand, which rolldown allows (esbuild gives a module shared by lazily loaded commands a chunk of
// its own, even when the command tree already loaded it: 15 to 23 files for a `config get`):
//   - `tree`: everything the command tree loads before any command runs (commander, the register
//     files, errors, paint), which lands in main.js itself, beside rolldown's small helpers;
//   - `local`: the config, stores and completion commands and what they use, one file, so a Tab
//     completion or a `config get` loads three bundle files in all;
//   - `local-state`: orders and returns list/show, the state store, the ledger and SQLite, one
//     more file for the local commands that read a ledger;
//   - the rest chunked by the bundler as the lazy imports fall: graphql, zod, inquirer and the
//     sandbox only in the chunks of the commands that use them.
// test/program/startup.int.test.ts fails when a local command loads more than four bundle files.
//
// External (loaded from node_modules at run time): the native bindings (better-sqlite3's and
// @napi-rs/keyring's; on Node 20 src/core/sqlite.ts runs better-sqlite3's JavaScript from the
// bundle and hands it the binary; Node 22+ load the Node-API build, better-sqlite3-napi, whole),
// undici, `open` (it finds its own xdg-open next to itself) and pg.
//
// dist/bundle/meta.json lists which sources each bundle file holds (`outputs` → `inputs`, as
// esbuild's metafile has it). The start-up tests read it to check what a command loads.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bundle');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** src/version.ts reads ../package.json beside dist/; the bundle carries the version instead. */
const versionPlugin = {
  name: 'dsync-version',
  load(id) {
    if (!/[\\/]src[\\/]version\.ts$/.test(id)) return undefined;
    return { code: `export const VERSION = ${JSON.stringify(version)};\n`, moduleType: 'ts' };
  },
};

/** Matches a module id against paths written with forward slashes, on any platform. */
function paths(...patterns) {
  return new RegExp(patterns.join('|').replaceAll('/', String.raw`[\\/]`));
}

/**
 * The local commands that read the config file, and what they load lazily: the config store, and
 * the credential stores `config list` asks whether a secret setting is set (not the keychain's
 * binding, which its worker thread loads when a secret is read). The interactive settings page
 * (`dsync config` on a terminal) and `schema` (the event schemas, nothing else) are chunks of
 * their own: the commands scripts and Tab completion run do not compile them.
 */
const LOCAL = paths(
  String.raw`/src/commands/config/(?!page\.ts$)`,
  '/src/commands/(?:stores|completion)/',
  String.raw`/src/core/config/conf-store\.ts$`,
  String.raw`/src/core/secrets/(?:default-store|file-store)\.ts$`,
);
/** The local commands that read a ledger, and the state store and SQLite they load lazily. */
const LOCAL_STATE = paths(
  String.raw`/src/commands/(?:orders|returns)/(?:list|show)\.ts$`,
  String.raw`/src/core/state/(?:open|sqlite-state|postgres/url)\.ts$`,
  '/src/core/ledger/',
  String.raw`/src/core/lock/lock\.ts$`,
  '/node_modules/better-sqlite3/lib/',
);
/** What those commands may import lazily but must not carry into their chunks. */
const NOT_LOCAL = paths(
  '/src/(?:shopify|sandbox)/',
  String.raw`/src/services/connect\.ts$`,
  '/node_modules/(?:graphql|zod|@inquirer)/',
);

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  cwd: root,
  input: {
    main: 'src/main.ts',
    // Started as a worker thread by core/secrets/keychain.ts (`./keychain-worker.js` beside it).
    'keychain-worker': 'src/core/secrets/keychain-worker.ts',
  },
  platform: 'node',
  // The entry may export more than main() and run(): the command tree's group then becomes part
  // of main.js instead of a file of its own.
  preserveEntrySignatures: 'allow-extension',
  // `bindings` is better-sqlite3's own search for its binary, which src/core/sqlite.ts hands over.
  external: [/^node:/, 'better-sqlite3-napi', 'bindings', '@napi-rs/keyring', 'open', 'undici', 'pg'],
  plugins: [versionPlugin],
  logLevel: 'warn',
  output: {
    dir: outdir,
    format: 'esm',
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: {
      groups: [
        {
          name: 'tree',
          tags: ['$initial'],
          test: (id) => !/keychain-worker/.test(id),
          priority: 20,
        },
        // Modules both kinds of local command use land in `local` (the higher priority).
        { name: 'local', test: (id) => LOCAL.test(id) && !NOT_LOCAL.test(id), priority: 15 },
        { name: 'local-state', test: (id) => LOCAL_STATE.test(id) && !NOT_LOCAL.test(id), priority: 10 },
      ],
    },
    // Stack traces map back to src/ under --debug (bin/dsync.js turns source maps on then).
    sourcemap: true,
    sourcemapExcludeSources: true,
    // Smaller files parse faster; names stay, so stack traces read without the source maps too.
    minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
    comments: { legal: true },
  },
});

/** Which sources each bundle file holds, as paths relative to the checkout. */
const outputs = {};
for (const item of result.output) {
  if (item.type !== 'chunk') continue;
  const inputs = {};
  for (const id of item.moduleIds) {
    if (id.startsWith('\0')) continue;
    inputs[relative(root, id)] = {};
  }
  outputs[relative(root, join(outdir, item.fileName))] = { inputs };
}
writeFileSync(join(outdir, 'meta.json'), `${JSON.stringify({ outputs })}\n`);
