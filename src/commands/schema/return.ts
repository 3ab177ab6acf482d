import { RETURN_EVENT_JSON_SCHEMA } from '../../services/returns/return-event-schema.js';
import type { CommandRun } from '../define.js';

/** Prints the schema as JSON whether or not --json is given: it is the result either way. */
export const run: CommandRun = async (deps) => {
  deps.stdout.write(`${RETURN_EVENT_JSON_SCHEMA}\n`);
};
