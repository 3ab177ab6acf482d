import { describe, expect, it } from 'vitest';
import { parseSandboxFlags } from '../../../src/commands/sandbox/options.js';
import { UsageError } from '../../../src/core/errors.js';

const defaults = { port: '3457', orders: '50', seed: '1', plan: 'standard' };

describe('dsync sandbox flags', () => {
  it('turns the defaults into options', () => {
    expect(parseSandboxFlags(defaults)).toEqual({
      port: 3457,
      orders: 50,
      seed: 1,
      plan: 'standard',
      autoApprove: false,
      faults: undefined,
      tokenTtlSeconds: undefined,
    });
  });

  it('passes every flag through', () => {
    expect(
      parseSandboxFlags({
        port: '0',
        orders: '500',
        seed: '7',
        plan: 'plus',
        autoApprove: true,
        faults: '500@3',
        tokenTtl: '60',
      }),
    ).toEqual({
      port: 0,
      orders: 500,
      seed: 7,
      plan: 'plus',
      autoApprove: true,
      faults: '500@3',
      tokenTtlSeconds: 60,
    });
  });

  it.each([
    [{ port: '65536' }, /--port must be a whole number from 0 to 65535/],
    [{ port: 'abc' }, /--port/],
    [{ orders: '-1' }, /--orders/],
    [{ orders: '1.5' }, /--orders/],
    [{ seed: 'x' }, /--seed/],
    [{ plan: 'gold' }, /--plan must be one of standard, advanced, plus, enterprise/],
    [{ tokenTtl: '0' }, /--token-ttl/],
  ])('refuses %j', (flags, message) => {
    expect(() => parseSandboxFlags({ ...defaults, ...flags })).toThrow(UsageError);
    expect(() => parseSandboxFlags({ ...defaults, ...flags })).toThrow(message);
  });
});
