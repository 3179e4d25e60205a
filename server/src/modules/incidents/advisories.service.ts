import type { z } from 'zod';
import { auditRead } from '../../platform/audit/reads.ts';
import { advisoryPolicy, entityPeopleInSectors, reachOf } from '../../platform/access/index.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { loadForChange } from './incident-access.ts';
import type { AdvisoryInput } from './incidents.schemas.ts';
import { normalizeObservable } from './observables.ts';
import { loadRouting, nationalCert } from './routing.ts';
import { indicatorBundle } from './stix.ts';

type AdvisoryRow = {
  id: string;
  title: string;
  body: string;
  tlp: string;
  sectors_json: string;
  indicators_json: string;
  source_incident_id: string | null;
  published_by: string;
  published_at: string;
};

/**
 * Anonymised advisories and indicator feeds for the entities of a sector. Only CLEAR or GREEN
 * material is shared this way, and an advisory drawn from an incident may not name its reporter.
 */
export function createAdvisoryService(p: Platform) {
  const { db } = p;
  const sectorCodes = new Set(p.catalog.profile.sectors.map((s) => s.code));
  const producer = nationalCert(loadRouting(p.config.catalogDir, p.config.jurisdiction));

  const out = (r: AdvisoryRow, withSource: boolean) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    tlp: r.tlp,
    sectors: JSON.parse(r.sectors_json) as string[],
    indicators: JSON.parse(r.indicators_json) as { type: string; value: string }[],
    sourceIncidentId: withSource ? r.source_incident_id : null,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
  });

  const sectorsOf = (actor: Actor) => advisoryPolicy.sectors(db, actor);
  // Which incident an advisory came from is for the national handlers only.
  const seesSources = (actor: Actor) => reachOf(actor, 'incidents.handle').national;
  const visible = (sectors: string[] | null) => (r: AdvisoryRow) =>
    advisoryPolicy.reaches(sectors, JSON.parse(r.sectors_json) as string[]);

  return {
    async publish(ctx: RequestContext, input: z.infer<typeof AdvisoryInput>) {
      const actor = requirePermission(ctx, 'advisories.publish');
      for (const [i, s] of input.sectors.entries())
        if (!sectorCodes.has(s))
          throw new ValidationError(`"${s}" is not a sector.`, { field: `sectors.${i}` });
      const indicators = input.indicators.map((it, i) => ({
        type: it.type,
        value: normalizeObservable(it.type, it.value, `indicators.${i}.value`),
      }));
      if (input.sourceIncidentId) {
        const { row } = await loadForChange(db, actor, input.sourceIncidentId);
        if (row.tlp === 'RED' || row.tlp === 'AMBER+STRICT')
          throw new ValidationError(
            `The source incident is TLP:${row.tlp}; it cannot be shared with a sector.`,
            { field: 'sourceIncidentId' },
          );
        const entity = await db
          .selectFrom('entities')
          .select(['name_en', 'name_ur'])
          .where('id', '=', row.entity_id)
          .executeTakeFirstOrThrow();
        const text = `${input.title}\n${input.body}`.toLowerCase();
        for (const name of [entity.name_en, entity.name_ur, row.reference])
          if (name && text.includes(name.toLowerCase()))
            throw new ValidationError(
              'The advisory names the reporting entity or its incident; an advisory must be anonymous.',
              { field: 'body' },
            );
      }
      const now = p.clock.now();
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('advisories')
          .values({
            id,
            title: input.title,
            body: input.body,
            tlp: input.tlp,
            sectors_json: JSON.stringify(input.sectors),
            indicators_json: JSON.stringify(indicators),
            source_incident_id: input.sourceIncidentId ?? null,
            published_by: actor.label,
            published_at: now.toISOString(),
          })
          .execute();
        // Each entity's administrators (the people who act for it) hear of advisories to its sector.
        const people = await entityPeopleInSectors(trx, 'entities.self_service', input.sectors);
        await p.notifications.notify(trx, people, {
          kind: 'advisory',
          title: `Advisory: ${input.title}`,
          body: input.body.slice(0, 200),
          link: `/advisories/${id}`,
        });
        await p.audit(trx, ctx, {
          action: 'advisory.publish',
          objectType: 'advisory',
          objectId: id,
          after: { ...input, indicators: indicators.length },
        });
      });
      return this.get(ctx, id);
    },

    async list(ctx: RequestContext) {
      const actor = requirePermission(ctx, 'incidents.read');
      const sectors = await sectorsOf(actor);
      let q = db.selectFrom('advisories').selectAll().orderBy('published_at', 'desc').limit(200);
      if (sectors !== null)
        q = q.where((eb) =>
          eb.or((sectors.length ? sectors : ['-']).map((s) => eb('sectors_json', 'like', `%"${s}"%`))),
        );
      const rows = await q.execute();
      return rows.filter(visible(sectors)).map((r) => out(r, seesSources(actor)));
    },

    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'incidents.read');
      const row = await db.selectFrom('advisories').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || !visible(await sectorsOf(actor))(row)) throw new NotFoundError('advisory');
      return out(row, seesSources(actor));
    },

    async stix(ctx: RequestContext, id: string) {
      const a = await this.get(ctx, id);
      await auditRead(p, ctx, { action: 'export.stix', objectType: 'advisory', objectId: a.id });
      return indicatorBundle({
        id: a.id,
        title: a.title,
        body: a.body,
        tlp: a.tlp as 'CLEAR' | 'GREEN',
        publishedAt: a.publishedAt,
        producer: { id: producer.code, name: producer.name },
        sectors: a.sectors,
        indicators: a.indicators as Parameters<typeof indicatorBundle>[0]['indicators'],
      });
    },
  };
}
