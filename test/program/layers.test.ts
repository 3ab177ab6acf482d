import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';

/** Every relative import of every module under src/, as [importer, imported] paths below src/. */
function imports(): [string, string][] {
  const src = join(REPO_ROOT, 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });
  return files(src).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map(
      (m): [string, string] => [
        relative(src, file),
        relative(src, resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts'))),
      ],
    ),
  );
}

const all = imports();
const crossing = (from: RegExp, to: RegExp) =>
  all
    .filter(([importer, imported]) => from.test(importer) && to.test(imported))
    .map((pair) => pair.join(' → '));

describe('the layers (STYLE.md)', () => {
  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(300);
  });
  it('core depends on nothing above it', () => {
    expect(crossing(/^core\//, /^(shopify|services|commands|sandbox)\//)).toEqual([]);
  });
  it('the sandbox and the client never share code', () => {
    expect(crossing(/^sandbox\//, /^(shopify|services|commands)\//)).toEqual([]);
    expect(crossing(/^(shopify|services)\//, /^sandbox\//)).toEqual([]);
  });
  it('services never print: the command decides what reaches the terminal', () => {
    expect(crossing(/^services\//, /^core\/output\.ts$/)).toEqual([]);
  });
  it('services never reach into commands, and no command imports the program back', () => {
    expect(crossing(/^(services|shopify)\//, /^commands\//)).toEqual([]);
    expect(crossing(/^commands\//, /^program\.ts$/)).toEqual([]);
  });
});
