#!/usr/bin/env node
// `dsync --version` is answered here, before the command tree loads: scripts and shell
// prompts call it often, and it should cost no more than starting node itself.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { enableCompileCache } = await import('node:module');
  // Node 22.1+ keeps the compiled bundle between runs (in the OS temp dir); Node 20 has no cache.
  enableCompileCache?.();
  // Stack traces under --debug point into src/, through the bundle's source maps. Reading the
  // maps costs start-up time, so only then.
  const debugEnv = process.env.DSYNC_DEBUG?.trim().toLowerCase();
  const debug = args.includes('--debug') || !['', '0', 'false', 'no', undefined].includes(debugEnv);
  if (debug) process.setSourceMapsEnabled(true);
  // One file for the command tree and one or two chunks per command (`npm run build`, esbuild).
  const { main } = await import('../dist/bundle/main.js');
  await main(process.argv);
}
