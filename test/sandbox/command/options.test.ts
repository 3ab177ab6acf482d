import { describe, expect, it } from 'vitest';
import { parseSandboxFlags } from '../../../src/commands/sandbox/options.js';
import { describeBulk } from '../../../src/commands/sandbox/run.js';
import { UsageError } from '../../../src/core/errors.js';

const defaults = { port: '3457', orders: '50', seed: '1', plan: 'standard' };

describe('dsync sandbox flags', () => {
  it('turns the defaults into options', () => {
    expect(parseSandboxFlags(defaults)).toEqual({
      port: 3457,
      shops: 1,
      orders: 50,
      products: 0,
      seed: 1,
      plan: 'standard',
      autoApprove: false,
      faults: undefined,
      tokenTtlSeconds: undefined,
      bulk: { startupMs: 5000, objectsPerSecond: 500 },
    });
  });

  it('passes every flag through', () => {
    expect(
      parseSandboxFlags({
        port: '0',
        orders: '500',
        products: '10000',
        seed: '7',
        plan: 'plus',
        autoApprove: true,
        faults: '500@3',
        tokenTtl: '60',
        bulkStartup: '250',
        bulkRate: '40',
      }),
    ).toEqual({
      port: 0,
      shops: 1,
      orders: 500,
      products: 10000,
      seed: 7,
      plan: 'plus',
      autoApprove: true,
      faults: '500@3',
      tokenTtlSeconds: 60,
      bulk: { startupMs: 250, objectsPerSecond: 40 },
    });
  });

  it.each([
    [{ bulkStartup: '0' }, { startupMs: 0, objectsPerSecond: 500 }],
    [{ bulkStartup: '1500ms' }, { startupMs: 1500, objectsPerSecond: 500 }],
    [{ bulkStartup: '2.5s' }, { startupMs: 2500, objectsPerSecond: 500 }],
    [{ bulkRate: '250/s' }, { startupMs: 5000, objectsPerSecond: 250 }],
    [{ bulkRate: '6000/min' }, { startupMs: 5000, objectsPerSecond: 100 }],
    [{ bulkRate: '0.5' }, { startupMs: 5000, objectsPerSecond: 0.5 }],
    [
      { bulkStartup: '0', bulkRate: 'INSTANT' },
      { startupMs: 0, objectsPerSecond: Number.POSITIVE_INFINITY },
    ],
  ])('reads bulk timing %j', (flags, bulk) => {
    expect(parseSandboxFlags({ ...defaults, ...flags }).bulk).toEqual(bulk);
  });

  it.each([
    [{ startupMs: 5000, objectsPerSecond: 500 }, 'queued 5 s, then 500 objects/s'],
    [{ startupMs: 0, objectsPerSecond: 40 }, 'no queue, 40 objects/s'],
    [{ startupMs: 0, objectsPerSecond: null }, 'results at once'],
    [{ startupMs: 1500, objectsPerSecond: null }, 'queued 1.5 s, then all objects at once'],
  ])('describes bulk timing %j', (bulk, text) => {
    expect(describeBulk(bulk)).toBe(text);
  });

  it.each([
    [{ port: '65536' }, /--port must be a whole number from 0 to 65535/],
    [{ port: 'abc' }, /--port/],
    [{ orders: '-1' }, /--orders/],
    [{ orders: '1.5' }, /--orders/],
    [{ products: '-3' }, /--products/],
    [{ seed: 'x' }, /--seed/],
    [{ plan: 'gold' }, /--plan must be one of standard, advanced, plus, enterprise/],
    [{ tokenTtl: '0' }, /--token-ttl/],
    [{ bulkStartup: '-1' }, /--bulk-startup must be a delay up to an hour: <ms>, <n>ms or <n>s/],
    [{ bulkStartup: '5 min' }, /--bulk-startup/],
    [{ bulkStartup: '3600001' }, /--bulk-startup/],
    [{ bulkRate: '0' }, /--bulk-rate must be more than 0: <n>, <n>\/s or <n>\/min objects, or "instant"/],
    [{ bulkRate: 'fast' }, /--bulk-rate/],
    [{ bulkRate: '10/h' }, /--bulk-rate/],
  ])('refuses %j', (flags, message) => {
    expect(() => parseSandboxFlags({ ...defaults, ...flags })).toThrow(UsageError);
    expect(() => parseSandboxFlags({ ...defaults, ...flags })).toThrow(message);
  });
});
