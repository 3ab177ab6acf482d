import { SETTING_KEYS, settingMeta } from '../../core/config/settings.js';
import { InterruptedError, isDsyncError, UsageError } from '../../core/errors.js';
import { PromptEscaped, type Prompter } from '../../core/prompter.js';
import { editSetting, type PageTalk } from './page-edits.js';
import {
  applyChange,
  changesToSave,
  MENU_SIZE,
  type MenuPick,
  menuChoices,
  openPage,
  type PageState,
} from './page-state.js';
import type { SetResult, SettingsContext } from './settings.js';
import { listSettings, savePrepared } from './settings.js';

export type { PageTalk } from './page-edits.js';

export interface PageResult {
  shop: string;
  saved: SetResult[];
  /** False when the user left without saving. */
  confirmed: boolean;
}

/** The `config set` lines equivalent to the page, for a non-terminal refusal. */
export function equivalentCommands(): string[] {
  return SETTING_KEYS.filter((k) => k !== 'api-version').map(
    (key) => `dsync config set ${key} ${settingMeta(key).example}`,
  );
}

export function refuseWithoutTerminal(): UsageError {
  return new UsageError(
    'the settings page needs a terminal (stdin and stdout a TTY, no --no-input, DSYNC_NO_INPUT or CI)',
    {
      hint: `set each value instead, e.g.:\n  ${equivalentCommands().join('\n  ')}\n(see \`dsync config --help\` and \`dsync config list\`)`,
    },
  );
}

/** How the user asked to leave: a menu choice or Esc ('exit'), or Ctrl-C ('interrupt'). */
type Leaving = 'exit' | 'interrupt';

const leavingBy = (error: unknown): Leaving | undefined =>
  error instanceof PromptEscaped ? 'exit' : error instanceof InterruptedError ? 'interrupt' : undefined;

/**
 * Leaving without saving. With edits pending the user confirms first: no (or Esc) goes back to
 * the menu (undefined); Ctrl-C on that question leaves at once. Nothing is written either way;
 * Ctrl-C ends as an interruption (exit 130).
 */
async function leaveWithoutSaving(
  state: PageState,
  prompter: Prompter,
  talk: PageTalk,
  how: Leaving,
): Promise<PageResult | undefined> {
  const n = state.changes.length;
  if (n > 0) {
    let discard: boolean;
    try {
      discard = await prompter.confirm(`Discard ${n} unsaved change${n === 1 ? '' : 's'}?`, {
        default: false,
        escape: true,
      });
    } catch (error) {
      if (!(error instanceof PromptEscaped)) throw error;
      discard = false;
    }
    if (!discard) return undefined;
    talk.info('Not saved: nothing was written.');
  }
  if (how === 'interrupt') throw new InterruptedError();
  return { shop: state.shop, saved: [], confirmed: false };
}

/**
 * The settings page: a menu of every setting with its value; picking one edits just that one and
 * comes back with the new value marked as changed. "Save and exit" writes every change at once
 * (the file's settings in one write, then the secrets); leaving any other way writes nothing.
 */
export async function runSettingsPage(
  ctx: SettingsContext,
  prompter: Prompter,
  talk: PageTalk,
): Promise<PageResult> {
  let state = openPage(ctx.shop, await listSettings(ctx));
  talk.info(
    'Pick a setting to change it. Nothing is written until "Save and exit"; Esc leaves without saving.',
  );
  let cursor: MenuPick | undefined;
  for (;;) {
    let pick: MenuPick | Leaving;
    try {
      pick = await prompter.select(`Settings for ${ctx.shop}:`, menuChoices(state), {
        ...(cursor ? { default: cursor } : {}),
        pageSize: MENU_SIZE,
        escape: true,
      });
      cursor = pick;
    } catch (error) {
      const leaving = leavingBy(error);
      if (!leaving) throw error;
      pick = leaving;
    }

    if (pick === 'save') {
      const changes = changesToSave(state);
      if (changes.length === 0) {
        talk.info('Nothing changed.');
        return { shop: ctx.shop, saved: [], confirmed: true };
      }
      return { shop: ctx.shop, saved: await savePrepared(ctx, changes), confirmed: true };
    }
    if (pick === 'exit' || pick === 'interrupt') {
      const left = await leaveWithoutSaving(state, prompter, talk, pick);
      if (left) return left;
      continue;
    }

    try {
      const change = await editSetting({ ctx, prompter, talk, state }, pick);
      if (change) {
        for (const warning of change.warnings) talk.warn(warning);
        state = applyChange(state, change);
      }
    } catch (error) {
      // Esc goes back to the menu; Ctrl-C leaves as it does from the menu.
      if (error instanceof PromptEscaped) continue;
      if (error instanceof InterruptedError) {
        const left = await leaveWithoutSaving(state, prompter, talk, 'interrupt');
        if (left) return left;
        continue;
      }
      // A refused value (or a store that cannot be reached) keeps the page and its edits.
      if (!isDsyncError(error)) throw error;
      talk.warn(`${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    }
  }
}
