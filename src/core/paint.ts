/**
 * ANSI colours for the terminal: `paint.green('✓')`, `paint.green.bold('ok')`. The few styles
 * dsync uses, in the 16 basic colours every terminal has. Small on purpose: every command loads
 * it, and a colour library (with its terminal detection) costs more to load than a command that
 * reads one setting; whether to colour is decided once, in interactive.ts.
 */
const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

type StyleName = keyof typeof STYLES;

/** A style to apply, with the other styles chained on it (`paint.green.bold`). */
export type Style = ((text: string) => string) & { readonly [K in StyleName]: Style };

export type Paint = { readonly [K in StyleName]: Style };

const NAMES = Object.keys(STYLES) as StyleName[];

function style(codes: ReadonlyArray<readonly [number, number]>, enabled: boolean): Style {
  const apply = (text: string): string => {
    if (!enabled || text === '') return text;
    let result = text;
    // Innermost first: a nested style's close code must not end the outer style too.
    for (const [open, close] of [...codes].reverse()) {
      const on = `\x1b[${open}m`;
      const off = `\x1b[${close}m`;
      result = result.split(off).join(`${off}${on}`);
      // Close before a line break and reopen after it, so a style never bleeds into the prompt.
      result = `${on}${result.replace(/\r?\n/g, `${off}$&${on}`)}${off}`;
    }
    return result;
  };
  for (const name of NAMES) {
    Object.defineProperty(apply, name, { get: () => style([...codes, STYLES[name]], enabled) });
  }
  return apply as Style;
}

/** The styles; with `enabled` false every one returns its text unchanged. */
export function createPaint(enabled: boolean): Paint {
  const paint = {} as Record<StyleName, Style>;
  for (const name of NAMES) paint[name] = style([STYLES[name]], enabled);
  return paint;
}
