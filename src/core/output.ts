import type { Deps } from './deps.js';
import { createPaint, type Paint } from './paint.js';
import { redactString } from './redact.js';

/**
 * stdout carries results, stderr carries talk. With --json, stdout gets exactly one JSON
 * document (or JSON lines for streams) and nothing else.
 */
export interface Output {
  readonly json: boolean;
  /** Colours for stdout (results). */
  readonly paint: Paint;
  /** Colours for stderr (talk). */
  readonly talkPaint: Paint;
  /** Prints the result: JSON with --json, otherwise the human rendering. */
  result(data: unknown, human: () => string): void;
  /** One JSON value per line on stdout (streams of records). */
  jsonLine(data: unknown): void;
  /** Plain text on stdout (already rendered results). */
  print(text: string): void;
  info(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  hint(message: string): void;
  debug(message: string): void;
}

export function createOutput(deps: Pick<Deps, 'stdout' | 'stderr' | 'global' | 'color'>): Output {
  const paint = createPaint(deps.color.stdout);
  const talkPaint = createPaint(deps.color.stderr);
  const line = (stream: NodeJS.WritableStream, text: string) =>
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  return {
    json: deps.global.json,
    paint,
    talkPaint,
    result(data, human) {
      if (deps.global.json) line(deps.stdout, JSON.stringify(data, null, 2));
      else {
        const text = human();
        if (text !== '') line(deps.stdout, text);
      }
    },
    jsonLine(data) {
      deps.stdout.write(`${JSON.stringify(data)}\n`);
    },
    print(text) {
      line(deps.stdout, text);
    },
    info(message) {
      line(deps.stderr, message);
    },
    success(message) {
      line(deps.stderr, `${talkPaint.green('✓')} ${message}`);
    },
    warn(message) {
      line(deps.stderr, `${talkPaint.yellow('warning:')} ${message}`);
    },
    hint(message) {
      line(deps.stderr, talkPaint.dim(message));
    },
    debug(message) {
      if (deps.global.debug) line(deps.stderr, talkPaint.gray(`[debug] ${redactString(message)}`));
    },
  };
}
