#!/usr/bin/env node
// `dsync --version` is answered here, before the command tree loads: scripts and shell
// prompts call it often, and it should cost no more than starting node itself.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('../dist/main.js');
  await main(process.argv);
}
