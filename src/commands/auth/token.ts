import { createOutput } from '../../core/output.js';
import { authToken } from '../../services/auth/token.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const result = await authToken(deps);
  out.result(result, () => result.token);
};
