import { createHash } from 'node:crypto';

/** `--shard i/N`: this machine takes the i-th of N shares of the configured stores (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** The largest N of `--shard i/N`. */
export const MAX_SHARDS = 1000;

/** `2/4` → `{ index: 2, count: 4 }`; undefined for anything else (1 ≤ i ≤ N ≤ MAX_SHARDS). */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) return undefined;
  return { index, count };
}

/**
 * The shard (1…count) a store belongs to: the first four bytes of the SHA-256 of its shop domain
 * (lower-cased), modulo count. It depends on nothing but the domain and count, so adding or
 * removing a store never moves another one, and every machine computes the same split.
 */
export function shardOf(shop: string, count: number): number {
  const digest = createHash('sha256').update(shop.trim().toLowerCase()).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The stores of one shard, in the order given. */
export function storesInShard(stores: readonly string[], shard: Shard): string[] {
  return stores.filter((shop) => shardOf(shop, shard.count) === shard.index);
}
