import type { Command } from 'commander';
import type { RegisterContext } from '../define.js';

export function registerSchema(program: Command, ctx: RegisterContext): void {
  const schema = program.command('schema').description('JSON Schemas of what dsync writes');
  schema
    .command('order')
    .description('the JSON Schema (draft 2020-12) of the order events `dsync import` emits')
    .addHelpText(
      'after',
      `
Examples:
  dsync schema order > order-event.schema.json
  dsync schema order | jq '.properties.type.enum'     # the event types`,
    )
    .action(ctx.action(() => import('./order.js')));
  schema
    .command('return')
    .description('the JSON Schema (draft 2020-12) of the return events `dsync returns import` emits')
    .addHelpText(
      'after',
      `
Examples:
  dsync schema return > return-event.schema.json
  dsync schema return | jq '.properties.type.enum'    # the event types`,
    )
    .action(ctx.action(() => import('./return.js')));
}
