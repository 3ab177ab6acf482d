import { acceptOrdersAfterDate, type Settings } from '../../core/config/settings.js';
import { isDsyncError } from '../../core/errors.js';
import { expandImplied, missingScopes } from '../auth/scopes.js';
import { READABLE_WINDOW_DAYS } from '../config/values.js';
import type { LiveStore } from '../locations/list.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** What a failing check means for the exit code: auth → 4, config → 2, anything else → 1. */
export type CheckCategory = 'auth' | 'config' | 'store' | 'system';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  category: CheckCategory;
  /** What was found. */
  detail: string;
  /** What to do about a failure. */
  hint?: string;
}

export interface DoctorReport {
  shop: string;
  ok: boolean;
  checks: DoctorCheck[];
}

/** Everything doctor looks at, each side effect behind a function so tests can fake it. */
export interface DoctorInputs {
  shop: string;
  configPath: string;
  /** Permission bits of the config file, undefined when it does not exist. */
  fileMode: number | undefined;
  /** The fallback credentials file (credentials.json), and its permission bits when it exists. */
  credentialsPath?: string;
  credentialsMode?: number | undefined;
  /**
   * DSYNC_CREDENTIALS_DIR, when set: the only source of secrets, so it is checked instead of the
   * credentials file; `probe` throws when it is missing or unreadable.
   */
  credentialsDir?: { path: string; probe(): Promise<void> };
  /**
   * DSYNC_STATE_URL, when it names PostgreSQL: `probe` connects, makes sure of the schema and says
   * what the store has there; it throws the state store's error (unreachable, login refused, …).
   */
  sharedState?: { location: string; probe(): Promise<string> };
  /** The effective settings; throws ConfigError when the file holds a bad value. */
  settings(): Settings;
  /** Connects with the stored (or env) token; throws AuthError when there is none or it is refused. */
  connect(): Promise<{ live: LiveStore; tokenSource: string; tokenPath?: string }>;
  /** The store's HTTP `Date` header and the local time halfway through the request. */
  serverTime(): Promise<{ server: Date; local: Date } | undefined>;
  now: Date;
}

/** Allowed difference between the local clock and the store's (OAuth callbacks are checked at ±90 s). */
export const MAX_CLOCK_SKEW_MS = 90_000;

const messageOf = (error: unknown): { detail: string; hint?: string } =>
  isDsyncError(error)
    ? { detail: error.message, ...(error.hint ? { hint: error.hint } : {}) }
    : { detail: error instanceof Error ? error.message : String(error) };

/**
 * Runs every check in order; a failure never stops the others, and checks that need something
 * that failed (a token, valid settings) are skipped with the reason.
 */
export async function runDoctor(inputs: DoctorInputs): Promise<DoctorReport> {
  const config = checkSettings(inputs);
  const permissions = permissionsCheck(
    'config-permissions',
    'config file permissions',
    inputs.configPath,
    inputs.fileMode,
    'no config file yet',
  );
  const credentials = inputs.credentialsDir
    ? [await credentialsDirCheck(inputs.credentialsDir)]
    : inputs.credentialsPath === undefined
      ? []
      : [
          permissionsCheck(
            'credentials-permissions',
            'credentials file permissions',
            inputs.credentialsPath,
            inputs.credentialsMode,
            'no credentials file (secrets are in the OS keychain or the environment)',
          ),
        ];
  const state = inputs.sharedState ? [await sharedStateCheck(inputs.sharedState)] : [];
  const token = await checkToken(inputs);
  const window = readableWindow(config.settings, inputs.now);
  const scopes = checkScopes(token.granted, config.settings, window);
  const location = await checkFulfillmentLocation(inputs.shop, config.settings, token.live);
  const service = await checkFulfillmentService(config.settings, token.live);
  const belongs = checkLocationBelongsToService(config.settings, service.location, location.name);
  const acceptAfter = checkAcceptOrdersAfter(config.settings, window, token.granted);
  const clock = await checkClock(inputs);
  const checks = [
    config.check,
    permissions,
    ...credentials,
    ...state,
    token.check,
    scopes,
    location.check,
    service.check,
    belongs,
    acceptAfter,
    clock,
  ];
  return { shop: inputs.shop, ok: checks.every((c) => c.status !== 'fail'), checks };
}

// ---- the config file -------------------------------------------------------------------------

