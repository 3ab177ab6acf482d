import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../support/cli.js';

const dir = tempConfigDir('dsync-stores-');
afterAll(() => dir.cleanup());
const env = { DSYNC_CONFIG_DIR: dir.dir, DSYNC_KEYCHAIN: 'off', DSYNC_NO_INPUT: '1' };
const dsync = (args: string[]) => runCli(args, { env });

describe('dsync stores default', () => {
  it('makes a configured store the default, and refuses one that is not configured', async () => {
    for (const shop of ['north', 'south']) {
      const set = await dsync(['config', 'set', 'notify-customer', 'true', '--store', shop]);
      expect(set.code, set.stderr).toBe(0);
    }
    const chosen = await dsync(['stores', 'default', 'south']);
    expect(chosen.code, chosen.stderr).toBe(0);
    const listed = JSON.parse((await dsync(['stores', 'list', '--json'])).stdout);
    expect(
      listed.stores.filter((s: { default: boolean }) => s.default).map((s: { shop: string }) => s.shop),
    ).toEqual(['south.myshopify.com']);
    // The default is the store a command acts on without --store.
    const get = await dsync(['config', 'get', 'notify-customer', '--json']);
    expect(JSON.parse(get.stdout)).toMatchObject({ shop: 'south.myshopify.com' });

    const unknown = await dsync(['stores', 'default', 'west']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'west.myshopify.com is not configured (configured: north.myshopify.com, south.myshopify.com)',
    );
  });
});
