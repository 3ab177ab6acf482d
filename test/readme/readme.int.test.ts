import { spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import { type CommandStep, parseReadme, type Step, showsLine } from './readme-blocks.js';

// Every `dsync …` command README.md shows runs here, in the README's order, as a shell runs it
// (`sh -c`, with `dsync` on the PATH as the built CLI), against a sandbox store named `acme`,
// with the README's files written from the README's own blocks. A command that fails, exits
// otherwise than the README says, or does not print the output the README shows fails the test.

/** The only command not run: it needs a person at a terminal (test/config/page.int.test.ts). */
const INTERACTIVE = new Map([['dsync config', 'a page on a terminal']]);

/** Lines of the README's shell blocks that install or build dsync: not run here (CI does it). */
const NOT_RUN = /^(npm ci|npm link)\b/;

/**
 * What the README names that differs here: the app's client id (the sandbox's), and the
 * system paths of the cron examples (a temp dir).
 */
function substitute(line: string, sandbox: TestSandbox, work: string): string {
  return line
    .replaceAll('--client-id 1a2b3c', `--client-id ${sandbox.clientId}`)
    .replaceAll('/var/spool/3pl', join(work, 'spool'))
    .replaceAll('/var/log/dsync.log', join(work, 'dsync.log'));
}

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const { steps, unlabelled } = parseReadme(readme);
const commands = steps.filter((s): s is CommandStep => s.kind === 'command');

let sandbox: TestSandbox;
let work: string;
let home: string;
let blockEnv = new Map<number, Record<string, string>>();

beforeAll(async () => {
  sandbox = await startTestSandbox({ shopHandle: 'acme' });
  work = mkdtempSync(join(tmpdir(), 'dsync-readme-'));
  home = join(work, 'home');
  mkdirSync(home);
  mkdirSync(join(work, 'bin'));
  const shim = join(work, 'bin', 'dsync');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`);
  chmodSync(shim, 0o755);
  // The browser `auth login` opens (through xdg-open and $BROWSER): it loads the approval page,
  // which the sandbox approves at once, and follows the redirect to dsync's loopback callback.
  const browser = join(work, 'bin', 'browser');
  writeFileSync(
    browser,
    `#!/bin/sh\nexec "${process.execPath}" -e 'fetch(process.argv[1]).then((r) => r.text())' "$1"\n`,
  );
  chmodSync(browser, 0o755);
  blockEnv = new Map();
});
afterAll(async () => {
  await sandbox?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * A reader's shell: HOME in the temp dir (so the default config dir is used, and nothing of the
 * machine's), the keychain off, the API sent to the sandbox, a browser that approves; the variables the README's commands
 * read from the reader's environment (the CI secret, the webhook secret, the client secret a
 * prompt would ask for).
 */
function shellEnv(block: number): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('DSYNC_') || ['CI', 'NO_COLOR', 'FORCE_COLOR', 'XDG_CONFIG_HOME'].includes(key))
      continue;
    base[key] = value;
  }
  return {
    ...base,
    HOME: home,
    PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`,
    DSYNC_API_ORIGIN: sandbox.origin,
    DSYNC_KEYCHAIN: 'off',
    DSYNC_CLIENT_SECRET: sandbox.clientSecret,
    // xdg-open without a desktop or a display: it opens URLs with $BROWSER, the browser above.
    XDG_CURRENT_DESKTOP: 'X-Generic',
    BROWSER: join(work, 'bin', 'browser'),
    SHOPIFY_ADMIN_TOKEN: sandbox.accessToken,
    SECRET: 'a-shared-webhook-secret',
    ...blockEnv.get(block),
  };
}

interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one line with `sh -c`. `onStderr` sees stderr as it grows and may write to stdin (the
 * pasted address of `--no-browser`); stdin is closed at once otherwise.
 */
function sh(
  line: string,
  env: Record<string, string>,
  onStderr?: (stderr: string, write: (text: string) => void) => void,
): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd: work, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${line} did not finish in 60 s\n${stderr}`));
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onStderr?.(stderr, (text) => child.stdin.end(text));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (!onStderr) child.stdin.end();
  });
}

/**
 * `auth login --no-browser`: the person opens the printed address in a browser elsewhere, approves
 * (the sandbox approves at once) and pastes the address the browser ended on.
 */
function pasteTheLandingAddress(): (stderr: string, write: (text: string) => void) => void {
  let started = false;
  return (stderr, write) => {
    const url = /Open this URL in a browser:\s+(\S+)/.exec(stderr)?.[1];
    if (started || !url || !/paste the address the browser ended on/.test(stderr)) return;
    started = true;
    void fetch(url, { redirect: 'manual' }).then(
      (approved) => write(`${approved.headers.get('location') ?? ''}\n`),
      () => write('\n'),
    );
  };
}

