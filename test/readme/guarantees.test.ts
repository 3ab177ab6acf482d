import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';

// The README's Guarantees name the test behind each promise: a renamed, moved or deleted test
// fails here until the README says what proves the promise now.

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('\n## Guarantees\n');
const rest = readme.slice(start + 1);
const section = rest.slice(0, rest.indexOf('\n## ', 3));

/** Every `test/…` file the section cites, each with the test names quoted after it (` › "…"`). */
function citations(): Array<{ file: string; names: string[] }> {
  const out: Array<{ file: string; names: string[] }> = [];
  for (const match of section.matchAll(/`(test\/[^`]+\.ts)`((?:[^`|;]*?(?:›|,)\s*"[^"]+")*)/g)) {
    const names = [...(match[2] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    out.push({ file: match[1] as string, names });
  }
  return out;
}

/** A quoted name with `…` for what it leaves out: each part must appear in the test file. */
function partsOf(name: string): string[] {
  return name
    .split('…')
    .map((part) => part.trim().replace(/^[,;:]\s*/, ''))
    .filter((part) => part.length > 0);
}

describe('README Guarantees', () => {
  it('has the section, citing tests', () => {
    expect(start, 'README.md has a "## Guarantees" section').toBeGreaterThan(-1);
    expect(citations().length).toBeGreaterThan(20);
  });

  it.each(citations().map((c) => [c.file, c.names] as const))('%s exists and holds %j', (file, names) => {
    const path = join(REPO_ROOT, file);
    expect(existsSync(path), `${file} is cited in the Guarantees`).toBe(true);
    const source = readFileSync(path, 'utf8');
    for (const name of names) {
      for (const part of partsOf(name)) expect(source, `${file} has a test "${name}"`).toContain(part);
    }
  });
});
