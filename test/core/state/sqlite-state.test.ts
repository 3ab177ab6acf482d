import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/core/errors.js';
import { createSqliteStateStore } from '../../../src/core/state/sqlite-state.js';
import { ledgerLocation, openExistingLedger } from '../../../src/core/state/state.js';

const SHOP = 'acme.myshopify.com';
const ref = { orderId: 'gid://shopify/Order/1001', name: '#1001', updatedAt: '2026-11-20T10:00:00Z' };
const at = new Date('2026-11-26T12:00:00Z');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsync-state-'));
  dirs.push(dir);
  return dir;
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('SQLite state store', () => {
  it('keeps each store’s ledger in <configDir>/stores/<shop>/ledger.sqlite', async () => {
    const dir = configDir();
    const state = createSqliteStateStore(dir);
    expect(state.kind).toBe('sqlite');
    expect(state.location).toBe(join(dir, 'stores'));
    const file = join(dir, 'stores', SHOP, 'ledger.sqlite');
    expect(ledgerLocation(state, SHOP)).toBe(file);
    const ledger = await state.openLedger(SHOP);
    expect(ledger.location).toBe(file);
    await ledger.recordSkip(ref, 'financial_status', 'pending', at);
    await ledger.close();
    expect(existsSync(file)).toBe(true);
    await state.close();
  });

  it('opens no ledger read-only for a store without one, and creates none', async () => {
    const dir = configDir();
    const state = createSqliteStateStore(dir);
    expect(await state.openLedgerReadonly(SHOP)).toBeUndefined();
    expect(await openExistingLedger(state, SHOP)).toBeUndefined();
    expect(existsSync(join(dir, 'stores', SHOP))).toBe(false);
  });

  it('opens an existing ledger read-only, with what was recorded', async () => {
    const state = createSqliteStateStore(configDir());
    const writable = await state.openLedger(SHOP);
    await writable.recordSkip(ref, 'financial_status', 'pending', at);
    await writable.close();
    const readonly = await state.openLedgerReadonly(SHOP);
    expect(await readonly?.get(ref.orderId)).toMatchObject({ status: 'skipped', reason: 'financial_status' });
    // Read-only means read-only: a write is refused with the ledger's own error.
    await expect(readonly?.touch(ref)).rejects.toMatchObject({ code: 'ledger_write' });
    await readonly?.close();
  });

  it('refuses a held lock with LockedError (exit 5) naming the holder, until it is released', async () => {
    const state = createSqliteStateStore(configDir());
    const now = new Date('2026-11-30T08:00:00Z');
    const held = await state.lock(SHOP, { command: 'import', now });
    expect(held.name).toBe('import');
    expect(await state.lockHolder(SHOP)).toMatchObject({
      pid: process.pid,
      command: 'import',
      startedAt: now.toISOString(),
    });

    const error = await rejection(state.lock(SHOP, { command: 'import' }));
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).exitCode).toBe(5);
    expect((error as LockedError).message).toContain(`another dsync import is running for ${SHOP}`);
    expect((error as LockedError).message).toContain(`pid ${process.pid}`);

    await held.release();
    expect(await state.lockHolder(SHOP)).toBeUndefined();
    const again = await state.lock(SHOP, { command: 'import' });
    await again.release();
  });

  it('names a lock after its command unless given a name; locks of other names do not block', async () => {
    const state = createSqliteStateStore(configDir());
    const importing = await state.lock(SHOP, { command: 'import' });
    const returns = await state.lock(SHOP, { command: 'returns receive', name: 'returns' });
    expect(returns.name).toBe('returns');
    expect(await state.lockHolder(SHOP, 'returns')).toMatchObject({ command: 'returns receive' });
    const error = await rejection(state.lock(SHOP, { command: 'returns import', name: 'returns' }));
    expect((error as LockedError).message).toContain('another dsync returns receive is running');
    await returns.release();
    await importing.release();
    expect(await state.lockHolder(SHOP, 'returns')).toBeUndefined();
  });
});
