import { describe, expect, it } from 'vitest';
import { loadedSources, sourcesOf } from '../support/loaded-sources.js';

describe('help for the settings commands', () => {
  it.each([
    [['config', '--help']],
    [['config', 'set', '--help']],
    [['doctor', '--help']],
    [['locations', 'list', '--help']],
  ])('dsync %j loads neither zod nor conf nor undici', (args) => {
    const { sources, stdout } = loadedSources(args);
    expect(stdout).toContain('Usage: dsync');
    expect(sources).toContain('/src/program.ts');
    expect(sourcesOf(sources, ['zod', 'conf', 'undici', '@inquirer'])).toEqual([]);
  });
});
