/**
 * Reads the shell examples out of README.md, in document order, so a test can run them.
 *
 * The README's convention (stated in its "Development" section):
 * - ```console blocks: a line starting with `$ ` is a command; the lines after it, up to the next
 *   `$ ` line, are its output. Only the salient part is shown: each output line must appear in
 *   what the command printed (stdout or stderr), with `…` standing for anything that varies.
 * - ```sh blocks: every line that is not blank or a `#` comment is a command (no output shown).
 * - ```cron blocks: each crontab line's command (after the five time fields) is a command.
 * - A command exits 0 unless its trailing comment starts with `exits N`.
 * - A trailing comment starting with `interactive:` marks a command that needs a person (a
 *   browser, a terminal page); the test keeps an explicit list of them.
 * - A fenced block whose info string names a file (```csv shipments.csv) is that file's content,
 *   written where the commands run before the commands after it.
 * - `export NAME=value` lines set the environment for the rest of their block.
 */

export interface CommandStep {
  kind: 'command';
  /** The command as a shell runs it (trailing comment removed). */
  line: string;
  /** The trailing comment, without `#`. */
  comment: string;
  /** 1-based line in README.md. */
  lineNo: number;
  /** Output lines shown under a `$ ` line (console blocks only). */
  output: string[];
  /** The exit code the README states (0 unless `# exits N`). */
  exit: number;
  interactive: boolean;
  /** Index of the block it is in (exports last until the block ends). */
  block: number;
}

export interface FileStep {
  kind: 'file';
  name: string;
  content: string;
  lineNo: number;
}

export interface ExportStep {
  kind: 'export';
  line: string;
  lineNo: number;
  block: number;
}

/** A line of a shell block that is not a dsync command or an export (npm ci, git clone…). */
export interface OtherStep {
  kind: 'other';
  line: string;
  lineNo: number;
}

export type Step = CommandStep | FileStep | ExportStep | OtherStep;

/** A fenced block without a language that mentions dsync: the test cannot know how to read it. */
export interface UnlabelledBlock {
  lineNo: number;
  text: string;
}

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'cron']);

/** Splits a shell line into its command and its trailing comment (a `#` outside quotes after a space). */
export function splitComment(line: string): { command: string; comment: string } {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return { command: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim() };
    }
  }
  return { command: line.trimEnd(), comment: '' };
}

/** Whether a shell line runs dsync: as its first word (after NAME=value), or after a pipe, `&&`, `;`. */
export function invokesDsync(command: string): boolean {
  return /(^|[|&;]\s*)(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+)*dsync(\s|$)/.test(command);
}

function commandStep(
  command: string,
  comment: string,
  lineNo: number,
  block: number,
): CommandStep | ExportStep | OtherStep {
  if (/^export\s/.test(command)) return { kind: 'export', line: command, lineNo, block };
  if (!invokesDsync(command)) return { kind: 'other', line: command, lineNo };
  const exits = /^exits (\d+)\b/.exec(comment);
  return {
    kind: 'command',
    line: command,
    comment,
    lineNo,
    output: [],
    exit: exits ? Number(exits[1]) : 0,
    interactive: /^interactive:/.test(comment),
    block,
  };
}

export function parseReadme(text: string): { steps: Step[]; unlabelled: UnlabelledBlock[] } {
  const lines = text.split('\n');
  const steps: Step[] = [];
  const unlabelled: UnlabelledBlock[] = [];
  let block = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*(\S*)\s*(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const fence = open[2] ?? '```';
    const lang = open[3] ?? '';
    const fileName = open[4] ?? '';
    const body: { text: string; lineNo: number }[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim() === fence) break;
      body.push({ text: line.slice(Math.min(indent, line.length - line.trimStart().length)), lineNo: j + 1 });
    }
    const startLine = i + 1;
    i = j;
    block++;
    if (fileName !== '') {
      steps.push({
        kind: 'file',
        name: fileName,
        content: `${body.map((b) => b.text).join('\n')}\n`,
        lineNo: startLine,
      });
      continue;
    }
    if (!SHELL_LANGS.has(lang)) {
      if (lang === '' && body.some((b) => invokesDsync(b.text.trim())))
        unlabelled.push({ lineNo: startLine, text: body.map((b) => b.text).join('\n') });
      continue;
    }
    let current: CommandStep | undefined;
    for (let k = 0; k < body.length; k++) {
      const { text: raw, lineNo } = body[k] as { text: string; lineNo: number };
      let line = raw;
      if (lang === 'console') {
        if (!line.startsWith('$ ')) {
          if (current && line.trim() !== '') current.output.push(line.trim());
          continue;
        }
        line = line.slice(2);
      } else if (line.trim() === '' || line.trim().startsWith('#')) continue;
      // A backslash at the end continues the command on the next line.
      while (line.endsWith('\\') && k + 1 < body.length) {
        k++;
        line = `${line.slice(0, -1)} ${(body[k]?.text ?? '').trim()}`;
      }
      if (lang === 'cron') {
        const fields = line.trim().split(/\s+/);
        line = line.trim().startsWith('@') ? fields.slice(1).join(' ') : fields.slice(5).join(' ');
      }
      const { command, comment } = splitComment(line.trim());
      const step = commandStep(command, comment, lineNo, block);
      steps.push(step);
      current = step.kind === 'command' ? step : undefined;
    }
  }
  return { steps, unlabelled };
}

/** Whether `printed` shows the output line `shown` (whitespace loose, `…` for anything). */
export function showsLine(printed: string, shown: string): boolean {
  const pattern = shown
    .split('…')
    .map((part) =>
      part
        .trim()
        .split(/\s+/)
        .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('\\s+'),
    )
    .join('.*');
  const re = new RegExp(pattern);
  return printed.split('\n').some((line) => re.test(line.trim()));
}
