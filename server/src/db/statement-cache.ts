import type SqliteDatabase from 'better-sqlite3';

/**
 * The SQLite handle Kysely talks to. Kysely prepares every query afresh, and preparing was close to
 * a fifth of the server's time under incident intake; queries come from a fixed set of builders, so
 * their SQL texts repeat and a small LRU of prepared statements keyed by the text removes that cost.
 *
 * Two further duties:
 * - A statement still being iterated (a streamed select) is busy and cannot run a second query at
 *   once, so a busy cached statement is bypassed with a fresh one.
 * - Kysely opens transactions with a plain BEGIN, which takes the write lock only at the first
 *   write; a concurrent writer (a CLI command beside the server) then fails with SQLITE_BUSY instead
 *   of waiting. BEGIN IMMEDIATE takes it up front and honours busy_timeout.
 */
export function kyselyHandle(handle: SqliteDatabase.Database, size = 500): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string): SqliteDatabase.Statement => {
    const text = source === 'begin' ? 'begin immediate' : source;
    const hit = cache.get(text);
    if (hit && !hit.busy) {
      // Re-inserting moves the entry to the young end of the Map's insertion order.
      cache.delete(text);
      cache.set(text, hit);
      return hit;
    }
    const stmt = handle.prepare(text);
    if (hit) return stmt;
    cache.set(text, stmt);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  return new Proxy(handle, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
