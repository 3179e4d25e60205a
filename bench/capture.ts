// What one incident intake writes, taken from a real one: the rows that appeared in every table
// of the SQLite copy while a single report was posted. bench/raw-intake.ts replays them.
import Database from 'better-sqlite3';
import pg from 'pg';

export interface CapturedRow {
  table: string;
  values: Record<string, unknown>;
}
export interface Capture {
  rows: CapturedRow[];
  /** Strings that must differ per replayed report (ids, the reference, the idempotency key). */
  identities: string[];
}

const tables = (db: Database.Database) =>
  (
    db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((t) => t.name);

export function rowidMarks(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return new Map(
      tables(db).map((t) => [
        t,
        (db.prepare(`select coalesce(max(rowid), 0) as m from "${t}"`).get() as { m: number }).m,
      ]),
    );
  } finally {
    db.close();
  }
}

function parentsFirst(tables: string[], parents: (t: string) => string[]): string[] {
  const order: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (order.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const p of parents(t)) if (tables.includes(p)) visit(p, seen);
    order.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return order;
}

function identitiesOf(rows: CapturedRow[], extra: string[]): string[] {
  const all = new Set(extra);
  for (const r of rows) {
    if (typeof r.values.id === 'string') all.add(r.values.id);
    if (r.table === 'incidents' && typeof r.values.reference === 'string') all.add(r.values.reference);
  }
  // A row that names nothing else of the report is shared data keyed by its content (an observable,
  // unique by type and value): later reports reuse it, so its id stays as it is.
  for (const r of rows) {
    const own = r.values.id;
    if (typeof own !== 'string') continue;
    const others = [...all].filter((s) => s !== own);
    const names = Object.entries(r.values).some(
      ([k, v]) => k !== 'id' && typeof v === 'string' && others.some((s) => v.includes(s)),
    );
    if (!names) all.delete(own);
  }
  return [...all].filter((s) => s.length >= 6);
}

/** Rows with a rowid past the marks, parents before children (by foreign keys). */
export function captureSince(file: string, marks: Map<string, number>, extra: string[]): Capture {
  const db = new Database(file, { readonly: true });
  try {
    const byTable = new Map<string, Record<string, unknown>[]>();
    for (const t of tables(db)) {
      const found = db.prepare(`select * from "${t}" where rowid > ?`).all(marks.get(t) ?? 0) as Record<
        string,
        unknown
      >[];
      if (found.length === 0) continue;
      // An INTEGER PRIMARY KEY (the audit sequence) is assigned by the database on replay.
      const cols = db.prepare(`pragma table_info("${t}")`).all() as {
        name: string;
        pk: number;
        type: string;
      }[];
      const auto = cols.filter((c) => c.pk === 1 && /int/i.test(c.type)).map((c) => c.name);
      byTable.set(
        t,
        found.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !auto.includes(k)))),
      );
    }
    const parents = (t: string) =>
      (db.prepare(`pragma foreign_key_list("${t}")`).all() as { table: string }[]).map((f) => f.table);
    const rows = parentsFirst([...byTable.keys()], parents).flatMap((table) =>
      byTable.get(table)!.map((values) => ({ table, values })),
    );
    return { rows, identities: identitiesOf(rows, extra) };
  } finally {
    db.close();
  }
}

/**
 * PostgreSQL has no rowid: the rows the probe's transaction wrote carry its xmin, and a snapshot
 * taken before the probe (`before`, an open REPEATABLE READ transaction) tells new rows from
 * updated ones, so both dialects replay the same thing: the rows an intake adds.
 */
export async function snapshotPg(url: string): Promise<pg.Client> {
  const before = new pg.Client({ connectionString: url });
  await before.connect();
  await before.query('begin isolation level repeatable read');
  await before.query('select 1');
  return before;
}

export async function captureSincePg(
  url: string,
  before: pg.Client,
  incidentId: string,
  extra: string[],
): Promise<Capture> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const probe = await db.query<{ x: string }>('select xmin::text as x from incidents where id = $1', [
      incidentId,
    ]);
    const xmin = probe.rows[0]!.x;
    const tables = (
      await db.query("select tablename from pg_tables where schemaname = 'public' order by tablename")
    ).rows.map((r: { tablename: string }) => r.tablename);
    const serials = (
      await db.query(
        "select table_name, column_name from information_schema.columns where table_schema = 'public' and column_default like 'nextval%'",
      )
    ).rows as { table_name: string; column_name: string }[];
    const keys = (
      await db.query(
        `select c.relname as t, a.attname as col from pg_index i join pg_class c on c.oid = i.indrelid
         join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
         join pg_namespace n on n.oid = c.relnamespace where i.indisprimary and n.nspname = 'public'`,
      )
    ).rows as { t: string; col: string }[];
    const byTable = new Map<string, Record<string, unknown>[]>();
    for (const t of tables) {
      const touched = (await db.query(`select * from "${t}" where xmin::text = $1`, [xmin])).rows as Record<
        string,
        unknown
      >[];
      const pk = keys.filter((k) => k.t === t).map((k) => k.col);
      const fresh: Record<string, unknown>[] = [];
      for (const r of touched) {
        if (pk.length > 0) {
          const where = pk.map((c, k) => `"${c}" = $${k + 1}`).join(' and ');
          const existed = await before.query(
            `select 1 from "${t}" where ${where}`,
            pk.map((c) => r[c]),
          );
          if (existed.rowCount) continue;
        }
        const auto = serials.filter((s) => s.table_name === t).map((s) => s.column_name);
        fresh.push(
          Object.fromEntries(
            Object.entries(r)
              .filter(([k]) => !auto.includes(k))
              // jsonb arrives parsed; as text it is rewritten and written back like any string.
              .map(([k, v]) => [
                k,
                v && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v,
              ]),
          ),
        );
      }
      if (fresh.length) byTable.set(t, fresh);
    }
    const fks = (
      await db.query(
        "select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint where contype = 'f'",
      )
    ).rows as { child: string; parent: string }[];
    const parents = (t: string) => fks.filter((f) => f.child === t).map((f) => f.parent);
    const rows = parentsFirst([...byTable.keys()], parents).flatMap((table) =>
      byTable.get(table)!.map((values) => ({ table, values })),
    );
    return { rows, identities: identitiesOf(rows, extra) };
  } finally {
    await db.end();
    await before.query('rollback');
    await before.end();
  }
}