function checkSettings(inputs: DoctorInputs): { check: DoctorCheck; settings: Settings | undefined } {
  const base = { id: 'config-valid', title: 'settings are valid' };
  try {
    const settings = inputs.settings();
    return { check: { ...base, status: 'pass', category: 'config', detail: inputs.configPath }, settings };
  } catch (error) {
    return {
      check: { ...base, status: 'fail', category: 'config', ...messageOf(error) },
      settings: undefined,
    };
  }
}

/** A file only its owner may read or write (0600): anything wider fails with the chmod to run. */
function permissionsCheck(
  id: string,
  title: string,
  path: string,
  fileMode: number | undefined,
  absent: string,
): DoctorCheck {
  if (fileMode === undefined)
    return { id, title, status: 'pass', category: 'system', detail: `${absent} (${path})` };
  const mode = fileMode.toString(8).padStart(3, '0');
  // Any bit for group or others: the file is readable beyond its owner.
  const open = (fileMode & 0o077) !== 0;
  return {
    id,
    title,
    status: open ? 'fail' : 'pass',
    category: 'system',
    detail: open ? `${path} is mode ${mode}: other users can read it` : `${path} is mode ${mode}`,
    ...(open ? { hint: `chmod 600 ${path}` } : {}),
  };
}

/**
 * The credentials directory: there and readable. Its files' modes are not checked: a mounted
 * Kubernetes Secret's files are 0644 by default, and the mount belongs to the pod alone.
 */
async function sharedStateCheck(state: { location: string; probe(): Promise<string> }): Promise<DoctorCheck> {
  const base = { id: 'state', title: 'state store reachable' };
  try {
    return {
      ...base,
      status: 'pass',
      category: 'system',
      detail: `${state.location}: ${await state.probe()}`,
    };
  } catch (error) {
    return { ...base, status: 'fail', category: 'system', ...messageOf(error) };
  }
}

async function credentialsDirCheck(dir: { path: string; probe(): Promise<void> }): Promise<DoctorCheck> {
  const base = { id: 'credentials-dir', title: 'credentials directory readable' };
  try {
    await dir.probe();
    return {
      ...base,
      status: 'pass',
      category: 'system',
      detail: `${dir.path} (DSYNC_CREDENTIALS_DIR, read-only; the only source of secrets)`,
    };
  } catch (error) {
    return { ...base, status: 'fail', category: 'config', ...messageOf(error) };
  }
}

// ---- the token -------------------------------------------------------------------------------

/** The token: present, and accepted by the store (it answers with the scopes it granted). */
async function checkToken(
  inputs: DoctorInputs,
): Promise<{ check: DoctorCheck; live: LiveStore | undefined; granted: string[] | undefined }> {
  const base = { id: 'token', title: 'access token present and valid' };
  try {
    const connection = await inputs.connect();
    const granted = await connection.live.grantedScopes();
    return {
      check: {
        ...base,
        status: 'pass',
        category: 'auth',
        detail: `accepted by ${inputs.shop} (from ${connection.tokenSource}${connection.tokenPath ? ` ${connection.tokenPath}` : ''})`,
      },
      live: connection.live,
      granted,
    };
  } catch (error) {
    return {
      check: { ...base, status: 'fail', category: 'auth', ...messageOf(error) },
      live: undefined,
      granted: undefined,
    };
  }
}

/** How far back accept-orders-after reaches, and whether that is beyond what every token may read. */
interface ReadableWindow {
  since: Date | undefined;
  daysBack: number;
  needsAllOrders: boolean;
}

function readableWindow(settings: Settings | undefined, now: Date): ReadableWindow {
  const since = settings ? acceptOrdersAfterDate(settings.acceptOrdersAfter, now) : undefined;
  const daysBack = since ? (now.getTime() - since.getTime()) / 86_400_000 : 0;
  return { since, daysBack, needsAllOrders: daysBack > READABLE_WINDOW_DAYS };
}

/** The scopes the settings' features need, and read_all_orders when accept-orders-after reaches that far. */
function checkScopes(
  granted: string[] | undefined,
  settings: Settings | undefined,
  window: ReadableWindow,
): DoctorCheck {
  const title = 'scopes sufficient for the configured features';
  if (granted === undefined) return skip('scopes', title, 'auth', 'needs a valid token');
  const held = expandImplied(granted);
  const missing = [
    ...missingScopes(granted, settings),
    ...(window.needsAllOrders && !held.has('read_all_orders') ? ['read_all_orders'] : []),
  ];
  return {
    id: 'scopes',
    title,
    status: missing.length === 0 ? 'pass' : 'fail',
    category: 'auth',
    detail:
      missing.length === 0
        ? `${granted.length} scopes granted${held.has('read_all_orders') ? ', read_all_orders included' : ''}`
        : `missing: ${missing.join(', ')}`,
    ...(missing.length === 0
      ? {}
      : {
          hint: `authorize again with the missing scopes: \`dsync auth login --scopes ${[...new Set([...granted, ...missing])].join(',')}\``,
        }),
  };
}

