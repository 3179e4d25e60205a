import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB, Entities } from '../../db/types.ts';
import type { Actor } from '../../platform/context.ts';
import { ValidationError } from '../../platform/errors.ts';
import { CountDelta } from './registry.counts.ts';
import { entityPolicy } from '../../platform/access/index.ts';
import type { EntityFilters, EntitySummary } from './registry.schemas.ts';

type Ex = Kysely<DB> | Transaction<DB>;
export type EntityRow = Omit<Entities, 'designation' | 'version' | 'status'> & {
  designation: string;
  version: number;
  status: string;
};

export const toSummary = (r: EntityRow): EntitySummary => ({
  id: r.id,
  registrationNo: r.registration_no,
  nameEn: r.name_en,
  nameUr: r.name_ur,
  kind: r.kind,
  sector: r.sector,
  subsector: r.subsector,
  adminUnit: r.admin_unit,
  regulator: r.regulator,
  designation: r.designation,
  ciiTier: r.cii_tier,
});

const escapeLike = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

/** Scope and filters as one SQL condition: every registry read goes through it. */
export function entityWhere(actor: Actor, f: EntityFilters) {
  const scope = entityPolicy.where(actor);
  return (eb: Parameters<typeof scope>[0]): Expression<SqlBool> => {
    const and: Expression<SqlBool>[] = [scope(eb), eb('entities.status', '=', 'active')];
    if (f.sector) and.push(eb('entities.sector', '=', f.sector));
    if (f.subsector) and.push(eb('entities.subsector', '=', f.subsector));
    if (f.adminUnit) and.push(eb('entities.admin_unit', '=', f.adminUnit));
    if (f.regulator) and.push(eb('entities.regulator', '=', f.regulator));
    if (f.kind) and.push(eb('entities.kind', '=', f.kind));
    if (f.designation) and.push(eb('entities.designation', '=', f.designation));
    if (f.tier)
      and.push(
        f.tier === 'none'
          ? eb('entities.cii_tier', 'is', null)
          : eb('entities.cii_tier', '=', Number(f.tier)),
      );
    if (f.q) {
      // An explicit ESCAPE: SQLite has no default escape character for LIKE.
      const like = `%${escapeLike(f.q)}%`;
      and.push(
        sql<SqlBool>`(lower(entities.name_en) like ${like} escape '\\' or lower(entities.registration_no) like ${like} escape '\\' or entities.name_ur like ${like} escape '\\')`,
      );
    }
    return eb.and(and);
  };
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'))
      return v as [string, string];
  } catch {
    /* fall through */
  }
  throw new ValidationError('The cursor is not one this server issued; start again from the first page.', {
    field: 'querystring.cursor',
  });
}
export const encodeCursor = (r: { name_en: string; id: string }) =>
  Buffer.from(JSON.stringify([r.name_en, r.id])).toString('base64url');

export async function listEntities(
  db: Ex,
  actor: Actor,
  f: EntityFilters,
  cursor: string | undefined,
  limit: number,
) {
  let q = db.selectFrom('entities').selectAll().where(entityWhere(actor, f));
  // Keyset pagination on (name, id): stable under inserts, no OFFSET scans.
  if (cursor) {
    const [name, id] = decodeCursor(cursor);
    q = q.where((eb) =>
      eb.or([eb('name_en', '>', name), eb.and([eb('name_en', '=', name), eb('id', '>', id)])]),
    );
  }
  return (await q
    .orderBy('name_en')
    .orderBy('id')
    .limit(limit + 1)
    .execute()) as EntityRow[];
}

export async function findEntity(db: Ex, actor: Actor, id: string): Promise<EntityRow | undefined> {
  return await db
    .selectFrom('entities')
    .selectAll()
    .where('id', '=', id)
    .where(entityWhere(actor, {}))
    .executeTakeFirst();
}

/** Inserts entities and updates the dashboard counts in the same transaction. */
export async function insertEntities(
  trx: Transaction<DB>,
  rows: (Omit<EntityRow, 'version' | 'status'> & { version?: number; status?: string })[],
): Promise<void> {
  const delta = new CountDelta();
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await trx.insertInto('entities').values(chunk).execute();
    for (const r of chunk) delta.add(r);
  }
  await delta.apply(trx);
}

/** Updates one entity (optimistic concurrency on `version`) and moves its count cell if needed. */
export async function updateEntity(
  trx: Transaction<DB>,
  before: EntityRow,
  changes: Partial<EntityRow>,
  now: string,
): Promise<EntityRow | null> {
  const res = await trx
    .updateTable('entities')
    .set({ ...changes, version: before.version + 1, updated_at: now })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return null;
  const after = { ...before, ...changes, version: before.version + 1, updated_at: now };
  const delta = new CountDelta();
  delta.move(before, after);
  await delta.apply(trx);
  return after;
}
