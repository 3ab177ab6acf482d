import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../support/cli.js';

const config = tempConfigDir('dsync-import-flags-');
afterAll(() => config.cleanup());
const env = { DSYNC_CONFIG_DIR: config.dir, DSYNC_STORE: 'acme', DSYNC_NO_INPUT: '1' };

describe('dsync import: window flags are checked before anything is read', () => {
  it('an inverted window exits 2 and says what was meant', async () => {
    const result = await runCli(['import', '--since', '2h', '--until', '3h'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'error: --since 2h is after --until 3h: the window would be empty; did you mean --since 3h --until 2h?',
    );

    const json = await runCli(['import', '--bulk', '--no-bulk', '--json'], { env });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'usage',
      message: '--bulk and --no-bulk cannot be used together',
    });
  });
});
