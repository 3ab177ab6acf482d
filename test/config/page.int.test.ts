import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../support/cli.js';
import { type ConfigHarness, LOCATION, startHarness } from './helpers.js';

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

/** Every question of the page, in order (the last one only when something changed). */
const QUESTIONS = [
  'Fulfillment location',
  'Fulfillment service',
  'Accept only orders assigned to the fulfillment location?',
  'Skip orders left with no line items',
  "Use the buyer's (presentment) currency",
  'update every variant sharing a SKU',
  'partially fulfilled orders',
  "Accept the fulfillment service's requests",
  'email tracking to the customer',
  'Financial statuses to import',
  'Accept orders created after',
  'Return Magic API key',
  'webhook signing secret',
];

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('dsync config on a terminal (tmux)', () => {
  let term: Terminal;
  afterAll(() => term?.stop());

  it('walks through the settings page with the live store and saves at the end', async () => {
    const s = h.session();
    term = new Terminal();
    const env = Object.entries(s.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    term.start(
      `cd ${shellQuote(REPO_ROOT)} && env -u CI -u DSYNC_NO_INPUT -u NO_COLOR ${env.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} config; echo "EXIT=$?"; sleep 60`,
    );

    await term.waitFor('Fulfillment location');
    // Active locations by name: Acme 3PL, Brooklyn Store, Main Warehouse, Overflow Storage.
    expect(term.screen()).not.toContain('Old Depot');
    term.keys('Down', 'Down', 'Enter');
    await term.waitFor('Fulfillment service');
    term.keys('Enter');
    await term.waitFor('Accept only orders assigned to the fulfillment location?');
    term.keys('y', 'Enter');
    for (const question of [
      'Skip orders left with no line items',
      "Use the buyer's (presentment) currency",
      'update every variant sharing a SKU',
      'partially fulfilled orders',
      "Accept the fulfillment service's requests",
      'email tracking to the customer',
    ]) {
      await term.waitFor(question);
      term.keys('Enter');
    }
    await term.waitFor('Financial statuses to import');
    term.keys('Down', 'Space', 'Enter');
    await term.waitFor('Accept orders created after');
    term.keys('9', '0', 'd', 'Enter');
    // The sandbox token holds read_all_orders, so 90 days back is accepted.
    await term.waitFor('Return Magic API key');
    term.keys('Enter');
    await term.waitFor('webhook signing secret');
    term.keys('Enter');
    const summary = await term.waitFor('Save these settings?');
    expect(summary).toContain('fulfillment-location = Main Warehouse');
    // Nothing is written before the last answer.
    expect(existsSync(join(s.dir, 'config.json'))).toBe(false);
    term.keys('Enter');
    const end = await term.waitFor('EXIT=');
    expect(end).toContain('EXIT=0');

    const saved = JSON.parse(readFileSync(join(s.dir, 'config.json'), 'utf8')).stores[h.sandbox.shop]
      .settings;
    expect(saved).toEqual({
      'fulfillment-location': LOCATION.warehouse,
      'filter-by-location': true,
      'financial-status': ['paid', 'pending'],
      'accept-orders-after': '90d',
    });
  });

  it('shows the current values as defaults, so pressing enter keeps everything', async () => {
    const s = h.session();
    await s.dsync(['config', 'set', 'fulfillment-location', 'Overflow Storage']);
    await s.dsync(['config', 'set', 'notify-customer', 'true']);
    await s.dsync(['config', 'set', 'financial-status', 'refunded']);
    const before = readFileSync(join(s.dir, 'config.json'), 'utf8');
    term?.stop();
    term = new Terminal();
    const env = Object.entries(s.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    term.start(
      `cd ${shellQuote(REPO_ROOT)} && env -u CI -u DSYNC_NO_INPUT ${env.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} config; echo "EXIT=$?"; sleep 60`,
    );
    for (const question of QUESTIONS) {
      await term.waitFor(question);
      term.keys('Enter');
    }
    const end = await term.waitFor('EXIT=');
    expect(end).toContain('Nothing changed.');
    expect(end).toContain('EXIT=0');
    expect(readFileSync(join(s.dir, 'config.json'), 'utf8')).toBe(before);
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
