import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConfStore } from '../../../src/core/config/conf-store.js';
import { ConfigError } from '../../../src/core/errors.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-conf-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createConfStore', () => {
  it('keeps one profile per store and a default, in a 0600 file', () => {
    const dir = freshDir();
    const store = createConfStore({ configDir: dir });
    store.saveProfile({ shop: 'b.myshopify.com', settings: { 'notify-customer': true } });
    store.saveProfile({ shop: 'a.myshopify.com', settings: {} });
    store.setDefaultStore('b.myshopify.com');
    const again = createConfStore({ configDir: dir });
    expect(again.listStores()).toEqual(['a.myshopify.com', 'b.myshopify.com']);
    expect(again.defaultStore()).toBe('b.myshopify.com');
    expect(again.getProfile('b.myshopify.com')?.settings).toEqual({ 'notify-customer': true });
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(again.fileMode?.()).toBe(0o600);
    again.removeProfile('b.myshopify.com');
    expect(again.defaultStore()).toBeUndefined();
    expect(again.listStores()).toEqual(['a.myshopify.com']);
  });

  it.each([
    ['{"stores": {', /not valid JSON/],
    ['[]', /is invalid: \(top level\): .*expected object/],
    [
      '{"stores": {"acme.myshopify.com": {"shop": "acme.myshopify.com", "settings": []}}}',
      /stores\.acme\.myshopify\.com\.settings/,
    ],
    [
      '{"stores": {"acme.myshopify.com": {"shop": "other.myshopify.com", "settings": {}}}}',
      /expected "acme\.myshopify\.com"/,
    ],
    ['{"stores": {}, "defaultStore": "evil.com"}', /defaultStore/],
  ])('refuses %s naming the file, and leaves it as it was', (content, message) => {
    const dir = freshDir();
    const path = join(dir, 'config.json');
    writeFileSync(path, content);
    expect(() => createConfStore({ configDir: dir })).toThrow(ConfigError);
    expect(() => createConfStore({ configDir: dir })).toThrow(message);
    expect(() => createConfStore({ configDir: dir })).toThrow(path);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('keeps fields it does not know when it writes', () => {
    const dir = freshDir();
    const path = join(dir, 'config.json');
    writeFileSync(
      path,
      JSON.stringify({
        stores: { 'a.myshopify.com': { shop: 'a.myshopify.com', settings: {}, note: 'hand-written' } },
        futureField: 1,
      }),
    );
    const store = createConfStore({ configDir: dir });
    store.saveProfile({ ...store.getProfile('a.myshopify.com')!, settings: { 'notify-customer': true } });
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.futureField).toBe(1);
    expect(saved.stores['a.myshopify.com'].note).toBe('hand-written');
  });

  it('notices a file broken after it was opened, before writing', () => {
    const dir = freshDir();
    const store = createConfStore({ configDir: dir });
    writeFileSync(join(dir, 'config.json'), '{oops');
    expect(() => store.saveProfile({ shop: 'a.myshopify.com', settings: {} })).toThrow(ConfigError);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{oops');
  });
});
