import { join } from 'node:path';
import { configFilePath } from '../../core/config/paths.js';
import { readSettings } from '../../core/config/settings.js';
import type { ConfigStore } from '../../core/config/store.js';
import { DsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { Deps } from '../../core/deps.js';
import { createOutput, type Output } from '../../core/output.js';
import { checkCredentialsDir } from '../../core/secrets/credentials-dir.js';
import { CREDENTIALS_FILE } from '../../core/secrets/file-store.js';
import { selectStore } from '../../core/store-selection.js';
import { connectStore } from '../../services/connect.js';
import {
  type DoctorCheck,
  type DoctorInputs,
  type DoctorReport,
  doctorExitCategory,
  runDoctor,
} from '../../services/doctor/checks.js';
import { fileMode, serverTime } from '../../services/doctor/probes.js';
import { createLiveStore } from '../../services/locations/list.js';
import { isPostgresUrl, parsePostgresUrl } from '../../core/state/postgres/url.js';
import { CHECKPOINT_KEY } from '../../services/import/run.js';
import type { CommandRun } from '../define.js';
import { fleetAware } from '../fleet.js';

const doctorOneStore: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const shop = await selectStore(deps);
  const report = await runDoctor(await doctorInputs(deps, shop));
  out.result(report, () => renderReport(out, shop, report));
  const failure = doctorFailure(report);
  if (failure) throw failure;
};

/**
 * The doctor's view of this machine and store. A config file that does not parse is not thrown
 * here: it becomes the failing settings check, and the other checks still run.
 */
async function doctorInputs(deps: Deps, shop: string): Promise<DoctorInputs> {
  let config: ConfigStore | undefined;
  let configError: unknown;
  try {
    config = await deps.config();
  } catch (error) {
    configError = error;
  }
  const path = configFilePath(deps.configDir);
  const credentialsDir = deps.credentialsDir;
  return {
    shop,
    configPath: path,
    fileMode: fileMode(path),
    ...(credentialsDir === undefined
      ? {
          credentialsPath: join(deps.configDir, CREDENTIALS_FILE),
          credentialsMode: fileMode(join(deps.configDir, CREDENTIALS_FILE)),
        }
      : { credentialsDir: { path: credentialsDir, probe: () => checkCredentialsDir(credentialsDir) } }),
    ...(deps.env.DSYNC_STATE_URL?.trim()
      ? {
          sharedState: {
            location: stateLocation(deps.env.DSYNC_STATE_URL),
            probe: () => probeState(deps, shop),
          },
        }
      : {}),
    settings: () => {
      if (!config) throw configError;
      return readSettings(config.getProfile(shop), config.path);
    },
    connect: async () => {
      const connected = await connectStore(deps);
      return {
        live: createLiveStore(connected.client, deps.signal),
        tokenSource: connected.tokenSource,
        ...(connected.tokenPath ? { tokenPath: connected.tokenPath } : {}),
      };
    },
    serverTime: () => {
      // The version the other checks use: --api-version, else the store's setting, else pinned.
      const setting = config?.getProfile(shop)?.settings['api-version'];
      return serverTime(
        deps,
        shop,
        deps.global.apiVersion ?? (typeof setting === 'string' ? setting : undefined),
      );
    },
    now: deps.clock.now(),
  };
}

/** One line per check, each failure with its hint, then the tally. */
function renderReport(out: Output, shop: string, report: DoctorReport): string {
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
}

/**
 * The error that sets the exit code when a check failed (4 auth, 2 settings, 1 otherwise); the
 * report is already printed, so only the first hint is repeated.
 */
function doctorFailure(report: DoctorReport): DsyncError | undefined {
  const category = doctorExitCategory(report);
  if (!category) return undefined;
  const failed = report.checks.filter((c) => c.status === 'fail');
  const exit = category === 'auth' ? ExitCode.auth : category === 'config' ? ExitCode.usage : ExitCode.error;
  return new DsyncError(
    'doctor_failed',
    `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.id).join(', ')}`,
    exit,
    { resultPrinted: true, hint: failed[0]?.hint },
  );
}

/** `dsync doctor`, for one store or with --all-stores for each. */
export const run: CommandRun = fleetAware(doctorOneStore, {
  describe: (result) => {
    const checks = (result as DoctorReport).checks;
    const failed = checks.filter((c) => c.status === 'fail').map((c) => c.id);
    return failed.length === 0 ? `all ${checks.length} checks passed` : `failed: ${failed.join(', ')}`;
  },
});

/** What the shared state store holds for the store: connecting also makes sure of its schema. */
async function probeState(deps: Deps, shop: string): Promise<string> {
  const state = await deps.state();
  const ledger = await state.openLedgerReadonly(shop);
  if (!ledger) return 'reachable; no state for this store yet (its first import writes it)';
  try {
    const followed = await ledger.followedCount();
    const checkpoint = await ledger.getMeta(CHECKPOINT_KEY);
    return `reachable; ${followed} order${followed === 1 ? '' : 's'} followed${checkpoint ? `, last import checkpoint ${checkpoint}` : ''}`;
  } finally {
    await ledger.close();
  }
}

/** The state URL as messages show it: no password (a URL that is not PostgreSQL fails in probe). */
function stateLocation(url: string): string {
  return isPostgresUrl(url) ? parsePostgresUrl(url).display : 'DSYNC_STATE_URL';
}
