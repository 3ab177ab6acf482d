import { createOutput } from '../../core/output.js';
import { createSettingsContext } from '../../services/config/context.js';
import { listSettings } from '../../services/config/settings.js';
import type { CommandRun } from '../define.js';
import { renderSettingsTable } from './render.js';

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const ctx = await createSettingsContext(deps);
  const entries = await listSettings(ctx);
  if (!out.json) out.info(`Settings for ${ctx.shop} (${ctx.config.path}):`);
  out.result({ shop: ctx.shop, path: ctx.config.path, settings: entries }, () =>
    renderSettingsTable(out, entries),
  );
  for (const e of entries) if (e.unavailable) out.warn(`${e.key}: ${e.unavailable}`);
};
