import { sql } from 'kysely';
import type { z } from 'zod';
import { ValidationError } from '../../platform/errors.ts';
import { requirePermission } from '../../platform/auth/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import type { Platform } from '../../platform/platform.ts';
import { entityScope } from './registry.scope.ts';
import type { EntityListQuery, EntitySummary, RegistryOverview } from './registry.schemas.ts';

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'))
      return v as [string, string];
  } catch {
    /* fall through */
  }
  throw new ValidationError('The cursor is not one this server issued; start again from the first page.');
}

/** Observers count entities nationally but never see which ones. */
function overviewScope(actor: Actor) {
  const observerOnly = actor.roles.every((r) => r.role === 'observer');
  return observerOnly
    ? { ...actor, roles: actor.roles.map((r) => ({ ...r, role: 'authority_analyst' as const })) }
    : actor;
}

export function createRegistryService(p: Platform) {
  const { db } = p;
  return {
    async overview(ctx: RequestContext): Promise<RegistryOverview> {
      const actor = overviewScope(requirePermission(ctx, 'national.aggregates.read'));
      const scope = entityScope(actor);
      const group = async (col: 'sector' | 'admin_unit' | 'cii_tier') => {
        const rows = await db
          .selectFrom('entities')
          .select([col, (eb) => eb.fn.countAll<number>().as('count')])
          .where(scope)
          .groupBy(col)
          .orderBy(col)
          .execute();
        return rows.map((r) => ({
          key: String((r as Record<string, string | number | null>)[col] ?? 'none'),
          count: Number(r.count),
        }));
      };
      const bySector = await group('sector');
      return {
        total: bySector.reduce((s, r) => s + r.count, 0),
        bySector,
        byAdminUnit: await group('admin_unit'),
        byTier: await group('cii_tier'),
      };
    },

    async list(
      ctx: RequestContext,
      query: z.infer<typeof EntityListQuery>,
    ): Promise<{ items: EntitySummary[]; nextCursor: string | null }> {
      const actor = requirePermission(ctx, 'entities.read');
      let q = db.selectFrom('entities').selectAll().where(entityScope(actor));
      if (query.sector) q = q.where('sector', '=', query.sector);
      if (query.adminUnit) q = q.where('admin_unit', '=', query.adminUnit);
      if (query.q) {
        const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        // An explicit ESCAPE: SQLite has no default escape character for LIKE.
        q = q.where(
          sql<boolean>`(lower(name_en) like ${like} escape '\\' or lower(registration_no) like ${like} escape '\\')`,
        );
      }
      // Keyset pagination on (name, id): stable under inserts, no OFFSET scans.
      if (query.cursor) {
        const [name, id] = decodeCursor(query.cursor);
        q = q.where((eb) =>
          eb.or([eb('name_en', '>', name), eb.and([eb('name_en', '=', name), eb('id', '>', id)])]),
        );
      }
      const rows = await q
        .orderBy('name_en')
        .orderBy('id')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
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
        })),
        nextCursor:
          rows.length > query.limit && last
            ? Buffer.from(JSON.stringify([last.name_en, last.id])).toString('base64url')
            : null,
      };
    },
  };
}
