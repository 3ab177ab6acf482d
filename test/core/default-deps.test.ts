import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDefaultDeps } from '../../src/core/default-deps.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function depsWith(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-deps-'));
  dirs.push(dir);
  return createDefaultDeps(
    {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: { DSYNC_CONFIG_DIR: dir, ...env },
      signal: new AbortController().signal,
    },
    {},
  );
}

describe('the state store of the default deps', () => {
  it('is opened once, on first use, and closed once after the command', async () => {
    const deps = depsWith({});
    const store = await deps.state();
    expect(await deps.state()).toBe(store);
    const close = vi.spyOn(store, 'close');
    await deps.close();
    await deps.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('is not opened just to be closed', async () => {
    const deps = depsWith({});
    await deps.close();
    expect(deps.state.ran).toBe(false);
    await deps.state();
    expect(deps.state.ran).toBe(true);
  });

  it('closes quietly after a store that failed to open', async () => {
    const deps = depsWith({ DSYNC_STATE_URL: 'mysql://db/dsync' });
    await expect(deps.state()).rejects.toThrow(/DSYNC_STATE_URL/);
    await expect(deps.close()).resolves.toBeUndefined();
  });
});
