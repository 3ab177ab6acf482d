import { describe, expect, it } from 'vitest';
import { SHOPIFY_SCALARS } from '../../../src/sandbox/graphql/scalars.js';

const serialize = (name: string, value: unknown) => SHOPIFY_SCALARS[name]!.serialize(value);

describe("Shopify's scalars", () => {
  it.each([
    ['DateTime', new Date('2026-03-04T05:06:07.890Z'), '2026-03-04T05:06:07Z'],
    ['DateTime', '2026-03-04T05:06:07Z', '2026-03-04T05:06:07Z'],
    ['Decimal', 10, '10.0'],
    ['Decimal', 24.99, '24.99'],
    ['Decimal', 0.1 + 0.2, '0.3'],
    ['Decimal', '12.50', '12.50'],
    ['Money', '7', '7.0'],
    ['UnsignedInt64', 5900000000001, '5900000000001'],
    ['UnsignedInt64', '42', '42'],
    ['URL', 'https://example.com/x', 'https://example.com/x'],
    ['JSON', { a: [1] }, { a: [1] }],
  ])('%s %j → %j', (name, value, expected) => {
    expect(serialize(name, value)).toEqual(expected);
  });

  it.each([
    ['DateTime', 'not a date'],
    ['Decimal', 'ten'],
    ['UnsignedInt64', -1],
    ['URL', 5],
  ])('%s refuses %j', (name, value) => {
    expect(() => serialize(name, value)).toThrow(/cannot represent/);
  });
});
