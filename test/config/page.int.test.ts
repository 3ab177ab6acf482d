import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../src/core/config/settings.js';
import { CLI_PATH, REPO_ROOT } from '../support/cli.js';
import { merchant } from '../support/merchant.js';
import type { TestSandbox } from '../support/sandbox.js';
import { type ConfigHarness, type ConfigSession, startHarness } from './helpers.js';

let h: ConfigHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cleanup();
});

/** A tmux session on a private server socket, so nothing else on the machine is touched. */
class Terminal {
  readonly socket = `dsync-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });

  start(command: string): void {
    this.tmux('new-session', '-d', '-s', 'page', '-x', '160', '-y', '50', command);
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'page', '-S', '-200');
  }
  keys(...keys: string[]): void {
    for (const key of keys) this.tmux('send-keys', '-t', 'page', key);
  }
  /** Types text literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'page', '-l', text);
  }
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The last menu on the screen (the page redraws it after each edit), from its question down. */
function lastMenu(screen: string): string {
  const at = screen.lastIndexOf('? Settings for');
  if (at < 0) throw new Error(`no menu on the screen:\n${screen}`);
  return screen.slice(at);
}

/** The menu line of a setting: its key, then its value as shown. */
const menuLine = (screen: string, key: string) =>
  lastMenu(screen)
    .split('\n')
    .find((line) => line.replace(/^[❯ ]+/, '').startsWith(`${key} `))
    ?.replace(/^[❯ ]+/, '')
    .trim();

describe('dsync config on a terminal (tmux)', () => {
  const terminals: Terminal[] = [];
  afterAll(() => {
    for (const term of terminals) term.stop();
  });

  /** Runs `dsync <args>` for a session in a fresh terminal; the shell prints EXIT=<code> after. */
  function runInTerminal(s: ConfigSession, args: string[]): Terminal {
    const term = new Terminal();
    terminals.push(term);
    const env = Object.entries(s.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    term.start(
      `cd ${shellQuote(REPO_ROOT)} && env -u CI -u DSYNC_NO_INPUT -u NO_COLOR ${env.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} ${args.map(shellQuote).join(' ')}; echo "EXIT=$?"; sleep 60`,
    );
    return term;
  }

  /** Opens the settings page of a session in a fresh terminal. */
  async function openPage(s: ConfigSession): Promise<Terminal> {
    const term = runInTerminal(s, ['config']);
    await term.waitFor(/Save and exit \(nothing changed\)[\s\S]*Exit without saving/);
    return term;
  }

  /** Types the start of a choice's name (the prompt jumps to it), waits for the cursor, picks it. */
  async function pick(term: Terminal, name: string): Promise<void> {
    term.type(name);
    await term.waitFor(new RegExp(`❯ ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\n]*\n(?![sS]*❯)`));
    term.keys('Enter');
  }

  it('changes two settings from the menu (the location by name), shows them, and saves them at once', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'financial-status', 'refunded']);
    const before = readFileSync(join(s.dir, 'config.json'), 'utf8');
    const term = await openPage(s);

    // Every setting is listed with its current value; secrets show as not set, never a value.
    const opened = term.screen();
    for (const key of SETTING_KEYS) expect(menuLine(opened, key)).toBeDefined();
    expect(menuLine(opened, 'fulfillment-location')).toBe('fulfillment-location          (not set)');
    expect(menuLine(opened, 'financial-status')).toBe('financial-status              refunded');
    expect(menuLine(opened, 'notify-customer')).toBe('notify-customer               false (default)');
    expect(menuLine(opened, 'webhook-secret')).toBe('webhook-secret                (not set)');

    // The location is picked from the store's active locations, by name.
    await pick(term, 'fulfillment-location');
    const question = await term.waitFor(/Fulfillment location[\s\S]*Overflow Storage/);
    expect(question).not.toContain('Old Depot');
    await pick(term, 'Main Warehouse');
    const afterLocation = await term.waitFor('Save and exit (1 change)');
    expect(menuLine(afterLocation, 'fulfillment-location')).toBe(
      'fulfillment-location          Main Warehouse  (changed)',
    );

    await pick(term, 'notify-customer');
    await term.waitFor('Let Shopify email tracking to the customer on shipment export?');
    term.keys('y', 'Enter');
    const afterBoth = await term.waitFor('Save and exit (2 changes)');
    expect(menuLine(afterBoth, 'fulfillment-location')).toBe(
      'fulfillment-location          Main Warehouse  (changed)',
    );
    expect(menuLine(afterBoth, 'notify-customer')).toBe('notify-customer               true  (changed)');
    expect(menuLine(afterBoth, 'financial-status')).toBe('financial-status              refunded');
    // Nothing is written before "Save and exit".
    expect(readFileSync(join(s.dir, 'config.json'), 'utf8')).toBe(before);

    await pick(term, 'Save and exit');
    const end = await term.waitFor('EXIT=');
    expect(end).toContain('EXIT=0');
    expect(end).toContain('fulfillment-location = "Main Warehouse"');

    // Read back as a script would; the location's gid is the one the store gives "Main Warehouse".
    const { nodes } = await merchant(h.sandbox as TestSandbox).call(
      'query { locations(first: 50, includeInactive: true) { nodes { id name } } }',
      {},
      'locations',
    );
    const warehouse = (nodes as { id: string; name: string }[]).find((l) => l.name === 'Main Warehouse');
    const location = await s.json(['config', 'get', 'fulfillment-location']);
    expect(location.body).toMatchObject({ value: warehouse?.id, name: 'Main Warehouse', isDefault: false });
    expect((await s.json(['config', 'get', 'notify-customer'])).body).toMatchObject({ value: true });
    expect((await s.json(['config', 'get', 'financial-status'])).body).toMatchObject({ value: ['refunded'] });
  });

  it('writes nothing when the edits are abandoned (Esc, or Ctrl-C twice)', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'fulfillment-location', 'Overflow Storage']);
    const before = readFileSync(join(s.dir, 'config.json'), 'utf8');

    const esc = await openPage(s);
    expect(menuLine(esc.screen(), 'fulfillment-location')).toBe(
      'fulfillment-location          Overflow Storage',
    );
    await pick(esc, 'filter-by-location');
    await esc.waitFor('Accept only orders assigned to the fulfillment location?');
    esc.keys('y', 'Enter');
    await esc.waitFor('Save and exit (1 change)');
    esc.keys('Escape');
    await esc.waitFor('Discard 1 unsaved change?');
    esc.keys('y', 'Enter');
    const left = await esc.waitFor('EXIT=');
    expect(left).toContain('Not saved: nothing was written.');
    expect(left).toContain('EXIT=0');
    expect(readFileSync(join(s.dir, 'config.json'), 'utf8')).toBe(before);

    const interrupted = await openPage(s);
    await pick(interrupted, 'exclude-empty-orders');
    await interrupted.waitFor('Skip orders left with no line items after filtering?');
    interrupted.keys('y', 'Enter');
    await interrupted.waitFor('Save and exit (1 change)');
    interrupted.keys('C-c');
    await interrupted.waitFor('Discard 1 unsaved change?');
    interrupted.keys('C-c');
    expect(await interrupted.waitFor('EXIT=')).toContain('EXIT=130');
    expect(readFileSync(join(s.dir, 'config.json'), 'utf8')).toBe(before);

    const settings = await s.json(['config', 'list']);
    const changed = (settings.body.settings as { key: string; isDefault: boolean }[]).filter(
      (e) => !e.isDefault && ['filter-by-location', 'exclude-empty-orders'].includes(e.key),
    );
    expect(changed).toEqual([]);
  });

  it('with --no-input, even on a terminal, points to config set instead of opening the page', async () => {
    const s = h.session();
    const term = runInTerminal(s, ['config', '--no-input']);
    const end = await term.waitFor('EXIT=');
    expect(end).toContain('EXIT=2');
    expect(end).toContain('the settings page needs a terminal');
    expect(end).toContain('dsync config set fulfillment-location "Main Warehouse"');
    expect(end).not.toContain('? Settings for');
  });
});

describe('dsync config without a terminal', () => {
  it('refuses instead of hanging, with the equivalent config set lines', async () => {
    const s = h.session();
    const result = await s.dsync(['config']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the settings page needs a terminal');
    expect(result.stderr).toContain('dsync config set fulfillment-location "Main Warehouse"');
    expect(result.stderr).toContain('dsync config set financial-status paid,partially_refunded');
  });

  it('--help lists every key with allowed values and example set lines', async () => {
    const s = h.session();
    const help = await s.dsync(['config', '--help']);
    expect(help.code).toBe(0);
    for (const key of [
      'fulfillment-location',
      'fulfillment-service',
      'filter-by-location',
      'exclude-empty-orders',
      'use-local-currency',
      'include-duplicate-skus',
      'include-partial-fulfillments',
      'financial-status',
      'accept-orders-after',
      'accept-fulfillment-requests',
      'notify-customer',
      'return-magic-api-key',
      'api-version',
      'webhook-secret',
    ]) {
      expect(help.stdout).toContain(`dsync config set ${key} `);
    }
    expect(help.stdout).toContain('allowed: a comma list of paid, pending, authorized');
  });
});
