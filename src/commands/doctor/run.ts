import { statSync } from 'node:fs';
import { request } from 'undici';
import { shopOrigin } from '../../core/api-origin.js';
import { configFilePath } from '../../core/config/paths.js';
import { readSettings } from '../../core/config/settings.js';
import type { ConfigStore } from '../../core/config/store.js';
import type { Deps } from '../../core/deps.js';
import { DsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { createOutput } from '../../core/output.js';
import { selectStore } from '../../core/store-selection.js';
import { connectStore } from '../../services/connect.js';
import { type DoctorCheck, doctorExitCategory, runDoctor } from '../../services/doctor/checks.js';
import { createLiveStore } from '../../services/locations/list.js';
import { PINNED_API_VERSION } from '../../shopify/types.js';
import type { CommandRun } from '../define.js';

/** The store's `Date` header from a plain request (no token sent), and the local time at mid-flight. */
async function serverTime(deps: Deps, shop: string): Promise<{ server: Date; local: Date } | undefined> {
  const origin = shopOrigin(shop, deps.apiOrigin);
  const before = deps.clock.now().getTime();
  const response = await request(`${origin}/admin/api/${PINNED_API_VERSION}/graphql.json`, {
    method: 'HEAD',
    dispatcher: await deps.dispatcher(),
    signal: deps.signal,
  });
  await response.body.dump();
  const after = deps.clock.now().getTime();
  const header = response.headers.date;
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  const server = new Date(text);
  if (Number.isNaN(server.getTime())) return undefined;
  // The header has one-second resolution and is stamped when the reply starts: compare with
  // the middle of the round trip.
  return { server, local: new Date((before + after) / 2) };
}

function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const shop = await selectStore(deps);
  let config: ConfigStore | undefined;
  let configError: unknown;
  try {
    config = await deps.config();
  } catch (error) {
    configError = error;
  }
  const path = configFilePath(deps.configDir);
  const report = await runDoctor({
    shop,
    configPath: path,
    fileMode: fileMode(path),
    settings: () => {
      if (!config) throw configError;
      return readSettings(config.getProfile(shop), config.path);
    },
    connect: async () => {
      const connected = await connectStore(deps);
      return { live: createLiveStore(connected.client, deps.signal), tokenSource: connected.tokenSource };
    },
    serverTime: () => serverTime(deps, shop),
    now: deps.clock.now(),
  });

  out.result(report, () => {
    const p = out.paint;
    const mark = (c: DoctorCheck) =>
      c.status === 'pass' ? p.green('✓') : c.status === 'fail' ? p.red('✗') : p.dim('-');
    const lines = [`dsync doctor: ${shop}`];
    for (const c of report.checks) {
      lines.push(`${mark(c)} ${c.title}: ${c.status === 'skip' ? p.dim(c.detail) : c.detail}`);
      if (c.status === 'fail' && c.hint) lines.push(`    ${p.dim(`→ ${c.hint}`)}`);
    }
    const failed = report.checks.filter((c) => c.status === 'fail').length;
    lines.push(
      failed === 0
        ? p.green(`All checks passed.`)
        : p.red(`${failed} of ${report.checks.length} checks failed.`),
    );
    return lines.join('\n');
  });

  const category = doctorExitCategory(report);
  if (category) {
    const failed = report.checks.filter((c) => c.status === 'fail');
    const exit =
      category === 'auth' ? ExitCode.auth : category === 'config' ? ExitCode.usage : ExitCode.error;
    throw new DsyncError(
      'doctor_failed',
      `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.id).join(', ')}`,
      exit,
      { resultPrinted: true, hint: failed[0]?.hint },
    );
  }
};
