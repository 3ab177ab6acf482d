import { settingMeta } from '../../core/config/setting-docs.js';
import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { createSettingsContext, readStdin } from '../../services/config/context.js';
import { requireKey, setSetting } from '../../services/config/settings.js';
import type { CommandRun } from '../define.js';
import { formatValue } from './render.js';

export const run: CommandRun = async (deps, args) => {
  const out = createOutput(deps);
  const key = requireKey(args[0] ?? '');
  const meta = settingMeta(key);
  let value = args[1];
  if (meta.secret) {
    if (value !== undefined && value !== '-') {
      throw new UsageError(`${key} is a secret and is never taken on the command line`, {
        hint: `pipe it in instead: \`dsync config set ${key} - < key.txt\` (or run it on a terminal without a value to be asked)`,
      });
    }
    if (value === undefined) {
      if (!deps.interactive) {
        throw new UsageError(`no value given for ${key}`, {
          hint: `pipe it in: \`dsync config set ${key} - < key.txt\``,
        });
      }
      value = await (await deps.prompter()).password(`${key}:`);
    }
  }
  if (value === undefined) {
    throw new UsageError(`no value given for ${key}; allowed: ${meta.allowed}`, {
      hint: `for example: dsync config set ${key} ${meta.example}`,
    });
  }
  if (value === '-') value = await readStdin(deps.stdin);

  const ctx = await createSettingsContext(deps);
  if (meta.kind === 'location' || meta.kind === 'service') out.info(`checking ${key} against ${ctx.shop}…`);
  const result = await setSetting(ctx, key, value);
  for (const warning of result.warnings) out.warn(warning);
  out.result(result, () => '');
  if (!out.json) {
    const shown = result.resolvedName
      ? `"${result.resolvedName}" (${formatValue(result.value)})`
      : formatValue(result.value);
    const where = result.storage
      ? ` (in the ${result.storage === 'keychain' ? 'OS keychain' : 'credentials file'})`
      : '';
    out.success(`${key} = ${shown} for ${result.shop}${where}`);
  }
  if (meta.kind === 'location' || meta.kind === 'service') {
    // A location or a service turns on features that write: say if the login lacks their scopes.
    const { scopeAdvice } = await import('../../services/auth/status.js');
    const advice = scopeAdvice((await deps.config()).getProfile(result.shop));
    if (advice && !deps.env.DSYNC_ACCESS_TOKEN) out.warn(advice);
  }
};
