import type { Output } from '../../core/output.js';
import type { SettingEntry, StoredValue } from '../../services/config/settings.js';
import { renderTable } from '../../core/table.js';

/** A value as a user types it: lists comma-joined, booleans true/false, unset empty. */
export function formatValue(value: StoredValue | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export function renderSettingsTable(out: Output, entries: SettingEntry[]): string {
  const p = out.paint;
  return renderTable(
    [
      { header: 'KEY', value: (e) => e.key },
      {
        header: 'VALUE',
        value: (e) =>
          e.secret
            ? e.unavailable
              ? '(cannot read the keychain)'
              : e.value === null
                ? '(not set)'
                : `${e.value} (${e.storage ?? 'stored'})`
            : e.value === null
              ? '(not set)'
              : e.name
                ? `${formatValue(e.value)} (${e.name})`
                : formatValue(e.value),
        style: (text, e) => (e.value === null ? p.dim(text) : text),
      },
      {
        header: 'SOURCE',
        value: (e) => (e.secret ? (e.value === null ? '' : 'secret') : e.isDefault ? 'default' : 'set'),
        style: (text, e) => (e.isDefault ? p.dim(text) : text),
      },
    ],
    entries,
    (s) => p.bold(s),
  );
}
