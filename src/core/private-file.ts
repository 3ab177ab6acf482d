import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Mode of files dsync creates with customer data or state in them: the owner only, whatever the umask. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Makes sure a SQLite file exists and only its owner can read it, before SQLite opens it: SQLite
 * creates a missing file 0644 (less the umask) and gives its `-wal` and `-shm` the main file's
 * mode, so creating the main file 0600 first keeps all three private. A file left wider by an
 * earlier version is narrowed, with its `-wal`/`-shm`.
 */
export function ensurePrivateDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  } catch {
    // A read-only mount, a file of another user: SQLite opens it next and its error, which
    // names the file and the next step, is the one to show.
    return;
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) narrow(file);
}

function narrow(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return;
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode & 0o700);
  } catch {
    // Not ours to change (another user's file): SQLite will say if it cannot use it.
  }
}
