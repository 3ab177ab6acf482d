import { DsyncError, LockedError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/**
 * What a SQLite failure on a ledger file means to the user, as a DsyncError naming the file and
 * the next step; undefined for anything else (a bug, reported as one). Nothing here deletes or
 * rewrites the file: a damaged ledger is left for the user to move aside.
 */
export function ledgerFailure(error: unknown, path: string): DsyncError | undefined {
  if (error instanceof DsyncError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const reason = (error as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LockedError(`the ledger ${path} is held by another process (${reason})`, {
      hint: 'another dsync, or a tool with the file open for writing, holds it; run again once it is done',
      details: { ledger: path },
    });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DsyncError('ledger_damaged', `the ledger ${path} is damaged: ${reason}`, ExitCode.error, {
      hint: `dsync leaves it as it is: move it aside (mv '${path}' '${path}.damaged') to start a new ledger; the next import then delivers the window's orders again (an --out dir keeps its files, a receiver deduplicates by Idempotency-Key)`,
      details: { ledger: path },
    });
  }
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') {
    return new DsyncError('ledger_write', `cannot write the ledger ${path}: ${reason}`, ExitCode.error, {
      hint: 'free space on the disk that holds the config dir (DSYNC_CONFIG_DIR), then run again: what was recorded before is kept, and what was not is sent again',
      details: { ledger: path },
    });
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_AUTH' ||
    code.startsWith('SQLITE_IOERR')
  ) {
    return new DsyncError(
      'ledger_write',
      `cannot open or write the ledger ${path}: ${reason}`,
      ExitCode.error,
      {
        hint: 'the config dir (DSYNC_CONFIG_DIR) must be writable by this user: check its permissions and mount',
        details: { ledger: path },
      },
    );
  }
  return undefined;
}

/** Runs `work`, turning a SQLite failure on the ledger at `path` into its DsyncError. */
export function onLedger<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw ledgerFailure(error, path) ?? error;
  }
}
