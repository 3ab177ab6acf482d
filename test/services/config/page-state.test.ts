import { describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../../src/core/config/settings.js';
import {
  applyChange,
  changesToSave,
  menuChoices,
  openPage,
  pendingValues,
  shownValue,
  valueNow,
} from '../../../src/services/config/page-state.js';
import type { SettingEntry, StoredValue } from '../../../src/services/config/settings.js';

const SHOP = 'acme.myshopify.com';
const WAREHOUSE = 'gid://shopify/Location/1';
const RENO = 'gid://shopify/Location/3';

const entry = (e: Partial<SettingEntry> & Pick<SettingEntry, 'key'>): SettingEntry => ({
  value: null,
  isDefault: false,
  secret: false,
  description: '',
  ...e,
});

/** A page as listSettings would open it: a location with its label, one secret set. */
const opened = () =>
  openPage(SHOP, [
    entry({ key: 'fulfillment-location', value: WAREHOUSE, name: 'Main Warehouse' }),
    entry({ key: 'fulfillment-service', value: 'all', isDefault: true }),
    entry({ key: 'filter-by-location', value: false, isDefault: true }),
    entry({ key: 'financial-status', value: ['paid', 'refunded'] }),
    entry({ key: 'accept-orders-after', value: null, isDefault: true }),
    entry({ key: 'return-magic-api-key', value: '••••cdef', secret: true, storage: 'keychain' }),
    entry({ key: 'webhook-secret', value: null, secret: true, unavailable: 'keychain locked' }),
  ]);

describe('shownValue', () => {
  it.each([
    ['fulfillment-location', { text: 'Main Warehouse', changed: false, isDefault: false }],
    ['fulfillment-service', { text: 'all', changed: false, isDefault: true }],
    ['financial-status', { text: 'paid,refunded', changed: false, isDefault: false }],
    ['return-magic-api-key', { text: '••••cdef', changed: false, isDefault: false }],
    ['webhook-secret', { text: '(cannot read the keychain)', changed: false, isDefault: false }],
  ] as const)('%s as the page opened', (key, shown) => {
    expect(shownValue(opened(), key)).toEqual(shown);
  });

  it('shows an unset value with its default in words', () => {
    expect(shownValue(opened(), 'accept-orders-after')).toMatchObject({
      text: expect.stringContaining('the last 60 days'),
      isDefault: true,
    });
  });

  it('shows a pending location by its name, a pending secret masked, both marked as changed', () => {
    let state = applyChange(opened(), {
      key: 'fulfillment-location',
      value: RENO,
      resolvedName: 'Reno',
      warnings: [],
    });
    state = applyChange(state, { key: 'webhook-secret', value: 'whsec_0123456789abcd', warnings: [] });
    expect(shownValue(state, 'fulfillment-location')).toEqual({
      text: 'Reno',
      changed: true,
      isDefault: false,
    });
    expect(shownValue(state, 'webhook-secret')).toEqual({
      text: '••••abcd',
      changed: true,
      isDefault: false,
    });
    const menu = menuChoices(state)
      .map((c) => c.name)
      .join('\n');
    expect(menu).not.toContain('whsec_0123456789abcd');
    expect(menu).not.toContain(RENO);
  });
});

describe('applyChange', () => {
  it('keeps one change per key, in the catalogue order, and says what save writes', () => {
    let state = applyChange(opened(), { key: 'filter-by-location', value: true, warnings: [] });
    state = applyChange(state, {
      key: 'fulfillment-location',
      value: RENO,
      resolvedName: 'Reno',
      warnings: [],
    });
    state = applyChange(state, { key: 'filter-by-location', value: true, warnings: [] });
    expect(changesToSave(state).map((c) => [c.key, c.value])).toEqual([
      ['fulfillment-location', RENO],
      ['filter-by-location', true],
    ]);
    expect(pendingValues(state)).toEqual({ 'fulfillment-location': RENO, 'filter-by-location': true });
    expect(valueNow(state, 'fulfillment-location')).toBe(RENO);
    expect(valueNow(opened(), 'fulfillment-location')).toBe(WAREHOUSE);
  });

  it.each([
    ['a location edited back to the one in effect', 'fulfillment-location', RENO, WAREHOUSE],
    ['a default value chosen explicitly', 'filter-by-location', undefined, false],
    ['the same statuses in another order', 'financial-status', undefined, ['refunded', 'paid']],
  ] as const)('%s is no change', (_, key, first, back) => {
    let state = opened();
    if (first !== undefined) state = applyChange(state, { key, value: first, warnings: [] });
    state = applyChange(state, { key, value: back as StoredValue, warnings: [] });
    expect(changesToSave(state)).toEqual([]);
  });

  it('counts a secret as a change even when one is stored (its value is never read back)', () => {
    const state = applyChange(opened(), {
      key: 'return-magic-api-key',
      value: 'rm_live_0123456789abcdef',
      warnings: [],
    });
    expect(changesToSave(state)).toHaveLength(1);
    expect(pendingValues(state)).toEqual({});
  });
});

describe('menuChoices', () => {
  it('lists every setting, then save and exit, with the number of changes', () => {
    const state = applyChange(opened(), { key: 'filter-by-location', value: true, warnings: [] });
    const choices = menuChoices(state);
    expect(choices.map((c) => c.value)).toEqual([...SETTING_KEYS, 'save', 'exit']);
    expect(choices.find((c) => c.value === 'filter-by-location')?.name).toMatch(
      /^filter-by-location +true {2}\(changed\)$/,
    );
    expect(choices.find((c) => c.value === 'fulfillment-service')?.name).toMatch(/all \(default\)$/);
    expect(choices.at(-2)?.name).toBe('Save and exit (1 change)');
    expect(menuChoices(opened()).at(-2)?.name).toBe('Save and exit (nothing changed)');
  });
});
