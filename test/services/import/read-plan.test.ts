import { describe, expect, it } from 'vitest';
import {
  BULK_QUEUE_SECONDS,
  chooseReadPlan,
  estimateBulkSeconds,
  estimatePagingSeconds,
} from '../../../src/services/import/read-plan.js';

describe('paging or bulk, by expected time', () => {
  const standard = { available: 2000, restoreRate: 100 };
  it.each([
    { name: 'nothing changed (cron)', orders: 0, bucket: standard, expected: 'paging' },
    { name: 'fifty changes fit in a full bucket', orders: 50, bucket: standard, expected: 'paging' },
    { name: 'a 30-day backfill at the Standard plan', orders: 600, bucket: standard, expected: 'bulk' },
    {
      name: 'the same on Plus (restore 1000/s)',
      orders: 600,
      bucket: { available: 20000, restoreRate: 1000 },
      expected: 'paging',
    },
    {
      name: 'an empty bucket makes paging slower',
      orders: 300,
      bucket: { available: 0, restoreRate: 100 },
      expected: 'bulk',
    },
  ])('$name → $expected', ({ orders, bucket, expected }) => {
    expect(chooseReadPlan({ orders, ...bucket }).mode).toBe(expected);
  });

  it('pays for what the bucket does not hold, at the restore rate', () => {
    const full = estimatePagingSeconds({ orders: 500, available: 2000, restoreRate: 100 });
    const empty = estimatePagingSeconds({ orders: 500, available: 0, restoreRate: 100 });
    expect(empty - full).toBeCloseTo(20, 5);
  });

  it('waits for the queue before the first object of a bulk operation', () => {
    expect(estimateBulkSeconds({ orders: 0 })).toBe(BULK_QUEUE_SECONDS);
    expect(estimateBulkSeconds({ orders: 1000 })).toBeGreaterThan(BULK_QUEUE_SECONDS);
  });
});
