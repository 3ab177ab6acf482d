import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerPath, openLedger } from '../ledger/ledger.js';
import { acquireLock, readLock } from '../lock/lock.js';
import type { StateStore } from './state.js';

/**
 * State in SQLite files below the config dir: each store's ledger in
 * `<configDir>/stores/<shop>/ledger.sqlite`, its run locks as rows of that same file's `locks`
 * table. Nothing is held between calls: each ledger is its own connection, closed by its user.
 */
export function createSqliteStateStore(configDir: string): StateStore {
  return {
    kind: 'sqlite',
    location: join(configDir, 'stores'),
    openLedger(shop) {
      return openLedger(ledgerPath(configDir, shop));
    },
    async openLedgerReadonly(shop) {
      const path = ledgerPath(configDir, shop);
      if (!existsSync(path)) return undefined;
      return openLedger(path, { readonly: true });
    },
    async lock(shop, options) {
      const handle = acquireLock(ledgerPath(configDir, shop), shop, {
        command: options.command,
        name: options.name,
        now: options.now,
      });
      return {
        name: handle.name,
        async release() {
          handle.release();
        },
      };
    },
    async lockHolder(shop, name = 'import') {
      return readLock(ledgerPath(configDir, shop), name);
    },
    async close() {
      // Every ledger is closed by whoever opened it; the locks are released by their holders.
    },
  };
}
