import Conf from 'conf';
import type { ConfigStore, StoreProfile } from './store.js';

interface ConfigFile {
  defaultStore?: string;
  stores: Record<string, StoreProfile>;
}

/**
 * The config file (`config.json` under the config dir, mode 0600), one profile per store.
 * Basic version: settings validation and corruption handling live in the settings schema.
 */
export function createConfStore(options: { configDir: string }): ConfigStore {
  const conf = new Conf<ConfigFile>({
    cwd: options.configDir,
    configName: 'config',
    projectName: 'dsync',
    configFileMode: 0o600,
    defaults: { stores: {} },
    clearInvalidConfig: false,
  });
  return {
    path: conf.path,
    listStores: () => Object.keys(conf.get('stores')).sort(),
    defaultStore: () => conf.get('defaultStore'),
    setDefaultStore: (shop) => {
      if (shop === undefined) conf.delete('defaultStore');
      else conf.set('defaultStore', shop);
    },
    getProfile: (shop) => conf.get('stores')[shop],
    saveProfile: (profile) => {
      conf.set('stores', { ...conf.get('stores'), [profile.shop]: profile });
    },
    removeProfile: (shop) => {
      const { [shop]: _removed, ...rest } = conf.get('stores');
      conf.set('stores', rest);
      if (conf.get('defaultStore') === shop) conf.delete('defaultStore');
    },
  };
}
