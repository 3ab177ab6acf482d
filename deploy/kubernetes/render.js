#!/usr/bin/env node
// Renders one CronJob per shard from cronjob.yaml.tmpl, and the kustomization that lists them:
//
//   node deploy/kubernetes/render.js --shards 4             # into deploy/kubernetes/
//   node deploy/kubernetes/render.js --shards 8 --dir DIR   # into DIR (created if needed)
//
// Shard i of N runs `dsync import --all-stores --shard i/N`. Every store falls in exactly one
// shard, so N CronJobs split a fleet without two of them importing the same store. Files of an
// earlier rendering with another N (cronjob-shard-*.yaml) are removed. No dependencies: this runs
// wherever the repository is checked out.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const TEMPLATE = 'cronjob.yaml.tmpl';
/** What the kustomization lists besides the CronJobs (committed by hand, not rendered). */
const STATIC = ['namespace.yaml', 'serviceaccount.yaml'];
const SHARD_FILE = /^cronjob-shard-\d+-of-\d+\.yaml$/;
/** More shards than this is a typo, not a fleet: each shard is a CronJob and a pod every tick. */
const MAX_SHARDS = 256;

const USAGE = 'usage: node deploy/kubernetes/render.js --shards N [--dir DIR]';

function fail(message) {
  process.stderr.write(`render.js: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  let shards;
  let dir = here;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') fail(`${name} needs a value`);
      return v;
    };
    if (name === '--shards') {
      const text = value();
      shards = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(shards >= 1 && shards <= MAX_SHARDS))
        fail(`--shards must be a whole number from 1 to ${MAX_SHARDS}, got "${text}"`);
    } else if (name === '--dir') dir = value();
    else if (name === '--help' || name === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument "${arg}"`);
  }
  if (shards === undefined) fail('--shards is required');
  return { shards, dir };
}

const header = (shards) =>
  `# Rendered by \`node deploy/kubernetes/render.js --shards ${shards}\` from ${TEMPLATE}:\n` +
  '# edit the template and render again rather than this file.\n';

/** The files of a rendering, name → content. */
function render(shards, template) {
  const files = new Map();
  const names = [];
  for (let shard = 1; shard <= shards; shard++) {
    const name = `cronjob-shard-${shard}-of-${shards}.yaml`;
    names.push(name);
    const body = template.replaceAll('{{SHARD}}', String(shard)).replaceAll('{{SHARDS}}', String(shards));
    files.set(name, header(shards) + body);
  }
  files.set(
    'kustomization.yaml',
    header(shards) +
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: dsync',
        'resources:',
        ...[...STATIC, ...names].map((name) => `  - ${name}`),
        '',
      ].join('\n'),
  );
  return files;
}

const { shards, dir } = parseArgs(process.argv.slice(2));
const template = readFileSync(join(here, TEMPLATE), 'utf8');
if (/\{\{(?!SHARDS?\}\})/.test(template))
  fail(`${TEMPLATE} has a placeholder other than {{SHARD}}, {{SHARDS}}`);
const files = render(shards, template);
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) {
  if (SHARD_FILE.test(name) && !files.has(name)) rmSync(join(dir, name));
}
for (const [name, content] of files) writeFileSync(join(dir, name), content);
process.stderr.write(
  `rendered ${shards} CronJob${shards === 1 ? '' : 's'} and kustomization.yaml in ${dir}\n`,
);
