import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_OVERLAP_MS,
  nextCheckpoint,
  parseSince,
  resolveWindow,
  SIXTY_DAYS_MS,
  searchQuery,
} from '../../../src/services/import/window.js';
import { isSinceValue } from '../../../src/core/config/settings.js';

const NOW = new Date('2026-11-26T12:00:00Z');

describe('parseSince', () => {
  it.each([
    ['last', 'last'],
    ['30m', '2026-11-26T11:30:00.000Z'],
    ['2h', '2026-11-26T10:00:00.000Z'],
    ['7d', '2026-11-19T12:00:00.000Z'],
    ['1w', '2026-11-19T12:00:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T08:00:00+02:00', '2026-11-01T06:00:00.000Z'],
    ['yesterday', 'invalid'],
    ['0d', 'invalid'],
    ['-3d', 'invalid'],
    ['2026-02-31', 'invalid'],
    ['2026-11-01 08:00', '2026-11-01T08:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    const parsed = parseSince(text, NOW);
    expect(parsed === undefined ? 'invalid' : parsed.kind === 'last' ? 'last' : parsed.at.toISOString()).toBe(
      expected,
    );
  });
});

describe('one reading of typed times', () => {
  it.each(['2026-02-31', '2025-02-29', '0d', '7x', '2026-11-01', '30d', '12H'])(
    '--since %s and accept-orders-after %s agree',
    (text) => {
      expect(parseSince(text, NOW) !== undefined).toBe(isSinceValue(text));
    },
  );
});

describe('resolveWindow', () => {
  const base = {
    since: { kind: 'last' } as const,
    until: undefined,
    checkpoint: undefined,
    acceptOrdersAfter: undefined,
    readAllOrders: false,
    now: NOW,
  };

  it('starts a first run at accept-orders-after, with no updatedAt bound', () => {
    const w = resolveWindow({ ...base, acceptOrdersAfter: new Date('2026-11-01T00:00:00Z') });
    expect(w.source).toBe('first-run');
    expect(w.updatedSince).toBeUndefined();
    expect(w.createdAfter.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('starts from the checkpoint minus the overlap', () => {
    const w = resolveWindow({ ...base, checkpoint: '2026-11-26T11:00:00.000Z' });
    expect(w.source).toBe('checkpoint');
    expect(w.updatedSince?.getTime()).toBe(Date.parse('2026-11-26T11:00:00Z') - CHECKPOINT_OVERLAP_MS);
  });

  it('lets --since override the checkpoint', () => {
    const w = resolveWindow({
      ...base,
      checkpoint: '2026-11-26T11:00:00.000Z',
      since: { kind: 'at', at: new Date('2026-11-20T00:00:00Z'), text: '' },
    });
    expect(w.source).toBe('flag');
    expect(w.updatedSince?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it('never reaches more than 60 days back without read_all_orders', () => {
    const w = resolveWindow({ ...base, acceptOrdersAfter: new Date('2026-01-01T00:00:00Z') });
    expect(w.createdAfter.getTime()).toBe(NOW.getTime() - SIXTY_DAYS_MS);
    expect(w.clampedFrom?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('reaches further back with read_all_orders', () => {
    const w = resolveWindow({
      ...base,
      acceptOrdersAfter: new Date('2026-01-01T00:00:00Z'),
      readAllOrders: true,
    });
    expect(w.createdAfter.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(w.clampedFrom).toBeUndefined();
  });

  it('defaults to the last 60 days when accept-orders-after is unset', () => {
    const w = resolveWindow(base);
    expect(w.createdAfter.getTime()).toBe(NOW.getTime() - SIXTY_DAYS_MS);
  });

  it('renders the window as Shopify search syntax', () => {
    const w = resolveWindow({
      ...base,
      since: { kind: 'at', at: new Date('2026-11-20T00:00:00Z'), text: '' },
      until: new Date('2026-11-21T00:00:00Z'),
      acceptOrdersAfter: new Date('2026-11-01T00:00:00Z'),
    });
    expect(searchQuery(w)).toBe(
      "updated_at:>='2026-11-20T00:00:00Z' updated_at:<='2026-11-21T00:00:00Z' created_at:>='2026-11-01T00:00:00Z'",
    );
  });
});

describe('nextCheckpoint', () => {
  const runStartedAt = new Date('2026-11-26T12:00:00Z');
  it.each([
    {
      name: 'nothing handled keeps the old one',
      previous: '2026-11-26T10:00:00.000Z',
      newest: undefined,
      failed: undefined,
      expected: '2026-11-26T10:00:00.000Z',
    },
    {
      name: 'moves to the newest handled',
      previous: '2026-11-26T10:00:00.000Z',
      newest: '2026-11-26T11:00:00Z',
      failed: undefined,
      expected: '2026-11-26T11:00:00.000Z',
    },
    {
      name: 'capped at the run start',
      previous: undefined,
      newest: '2026-11-26T12:30:00Z',
      failed: undefined,
      expected: '2026-11-26T12:00:00.000Z',
    },
    {
      name: 'stops before the first failure',
      previous: '2026-11-26T10:00:00.000Z',
      newest: '2026-11-26T11:00:00Z',
      failed: '2026-11-26T10:30:00Z',
      expected: '2026-11-26T10:29:59.999Z',
    },
    {
      name: 'never moves back on overlap',
      previous: '2026-11-26T11:00:00.000Z',
      newest: '2026-11-26T10:59:00Z',
      failed: undefined,
      expected: '2026-11-26T11:00:00.000Z',
    },
  ])('$name', ({ previous, newest, failed, expected }) => {
    expect(nextCheckpoint({ previous, newestHandled: newest, firstFailed: failed, runStartedAt })).toBe(
      expected,
    );
  });
});
