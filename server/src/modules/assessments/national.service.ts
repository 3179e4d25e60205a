import { requirePermission } from '../../platform/auth/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { entityWhere } from '../registry/registry.repo.ts';

/** No aggregate is shown to people outside the Authority for a cohort smaller than this. */
export const MIN_COHORT = 5;

const isAuthority = (actor: Actor) =>
  actor.roles.some(
    (r) => r.role === 'authority_admin' || r.role === 'authority_analyst' || r.role === 'cert_analyst',
  );

export function createNationalService(p: Platform) {
  const { db } = p;
  const round1 = (n: number) => Math.round(n * 10) / 10;

  return {
    /**
     * The national picture of one campaign from the incrementally maintained cells: sector x
     * dimension, administrative unit x sector, and the weakest requirements.
     */
    async picture(ctx: RequestContext, campaignId: string) {
      const actor = requirePermission(ctx, 'national.aggregates.read');
      const campaign = await db
        .selectFrom('campaigns')
        .select(['id', 'name', 'due_on'])
        .where('id', '=', campaignId)
        .executeTakeFirst();
      if (!campaign) throw new NotFoundError('campaign');
      const sectors = actor.roles.some((r) => r.scopeKind === 'national')
        ? null
        : actor.roles.filter((r) => r.scopeKind === 'sector').map((r) => r.scopeValue!);
      const units = actor.roles.some((r) => r.scopeKind === 'national')
        ? null
        : actor.roles.filter((r) => r.scopeKind === 'admin_unit').map((r) => r.scopeValue!);
      let q = db.selectFrom('assessment_cells').selectAll().where('campaign_id', '=', campaignId);
      if (sectors || units) {
        q = q.where((eb) =>
          eb.or([
            ...(sectors?.length ? [eb('sector', 'in', sectors)] : []),
            ...(units?.length ? [eb('admin_unit', 'in', units)] : []),
            eb.lit(false),
          ]),
        );
      }
      const cells = await q.execute();
      const authority = isAuthority(actor);
      const summarise = <T extends Record<string, string>>(
        groups: Map<string, { n: number; sum: number }>,
        split: (k: string) => T,
      ) =>
        [...groups].map(([k, v]) => {
          const hidden = !authority && v.n < MIN_COHORT;
          return { ...split(k), n: v.n, score: hidden ? null : round1(v.sum / v.n), suppressed: hidden };
        });
      const add = (m: Map<string, { n: number; sum: number }>, k: string, n: number, sum: number) => {
        const cur = m.get(k) ?? { n: 0, sum: 0 };
        cur.n += n;
        cur.sum += sum;
        m.set(k, cur);
      };
      const sectorDim = new Map<string, { n: number; sum: number }>();
      const unitSector = new Map<string, { n: number; sum: number }>();
      let total = 0;
      let sum = 0;
      for (const c of cells) {
        add(sectorDim, `${c.sector}|${c.dimension}`, c.n, c.score_sum);
        if (c.dimension === 'overall') {
          add(unitSector, `${c.admin_unit}|${c.sector}`, c.n, c.score_sum);
          total += c.n;
          sum += c.score_sum;
        }
      }
      let rq = db
        .selectFrom('requirement_cells')
        .select(['framework_id', 'item_id'])
        .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('score_sum').as('s')])
        .where('campaign_id', '=', campaignId);
      if (sectors) rq = rq.where('sector', 'in', sectors.length ? sectors : ['-']);
      const reqs = await rq.groupBy(['framework_id', 'item_id']).execute();
      const weakest = reqs
        .map((r) => ({
          frameworkId: r.framework_id,
          itemId: r.item_id,
          n: Number(r.n),
          score: round1(Number(r.s) / Number(r.n)),
        }))
        .filter((r) => authority || r.n >= MIN_COHORT)
        .sort((a, b) => a.score - b.score || a.itemId.localeCompare(b.itemId))
        .slice(0, 15);
      const statements = weakest.length
        ? await db
            .selectFrom('framework_items')
            .select(['framework_id', 'item_id', 'statement_en'])
            .where('framework_id', 'in', [...new Set(weakest.map((w) => w.frameworkId))])
            .where(
              'item_id',
              'in',
              weakest.map((w) => w.itemId),
            )
            .execute()
        : [];
      const hideTotal = !authority && total < MIN_COHORT;
      // Trend: the same sectors in the previous campaign that has accepted results.
      const created = await db
        .selectFrom('campaigns')
        .select('created_at')
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      const previous = await db
        .selectFrom('campaigns')
        .select(['id', 'name'])
        // Ties on the timestamp are broken by the time-ordered id.
        .where((eb) =>
          eb.or([
            eb('created_at', '<', created.created_at),
            eb.and([eb('created_at', '=', created.created_at), eb('id', '<', campaignId)]),
          ]),
        )
        .where('id', 'in', db.selectFrom('assessment_cells').select('campaign_id'))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const sectorOverall = async (id: string) => {
        let sq = db
          .selectFrom('assessment_cells')
          .select(['sector'])
          .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('score_sum').as('s')])
          .where('campaign_id', '=', id)
          .where('dimension', '=', 'overall');
        if (sectors) sq = sq.where('sector', 'in', sectors.length ? sectors : ['-']);
        const rows = await sq.groupBy('sector').execute();
        return new Map(
          rows.map((r) => [
            r.sector,
            !authority && Number(r.n) < MIN_COHORT ? null : round1(Number(r.s) / Number(r.n)),
          ]),
        );
      };
      const now = await sectorOverall(campaignId);
      const before = previous ? await sectorOverall(previous.id) : new Map<string, number | null>();
      const trend = {
        previousCampaign: previous ? { id: previous.id, name: previous.name } : null,
        bySector: [...new Set([...now.keys(), ...before.keys()])].sort().map((sector) => ({
          sector,
          previous: before.get(sector) ?? null,
          current: now.get(sector) ?? null,
        })),
      };
      return {
        campaign: { id: campaign.id, name: campaign.name, dueOn: campaign.due_on },
        minCohort: MIN_COHORT,
        accepted: total,
        overall: hideTotal || total === 0 ? null : round1(sum / total),
        bySectorDimension: summarise(sectorDim, (k) => ({
          sector: k.split('|')[0]!,
          dimension: k.split('|')[1]!,
        })),
        byUnitSector: summarise(unitSector, (k) => ({
          adminUnit: k.split('|')[0]!,
          sector: k.split('|')[1]!,
        })),
        trend,
        weakest: weakest.map((w) => ({
          ...w,
          statement:
            statements.find((s) => s.framework_id === w.frameworkId && s.item_id === w.itemId)
              ?.statement_en ?? null,
        })),
      };
    },

    /** Where an entity stands among accepted peers of its sector in the same campaign (percentile), if the cohort is big enough. */
    async benchmark(ctx: RequestContext, assignmentId: string) {
      const actor = requirePermission(ctx, 'assessments.read');
      const a = await db
        .selectFrom('assignments')
        .innerJoin('entities', 'entities.id', 'assignments.entity_id')
        .select([
          'assignments.id',
          'assignments.campaign_id',
          'assignments.score',
          'assignments.status',
          'entities.sector',
        ])
        .where('assignments.id', '=', assignmentId)
        .where(entityWhere(actor, {}))
        .executeTakeFirst();
      if (!a) throw new NotFoundError('assessment');
      const peers = await db
        .selectFrom('assignments')
        .innerJoin('entities', 'entities.id', 'assignments.entity_id')
        .select('assignments.score')
        .where('assignments.campaign_id', '=', a.campaign_id)
        .where('entities.sector', '=', a.sector)
        .where('assignments.status', '=', 'accepted')
        .where('assignments.id', '!=', a.id)
        .execute();
      const scores = peers.map((x) => x.score).filter((x): x is number => x !== null);
      const enough = scores.length >= MIN_COHORT;
      const sorted = [...scores].sort((x, y) => x - y);
      const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
      return {
        sector: a.sector,
        score: a.score,
        peers: scores.length,
        minCohort: MIN_COHORT,
        percentile:
          enough && a.score !== null
            ? Math.round((scores.filter((s) => s < a.score!).length / scores.length) * 100)
            : null,
        peerMedian: enough ? q(0.5) : null,
        peerQuartiles: enough ? [q(0.25), q(0.5), q(0.75)] : null,
      };
    },
  };
}
