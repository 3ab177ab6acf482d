import type { PoolClient, QueryResultRow } from 'pg';
import { postgresFailure } from './failure.js';
import type { PostgresTarget } from './url.js';

/**
 * One PostgreSQL connection used by one store's run: its ledger and, when the run holds it, its
 * advisory lock. Work is serialised (one ledger call at a time, as with SQLite), so a transaction
 * is never interleaved with another call's statements on the same connection. Failures become
 * DsyncErrors naming the server.
 */
export class Session {
  private tail: Promise<unknown> = Promise.resolve();
  private broken: unknown;
  private depth = 0;

  constructor(
    readonly client: PoolClient,
    readonly target: PostgresTarget,
  ) {
    // An idle connection the server drops must not crash the process: the next call reports it.
    client.on('error', (error) => {
      this.broken = error;
    });
  }

  /** Runs `work` alone on this connection. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.broken !== undefined) throw this.fail(this.broken);
      try {
        return await work();
      } catch (error) {
        throw this.fail(error);
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async rows<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    const result = await this.client.query<R>(sql, params);
    return result.rows;
  }

  async one<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.client.query(sql, params);
    return result.rowCount ?? 0;
  }

  /** BEGIN … COMMIT around `work` (ROLLBACK when it throws). Call inside exclusive(); nests by joining. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    // Inside a transaction already (a write that is part of a larger one): join it.
    if (this.depth > 0) return work();
    await this.client.query('BEGIN');
    this.depth += 1;
    try {
      const value = await work();
      await this.client.query('COMMIT');
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.depth -= 1;
    }
  }

  /** Marks the connection unusable: it is destroyed, not pooled, when released. */
  discard(reason: unknown): void {
    this.broken ??= reason;
  }

  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  private fail(error: unknown): unknown {
    return postgresFailure(error, this.target) ?? error;
  }
}
