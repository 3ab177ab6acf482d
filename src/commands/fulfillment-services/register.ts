import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerFulfillmentServices(program: Command, ctx: RegisterContext): void {
  const services = program
    .command('fulfillment-services')
    .description("the store's fulfillment services, live");
  services
    .command('list')
    .description('every fulfillment service: handle, name, location, inventory and tracking support')
    .addHelpText(
      'after',
      `
"*" marks the configured fulfillment-service.
Set it with: dsync config set fulfillment-service <handle|all>

Examples:
  dsync fulfillment-services list
  dsync fulfillment-services list --store acme --json`,
    )
    .action(ctx.action(() => import('./list.js')));
}
