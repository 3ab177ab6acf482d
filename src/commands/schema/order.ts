import { orderJsonSchema } from '../../services/import/order-document.js';
import type { CommandRun } from '../define.js';

/** Prints the schema as JSON whether or not --json is given: it is the result either way. */
export const run: CommandRun = async (deps) => {
  deps.stdout.write(`${JSON.stringify(orderJsonSchema(), null, 2)}\n`);
};
