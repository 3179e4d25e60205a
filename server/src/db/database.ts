import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { ConfigError, redactUrl, type DatabaseTarget } from '../config.ts';
import { kyselyHandle } from './statement-cache.ts';
import type { DB } from './types.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** For SQLite only: the underlying handle (online backup, pragmas). */
  sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

// COUNT(*) and BIGSERIAL arrive as strings by default; our numbers stay well inside 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const handle = new SqliteDatabase(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  return handle;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.dialect === 'sqlite') {
    let handle: SqliteDatabase.Database;
    try {
      handle = openSqlite(target.file);
    } catch (err) {
      throw new ConfigError(
        `The SQLite database ${target.file} cannot be opened (${(err as Error).message}); check QILA_DATA_DIR or QILA_DATABASE_URL.`,
      );
    }
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: kyselyHandle(handle) }) });
    return { db, dialect: 'sqlite', sqlite: handle, close: () => db.destroy() };
  }

  // A burst waits its turn for a connection rather than failing fast: half a minute before the
  // request is answered 503 (busy), which an idempotent client retries.
  const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const u = new URL(target.url);
    throw new ConfigError(
      `PostgreSQL at ${u.hostname}:${u.port || 5432} (database ${u.pathname.slice(1) || '?'}) cannot be reached: ${(err as Error).message}; check QILA_DATABASE_URL (${redactUrl(target.url)}) and that the server is running.`,
    );
  }
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
