import type { Readable } from 'node:stream';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  entityWhere,
  findEntity,
  insertEntities,
  listEntities,
  encodeCursor,
  toSummary,
  updateEntity,
  type EntityRow,
} from './registry.repo.ts';
import { entityPolicy, reachWhere } from '../../platform/access/index.ts';
import {
  disclose,
  disclosureOut,
  disclosurePolicy,
  suppress,
  type SuppressionReason,
} from '../../platform/disclosure/index.ts';
import {
  DESIGNATION_FIELDS,
  type EntityDetail,
  type EntityFilters,
  type EntityInput,
  type EntityPatch,
  type EntitySummary,
  type RegistryOverview,
} from './registry.schemas.ts';
import { loadDetail } from './entity-detail.ts';
import { exportCsv, exportXlsx } from './import/export.ts';

/** Filters that are not dimensions of the published cube: they would count individual rows. */
const ROW_FILTERS = ['q', 'subsector', 'regulator', 'designation'] as const;

/** What an entity administrator asks the Authority for instead of changing it directly. */
const REQUESTED_FIELDS = [...DESIGNATION_FIELDS, 'parentId'] as const;

/** Entity fields in API names -> column names. */
const COLUMNS: Record<string, keyof EntityRow> = {
  nameEn: 'name_en',
  nameUr: 'name_ur',
  kind: 'kind',
  sector: 'sector',
  subsector: 'subsector',
  adminUnit: 'admin_unit',
  size: 'size',
  annualTurnover: 'annual_turnover',
  website: 'website',
  parentId: 'parent_id',
};

