#!/usr/bin/env node
// npm run bench: runs every scripts/bench/*.js (or those named as arguments) one after the
// other, shows their output, and ends with one line per benchmark. Each benchmark prints a human
// line and, last, one JSON line with its figures (`name`, `pass`). Exit 1 when any fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();

const results = [];
for (const file of files) {
  process.stdout.write(`\n— ${file}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(dir, file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const lines = (run.stdout ?? '').trim().split('\n');
  let figures;
  for (const line of lines) {
    if (line.startsWith('{')) {
      try {
        figures = JSON.parse(line);
        continue;
      } catch {
        // not the figures line
      }
    }
    process.stdout.write(`${line}\n`);
  }
  results.push({
    file,
    ok: run.status === 0 && figures?.pass !== false,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
    figures,
  });
  if (figures) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

process.stdout.write('\nbenchmark                result  wall time\n');
for (const r of results) {
  process.stdout.write(`${r.file.padEnd(24)} ${(r.ok ? 'ok' : 'FAILED').padEnd(7)} ${r.seconds}s\n`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
