import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../support/cli.js';

// The manifests in deploy/kubernetes/ read by a real YAML parser, as the API server would get
// them, and checked for what keeps a fleet correct and its secrets out of sight.

// biome-ignore lint/suspicious/noExplicitAny: manifests are inspected field by field
type Json = any;

const DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
const RENDER = join(DIR, 'render.js');
/** `*\/5 * * * *`: a run every 300 seconds. */
const TICK_SECONDS = 300;
const SHARD_FILE = /^cronjob-shard-\d+-of-\d+\.yaml$/;

/**
 * Every document of a file. YAML 1.2 (the `yaml` package's default) and YAML 1.1 (what
 * Kubernetes' Go reader follows: `0440` is octal there, `yes` a boolean) must read the same, so
 * the manifest means what the test sees.
 */
function documents(file: string): Json[] {
  const text = readFileSync(join(DIR, file), 'utf8');
  const read = (version: '1.1' | '1.2') =>
    parseAllDocuments(text, { version, prettyErrors: true }).map((doc) => {
      expect(doc.errors.map(String), `${file} (YAML ${version})`).toEqual([]);
      expect(doc.warnings.map(String), `${file} (YAML ${version})`).toEqual([]);
      return doc.toJS();
    });
  const docs = read('1.2');
  expect(read('1.1'), `${file} reads differently as YAML 1.1`).toEqual(docs);
  return docs.filter((doc) => doc !== null);
}

