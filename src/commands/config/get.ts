import { createOutput } from '../../core/output.js';
import { createSettingsContext } from '../../services/config/context.js';
import { getSetting } from '../../services/config/settings.js';
import type { CommandRun } from '../define.js';
import { formatValue } from './render.js';

export const run: CommandRun = async (deps, args) => {
  const out = createOutput(deps);
  const ctx = await createSettingsContext(deps);
  const entry = await getSetting(ctx, args[0] ?? '');
  out.result({ shop: ctx.shop, ...entry }, () =>
    entry.name ? `${formatValue(entry.value)} (${entry.name})` : formatValue(entry.value),
  );
};
