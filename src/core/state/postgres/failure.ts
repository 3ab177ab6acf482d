import { DsyncError, LockedError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { PostgresTarget } from './url.js';

const PASSWORD_HINT =
  'put the password in PGPASSWORD or ~/.pgpass (never in a config file), or check the user in DSYNC_STATE_URL';

/**
 * What a PostgreSQL failure means to the user, as a DsyncError naming the server (never the
 * password) and the next step; undefined for anything else (a bug, reported as one).
 */
export function postgresFailure(error: unknown, target: PostgresTarget): DsyncError | undefined {
  if (error instanceof DsyncError) return error;
  const err = error as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const reason = typeof err?.message === 'string' ? err.message : String(error);
  const details = { state: target.display, ...(code ? { postgresCode: code } : {}) };
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return new DsyncError(
      'state_unreachable',
      `cannot reach the PostgreSQL state store ${target.display}: ${reason}`,
      ExitCode.error,
      {
        hint: `is PostgreSQL running and reachable at ${target.host}:${target.port}? check DSYNC_STATE_URL; nothing was changed, run again once it answers`,
        details,
      },
    );
  }
  if (code === '28P01' || code === '28000') {
    return new DsyncError(
      'state_auth',
      `PostgreSQL refused the login to ${target.display}: ${reason}`,
      ExitCode.error,
      { hint: PASSWORD_HINT, details },
    );
  }
  if (code === '3D000') {
    return new DsyncError(
      'state_missing',
      `the database of the state store ${target.display} does not exist`,
      ExitCode.error,
      {
        hint: `create it (createdb -h ${target.host} -p ${target.port} ${target.database}), or fix DSYNC_STATE_URL`,
        details,
      },
    );
  }
  if (code === '42501') {
    return new DsyncError(
      'state_permission',
      `the state store ${target.display} refused: ${reason}`,
      ExitCode.error,
      {
        hint: 'the user needs CREATE on the database (for the dsync schema, made once) and read/write on its tables',
        details,
      },
    );
  }
  if (code === '55P03' || code === '40P01') {
    return new LockedError(`the state store ${target.display} is busy: ${reason}`, {
      hint: 'another dsync holds these rows; run again in a moment',
      details,
    });
  }
  if (
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '08006' ||
    code === '08003' ||
    code === '08000' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    /Connection terminated|connection.*closed/i.test(reason)
  ) {
    return new DsyncError(
      'state_lost',
      `the connection to the state store ${target.display} was lost: ${reason}`,
      ExitCode.error,
      {
        hint: 'what was recorded before is kept and what was not is done again on the next run; check the server, then run again',
        details,
      },
    );
  }
  if (code === '53100') {
    return new DsyncError(
      'state_write',
      `the state store ${target.display} is out of disk: ${reason}`,
      ExitCode.error,
      {
        hint: 'free space on the PostgreSQL server, then run again: what was recorded before is kept',
        details,
      },
    );
  }
  if (code === '53300') {
    return new DsyncError(
      'state_busy',
      `the state store ${target.display} has no free connection: ${reason}`,
      ExitCode.error,
      {
        hint: 'lower --concurrency, run fewer workers at once, or raise max_connections on the server',
        details,
      },
    );
  }
  return undefined;
}
