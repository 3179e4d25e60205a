import { ConflictError } from './errors.ts';

/**
 * True when the database refused a row because a unique index or primary key already holds its
 * key: PostgreSQL's SQLSTATE 23505, SQLite's extended result codes. Two requests that both checked
 * "not there yet" meet here; the loser gets a 409 instead of a 500.
 */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The table whose key collided, in words ("entity assets"), if the driver says; null otherwise. */
export function collidedIn(e: unknown): string | null {
  const err = e as { table?: unknown; message?: unknown } | null;
  // PostgreSQL names the table; SQLite writes "UNIQUE constraint failed: table.column, ...".
  const table =
    typeof err?.table === 'string'
      ? err.table
      : typeof err?.message === 'string'
        ? /constraint failed: (\w+)\./.exec(err.message)?.[1]
        : undefined;
  return table ? table.replace(/_/g, ' ') : null;
}

/**
 * Runs a write; if a concurrent writer took the same key first, answers 409 with `message`, which
 * says in words what collided. Wrap one statement or the whole transaction, and let the 409 leave
 * the transaction: on PostgreSQL the violation has already aborted it.
 */
export async function refuseDuplicate<T>(
  write: () => Promise<T>,
  message: string,
  code = 'conflict',
): Promise<T> {
  return write().catch(onDuplicate(message, code));
}

/** The same as a `.catch` handler, for one statement: `.execute().catch(onDuplicate(...))`. */
export function onDuplicate(message: string, code = 'conflict') {
  return (e: unknown): never => {
    if (isUniqueViolation(e)) throw new ConflictError(code, message);
    throw e;
  };
}
