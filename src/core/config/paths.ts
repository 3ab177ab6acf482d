import { join } from 'node:path';

/** The config file inside the config dir (what `dsync config path` prints, even when the file is broken). */
export function configFilePath(configDir: string): string {
  return join(configDir, 'config.json');
}
