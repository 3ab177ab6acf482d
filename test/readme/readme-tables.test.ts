import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/exit-codes.js';
import { REPO_ROOT } from '../support/cli.js';

// The README's reference tables against the code they describe: a new exit code or a new
// environment variable read anywhere in src/ fails here until the README lists it.

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The first cell of each row of the table under `## heading`. */
function firstCells(heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README.md has a "## ${heading}" section`).toBeGreaterThan(-1);
  const rest = readme.slice(start + heading.length + 5);
  const section = rest.slice(0, rest.search(/\n## /) === -1 ? undefined : rest.search(/\n## /));
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) => line.split('|')[1]?.trim() ?? '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every environment variable src/ reads: `env.NAME`, commander's `.env('NAME')`, `'DSYNC_…'` constants. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(join(REPO_ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)|\.env\('([A-Z0-9_]+)'\)|'(DSYNC_[A-Z0-9_]+)'/g))
      names.add((m[1] ?? m[2] ?? m[3]) as string);
  }
  return [...names].sort();
}

describe('README.md reference tables', () => {
  it('lists exactly the exit codes dsync uses', () => {
    const codes = firstCells('Exit codes').map(Number);
    expect(codes.sort((a, b) => a - b)).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
  });

  it('lists every environment variable dsync reads', () => {
    const listed = firstCells('Environment variables').join(' ');
    const read = variablesRead();
    expect(read).toContain('DSYNC_ACCESS_TOKEN');
    expect(read.filter((name) => !listed.includes(`\`${name}\``))).toEqual([]);
  });
});
