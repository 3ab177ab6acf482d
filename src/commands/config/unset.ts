import { createOutput } from '../../core/output.js';
import { createSettingsContext } from '../../services/config/context.js';
import { unsetSetting } from '../../services/config/settings.js';
import type { CommandRun } from '../define.js';
import { formatValue } from './render.js';

export const run: CommandRun = async (deps, args) => {
  const out = createOutput(deps);
  const ctx = await createSettingsContext(deps);
  const result = await unsetSetting(ctx, args[0] ?? '');
  out.result(result, () => '');
  if (!out.json) {
    const now = result.value === null ? 'not set' : `default ${formatValue(result.value)}`;
    if (result.removed) out.success(`${result.key} removed for ${result.shop} (now ${now})`);
    else out.info(`${result.key} was not set for ${result.shop} (${now})`);
  }
};
