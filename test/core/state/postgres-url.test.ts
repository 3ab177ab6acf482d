import { describe, expect, it } from 'vitest';
import { advisoryKey } from '../../../src/core/state/postgres/lock.js';
import { isPostgresUrl, parsePostgresUrl } from '../../../src/core/state/postgres/url.js';

describe('a postgres:// state URL', () => {
  it('is shown without its password', () => {
    const target = parsePostgresUrl('postgres://fleet:p%40ss@db.internal:6432/dsync?sslmode=require');
    expect(target).toEqual({
      display: 'postgres://fleet@db.internal:6432/dsync',
      host: 'db.internal',
      port: 6432,
      database: 'dsync',
      user: 'fleet',
      hasPassword: true,
    });
    expect(parsePostgresUrl('postgresql://db/dsync').display).toBe('postgres://db:5432/dsync');
  });

  it('is told apart from other URLs, and a bad one is a usage error', () => {
    expect(isPostgresUrl(' postgres://x/y')).toBe(true);
    expect(isPostgresUrl('sqlite:///tmp/x')).toBe(false);
    expect(() => parsePostgresUrl('mysql://db/x')).toThrow(/must be a postgres:\/\/ URL/);
    expect(() => parsePostgresUrl('postgres://[bad')).toThrow(/not a valid URL/);
  });
});

describe('a store lock’s advisory key', () => {
  it('is a stable non-negative 63-bit number per store and lock name', () => {
    const key = advisoryKey('acme.myshopify.com', 'import');
    expect(key).toBe(advisoryKey('acme.myshopify.com', 'import'));
    expect(BigInt(key) >= 0n && BigInt(key) < 2n ** 63n).toBe(true);
    expect(advisoryKey('acme.myshopify.com', 'ship')).not.toBe(key);
    expect(advisoryKey('acme-2.myshopify.com', 'import')).not.toBe(key);
  });
});