export function createRegistryService(p: Platform) {
  const { db, catalog } = p;

  /** Checks codes against the jurisdiction profile and derives the sector regulator. */
  function classify(sector: string, subsector: string, adminUnit: string): { regulator: string } {
    const s = catalog.profile.sectors.find((x) => x.code === sector);
    if (!s) throw new ValidationError(`There is no sector "${sector}".`, { field: 'sector' });
    const sub = s.subsectors.find((x) => x.code === subsector);
    if (!sub)
      throw new ValidationError(`"${subsector}" is not a subsector of ${s.name.en}.`, { field: 'subsector' });
    if (!catalog.profile.administrativeUnits.some((u) => u.code === adminUnit)) {
      throw new ValidationError(`There is no administrative unit "${adminUnit}".`, { field: 'adminUnit' });
    }
    return { regulator: sub.regulator };
  }

  function isEntityAdminOf(actor: Actor, id: string): boolean {
    return entityPolicy.administers(actor, id);
  }

  /**
   * Applies a patch inside the caller's transaction: the Authority's changes directly; an entity
   * administrator's descriptive changes directly and the rest (designation fields, the group
   * parent) as a change request for the Authority.
   */
  async function applyPatch(
    trx: Transaction<DB>,
    ctx: RequestContext,
    actor: Actor,
    before: EntityRow,
    patch: EntityPatch,
    manager: boolean,
  ): Promise<void> {
    const id = before.id;
    const requested = Object.entries(patch).filter(([k, v]) => k in COLUMNS && v !== undefined) as [
      string,
      unknown,
    ][];
    const byRequest = requested.filter(([k]) => (REQUESTED_FIELDS as readonly string[]).includes(k));
    const direct = manager
      ? requested
      : requested.filter(([k]) => !(REQUESTED_FIELDS as readonly string[]).includes(k));
    const next = {
      sector: before.sector,
      subsector: before.subsector,
      adminUnit: before.admin_unit,
      ...Object.fromEntries(requested),
    } as Record<string, string>;
    const { regulator } = classify(next.sector!, next.subsector!, next.adminUnit!);
    const changes: Partial<EntityRow> = Object.fromEntries(direct.map(([k, v]) => [COLUMNS[k]!, v]));
    if (manager && (changes.sector || changes.subsector)) changes.regulator = regulator;
    if (patch.parentId) {
      if (patch.parentId === id)
        throw new ValidationError('An entity cannot be its own parent.', { field: 'parentId' });
      if (
        !(await trx.selectFrom('entities').select('id').where('id', '=', patch.parentId).executeTakeFirst())
      ) {
        throw new ValidationError('The parent entity does not exist.', { field: 'parentId' });
      }
    }
    const now = p.clock.now().toISOString();
    if (Object.keys(changes).length) {
      const after = await updateEntity(trx, before, changes, now);
      if (!after)
        throw new ConflictError(
          'version_conflict',
          'Someone else changed this entity since you opened it; reload and apply your change again.',
        );
      await p.audit(trx, ctx, {
        action: 'entity.update',
        objectType: 'entity',
        objectId: id,
        onBehalfOf: id,
        before,
        after: changes,
      });
    }
    if (!manager && byRequest.length) {
      const crId = newId();
      await trx
        .insertInto('change_requests')
        .values({
          id: crId,
          entity_id: id,
          requested_by: actor.label,
          changes_json: JSON.stringify(Object.fromEntries(byRequest)),
          reason: patch.reason ?? null,
          created_at: now,
        })
        .execute();
      await p.audit(trx, ctx, {
        action: 'entity.change_requested',
        objectType: 'change_request',
        objectId: crId,
        onBehalfOf: id,
        after: Object.fromEntries(byRequest),
      });
    }
  }

  return {
    classify,
    isEntityAdminOf,
    applyPatch,

    async overview(ctx: RequestContext, f: EntityFilters = {}): Promise<RegistryOverview> {
      const actor = requirePermission(ctx, 'national.aggregates.read');
      const aggregateOnly = entityPolicy.aggregateOnly(actor);
      const rowFilter = ROW_FILTERS.find((k) => f[k]);
      // Someone who sees no entity is answered from the cube alone, by its dimensions alone.
      if (aggregateOnly && rowFilter)
        throw new ValidationError(
          'National figures can be narrowed only by sector, administrative unit, CII tier and kind.',
          { field: `querystring.${rowFilter}` },
        );
      const reach = entityPolicy.countReach(actor);
      let rows: { sector: string; admin_unit: string; tier: string; n: number }[];
      if (reach && !rowFilter) {
        // The incrementally maintained cube: a few thousand cells whatever the registry's size.
        let q = db
          .selectFrom('entity_counts')
          .select(['sector', 'admin_unit', 'tier', 'n'])
          .where('n', '>', 0)
          .where((eb) => reachWhere(eb, reach, { sector: 'sector', unit: 'admin_unit' }));
        if (f.sector) q = q.where('sector', '=', f.sector);
        if (f.adminUnit) q = q.where('admin_unit', '=', f.adminUnit);
        if (f.tier) q = q.where('tier', '=', f.tier);
        if (f.kind) q = q.where('kind', '=', f.kind);
        rows = await q.execute();
      } else if (aggregateOnly) {
        rows = [];
      } else {
        // Finer filters than the cube: counted over the rows the caller may read anyway.
        rows = await db
          .selectFrom('entities')
          .select([
            'sector',
            'admin_unit',
            sql<string>`coalesce(cast(cii_tier as text), 'none')`.as('tier'),
            (eb) => eb.fn.countAll<number>().as('n'),
          ])
          .where(entityWhere(actor, f))
          .groupBy(['sector', 'admin_unit', 'cii_tier'])
          .execute();
      }
      const sum = (key: 'sector' | 'admin_unit' | 'tier') => {
        const m = new Map<string, number>();
        for (const r of rows) m.set(r[key], (m.get(r[key]) ?? 0) + Number(r.n));
        return [...m].map(([k, n]) => ({ key: k, n })).sort((a, b) => a.key.localeCompare(b.key));
      };
      const lists = { bySector: sum('sector'), byAdminUnit: sum('admin_unit'), byTier: sum('tier') };
      const total = rows.reduce((s, r) => s + Number(r.n), 0);
      // The three lists add up to the same total: one table, protected together.
      const cell = (list: string, k: string) => `${list}:${k}`;
      const policy = disclosurePolicy(p.catalog.profile, actor, p.clock.now());
      const hidden = policy.exempt
        ? new Map<string, SuppressionReason>()
        : suppress(
            [
              ...Object.entries(lists).flatMap(([l, cs]) => cs.map((c) => ({ key: cell(l, c.key), n: c.n }))),
              { key: 'total', n: total },
            ],
            Object.entries(lists).map(([l, cs]) => ({
              terms: cs.map((c) => cell(l, c.key)),
              total: 'total',
            })),
            policy,
          );
      const out = (l: keyof typeof lists) =>
        lists[l].map((c) => {
          const d = disclose(c.n, hidden.get(cell(l, c.key)));
          return { key: c.key, count: d.n, suppressed: d.suppressed, reason: d.reason };
        });
      const t = disclose(total, hidden.get('total'));
      return {
        disclosure: disclosureOut(policy),
        total: t.n,
        totalReason: t.reason,
        bySector: out('bySector'),
        byAdminUnit: out('byAdminUnit'),
        byTier: out('byTier'),
      };
    },

    /** The filtered registry as a CSV or XLSX stream in the import format; the export is audited. */
    async export(
      ctx: RequestContext,
      format: 'csv' | 'xlsx',
      filters: EntityFilters,
    ): Promise<{ stream: Readable; contentType: string; fileName: string }> {
      const actor = requirePermission(ctx, 'entities.read');
      await auditRead(p, ctx, {
        action: 'export.registry',
        objectType: 'entity',
        objectId: null,
        detail: { format, filters },
      });
      return {
        stream: format === 'csv' ? exportCsv(db, actor, filters) : exportXlsx(db, actor, filters),
        contentType:
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `qila-registry-${jurisdictionToday(p.clock, p.catalog.profile)}.${format}`,
      };
    },

    async list(
      ctx: RequestContext,
      q: EntityFilters & { cursor?: string; limit: number },
    ): Promise<{ items: EntitySummary[]; nextCursor: string | null }> {
      const actor = requirePermission(ctx, 'entities.read');
      const rows = await listEntities(db, actor, q, q.cursor, q.limit);
      const page = rows.slice(0, q.limit);
      return {
        items: page.map(toSummary),
        nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
      };
    },

    async get(ctx: RequestContext, id: string): Promise<EntityDetail> {
      const actor = requirePermission(ctx, 'entities.read');
      const row = await findEntity(db, actor, id);
      if (!row) throw new NotFoundError('entity');
      return loadDetail(p, actor, row);
    },

    async create(ctx: RequestContext, input: EntityInput): Promise<EntityDetail> {
      const actor = requirePermission(ctx, 'entities.manage');
      const { regulator } = classify(input.sector, input.subsector, input.adminUnit);
      const now = p.clock.now().toISOString();
      const id = newId();
      const row: Omit<EntityRow, 'version' | 'status'> = {
        id,
        registration_no: input.registrationNo,
        name_en: input.nameEn,
        name_ur: input.nameUr,
        kind: input.kind,
        sector: input.sector,
        subsector: input.subsector,
        admin_unit: input.adminUnit,
        regulator,
        designation: 'other',
        cii_tier: null,
        size: input.size,
        annual_turnover: input.annualTurnover,
        website: input.website,
        parent_id: input.parentId,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        if (
          await trx
            .selectFrom('entities')
            .select('id')
            .where('registration_no', '=', input.registrationNo)
            .executeTakeFirst()
        ) {
          throw new ConflictError(
            'registration_taken',
            `An entity with registration number ${input.registrationNo} already exists.`,
          );
        }
        if (
          input.parentId &&
          !(await trx.selectFrom('entities').select('id').where('id', '=', input.parentId).executeTakeFirst())
        ) {
          throw new ValidationError('The parent entity does not exist.', { field: 'parentId' });
        }
        await insertEntities(trx, [row]);
        await trx
          .insertInto('designations')
          .values({
            id: newId(),
            entity_id: id,
            effective_from: jurisdictionToday(p.clock, p.catalog.profile),
            designation: 'other',
            cii_tier: null,
            explanation: 'Registered; not yet graded.',
            decided_by: actor.label,
            created_at: now,
          })
          .execute();
        await p.audit(trx, ctx, {
          action: 'entity.create',
          objectType: 'entity',
          objectId: id,
          onBehalfOf: id,
          after: row,
        });
      });
      return this.get(ctx, id);
    },

    /**
     * Authority administrators change anything. An entity administrator changes their own
     * entity's descriptive fields at once; fields that affect designation become a change
     * request for the Authority. A stale `version` answers 409 instead of overwriting.
     */
    async update(ctx: RequestContext, id: string, patch: EntityPatch): Promise<EntityDetail> {
      const actor = requirePermission(ctx, 'entities.read');
      const before = await findEntity(db, actor, id);
      if (!before) throw new NotFoundError('entity');
      const manager = entityPolicy.manages(actor);
      if (!manager && !isEntityAdminOf(actor, id))
        throw new ForbiddenError('Only the Authority or the entity administrator can change this entity.');
      if (patch.version !== before.version) {
        throw new ConflictError(
          'version_conflict',
          'Someone else changed this entity since you opened it; reload and apply your change again.',
        );
      }
      await db.transaction().execute((trx) => applyPatch(trx, ctx, actor, before, patch, manager));
      return this.get(ctx, id);
    },
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
