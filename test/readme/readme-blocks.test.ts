import { describe, expect, it } from 'vitest';
import { invokesDsync, parseReadme, showsLine, splitComment } from './readme-blocks.js';

const fence = '```';

describe('the README block convention', () => {
  it('splits a trailing comment off, leaving # inside quotes', () => {
    expect(splitComment(`dsync orders show '#1026'  # exits 3: why`)).toEqual({
      command: `dsync orders show '#1026'`,
      comment: 'exits 3: why',
    });
    expect(splitComment('dsync requests reject "#1002" --message "a # b"')).toEqual({
      command: 'dsync requests reject "#1002" --message "a # b"',
      comment: '',
    });
  });

  it('finds dsync as a command word, after assignments or a pipe, and nowhere else', () => {
    expect(invokesDsync('dsync import --out orders')).toBe(true);
    expect(invokesDsync('DSYNC_STORE=acme dsync import')).toBe(true);
    expect(invokesDsync('printf %s "$T" | dsync auth login --with-token')).toBe(true);
    expect(invokesDsync('npm ci && npm run demo')).toBe(false);
    expect(invokesDsync('cd dsync')).toBe(false);
    expect(invokesDsync('rm -r ~/.config/dsync')).toBe(false);
  });

  it('reads console, sh and cron blocks, exit codes, interactive marks, files and exports in order', () => {
    const text = [
      `${fence}console`,
      '$ dsync doctor    # exits 2: nothing set',
      '✗ fulfillment location …',
      '$ dsync config    # interactive: a page',
      fence,
      `${fence}csv stock.csv`,
      'sku,quantity',
      'A,1',
      fence,
      `${fence}sh`,
      '# a comment line',
      'export DSYNC_STORE=acme',
      'dsync inventory push --file stock.csv   # 3 when some rows failed',
      'npm ci',
      fence,
      `${fence}cron`,
      '*/5 * * * * DSYNC_STORE=acme dsync import --out /var/spool/3pl',
      fence,
      '  ```csv',
      '  not,a,file',
      '  ```',
    ].join('\n');
    const { steps, unlabelled } = parseReadme(text);
    expect(unlabelled).toEqual([]);
    expect(steps).toMatchObject([
      { kind: 'command', line: 'dsync doctor', exit: 2, output: ['✗ fulfillment location …'], lineNo: 2 },
      { kind: 'command', line: 'dsync config', interactive: true, exit: 0 },
      { kind: 'file', name: 'stock.csv', content: 'sku,quantity\nA,1\n' },
      { kind: 'export', line: 'export DSYNC_STORE=acme' },
      { kind: 'command', line: 'dsync inventory push --file stock.csv', exit: 0, output: [] },
      { kind: 'other', line: 'npm ci' },
      { kind: 'command', line: 'DSYNC_STORE=acme dsync import --out /var/spool/3pl', exit: 0 },
    ]);
    expect(steps).toHaveLength(7);
  });

  it('flags a block without a language that shows dsync commands', () => {
    expect(parseReadme(`${fence}\ndsync import\n${fence}\n`).unlabelled).toHaveLength(1);
    expect(parseReadme(`${fence}\nsrc/main.ts  the entry\n${fence}\n`).unlabelled).toHaveLength(0);
  });

  it('matches shown output loosely in whitespace, with … for what varies, and nothing else', () => {
    const printed =
      'SKU    CURRENT  NEW\nSOCK-WOOL-SM        8   40    +32     2\nimport acme: 4 created · checkpoint 2026';
    expect(showsLine(printed, 'SOCK-WOOL-SM 8 40 +32 2')).toBe(true);
    expect(showsLine(printed, 'import acme: … created · checkpoint …')).toBe(true);
    expect(showsLine(printed, 'SOCK-WOOL-SM 7 40 +33 2')).toBe(false);
    expect(showsLine(printed, 'import acme: 5 created')).toBe(false);
    expect(showsLine(printed, '(+32)')).toBe(false);
  });
});
