import type { OutputStream } from '../../core/deps.js';
import type { ImportProgress } from '../../services/import/run.js';

/**
 * Progress on a terminal: one line rewritten in place (count, rate, ETA when the total is known).
 * Off a terminal nothing is drawn; cron gets the summary line only.
 */
export function terminalProgress(
  stream: OutputStream,
  now: () => number,
): {
  update: (progress: ImportProgress) => void;
  /** The API client is about to wait: say what for, on the same line. */
  waiting: (wait: { ms: number; reason: 'rate_limit' | 'retry' }) => void;
  clear: () => void;
} {
  if (!stream.isTTY) return { update: () => {}, waiting: () => {}, clear: () => {} };
  const started = now();
  let last = 0;
  let drawn = false;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let latest: ImportProgress | undefined;
  /** Until then the line says what the run waits for (short waits are not worth a word). */
  let waitingUntil = 0;
  let waitText = '';
  const draw = (text: string) => {
    frame = (frame + 1) % frames.length;
    const width = (stream.columns ?? 80) - 1;
    stream.write(`\r\x1b[K${frames[frame]} ${text}`.slice(0, width + 8));
    drawn = true;
  };
  return {
    waiting(wait) {
      if (wait.ms < 500) return;
      waitingUntil = now() + wait.ms;
      waitText =
        wait.reason === 'rate_limit'
          ? `waiting ${formatDuration(wait.ms / 1000)} for the API rate limit`
          : `waiting ${formatDuration(wait.ms / 1000)} to retry a failed request`;
      const done = latest
        ? `${latest.processed}${latest.total !== undefined ? `/${latest.total}` : ''} orders · `
        : '';
      draw(`${done}${waitText}`);
    },
    update(progress) {
      latest = progress;
      const t = now();
      if (progress.phase !== 'done' && t - last < 100) return;
      last = t;
      const seconds = Math.max(0.001, (t - started) / 1000);
      const rate = progress.processed / seconds;
      let text: string;
      if (progress.phase === 'counting') text = 'counting orders…';
      else if (progress.phase === 'bulk-waiting' && progress.processed === 0)
        text = progress.detail ?? 'bulk operation…';
      else {
        const of = progress.total !== undefined ? `/${progress.total}` : '';
        const eta =
          progress.total !== undefined && rate > 0 && progress.total > progress.processed
            ? ` · ETA ${formatDuration((progress.total - progress.processed) / rate)}`
            : '';
        text = `${progress.processed}${of} orders · ${rate.toFixed(rate < 10 ? 1 : 0)}/s${eta} · ${progress.delivered} sent${progress.errors ? ` · ${progress.errors} errors` : ''}`;
      }
      if (progress.phase !== 'done' && t < waitingUntil) text = `${text} · ${waitText}`;
      draw(text);
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