// ---- settings against the live store ---------------------------------------------------------

/** Also returns the location's name, which the location-service check quotes. */
async function checkFulfillmentLocation(
  shop: string,
  settings: Settings | undefined,
  live: LiveStore | undefined,
): Promise<{ check: DoctorCheck; name: string | undefined }> {
  const id = 'fulfillment-location';
  const title = 'fulfillment location exists and is active';
  const locationGid = settings?.fulfillmentLocation;
  if (!settings) return { check: skip(id, title, 'config', 'needs valid settings'), name: undefined };
  if (locationGid === undefined) {
    return {
      check: {
        id,
        title,
        status: 'fail',
        category: 'config',
        detail: 'fulfillment-location is not set',
        hint: 'see `dsync locations list`, then `dsync config set fulfillment-location "<name>"` (or run `dsync config`)',
      },
      name: undefined,
    };
  }
  if (!live) return { check: skip(id, title, 'config', 'needs a valid token'), name: undefined };
  let name: string | undefined;
  const check = await guarded(id, title, 'config', async () => {
    const location = (await live.locations()).find((l) => l.id === locationGid);
    if (!location)
      return {
        status: 'fail',
        detail: `${locationGid} is not a location of ${shop} (deleted?)`,
        hint: 'see `dsync locations list`, then `dsync config set fulfillment-location "<name>"`',
      };
    name = location.name;
    if (!location.isActive)
      return {
        status: 'fail',
        detail: `"${location.name}" (${location.id}) is inactive`,
        hint: 'reactivate it in Shopify admin, or `dsync config set fulfillment-location "<another>"`',
      };
    return { status: 'pass', detail: `"${location.name}" (${location.id}) is active` };
  });
  return { check, name };
}

/**
 * Also returns the service's location: null when it has none, undefined when the service was
 * not found or not looked up.
 */
async function checkFulfillmentService(
  settings: Settings | undefined,
  live: LiveStore | undefined,
): Promise<{ check: DoctorCheck; location: { id: string; name: string } | null | undefined }> {
  const id = 'fulfillment-service';
  const title = 'fulfillment service exists';
  const serviceHandle = settings?.fulfillmentService;
  if (!settings) return { check: skip(id, title, 'config', 'needs valid settings'), location: undefined };
  if (serviceHandle === 'all') {
    return {
      check: {
        id,
        title,
        status: 'pass',
        category: 'config',
        detail: 'fulfillment-service is all: line items of every service are imported',
      },
      location: undefined,
    };
  }
  if (!live) return { check: skip(id, title, 'config', 'needs a valid token'), location: undefined };
  let location: { id: string; name: string } | null | undefined;
  const check = await guarded(id, title, 'config', async () => {
    const services = await live.fulfillmentServices();
    const service = services.find((s) => s.handle === serviceHandle);
    if (!service)
      return {
        status: 'fail',
        detail: `no fulfillment service with the handle "${serviceHandle}"; handles are: ${['all', ...services.map((s) => s.handle)].join(', ')}`,
        hint: 'see `dsync fulfillment-services list`, then `dsync config set fulfillment-service <handle>`',
      };
    location = service.location;
    return { status: 'pass', detail: `${service.handle} ("${service.serviceName}")` };
  });
  return { check, location };
}

