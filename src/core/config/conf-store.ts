import type { ConfigStore } from './store.js';

export function createConfStore(_options: { configDir: string }): ConfigStore {
  throw new Error('config store not built yet');
}
