import { existsSync } from 'node:fs';
import { ledgerPath } from '../ledger/ledger.js';
import { onLedger } from '../ledger/failure.js';
import { loadSqlite } from '../sqlite.js';
import { DUMP_PARTS, DUMP_TABLES, type LedgerDump } from './dump.js';

/** A store's SQLite ledger as rows (read-only); undefined when the store has none. */
export function dumpSqliteLedger(configDir: string, shop: string): LedgerDump | undefined {
  const path = ledgerPath(configDir, shop);
  if (!existsSync(path)) return undefined;
  const Database = loadSqlite();
  return onLedger(path, () => {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const tables = new Set(
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
          (row) => row.name,
        ),
      );
      const dump = {} as Record<string, unknown[]>;
      for (const part of DUMP_PARTS) {
        const spec = DUMP_TABLES[part];
        dump[part] = tables.has(spec.table)
          ? db.prepare(`SELECT ${spec.columns.join(', ')} FROM ${spec.table} ORDER BY ${spec.order}`).all()
          : [];
      }
      return dump as unknown as LedgerDump;
    } finally {
      db.close();
    }
  });
}
