import { SETTING_KEYS, type SettingKey, settingMeta } from '../../core/config/settings.js';
import type { Choice } from '../../core/prompter.js';
import type { PendingValues, PreparedValue, SettingEntry, StoredValue } from './settings.js';
import { maskSecret } from './values.js';

/**
 * The settings page as data: every setting as it was when the page opened, and the edits not
 * saved yet. The functions here are the page's state transitions; none of them does any I/O.
 */
export interface PageState {
  shop: string;
  /** Every setting as read when the page opened (secrets masked), in the catalogue's order. */
  opened: SettingEntry[];
  /** Edits not saved yet, at most one per key, in the catalogue's order. */
  changes: PreparedValue[];
}

/** What the menu returns: a setting to edit, or one of the two ways out. */
export type MenuPick = SettingKey | 'save' | 'exit';

export function openPage(shop: string, entries: SettingEntry[]): PageState {
  return { shop, opened: entries, changes: [] };
}

function openedEntry(state: PageState, key: SettingKey): SettingEntry | undefined {
  return state.opened.find((e) => e.key === key);
}

function changeOf(state: PageState, key: SettingKey): PreparedValue | undefined {
  return state.changes.find((c) => c.key === key);
}

/** The value an edit starts from: the pending one, else the one in effect (null for secrets). */
export function valueNow(state: PageState, key: SettingKey): StoredValue | null {
  const change = changeOf(state, key);
  if (change) return change.value;
  const entry = openedEntry(state, key);
  return !entry || entry.secret ? null : entry.value;
}

/** The pending values of the file's settings, for the live cross-checks of location and service. */
export function pendingValues(state: PageState): PendingValues {
  return Object.fromEntries(
    state.changes.filter((c) => !settingMeta(c.key).secret).map((c) => [c.key, c.value]),
  );
}

const sameValue = (a: StoredValue | null, b: StoredValue | null): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((item) => b.includes(item))
    : a === b;

/**
 * Records an edit. An edit back to the value in effect when the page opened is no change at all;
 * a secret's new value is always a change (the old one is never read back).
 */
export function applyChange(state: PageState, change: PreparedValue): PageState {
  const entry = openedEntry(state, change.key);
  const unchanged = entry !== undefined && !entry.secret && sameValue(entry.value, change.value);
  const changes = [...state.changes.filter((c) => c.key !== change.key), ...(unchanged ? [] : [change])];
  changes.sort((a, b) => SETTING_KEYS.indexOf(a.key) - SETTING_KEYS.indexOf(b.key));
  return { ...state, changes };
}

/** What "Save and exit" writes: every change, once. */
export function changesToSave(state: PageState): PreparedValue[] {
  return state.changes;
}

const asText = (value: StoredValue): string => (Array.isArray(value) ? value.join(',') : String(value));

/** A value as the menu shows it: names rather than gids, secrets masked. */
export interface ShownValue {
  text: string;
  changed: boolean;
  isDefault: boolean;
}

export function shownValue(state: PageState, key: SettingKey): ShownValue {
  const meta = settingMeta(key);
  const change = changeOf(state, key);
  if (change) {
    const text = meta.secret
      ? maskSecret(String(change.value))
      : (change.resolvedName ?? asText(change.value));
    return { text, changed: true, isDefault: false };
  }
  const entry = openedEntry(state, key);
  if (!entry) return { text: '(not set)', changed: false, isDefault: false };
  if (entry.secret) {
    const text = entry.unavailable
      ? '(cannot read the keychain)'
      : entry.value === null
        ? '(not set)'
        : asText(entry.value);
    return { text, changed: false, isDefault: false };
  }
  if (entry.value === null)
    return {
      text: meta.defaultText ?? '(not set)',
      changed: false,
      isDefault: meta.defaultText !== undefined,
    };
  return { text: entry.name ?? asText(entry.value), changed: false, isDefault: entry.isDefault };
}

export const MENU_SIZE = SETTING_KEYS.length + 2;

/** The menu: every setting with its value (changed ones marked), then save and exit. */
export function menuChoices(state: PageState): Choice<MenuPick>[] {
  const width = Math.max(...SETTING_KEYS.map((k) => k.length));
  const settings: Choice<MenuPick>[] = SETTING_KEYS.map((key) => {
    const shown = shownValue(state, key);
    const marks = `${shown.isDefault ? ' (default)' : ''}${shown.changed ? '  (changed)' : ''}`;
    return {
      name: `${key.padEnd(width)}  ${shown.text}${marks}`,
      value: key,
      short: key,
      description: settingMeta(key).description,
    };
  });
  const n = state.changes.length;
  return [
    ...settings,
    {
      name: n === 0 ? 'Save and exit (nothing changed)' : `Save and exit (${n} change${n === 1 ? '' : 's'})`,
      value: 'save',
      short: 'Save and exit',
    },
    { name: 'Exit without saving', value: 'exit' },
  ];
}
