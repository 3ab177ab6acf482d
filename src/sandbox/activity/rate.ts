/**
 * `--activity <rate>`: how many changes the live store makes, as `<n>/s`, `<n>/min` or `<n>/h`.
 */

export const ACTIVITY_RATE_FORMS = '<n>/s, <n>/min or <n>/h (e.g. 2/s, 30/min, 120/h)';

/** The fastest rate the sandbox keeps up with while still answering its clients. */
export const MAX_CHANGES_PER_SECOND = 50;

export type ActivityUnit = 's' | 'min' | 'h';

export interface ActivityRate {
  count: number;
  unit: ActivityUnit;
  /** Changes per second on average. */
  perSecond: number;
  /** The normalised form, e.g. `30/min`. */
  text: string;
}

export class ActivityRateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActivityRateError';
  }
}

const UNITS: Record<string, ActivityUnit> = {
  s: 's',
  sec: 's',
  second: 's',
  min: 'min',
  minute: 'min',
  h: 'h',
  hr: 'h',
  hour: 'h',
};
const SECONDS: Record<ActivityUnit, number> = { s: 1, min: 60, h: 3600 };

/** `30/min` → 0.5 changes a second. Throws ActivityRateError naming the accepted forms. */
export function parseActivityRate(raw: string): ActivityRate {
  const text = raw.trim().toLowerCase();
  const match = /^(\d+(?:\.\d+)?)\s*\/\s*([a-z]+?)s?$/.exec(text);
  const unit = match ? UNITS[match[2] ?? ''] : undefined;
  if (!match || !unit) {
    throw new ActivityRateError(`"${raw}" is not a rate: use ${ACTIVITY_RATE_FORMS}`);
  }
  const count = Number(match[1]);
  const perSecond = count / SECONDS[unit];
  if (!(count > 0)) throw new ActivityRateError(`"${raw}": the rate must be more than 0`);
  if (perSecond > MAX_CHANGES_PER_SECOND) {
    throw new ActivityRateError(`"${raw}" is too fast: at most ${MAX_CHANGES_PER_SECOND}/s`);
  }
  return { count, unit, perSecond, text: `${count}/${unit}` };
}