function checkLocationBelongsToService(
  settings: Settings | undefined,
  serviceLocation: { id: string; name: string } | null | undefined,
  locationName: string | undefined,
): DoctorCheck {
  const id = 'location-service';
  const title = 'fulfillment location belongs to the fulfillment service';
  const locationGid = settings?.fulfillmentLocation;
  const serviceHandle = settings?.fulfillmentService;
  if (!settings || locationGid === undefined || serviceHandle === 'all') {
    return skip(
      id,
      title,
      'config',
      'applies when both fulfillment-location and a fulfillment-service handle are set',
    );
  }
  if (serviceLocation === undefined) return skip(id, title, 'config', 'needs the fulfillment service');
  if (serviceLocation?.id === locationGid) {
    return {
      id,
      title,
      status: 'pass',
      category: 'config',
      detail: `"${serviceLocation.name}" is ${serviceHandle}'s location`,
    };
  }
  return {
    id,
    title,
    status: 'fail',
    category: 'config',
    detail: `${serviceHandle}'s location is ${serviceLocation ? `"${serviceLocation.name}" (${serviceLocation.id})` : 'none'}, but fulfillment-location is ${locationName ? `"${locationName}" ` : ''}(${locationGid})`,
    hint: serviceLocation
      ? `\`dsync config set fulfillment-location ${serviceLocation.id}\`, or \`dsync config set fulfillment-service all\``
      : '`dsync config set fulfillment-service all`',
  };
}

/** Without read_all_orders, Shopify lets a token read only the last READABLE_WINDOW_DAYS days. */
function checkAcceptOrdersAfter(
  settings: Settings | undefined,
  window: ReadableWindow,
  granted: string[] | undefined,
): DoctorCheck {
  const base = { id: 'accept-orders-after', title: 'accept-orders-after within the readable window' };
  const { since, daysBack, needsAllOrders } = window;
  if (!settings) return skip(base.id, base.title, 'config', 'needs valid settings');
  if (!since) {
    return {
      ...base,
      status: 'pass',
      category: 'config',
      detail: 'not set: the first import starts from what the store lets this token read',
    };
  }
  if (!needsAllOrders) {
    return {
      ...base,
      status: 'pass',
      category: 'config',
      detail: `${since.toISOString()} (${Math.floor(daysBack)} days back)`,
    };
  }
  if (granted === undefined) {
    return skip(
      base.id,
      base.title,
      'config',
      `${Math.floor(daysBack)} days back: needs a valid token to check read_all_orders`,
    );
  }
  if (expandImplied(granted).has('read_all_orders')) {
    return {
      ...base,
      status: 'pass',
      category: 'config',
      detail: `${since.toISOString()} (${Math.floor(daysBack)} days back; the token holds read_all_orders)`,
    };
  }
  return {
    ...base,
    status: 'fail',
    category: 'config',
    detail: `${since.toISOString()} is ${Math.floor(daysBack)} days back, but without read_all_orders only the last ${READABLE_WINDOW_DAYS} days of orders are readable`,
    hint: `\`dsync config set accept-orders-after 30d\`, or authorize again with read_all_orders`,
  };
}

// ---- the clock -------------------------------------------------------------------------------

function checkClock(inputs: DoctorInputs): Promise<DoctorCheck> {
  return guarded('clock', 'clock in sync with the store', 'system', async () => {
    const reading = await inputs.serverTime();
    if (!reading) return { status: 'skip', detail: 'the store sent no Date header' };
    const skew = reading.local.getTime() - reading.server.getTime();
    const seconds = Math.round(Math.abs(skew) / 1000);
    const direction = skew > 0 ? 'ahead of' : 'behind';
    if (Math.abs(skew) > MAX_CLOCK_SKEW_MS)
      return {
        status: 'fail',
        detail: `the local clock is ${seconds} s ${direction} the store's`,
        hint: 'sync the system clock (e.g. `timedatectl set-ntp true`); OAuth and --since windows depend on it',
      };
    return {
      status: 'pass',
      detail: seconds <= 1 ? 'within 1 s' : `${seconds} s ${direction} the store's`,
    };
  });
}

// ---- helpers ---------------------------------------------------------------------------------

function skip(id: string, title: string, category: CheckCategory, reason: string): DoctorCheck {
  return { id, title, status: 'skip', category, detail: `skipped: ${reason}` };
}

async function guarded(
  id: string,
  title: string,
  category: CheckCategory,
  run: () => Promise<{ status: CheckStatus; detail: string; hint?: string }>,
): Promise<DoctorCheck> {
  try {
    return { id, title, category, ...(await run()) };
  } catch (error) {
    return { id, title, category, status: 'fail', ...messageOf(error) };
  }
}

/** Exit code for a failed report: 4 when the token or scopes fail, 2 for settings, 1 otherwise. */
export function doctorExitCategory(report: DoctorReport): CheckCategory | undefined {
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length === 0) return undefined;
  if (failed.some((c) => c.category === 'auth')) return 'auth';
  if (failed.some((c) => c.category === 'config')) return 'config';
  return failed[0]?.category ?? 'system';
}
