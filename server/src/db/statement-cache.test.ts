import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, openSqlite, type Database } from './database.ts';
import { kyselyHandle } from './statement-cache.ts';

describe('the SQLite statement cache', () => {
  let open: Database | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it('prepares a query once however often it runs, with fresh parameters each time', async () => {
    open = await openDatabase({ dialect: 'sqlite', file: ':memory:' });
    const prepare = vi.spyOn(open.sqlite!, 'prepare');
    const rows = [];
    for (const n of [1, 2, 3]) rows.push(await sql<{ n: number }>`select ${n} as n`.execute(open.db));
    expect(rows.map((r) => r.rows[0]!.n)).toEqual([1, 2, 3]);
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('hands out a fresh statement while the cached one is still being iterated', () => {
    const handle = kyselyHandle(openSqlite(':memory:'));
    handle.exec('create table t (n integer); insert into t values (1), (2);');
    const seen: unknown[] = [];
    for (const row of handle.prepare('select n from t').iterate())
      seen.push(row, handle.prepare('select n from t').all().length);
    expect(seen).toEqual([{ n: 1 }, 2, { n: 2 }, 2]);
    handle.close();
  });

  it('keeps only the most recently used statements', async () => {
    const handle = openSqlite(':memory:');
    const prepare = vi.spyOn(handle, 'prepare');
    const db = new Kysely({ dialect: new SqliteDialect({ database: kyselyHandle(handle, 2) }) });
    for (const n of [1, 2, 1, 3, 1, 2]) await sql.raw(`select ${n}`).execute(db);
    // 1, 2 and 3 are prepared once each; 1 stays in use; 2 was pushed out by 3 and comes back.
    expect(prepare.mock.calls.map((c) => c[0])).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    await db.destroy();
  });

  it('opens transactions with BEGIN IMMEDIATE, so a second writer waits instead of failing', async () => {
    open = await openDatabase({ dialect: 'sqlite', file: ':memory:' });
    const prepare = vi.spyOn(open.sqlite!, 'prepare');
    await open.db.transaction().execute(async (trx) => sql`select 1`.execute(trx));
    expect(prepare.mock.calls.map((c) => c[0])).toContain('begin immediate');
  });
});
