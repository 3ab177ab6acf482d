import { createOutput } from '../../core/output.js';
import { renderTable } from '../../core/table.js';
import { listStores } from '../../services/auth/stores.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const stores = await listStores(deps);
  out.result({ stores }, () => {
    if (stores.length === 0) return '';
    return renderTable(
      [
        { header: '', value: (s) => (s.default ? '*' : '') },
        { header: 'STORE', value: (s) => s.shop },
        {
          header: 'LOGIN',
          value: (s) =>
            s.loggedIn
              ? (s.grant ?? (s.storage === 'credentials-dir' ? 'token file' : '')).replace(/_/g, ' ')
              : 'not logged in',
        },
        { header: 'STORAGE', value: (s) => s.storage ?? '' },
        { header: 'EXPIRES', value: (s) => s.expiresAt ?? (s.loggedIn ? 'never' : '') },
      ],
      stores,
      (h) => out.paint.bold(h),
    );
  });
  if (!out.json && stores.length === 0) {
    out.info('No stores configured yet.');
    out.hint('run `dsync auth login --store <shop>` (or try `dsync sandbox`)');
  } else if (!out.json) {
    out.hint('* = default store (used when --store is not given)');
  }
};
