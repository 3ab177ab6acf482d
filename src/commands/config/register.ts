import type { Command } from 'commander';
import { settingsHelpText } from '../../core/config/setting-docs.js';
import type { RegisterContext } from '../define.js';

export function registerConfig(program: Command, ctx: RegisterContext): void {
  const config = program
    .command('config')
    .description('store settings: an interactive page on a terminal; get, set, list, unset from scripts')
    .addHelpText(
      'after',
      () => `
On a terminal, \`dsync config\` opens the settings page: a menu of every setting with its current
value. Pick one to change just that one (the fulfillment location and service by name, from the
live store); the menu marks what changed. "Save and exit" writes every change at once; "Exit
without saving", Esc or Ctrl-C writes nothing. Without a terminal (or with --no-input), use
\`dsync config set\`; values are checked against the live store where it matters.

Start here (after \`dsync auth login\`):
  dsync locations list                               # find the 3PL's location
  dsync config set fulfillment-location "<name>"     # or run \`dsync config\` on a terminal
  dsync config                                       # on a terminal: the settings page
  dsync doctor                                       # what is still missing, if anything

${settingsHelpText()}`,
    )
    // A mistyped subcommand (`config lists`) lands here: the page names the nearest one.
    .argument('[command]')
    .usage('[options] [command]')
    .action(ctx.action(() => import('./page.js')));

  config
    .command('set')
    .description('set a setting for the store (`-` reads the value from stdin)')
    .argument('<key>', 'setting name (see `dsync config --help`)')
    .argument('[value]', 'the value; `-` reads stdin (secrets: only from stdin or a prompt)')
    .addHelpText(
      'after',
      `
Examples:
  dsync config set fulfillment-location "Acme 3PL"       # a name (or gid), checked live
  dsync config set financial-status paid,partially_refunded --store acme
  printf %s "$KEY" | dsync config set return-magic-api-key -   # secrets only from stdin
  printf %s "$SECRET" | dsync config set webhook-secret -      # signs --webhook bodies

Every key, its allowed values and default: dsync config --help`,
    )
    .action(ctx.action(() => import('./set.js')));

  config
    .command('get')
    .description('print the effective value of a setting (secrets masked)')
    .argument('<key>', 'setting name')
    .addHelpText(
      'after',
      `
Examples:
  dsync config get fulfillment-location
  dsync config get financial-status --store acme --json`,
    )
    .action(ctx.action(() => import('./get.js')));

  config
    .command('list')
    .description('every setting with its effective value; defaults marked, secrets masked')
    .addHelpText(
      'after',
      `
Examples:
  dsync config list
  dsync config list --store acme --json | jq '.settings[] | select(.isDefault | not)'`,
    )
    .action(ctx.action(() => import('./list.js')));

  config
    .command('unset')
    .description('remove a stored setting so its default applies again')
    .argument('<key>', 'setting name')
    .addHelpText(
      'after',
      `
Examples:
  dsync config unset accept-orders-after          # back to the 60-day default
  dsync config unset return-magic-api-key --store acme   # removes it from the keychain`,
    )
    .action(ctx.action(() => import('./unset.js')));

  config
    .command('path')
    .description('print the path of the config file')
    .addHelpText(
      'after',
      `
Examples:
  dsync config path
  DSYNC_CONFIG_DIR=/etc/dsync dsync config path   # another config dir (e.g. for a service user)`,
    )
    .action(ctx.action(() => import('./path.js')));
}
