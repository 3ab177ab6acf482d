import { configFilePath } from '../../core/config/paths.js';
import { createOutput } from '../../core/output.js';
import type { CommandRun } from '../define.js';

/** Works even when the file is missing or broken: that is when people need its path. */
export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const path = configFilePath(deps.configDir);
  out.result({ path }, () => path);
};
