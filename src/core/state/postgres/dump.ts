import { DUMP_PARTS, DUMP_TABLES, type LedgerDump } from '../dump.js';
import type { Session } from './session.js';

/** A store's ledger in PostgreSQL as rows. Call inside session.exclusive(). */
export async function dumpPostgresLedger(session: Session, shop: string): Promise<LedgerDump> {
  const dump = {} as Record<string, unknown[]>;
  for (const part of DUMP_PARTS) {
    const spec = DUMP_TABLES[part];
    dump[part] = await session.rows(
      `SELECT ${spec.columns.join(', ')} FROM dsync.${spec.table} WHERE shop = $1 ORDER BY ${spec.order}`,
      [shop],
    );
  }
  return dump as unknown as LedgerDump;
}

/** Rows the store already has in PostgreSQL, per table (0 everywhere for a store never run there). */
export async function postgresRowCount(session: Session, shop: string): Promise<number> {
  let total = 0;
  for (const part of DUMP_PARTS) {
    const row = await session.one<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM dsync.${DUMP_TABLES[part].table} WHERE shop = $1`,
      [shop],
    );
    total += row?.n ?? 0;
  }
  return total;
}

/** Writes a dump as the store's ledger, in one transaction, activity in its original order. */
export async function loadPostgresLedger(session: Session, shop: string, dump: LedgerDump): Promise<void> {
  await session.transaction(async () => {
    for (const part of DUMP_PARTS) {
      const spec = DUMP_TABLES[part];
      const columns = ['shop', ...spec.columns];
      const rows = dump[part] as unknown as Record<string, unknown>[];
      // Batches keep each statement under PostgreSQL's 65,535 parameters.
      const perBatch = Math.floor(60_000 / columns.length);
      for (let start = 0; start < rows.length; start += perBatch) {
        const batch = rows.slice(start, start + perBatch);
        const params: unknown[] = [];
        const tuples = batch.map((row) => {
          const marks = columns.map((column) => {
            params.push(column === 'shop' ? shop : (row[column] ?? null));
            return `$${params.length}`;
          });
          return `(${marks.join(', ')})`;
        });
        await session.run(
          `INSERT INTO dsync.${spec.table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
          params,
        );
      }
    }
  });
}
