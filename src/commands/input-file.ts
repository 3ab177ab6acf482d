import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';

/**
 * The `--file` of a command that applies a warehouse file (ship, inventory push, returns
 * receive), read here so a missing or unreadable file is a usage error (exit 2) before anything
 * is asked of the store.
 */
export async function readInputFile(
  flags: Record<string, unknown>,
  usage: { example: string; what: string },
): Promise<{ file: string; bytes: Uint8Array }> {
  const file = typeof flags.file === 'string' ? flags.file.trim() : '';
  if (file === '') throw new UsageError('--file is required', { hint: `e.g. ${usage.example}` });
  try {
    return { file, bytes: await readFile(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : ((error as Error).message ?? code);
    throw new UsageError(`cannot read ${file}: ${why}`, { hint: `give the path of ${usage.what}` });
  }
}
