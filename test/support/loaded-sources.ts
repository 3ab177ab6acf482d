import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CLI_PATH, REPO_ROOT, tempConfigDir } from './cli.js';

const BUNDLE_DIR = join(REPO_ROOT, 'dist', 'bundle');

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

let metafile: Metafile | undefined;

/** Which sources each bundle file holds, from dist/bundle/meta.json (`npm run build` writes it). */
function bundleInputs(file: string): string[] {
  metafile ??= JSON.parse(readFileSync(join(BUNDLE_DIR, 'meta.json'), 'utf8')) as Metafile;
  const output = metafile.outputs[relative(REPO_ROOT, file)];
  if (!output) throw new Error(`${file} is not in dist/bundle/meta.json: run \`npm run build\``);
  return Object.keys(output.inputs);
}

/** A path relative to the checkout; a package's files by their node_modules/… tail, wherever it is linked from. */
function normalise(path: string): string {
  const at = path.indexOf('node_modules/');
  return `/${at === -1 ? path : path.slice(at)}`;
}

/**
 * Runs the built CLI with an import trace and returns every source it loaded, as paths with a
 * leading slash: `/src/core/paths.ts` and `/node_modules/commander/lib/command.js` for what the
 * bundle files it loaded hold, `/node_modules/better-sqlite3/lib/index.js` for the packages kept
 * out of the bundle, `/dist/bundle/<chunk>.js` for the bundle files themselves. `builtins` are
 * the `node:` modules imported as ES modules, `bundleFiles` the bundle files loaded.
 */
export function loadedSources(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): { sources: string[]; builtins: string[]; bundleFiles: string[]; stdout: string } {
  const tmp = tempConfigDir('dsync-trace-');
  try {
    const traceFile = join(tmp.dir, 'imports.txt');
    const result = spawnSync(
      process.execPath,
      ['--import', join(REPO_ROOT, 'test', 'support', 'trace-imports.mjs'), CLI_PATH, ...args],
      { env: { ...env, DSYNC_TRACE_IMPORTS_FILE: traceFile }, encoding: 'utf8' },
    );
    expect(result.status, result.stderr).toBe(0);
    const urls = new Set(readFileSync(traceFile, 'utf8').split('\n').filter(Boolean));
    const sources = new Set<string>();
    const builtins: string[] = [];
    const bundleFiles: string[] = [];
    for (const url of urls) {
      if (url.startsWith('node:')) builtins.push(url);
      if (!url.startsWith('file:')) continue;
      const file = fileURLToPath(url);
      sources.add(normalise(relative(REPO_ROOT, file)));
      if (file.startsWith(`${BUNDLE_DIR}/`)) {
        bundleFiles.push(relative(BUNDLE_DIR, file));
        for (const input of bundleInputs(file)) sources.add(normalise(input));
      }
    }
    return { sources: [...sources], builtins, bundleFiles, stdout: result.stdout };
  } finally {
    tmp.cleanup();
  }
}

/** The sources of `packages` (by package name) and of `ownFiles` (under src/) among `sources`. */
export function sourcesOf(sources: string[], packages: string[], ownFiles: string[] = []): string[] {
  return sources.filter(
    (path) =>
      packages.some((name) => path.includes(`/node_modules/${name}/`)) ||
      ownFiles.some((file) => path === `/${file}`),
  );
}
