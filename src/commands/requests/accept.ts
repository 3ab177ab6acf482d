import type { CommandRun } from '../define.js';
import { runAnswer } from './answer.js';

export const run: CommandRun = (deps, args, flags) => runAnswer(deps, 'accept', args, flags);
