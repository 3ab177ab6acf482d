import type { Env } from '../deps.js';
import type { SecretStore } from './store.js';

export function createDefaultSecretStore(_options: {
  configDir: string;
  stderr: NodeJS.WritableStream;
  env: Env;
}): SecretStore {
  throw new Error('secret store not built yet');
}
