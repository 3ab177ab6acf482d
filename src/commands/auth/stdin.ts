import type { InputStream } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';

const MAX_BYTES = 64 * 1024;

/** Reads one secret from stdin (trimmed): a token or a client secret piped in by a script. */
export async function readSecretFromStdin(stdin: InputStream, what: string, flag: string): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(`${flag} reads the ${what} from stdin, but stdin is a terminal`, {
      hint: `pipe it in: printf %s "$VALUE" | dsync auth login ${flag} …`,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BYTES)
      throw new UsageError(`the ${what} on stdin is too long`, { hint: `pipe only the ${what}` });
    chunks.push(buffer);
  }
  const value = Buffer.concat(chunks).toString('utf8').trim();
  if (value === '') {
    throw new UsageError(`${flag}: no ${what} on stdin`, {
      hint: `printf %s "$VALUE" | dsync auth login ${flag} …`,
    });
  }
  if (/\s/.test(value)) {
    throw new UsageError(`${flag}: stdin holds more than one ${what} (it contains whitespace)`, {
      hint: `pipe only the ${what}`,
    });
  }
  return value;
}

/**
 * The first line piped to stdin ('' at the end of input or when `signal` aborts first): the
 * address a browser on another machine ended on, for `auth login --no-browser --no-input`.
 */
export async function readLineFromStdin(stdin: InputStream, signal: AbortSignal): Promise<string> {
  if (stdin.isTTY) return '';
  let text = '';
  const iterator = (stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  for (;;) {
    const next = await Promise.race([iterator.next(), aborted]);
    // A newline returns below, so what is left at the end is one unterminated line.
    if (next === 'aborted' || next.done) return text.trim();
    text += typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    if (text.length > MAX_BYTES)
      throw new UsageError('the address on stdin is too long', { hint: 'pipe only the address' });
    const newline = text.indexOf('\n');
    if (newline !== -1) return text.slice(0, newline).trim();
  }
}
