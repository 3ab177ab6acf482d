import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerStores(program: Command, ctx: RegisterContext): void {
  const stores = program.command('stores').description('the stores dsync is configured for');
  stores
    .command('list')
    .description('configured stores, the default marked')
    .addHelpText(
      'after',
      `
Examples:
  dsync stores list
  dsync stores list --json`,
    )
    .action(ctx.action(() => import('./list.js')));
  stores
    .command('default')
    .description('make a configured store the default (used when --store is not given)')
    .argument('<shop>', 'acme or acme.myshopify.com')
    .addHelpText(
      'after',
      `
Examples:
  dsync stores default acme
  dsync stores list                 # the default is marked *`,
    )
    .action(ctx.action(() => import('./default.js')));
}
