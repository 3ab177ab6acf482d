import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerLocations(program: Command, ctx: RegisterContext): void {
  const locations = program.command('locations').description("the store's locations, live");
  locations
    .command('list')
    .description('every location (inactive ones too), the configured fulfillment location marked')
    .addHelpText(
      'after',
      `
Columns: name, gid, active, fulfils online orders, ships inventory, and the fulfillment
service a location belongs to. "*" marks the configured fulfillment-location.
Set it with: dsync config set fulfillment-location "<name or gid>"

Examples:
  dsync locations list
  dsync locations list --store acme --json | jq -r '.locations[] | select(.isActive) | .name'`,
    )
    .action(ctx.action(() => import('./list.js')));
}
