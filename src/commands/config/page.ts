import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { nearest } from '../../core/suggest.js';
import { createSettingsContext } from '../../services/config/context.js';
import { refuseWithoutTerminal, runSettingsPage } from '../../services/config/page.js';
import type { CommandRun } from '../define.js';
import { formatValue } from './render.js';

const SUBCOMMANDS = ['set', 'get', 'list', 'unset', 'path'];

export const run: CommandRun = async (deps, args) => {
  const typed = args[0];
  if (typed !== undefined) {
    const suggestion = nearest(typed, SUBCOMMANDS);
    throw new UsageError(`unknown command 'config ${typed}'`, {
      hint: `${suggestion ? `did you mean \`dsync config ${suggestion}\`? ` : ''}commands: ${SUBCOMMANDS.map((c) => `config ${c}`).join(', ')}; \`dsync config\` alone opens the settings page`,
    });
  }
  if (!deps.interactive) throw refuseWithoutTerminal();
  const out = createOutput(deps);
  const ctx = await createSettingsContext(deps);
  const result = await runSettingsPage(ctx, await deps.prompter(), {
    info: (m) => out.info(m),
    warn: (m) => out.warn(m),
  });
  out.result(result, () => '');
  if (!out.json && result.saved.length > 0) {
    for (const item of result.saved) {
      out.success(
        `${item.key} = ${item.resolvedName ? `"${item.resolvedName}" (${formatValue(item.value)})` : formatValue(item.value)}`,
      );
    }
    out.info(`Saved for ${result.shop}. Check everything with \`dsync doctor\`.`);
  }
};