async function runStep(step: Step): Promise<void> {
  if (step.kind === 'file') {
    writeFileSync(join(work, step.name), step.content);
    return;
  }
  if (step.kind === 'export') {
    // The shell applies the line; node prints the environment it leaves (portable, unlike env -0).
    const print = `"${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`;
    const result = await sh(`${step.line}\n${print}`, shellEnv(step.block));
    expect(result.code, result.stderr).toBe(0);
    const exported = JSON.parse(result.stdout) as Record<string, string | undefined>;
    const names = [...step.line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] as string);
    const env = blockEnv.get(step.block) ?? {};
    for (const name of names) {
      const value = exported[name];
      if (value !== undefined) env[name] = value;
    }
    blockEnv.set(step.block, env);
    return;
  }
  if (step.kind === 'other') {
    expect(step.line, `README.md:${step.lineNo}: a shell line the README test does not know`).toMatch(
      NOT_RUN,
    );
    return;
  }
  if (step.interactive) {
    expect(INTERACTIVE.has(step.line), `README.md:${step.lineNo}: ${step.line} is marked interactive`).toBe(
      true,
    );
    return;
  }
  const line = substitute(step.line, sandbox, work);
  const result = await sh(
    line,
    shellEnv(step.block),
    step.line.includes('--no-browser') ? pasteTheLandingAddress() : undefined,
  );
  const printed = `${result.stdout}\n${result.stderr}`;
  // README_TRANSCRIPT=file: what each command printed, for writing the README's output lines.
  if (process.env.README_TRANSCRIPT)
    appendFileSync(process.env.README_TRANSCRIPT, `$ ${step.line}  [exit ${result.code}]\n${printed}\n`);
  expect(result.code, `README.md:${step.lineNo}: ${step.line}\n${printed}`).toBe(step.exit);
  for (const shown of step.output) {
    expect(
      showsLine(printed, shown),
      `README.md:${step.lineNo}: ${step.line} did not print\n  ${shown}\nit printed:\n${printed}`,
    ).toBe(true);
  }
}

describe('README.md', () => {
  it('labels every block that shows dsync commands (sh, console or cron)', () => {
    expect(unlabelled.map((b) => `README.md:${b.lineNo}`)).toEqual([]);
  });

  it('marks exactly the interactive commands this test leaves out, each once', () => {
    const marked = commands.filter((c) => c.interactive).map((c) => c.line);
    expect(marked.sort()).toEqual([...INTERACTIVE.keys()].sort());
    for (const command of commands.filter((c) => !c.interactive))
      expect(INTERACTIVE.has(command.line), `${command.line} is listed as interactive`).toBe(false);
  });

  it('shows the walkthrough: login, settings, import, requests, ship, stock, returns, an order', () => {
    const lines = commands.map((c) => c.line);
    for (const needed of [
      /^dsync auth login .*--no-browser/,
      /^dsync config set /,
      /^dsync import /,
      /^dsync requests /,
      /^dsync ship --file /,
      /^dsync inventory push --file /,
      /^dsync returns receive --file /,
      /^dsync orders show /,
      /^dsync doctor --json/,
    ])
      expect(
        lines.some((l) => needed.test(l)),
        String(needed),
      ).toBe(true);
  });

  // One test per step, in the README's order: each builds on what the ones before it did.
  for (const step of steps) {
    if (step.kind === 'other') {
      it(`line ${step.lineNo}: ${step.line} (installs dsync: not run, only checked against the list)`, () =>
        runStep(step));
    } else if (step.kind === 'command') {
      const what = step.interactive ? ' (interactive: not run, only checked against the list)' : '';
      // The browser stand-in is reached through xdg-open; elsewhere `open` would start a real browser.
      const opensBrowser =
        /^dsync auth login\b/.test(step.line) && !/--no-browser|--with-token/.test(step.line);
      it.skipIf(opensBrowser && process.platform !== 'linux')(
        `line ${step.lineNo}: ${step.line}${what}${opensBrowser ? ' (Linux only: the browser is reached through xdg-open)' : ''}`,
        () => runStep(step),
      );
    } else {
      it(`line ${step.lineNo}: ${step.kind === 'file' ? `file ${step.name}` : step.line}`, () =>
        runStep(step));
    }
  }

  it('leaves the files the walkthrough says: the config file under ~/.config/dsync', () => {
    expect(existsSync(join(home, '.config', 'dsync', 'config.json'))).toBe(true);
  });
});
