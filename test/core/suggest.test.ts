import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../src/core/suggest.js';

const SETTINGS = ['fulfillment-location', 'fulfillment-service', 'financial-status', 'notify-customer'];

describe('nearest', () => {
  it.each([
    ['fullfillment-location', SETTINGS, 'fulfillment-location'],
    ['financial-statuses', SETTINGS, 'financial-status'],
    ['notfy-customer', SETTINGS, 'notify-customer'],
    ['lists', ['set', 'get', 'list', 'unset', 'path'], 'list'],
    ['colour', SETTINGS, undefined],
    ['xyz', ['set', 'get', 'list'], undefined],
  ])('%s → %s', (typed, candidates, expected) => {
    expect(nearest(typed, candidates)).toBe(expected);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
