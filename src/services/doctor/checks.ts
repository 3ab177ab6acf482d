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
  /** The effective settings; throws ConfigError when the file holds a bad value. */
  settings(): Settings;
  /** Connects with the stored (or env) token; throws AuthError when there is none or it is refused. */
  connect(): Promise<{ live: LiveStore; tokenSource: string }>;
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
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => checks.push(check);

  // The config file: readable settings, and permissions.
  let settings: Settings | undefined;
  try {
    settings = inputs.settings();
    add({
      id: 'config-valid',
      title: 'settings are valid',
      status: 'pass',
      category: 'config',
      detail: inputs.configPath,
    });
  } catch (error) {
    add({
      id: 'config-valid',
      title: 'settings are valid',
      status: 'fail',
      category: 'config',
      ...messageOf(error),
    });
  }
  add(
    permissionsCheck(
      'config-permissions',
      'config file permissions',
      inputs.configPath,
      inputs.fileMode,
      'no config file yet',
    ),
  );
  if (inputs.credentialsPath !== undefined) {
    add(
      permissionsCheck(
        'credentials-permissions',
        'credentials file permissions',
        inputs.credentialsPath,
        inputs.credentialsMode,
        'no credentials file (secrets are in the OS keychain or the environment)',
      ),
    );
  }

  // The token: present, accepted by the store, holding the scopes dsync needs.
  let live: LiveStore | undefined;
  let granted: string[] | undefined;
  try {
    const connection = await inputs.connect();
    granted = await connection.live.grantedScopes();
    live = connection.live;
    add({
      id: 'token',
      title: 'access token present and valid',
      status: 'pass',
      category: 'auth',
      detail: `accepted by ${inputs.shop} (from ${connection.tokenSource})`,
    });
  } catch (error) {
    add({
      id: 'token',
      title: 'access token present and valid',
      status: 'fail',
      category: 'auth',
      ...messageOf(error),
    });
  }

  const since = settings ? acceptOrdersAfterDate(settings.acceptOrdersAfter, inputs.now) : undefined;
  const daysBack = since ? (inputs.now.getTime() - since.getTime()) / 86_400_000 : 0;
  const needsAllOrders = daysBack > READABLE_WINDOW_DAYS;

  if (granted === undefined) {
    add(skip('scopes', 'scopes sufficient for the configured features', 'auth', 'needs a valid token'));
  } else {
    const held = expandImplied(granted);
    const missing = [
      ...missingScopes(granted, settings),
      ...(needsAllOrders && !held.has('read_all_orders') ? ['read_all_orders'] : []),
    ];
    add({
      id: 'scopes',
      title: 'scopes sufficient for the configured features',
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
    });
  }

  // Settings against the live store.
  const locationGid = settings?.fulfillmentLocation;
  const serviceHandle = settings?.fulfillmentService;
  let locationName: string | undefined;
  if (!settings) {
    add(
      skip(
        'fulfillment-location',
        'fulfillment location exists and is active',
        'config',
        'needs valid settings',
      ),
    );
  } else if (locationGid === undefined) {
    add({
      id: 'fulfillment-location',
      title: 'fulfillment location exists and is active',
      status: 'fail',
      category: 'config',
      detail: 'fulfillment-location is not set',
      hint: 'see `dsync locations list`, then `dsync config set fulfillment-location "<name>"` (or run `dsync config`)',
    });
  } else if (!live) {
    add(
      skip(
        'fulfillment-location',
        'fulfillment location exists and is active',
        'config',
        'needs a valid token',
      ),
    );
  } else {
    const check = await guarded(
      'fulfillment-location',
      'fulfillment location exists and is active',
      'config',
      async () => {
        const location = (await live.locations()).find((l) => l.id === locationGid);
        if (!location)
          return {
            status: 'fail',
            detail: `${locationGid} is not a location of ${inputs.shop} (deleted?)`,
            hint: 'see `dsync locations list`, then `dsync config set fulfillment-location "<name>"`',
          };
        locationName = location.name;
        if (!location.isActive)
          return {
            status: 'fail',
            detail: `"${location.name}" (${location.id}) is inactive`,
            hint: 'reactivate it in Shopify admin, or `dsync config set fulfillment-location "<another>"`',
          };
        return { status: 'pass', detail: `"${location.name}" (${location.id}) is active` };
      },
    );
    add(check);
  }

  let serviceLocation: { id: string; name: string } | null | undefined;
  if (!settings) {
    add(skip('fulfillment-service', 'fulfillment service exists', 'config', 'needs valid settings'));
  } else if (serviceHandle === 'all') {
    add({
      id: 'fulfillment-service',
      title: 'fulfillment service exists',
      status: 'pass',
      category: 'config',
      detail: 'fulfillment-service is all: line items of every service are imported',
    });
  } else if (!live) {
    add(skip('fulfillment-service', 'fulfillment service exists', 'config', 'needs a valid token'));
  } else {
    add(
      await guarded('fulfillment-service', 'fulfillment service exists', 'config', async () => {
        const services = await live.fulfillmentServices();
        const service = services.find((s) => s.handle === serviceHandle);
        if (!service)
          return {
            status: 'fail',
            detail: `no fulfillment service with the handle "${serviceHandle}"; handles are: ${['all', ...services.map((s) => s.handle)].join(', ')}`,
            hint: 'see `dsync fulfillment-services list`, then `dsync config set fulfillment-service <handle>`',
          };
        serviceLocation = service.location;
        return { status: 'pass', detail: `${service.handle} ("${service.serviceName}")` };
      }),
    );
  }

  const belongsTitle = 'fulfillment location belongs to the fulfillment service';
  if (!settings || locationGid === undefined || serviceHandle === 'all') {
    add(
      skip(
        'location-service',
        belongsTitle,
        'config',
        'applies when both fulfillment-location and a fulfillment-service handle are set',
      ),
    );
  } else if (serviceLocation === undefined) {
    add(skip('location-service', belongsTitle, 'config', 'needs the fulfillment service'));
  } else if (serviceLocation?.id === locationGid) {
    add({
      id: 'location-service',
      title: belongsTitle,
      status: 'pass',
      category: 'config',
      detail: `"${serviceLocation.name}" is ${serviceHandle}'s location`,
    });
  } else {
    add({
      id: 'location-service',
      title: belongsTitle,
      status: 'fail',
      category: 'config',
      detail: `${serviceHandle}'s location is ${serviceLocation ? `"${serviceLocation.name}" (${serviceLocation.id})` : 'none'}, but fulfillment-location is ${locationName ? `"${locationName}" ` : ''}(${locationGid})`,
      hint: serviceLocation
        ? `\`dsync config set fulfillment-location ${serviceLocation.id}\`, or \`dsync config set fulfillment-service all\``
        : '`dsync config set fulfillment-service all`',
    });
  }

  const windowTitle = 'accept-orders-after within the readable window';
  if (!settings) {
    add(skip('accept-orders-after', windowTitle, 'config', 'needs valid settings'));
  } else if (!since) {
    add({
      id: 'accept-orders-after',
      title: windowTitle,
      status: 'pass',
      category: 'config',
      detail: 'not set: the first import starts from what the store lets this token read',
    });
  } else if (!needsAllOrders) {
    add({
      id: 'accept-orders-after',
      title: windowTitle,
      status: 'pass',
      category: 'config',
      detail: `${since.toISOString()} (${Math.floor(daysBack)} days back)`,
    });
  } else if (granted === undefined) {
    add(
      skip(
        'accept-orders-after',
        windowTitle,
        'config',
        `${Math.floor(daysBack)} days back: needs a valid token to check read_all_orders`,
      ),
    );
  } else if (expandImplied(granted).has('read_all_orders')) {
    add({
      id: 'accept-orders-after',
      title: windowTitle,
      status: 'pass',
      category: 'config',
      detail: `${since.toISOString()} (${Math.floor(daysBack)} days back; the token holds read_all_orders)`,
    });
  } else {
    add({
      id: 'accept-orders-after',
      title: windowTitle,
      status: 'fail',
      category: 'config',
      detail: `${since.toISOString()} is ${Math.floor(daysBack)} days back, but without read_all_orders only the last ${READABLE_WINDOW_DAYS} days of orders are readable`,
      hint: `\`dsync config set accept-orders-after 30d\`, or authorize again with read_all_orders`,
    });
  }

  // Clock skew against the store.
  add(
    await guarded('clock', 'clock in sync with the store', 'system', async () => {
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
    }),
  );

  return { shop: inputs.shop, ok: checks.every((c) => c.status !== 'fail'), checks };
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