const yamlFiles = readdirSync(DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const kustomization: Json = documents('kustomization.yaml')[0];
const resources: Json[] = (kustomization.resources as string[]).flatMap((file) => documents(file));
const cronJobs: Json[] = resources.filter((r) => r.kind === 'CronJob');
const N = cronJobs.length;
const podSpec = (job: Json): Json => job.spec.jobTemplate.spec.template.spec;
const container = (job: Json): Json => {
  const containers = podSpec(job).containers as Json[];
  expect(containers).toHaveLength(1);
  return containers[0];
};
const argsOf = (job: Json): string[] => container(job).args;
const envOf = (job: Json): Map<string, Json> =>
  new Map((container(job).env as Json[]).map((e) => [e.name as string, e]));

/** The value after a flag in args (`--shard 2/4` or `--shard=2/4`). */
function flagValue(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('deploy/kubernetes', () => {
  it('is one kustomization listing every manifest of the directory', () => {
    expect(kustomization.kind).toBe('Kustomization');
    expect([...kustomization.resources, 'kustomization.yaml'].sort()).toEqual(yamlFiles);
    expect(kustomization.namespace).toBe('dsync');
    const namespace = resources.find((r) => r.kind === 'Namespace');
    expect(namespace?.metadata.name).toBe(kustomization.namespace);
    expect(N).toBeGreaterThanOrEqual(2);
  });

  it('is what render.js renders from the template, byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'dsync-render-'));
    temps.push(out);
    // A rendering for another N leaves nothing behind: its shard files are replaced.
    writeFileSync(join(out, `cronjob-shard-${N + 1}-of-${N + 1}.yaml`), 'stale');
    const run = spawnSync(process.execPath, [RENDER, '--shards', String(N), '--dir', out], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const rendered = readdirSync(out).sort();
    const committed = yamlFiles.filter((f) => f === 'kustomization.yaml' || SHARD_FILE.test(f));
    expect(rendered).toEqual(committed);
    for (const file of rendered) {
      expect(readFileSync(join(out, file), 'utf8'), `${file} differs from render.js --shards ${N}`).toBe(
        readFileSync(join(DIR, file), 'utf8'),
      );
    }
  });

  it('refuses a shard count that is not a whole number', () => {
    for (const shards of ['0', 'x', '2.5', '-1']) {
      const run = spawnSync(process.execPath, [RENDER, '--shards', shards, '--dir', tmpdir()], {
        encoding: 'utf8',
      });
      expect(run.status, shards).toBe(2);
      expect(run.stderr).toContain('--shards must be a whole number');
    }
  });

  it('has one CronJob per shard: i/N covers 1..N exactly once, with the same N everywhere', () => {
    const shards = cronJobs.map((job) => flagValue(argsOf(job), '--shard'));
    const parsed = shards.map((s) => /^(\d+)\/(\d+)$/.exec(s ?? ''));
    expect(
      parsed.every((m) => m !== null),
      `--shard values: ${shards.join(', ')}`,
    ).toBe(true);
    expect(new Set(parsed.map((m) => Number(m?.[2])))).toEqual(new Set([N]));
    expect(parsed.map((m) => Number(m?.[1])).sort((a, b) => a - b)).toEqual(
      Array.from({ length: N }, (_, i) => i + 1),
    );
    // The name and labels say the same shard as the args.
    for (const job of cronJobs) {
      const [i, n] = (flagValue(argsOf(job), '--shard') ?? '').split('/');
      expect(job.metadata.name).toBe(`dsync-import-${i}-of-${n}`);
      expect(job.metadata.labels['app.kubernetes.io/instance']).toBe(`shard-${i}-of-${n}`);
    }
    expect(new Set(cronJobs.map((job) => job.metadata.name)).size).toBe(N);
  });

  it('runs every five minutes, one run of a shard at a time, stopped before the next tick', () => {
    for (const job of cronJobs) {
      const name = job.metadata.name;
      expect(job.spec.schedule, name).toBe('*/5 * * * *');
      expect(job.spec.concurrencyPolicy, name).toBe('Forbid');
      expect(job.spec.startingDeadlineSeconds, name).toBeGreaterThan(0);
      expect(job.spec.startingDeadlineSeconds, name).toBeLessThan(TICK_SECONDS);
      expect(job.spec.successfulJobsHistoryLimit, name).toBeGreaterThanOrEqual(0);
      expect(job.spec.failedJobsHistoryLimit, name).toBeGreaterThanOrEqual(1);
      const jobSpec = job.spec.jobTemplate.spec;
      expect(jobSpec.backoffLimit, name).toBe(0);
      expect(podSpec(job).restartPolicy, name).toBe('Never');
      // Stopped (SIGTERM), and killed after the grace period, before the next tick starts.
      const grace = podSpec(job).terminationGracePeriodSeconds ?? 30;
      expect(jobSpec.activeDeadlineSeconds + grace, name).toBeLessThan(TICK_SECONDS);
    }
  });

  it('imports all stores of its shard to one sink, without prompts or colour', () => {
    for (const job of cronJobs) {
      const args = argsOf(job);
      expect(args[0]).toBe('import');
      expect(args).toContain('--all-stores');
      expect(flagValue(args, '--concurrency')).toMatch(/^\d+$/);
      expect(flagValue(args, '--bulk-timeout')).toBeDefined();
      const sinks = ['--out', '--webhook'].filter((flag) => flagValue(args, flag) !== undefined);
      expect(sinks).toHaveLength(1);
      const env = envOf(job);
      expect(env.get('DSYNC_NO_INPUT')?.value).toBe('1');
      expect(env.get('NO_COLOR')?.value).toBe('1');
      // Kubernetes expands $(NAME) in args only for a variable of the container; else it stays literal.
      for (const arg of args) {
        for (const [, ref] of arg.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
          expect(env.has(ref as string), `${arg} names no variable of the container`).toBe(true);
      }
    }
  });

  it('takes DSYNC_STATE_URL and PGPASSWORD from a Secret', () => {
    for (const job of cronJobs) {
      const env = envOf(job);
      for (const name of ['DSYNC_STATE_URL', 'PGPASSWORD']) {
        const entry = env.get(name);
        expect(entry, `${job.metadata.name} sets ${name}`).toBeDefined();
        expect(entry.value, name).toBeUndefined();
        expect(entry.valueFrom.secretKeyRef.name, name).toBeTruthy();
        expect(entry.valueFrom.secretKeyRef.key, name).toBeTruthy();
      }
    }
  });

  it('mounts the credentials Secret and the config ConfigMap read-only where dsync looks', () => {
    for (const job of cronJobs) {
      const env = envOf(job);
      const volumes = new Map((podSpec(job).volumes as Json[]).map((v) => [v.name, v]));
      const mountAt = (path: string): Json =>
        (container(job).volumeMounts as Json[]).find((m) => m.mountPath === path);
      const config = mountAt(env.get('DSYNC_CONFIG_DIR')?.value);
      expect(config?.readOnly).toBe(true);
      expect(volumes.get(config.name)?.configMap?.name).toBeTruthy();
      const credentials = mountAt(env.get('DSYNC_CREDENTIALS_DIR')?.value);
      expect(credentials?.readOnly).toBe(true);
      const secret = volumes.get(credentials.name)?.secret;
      expect(secret?.secretName).toBeTruthy();
      // Readable by the owner and the pod's fsGroup, nobody else.
      expect(secret.defaultMode & 0o007).toBe(0);
      expect(podSpec(job).securityContext.fsGroup).toBe(podSpec(job).securityContext.runAsUser);
      // Everything else mounted is scratch space, never a host path.
      for (const volume of volumes.values()) expect(volume.hostPath).toBeUndefined();
    }
  });

  it('runs as non-root on a read-only root filesystem, without privileges or a cluster token', () => {
    const accounts = resources.filter((r) => r.kind === 'ServiceAccount');
    expect(accounts.map((a) => a.automountServiceAccountToken)).toEqual([false]);
    for (const job of cronJobs) {
      const pod = podSpec(job);
      expect(pod.serviceAccountName).toBe(accounts[0].metadata.name);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.hostNetwork ?? false).toBe(false);
      const security = container(job).securityContext;
      expect(security.allowPrivilegeEscalation).toBe(false);
      expect(security.readOnlyRootFilesystem).toBe(true);
      expect(security.privileged ?? false).toBe(false);
      expect(security.capabilities.drop).toContain('ALL');
      expect(security.capabilities.add ?? []).toEqual([]);
      expect(container(job).resources.requests).toBeDefined();
      expect(container(job).resources.limits.memory).toBeDefined();
    }
  });

  it('uses one image everywhere', () => {
    const images = new Set(cronJobs.map((job) => container(job).image));
    expect(images.size).toBe(1);
  });

  it('carries no secret: no token, password or postgres URL with a password in any value', () => {
    const looksSecret = [
      /shp(at|ca|pa|ss)_/i, // Shopify access tokens, app secrets
      /postgres(ql)?:\/\/[^/@\s]*:[^/@\s]*@/i, // a URL with user:password@
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    ];
    const strings = (value: Json, path: string): [string, string][] =>
      typeof value === 'string'
        ? [[path, value]]
        : value && typeof value === 'object'
          ? Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`))
          : [];
    for (const file of yamlFiles) {
      for (const doc of documents(file)) {
        expect(doc.kind, `${file} holds a ${doc.kind}`).not.toBe('Secret');
        for (const [path, text] of strings(doc, file)) {
          for (const pattern of looksSecret) expect(text, `${path} looks like a secret`).not.toMatch(pattern);
        }
      }
    }
    // A variable named like a secret is never given literally.
    for (const job of cronJobs) {
      for (const [name, entry] of envOf(job)) {
        if (/PASSWORD|SECRET|TOKEN|KEY|_URL$/.test(name)) expect(entry.value, name).toBeUndefined();
      }
    }
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!kubectl)(
    'builds with kustomize under an overlay that names the image (skipped where kubectl is not installed)',
    () => {
      // The README's way to deploy: an overlay of this base, setting the image built from deploy/Dockerfile.
      const overlay = mkdtempSync(join(tmpdir(), 'dsync-overlay-'));
      temps.push(overlay);
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          'resources:',
          `  - ${relative(overlay, DIR)}`,
          'images:',
          `  - name: ${container(cronJobs[0]).image}`,
          '    newName: registry.example.com/3pl/dsync',
          '    newTag: "0.1.0"',
          '',
        ].join('\n'),
      );
      const built = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const objects: Json[] = parseAllDocuments(built.stdout).map((d) => d.toJS());
      const jobs = objects.filter((o) => o.kind === 'CronJob');
      expect(jobs).toHaveLength(N);
      for (const job of jobs) expect(container(job).image).toBe('registry.example.com/3pl/dsync:0.1.0');
      for (const object of objects.filter((o) => o.kind !== 'Namespace'))
        expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe('dsync');
    },
  );
});

describe('deploy/Dockerfile', () => {
  const DOCKERFILE = join(REPO_ROOT, 'deploy', 'Dockerfile');
  interface Instruction {
    op: string;
    rest: string;
  }
  interface Stage {
    name: string | undefined;
    image: string;
    steps: Instruction[];
  }
  /** Instructions with `\` continuations joined, comments and blank lines dropped, grouped by stage. */
  function stages(): Stage[] {
    const joined = readFileSync(DOCKERFILE, 'utf8').replace(/\\\n/g, ' ');
    const result: Stage[] = [];
    for (const line of joined.split('\n').map((l) => l.trim())) {
      if (line === '' || line.startsWith('#')) continue;
      const [op = '', ...rest] = line.split(/\s+/);
      const step = { op: op.toUpperCase(), rest: rest.join(' ') };
      if (step.op === 'FROM') {
        const [image = '', as, name] = rest;
        result.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, steps: [] });
      } else result.at(-1)?.steps.push(step);
    }
    return result;
  }
  /** COPY's options, sources and destination (absolute, against WORKDIR). */
  function copies(stage: Stage): { from: string | undefined; sources: string[]; dest: string }[] {
    let workdir = '/';
    const found = [];
    for (const step of stage.steps) {
      if (step.op === 'WORKDIR') workdir = step.rest.startsWith('/') ? step.rest : join(workdir, step.rest);
      if (step.op !== 'COPY') continue;
      const words = step.rest.split(/\s+/);
      const options = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const dest = paths.pop() as string;
      found.push({
        from: options.find((o) => o.startsWith('--from='))?.slice('--from='.length),
        sources: paths,
        dest: dest.startsWith('/') ? dest : join(workdir, dest),
      });
    }
    return found;
  }
  /** Where a path of a stage's filesystem came from: another stage's path, or the build context's. */
  function origin(stage: Stage, path: string): { from: string | undefined; path: string } | undefined {
    for (const copy of copies(stage).reverse()) {
      for (const source of copy.sources) {
        // `COPY a b c dir/` copies into dir/; `COPY src dest` makes dest the source.
        const target = copy.sources.length > 1 ? join(copy.dest, source) : copy.dest;
        const base = target.replace(/\/$/, '');
        if (path === base || path.startsWith(`${base}/`))
          return { from: copy.from, path: join(source, path.slice(base.length)) };
      }
    }
    return undefined;
  }

  it('builds on a Node.js line that package.json allows', () => {
    const engines: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node;
    const majors = engines.split('||').map((range) => Number(/^\s*\^(\d+)\./.exec(range)?.[1]));
    expect(majors.every(Number.isInteger), engines).toBe(true);
    const all = stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) {
      const tag = /^node:(\d+)-bookworm-slim$/.exec(stage.image);
      expect(tag, `FROM ${stage.image}`).not.toBeNull();
      expect(majors, `FROM ${stage.image} against engines ${engines}`).toContain(Number(tag?.[1]));
    }
  });

  it('copies only paths that exist and that its ignore file lets into the context', () => {
    const ignore = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    // Everything is ignored, then each path the Dockerfile needs is let in by name.
    expect(ignore[0]).toBe('**');
    const allowed = new Set(ignore.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, '')));
    const fromContext = stages().flatMap((s) => copies(s).filter((c) => c.from === undefined));
    expect(fromContext.length).toBeGreaterThan(0);
    for (const copy of fromContext) {
      for (const source of copy.sources) {
        expect(existsSync(join(REPO_ROOT, source)), `COPY ${source}: no such path in the repository`).toBe(
          true,
        );
        expect(
          allowed.has(source.replace(/\/$/, '')),
          `COPY ${source} is not let in by the ignore file`,
        ).toBe(true);
      }
    }
  });

  it('runs bin/dsync.js, and the bundle it loads, as a user other than root', () => {
    const all = stages();
    const final = all.at(-1) as Stage;
    const entry = final.steps.filter((s) => s.op === 'ENTRYPOINT').at(-1);
    const argv: string[] = JSON.parse(entry?.rest ?? 'null');
    expect(argv[0]).toBe('node');
    const script = argv[1] as string;
    // The paths the entrypoint needs, traced back through the stages to the repository.
    const bin = readFileSync(join(REPO_ROOT, 'bin', 'dsync.js'), 'utf8');
    const loaded = [...bin.matchAll(/import\('(\.\.\/[^']+)'\)/g)].map((m) =>
      join(script, '..', m[1] as string),
    );
    expect(loaded.length).toBeGreaterThan(0);
    for (const path of [script, ...loaded]) {
      let stage: Stage = final;
      let at = path;
      let found = origin(stage, at);
      while (found?.from !== undefined) {
        const from = found.from;
        stage = all.find((s) => s.name === from) as Stage;
        expect(stage, `COPY --from=${from}`).toBeDefined();
        at = found.path;
        found = origin(stage, at);
      }
      if (path === script) {
        // The script comes from the repository.
        expect(found, `${path}: nothing in the image puts it there`).toBeDefined();
        expect(existsSync(join(REPO_ROOT, found?.path as string)), `${path} ← ${found?.path}`).toBe(true);
      } else {
        // The bundle is built in an earlier stage (npm ci runs `prepare`, the build), not copied in.
        expect(found, `${path} is copied from the context, not built`).toBeUndefined();
        expect(stage, `${path}: the final stage cannot build it`).not.toBe(final);
        expect(stage.steps.some((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.rest))).toBe(true);
      }
    }
    const user = final.steps.filter((s) => s.op === 'USER').at(-1)?.rest;
    expect(user).toBeDefined();
    expect(['root', '0'].includes((user as string).split(':')[0] as string), `USER ${user}`).toBe(false);
  });
});
