import { describe, expect, it } from 'vitest';
import {
  type Change,
  type ItemFound,
  type LevelAtLocation,
  planPush,
  rebase,
  type StockRow,
} from '../../../src/services/inventory/plan.js';

const SHOP = 'acme.myshopify.com';
const level = (itemId: string, sku: string | null, available: number, tracked = true): LevelAtLocation => ({
  itemId,
  sku,
  tracked,
  available,
  variant: { id: `V${itemId}`, displayName: `Variant ${itemId}` },
});
const found = (itemId: string, sku: string, tracked: boolean, stockedAtLocation: boolean): ItemFound => ({
  itemId,
  sku,
  tracked,
  stockedAtLocation,
  variant: { id: `V${itemId}`, displayName: `Variant ${itemId}` },
});
const LEVELS = [
  level('1', 'TEE', 5),
  level('2', 'MUG', 3),
  level('3', 'MUG', 3),
  level('4', 'HAT', 9, false),
  level('5', 'tee', 1),
];
const FOUND = [found('8', 'GIFT', false, false), found('9', 'CAP', true, false)];

type Expect = {
  changes?: [string, number, number][];
  unchanged?: string[];
  problems?: [number, string | null, RegExp][];
  duplicates?: [number, string, string[]][];
};

const cases: [string, StockRow[], boolean, Expect][] = [
  [
    'a changed quantity is sent with the quantity read',
    [{ sku: 'TEE', quantity: 7 }],
    false,
    { changes: [['1', 5, 7]] },
  ],
  ['an unchanged quantity is not sent', [{ sku: 'TEE', quantity: 5 }], false, { unchanged: ['1'] }],
  ['SKUs are case-sensitive', [{ sku: 'tee', quantity: 4 }], false, { changes: [['5', 1, 4]] }],
  [
    'a shared SKU is skipped, listing its variants',
    [{ sku: 'MUG', quantity: 4 }],
    false,
    { duplicates: [[2, 'MUG', ['Variant 2', 'Variant 3']]] },
  ],
  [
    'a shared SKU sets every match with include-duplicate-skus',
    [{ sku: 'MUG', quantity: 4 }],
    true,
    {
      changes: [
        ['2', 3, 4],
        ['3', 3, 4],
      ],
    },
  ],
  [
    'an unknown SKU fails its row',
    [{ sku: 'NOPE', quantity: 1 }],
    false,
    { problems: [[2, 'sku', /no variant has the SKU NOPE/]] },
  ],
  [
    'an untracked item at the location fails its row',
    [{ sku: 'HAT', quantity: 1 }],
    false,
    { problems: [[2, 'sku', /not tracked for HAT \(Variant 4/]] },
  ],
  [
    'an untracked item elsewhere fails its row as untracked',
    [{ sku: 'GIFT', quantity: 1 }],
    false,
    { problems: [[2, 'sku', /not tracked for GIFT/]] },
  ],
  [
    'an item not stocked at the location fails its row',
    [{ sku: 'CAP', quantity: 1 }],
    false,
    { problems: [[2, 'sku', /CAP is not stocked at Acme 3PL/]] },
  ],
  [
    'a repeated SKU refuses the later rows, naming the first line',
    [
      { sku: 'TEE', quantity: 7 },
      { sku: 'TEE', quantity: 8 },
      { sku: 'TEE', quantity: 7 },
    ],
    false,
    {
      changes: [['1', 5, 7]],
      problems: [
        [3, 'sku', /TEE is already on line 2/],
        [4, 'sku', /TEE is already on line 2/],
      ],
    },
  ],
  [
    'a row for another store is refused; the served store, in any spelling, is accepted',
    [
      { store: 'other', sku: 'TEE', quantity: 7 },
      { store: 'https://acme.myshopify.com/admin', sku: 'TEE', quantity: 6 },
      { store: 'not a shop!', sku: 'MUG', quantity: 1 },
    ],
    false,
    {
      changes: [['1', 5, 6]],
      problems: [
        [2, 'store', /is other.myshopify.com, but this run serves acme.myshopify.com/],
        [4, 'store', /is not a store name/],
      ],
    },
  ],
  ['zero is a quantity like any other', [{ sku: 'TEE', quantity: 0 }], false, { changes: [['1', 5, 0]] }],
];

describe('planPush', () => {
  it.each(cases)('%s', (_name, values, includeDuplicateSkus, expected) => {
    const plan = planPush({
      file: 'stock.csv',
      shop: SHOP,
      locationName: 'Acme 3PL',
      rows: values.map((value, i) => ({ line: i + 2, value })),
      levels: LEVELS,
      found: FOUND,
      includeDuplicateSkus,
    });
    expect(plan.changes.map((c) => [c.itemId, c.current, c.target])).toEqual(expected.changes ?? []);
    expect(plan.unchanged.map((u) => u.itemId)).toEqual(expected.unchanged ?? []);
    expect(plan.problems.map((p) => [p.line, p.field])).toEqual(
      (expected.problems ?? []).map(([line, field]) => [line, field]),
    );
    plan.problems.forEach((p, i) => {
      expect(p.file).toBe('stock.csv');
      expect(p.message).toMatch(expected.problems?.[i]?.[2] ?? /never/);
    });
    expect(plan.duplicates.map((d) => [d.line, d.sku, d.variants.map((v) => v.displayName)])).toEqual(
      expected.duplicates ?? [],
    );
  });
});

describe('rebase (a stale compare-and-swap)', () => {
  const change: Change = { line: 2, sku: 'TEE', itemId: '1', variant: null, current: 12, target: 10 };
  it.each([
    ['a sale meanwhile is kept: the target drops by it', 11, { current: 11, target: 9 }],
    ['a restock meanwhile is kept too', 15, { current: 15, target: 13 }],
    ['never below zero', 1, { current: 1, target: 0 }],
    ['already where it would go: nothing to send', 0, null],
  ] as const)('%s', (_name, fresh, expected) => {
    const next = rebase(change, fresh);
    if (expected === null) expect(next).toBeNull();
    else expect(next).toMatchObject(expected);
  });
});
