import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { expectedImports } from '../import/helpers.js';
import { CLI_PATH, REPO_ROOT, runCli, tempConfigDir } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// The CronJobs of deploy/kubernetes run as Kubernetes would start their containers: the args
// with $(NAME) expanded from the container's env, the env's literal values, the mounted
// directories standing in for the ConfigMap and the Secret. Together the shards import every
// store of the fleet once, and each store's orders arrive at the webhook receiver.

// biome-ignore lint/suspicious/noExplicitAny: manifests and events are inspected field by field
type Json = any;

const SHOPS = 5;
const ORDERS = Number(process.env.DSYNC_TEST_K8S_ORDERS ?? 60);
const DIR = join(REPO_ROOT, 'deploy', 'kubernetes');

const read = (file: string): Json[] =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => doc.toJS());
const cronJobs: Json[] = (read('kustomization.yaml')[0].resources as string[])
  .flatMap(read)
  .filter((r) => r?.kind === 'CronJob');

interface Delivery {
  shard: string;
  event: Json;
}

/** A webhook receiver on 127.0.0.1 that accepts every event and remembers which shard sent it. */
async function receiver(): Promise<{
  url: string;
  deliveries: Delivery[];
  shard: string;
  close(): Promise<void>;
}> {
  const state = { url: '', deliveries: [] as Delivery[], shard: '', close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.deliveries.push({
        shard: state.shard,
        event: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orders`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * A directory laid out as Kubernetes mounts a Secret: each key a symlink into `..data`, which
 * links to a timestamped directory holding the files.
 */
function secretMount(dir: string, files: Record<string, string>): void {
  const stamped = join(dir, '..2026_11_30_00_00_00.000000001');
  mkdirSync(stamped, { recursive: true });
  for (const [key, value] of Object.entries(files)) writeFileSync(join(stamped, key), value);
  symlinkSync('..2026_11_30_00_00_00.000000001', join(dir, '..data'));
  for (const key of Object.keys(files)) symlinkSync(join('..data', key), join(dir, key));
}

describe('the CronJobs of deploy/kubernetes against a sandbox serving several stores', () => {
  let sandbox: TestSandbox;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    sandbox = await startTestSandbox({ shops: SHOPS, orders: ORDERS });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await sandbox?.stop();
  });

  it('imports every store exactly once across the shards, each to the webhook', async () => {
    expect(cronJobs.length).toBeGreaterThanOrEqual(2);
    const shops = sandbox.shops.map((s) => s.shop);
    // The fleet's settings, made on a workstation (`dsync auth login` per store); config.json
    // goes into the ConfigMap, the tokens into the credentials Secret.
    const config = tempConfigDir('dsync-k8s-config-');
    cleanups.push(config.cleanup);
    const workstation = {
      DSYNC_API_ORIGIN: sandbox.origin,
      DSYNC_CONFIG_DIR: config.dir,
      DSYNC_KEYCHAIN: 'off',
    };
    for (const shop of sandbox.shops) {
      const login = await runCli(['auth', 'login', '--with-token', '--store', shop.shop], {
        env: workstation,
        input: shop.accessToken,
      });
      expect(login.code, login.stderr).toBe(0);
    }
    const credentials = tempConfigDir('dsync-k8s-credentials-');
    cleanups.push(credentials.cleanup);
    secretMount(
      credentials.dir,
      Object.fromEntries(sandbox.shops.map((s) => [s.shop, `${s.accessToken}\n`])),
    );

    const hook = await receiver();
    cleanups.push(() => void hook.close());
    /** What the cluster's Secrets hold, by name and key (no PostgreSQL here: state stays in the config dir). */
    const secrets: Record<string, Record<string, string>> = { 'dsync-webhook': { url: hook.url } };

    const reports = new Map<string, string[]>();
    for (const job of cronJobs) {
      const pod = job.spec.jobTemplate.spec.template.spec;
      const container = pod.containers[0];
      const mounts = new Map<string, string>();
      for (const mount of container.volumeMounts as Json[]) {
        const volume = (pod.volumes as Json[]).find((v) => v.name === mount.name);
        if (volume.configMap) mounts.set(mount.mountPath, config.dir);
        if (volume.secret) mounts.set(mount.mountPath, credentials.dir);
      }
      const env: Record<string, string> = {};
      for (const entry of container.env as Json[]) {
        if (entry.value !== undefined) env[entry.name] = mounts.get(entry.value) ?? entry.value;
        const ref = entry.valueFrom?.secretKeyRef;
        const value = ref && secrets[ref.name]?.[ref.key];
        if (value !== undefined) env[entry.name] = value;
      }
      const args = (container.args as string[]).map((arg) =>
        arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole),
      );
      hook.shard = job.metadata.name;
      const result = await runCli(args, {
        env: { ...env, DSYNC_API_ORIGIN: sandbox.origin, DSYNC_KEYCHAIN: 'off' },
        timeoutMs: 120_000,
      });
      expect(result.code, `${job.metadata.name}: ${result.stderr}`).toBe(0);
      // One line per store: `<shop> ok exit=0 …`.
      const lines = result.stdout.trim() === '' ? [] : result.stdout.trim().split('\n');
      for (const line of lines) expect(line, job.metadata.name).toMatch(/^\S+\.myshopify\.com ok exit=0 /);
      reports.set(
        job.metadata.name,
        lines.map((line) => line.split(' ')[0] as string),
      );
    }

    // Every store in exactly one shard.
    const ran = [...reports.values()].flat();
    expect(ran.sort()).toEqual([...shops].sort());
    // Each store's orders: the ones the store holds to ship, from the shard that ran it only.
    const shardOf = new Map(
      [...reports].flatMap(([shard, list]) => list.map((shop) => [shop, shard] as const)),
    );
    for (const shop of sandbox.shops) {
      const expected = [...expectedImports(shop.data, {}).keys()].sort();
      expect(expected.length, `${shop.shop} has orders to ship`).toBeGreaterThan(0);
      const mine = hook.deliveries.filter((d) => d.event.order?.shop === shop.shop);
      expect(new Set(mine.map((d) => d.shard)), shop.shop).toEqual(new Set([shardOf.get(shop.shop)]));
      const created = mine
        .filter((d) => d.event.type === 'order.created')
        .map((d) => d.event.order.name as string);
      expect(created.sort(), shop.shop).toEqual(expected);
      const store = merchant(sandbox, shop.shop);
      const first = mine[0]?.event;
      const live: Json = await store.order(first.order.id);
      expect(live.name).toBe(first.order.name);
    }
    expect(hook.deliveries.every((d) => shops.includes(d.event.order?.shop))).toBe(true);
  });
});

describe("the CronJobs' args", () => {
  it("use only flags that the built CLI's help lists, and the CLI accepts them", async () => {
    for (const job of cronJobs) {
      const args: string[] = job.spec.jobTemplate.spec.template.spec.containers[0].args;
      const help = spawnSync(process.execPath, [CLI_PATH, args[0] as string, '--help'], { encoding: 'utf8' });
      expect(help.status, help.stderr).toBe(0);
      const known = new Set(help.stdout.match(/--[a-z][a-z-]*/g));
      for (const flag of args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0] as string))
        expect(known.has(flag), `${flag} is not in \`dsync ${args[0]} --help\``).toBe(true);

      // As Kubernetes passes them ($(NAME) expanded), in an empty config dir: every flag parses
      // and passes its checks, and the run gets as far as finding no store.
      const config = tempConfigDir('dsync-k8s-args-');
      try {
        const expanded = args.map((a) =>
          a.replace(/\$\(DSYNC_WEBHOOK_URL\)/g, 'https://wms.example/hooks/orders'),
        );
        const result = await runCli(expanded, {
          env: { DSYNC_CONFIG_DIR: config.dir, DSYNC_NO_INPUT: '1', NO_COLOR: '1', DSYNC_KEYCHAIN: 'off' },
        });
        expect(result.code, `${job.metadata.name}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain('no store is configured');
      } finally {
        config.cleanup();
      }
    }
  });
});
