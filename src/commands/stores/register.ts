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
}
