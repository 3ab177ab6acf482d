#!/usr/bin/env node
// npm run build, second step: bundle the CLI into dist/bundle/ with esbuild (tsc has typechecked
// and compiled dist/ first; tests and benchmarks import dist/ directly).
//
// Why: on Node 20 a command's start-up is mostly the ESM loader resolving, reading and compiling
// some 40 modules one by one. A bundle loads the command tree as one file and each command as one
// more chunk (code splitting keeps every command's `import()` lazy), so the heavy dependencies
// (graphql, zod, inquirer) stay in the chunks of the commands that use them.
//
// External (loaded from node_modules at run time): the native bindings (better-sqlite3 and its
// Node 22+ build better-sqlite3-napi, @napi-rs/keyring); undici, whose named exports a split
// bundle cannot give to `await import('undici')`; and `open`, which finds its own xdg-open next
// to itself.
//
// dist/bundle/meta.json is esbuild's metafile: which sources each chunk holds. The start-up test
// reads it to check what a command loads.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bundle');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** src/version.ts reads ../package.json beside dist/; the bundle carries the version instead. */
const versionPlugin = {
  name: 'dsync-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const VERSION = ${JSON.stringify(version)};\n`,
      loader: 'ts',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'src/main.ts',
    // Started as a worker thread by core/secrets/keychain.ts (`./keychain-worker.js` beside it).
    'keychain-worker': 'src/core/secrets/keychain-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  external: ['better-sqlite3', 'better-sqlite3-napi', '@napi-rs/keyring', 'open', 'undici', 'pg'],
  // Bundled CommonJS packages (commander, undici) call require() for node's own modules.
  banner: {
    js: "import { createRequire as __dsyncCreateRequire } from 'node:module';\nconst require = __dsyncCreateRequire(import.meta.url);",
  },
  // Stack traces map back to src/ under --debug (bin/dsync.js turns source maps on then).
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'eof',
  // Smaller files parse faster; names stay, so stack traces read without the source maps too.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [versionPlugin],
});
writeFileSync(join(outdir, 'meta.json'), `${JSON.stringify(result.metafile)}\n`);
