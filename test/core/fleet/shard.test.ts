import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseShard, shardOf, storesInShard } from '../../../src/core/fleet/shard.js';

const fleet = Array.from({ length: 200 }, (_, i) => `store-${i + 1}.myshopify.com`);

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
  ])('reads %j', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['0/4', '5/4', '1/0', '2', '1/2/3', 'a/b', '-1/2', '1.5/2', '', '1/1001'])('refuses %j', (text) => {
    expect(parseShard(text)).toBeUndefined();
  });
});

describe('shardOf', () => {
  it('is the documented hash: the first four bytes of SHA-256 of the lower-cased domain, mod N, plus 1', () => {
    // Computed here from the definition, so a script in another language can compute the split.
    const digest = createHash('sha256').update('acme.myshopify.com').digest();
    expect(shardOf('acme.myshopify.com', 7)).toBe((digest.readUInt32BE(0) % 7) + 1);
    expect(shardOf('ACME.myshopify.com', 7)).toBe(shardOf('acme.myshopify.com', 7));
  });

  it('puts every store in exactly one shard, within 1…N', () => {
    for (const count of [1, 2, 3, 4, 5, 16]) {
      const shards = Array.from({ length: count }, (_, i) => storesInShard(fleet, { index: i + 1, count }));
      expect(shards.flat().sort()).toEqual([...fleet].sort());
      expect(new Set(shards.flat()).size).toBe(fleet.length);
    }
  });

  it('spreads a fleet roughly evenly', () => {
    const sizes = [1, 2, 3, 4].map((index) => storesInShard(fleet, { index, count: 4 }).length);
    for (const size of sizes) expect(size).toBeGreaterThan(30);
  });

  it('never moves a store when others are added or removed', () => {
    const before = storesInShard(fleet.slice(0, 100), { index: 2, count: 3 });
    const after = storesInShard(fleet, { index: 2, count: 3 });
    expect(after.slice(0, before.length)).toEqual(before);
    const removed = storesInShard(fleet.slice(50), { index: 2, count: 3 });
    expect(removed).toEqual(after.filter((shop) => fleet.indexOf(shop) >= 50));
  });
});
