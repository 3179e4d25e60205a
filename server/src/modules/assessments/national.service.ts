import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../db/types.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { disclosureOut, disclosurePolicy, peerPosition } from '../../platform/disclosure/index.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { entityWhere } from '../registry/registry.repo.ts';
import { pictureCells, protectPicture } from './national.disclosure.ts';
import { reachOf } from '../../platform/access/index.ts';

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
      // The cells the caller's aggregate reach covers: everything nationally, else their sectors and units.
      const reach = reachOf(actor, 'national.aggregates.read');
      const sectors = reach.national ? null : reach.sectors;
      const units = reach.national ? null : reach.units;
      const inScope = (eb: ExpressionBuilder<DB, 'assessment_cells'>) =>
        eb.or([
          ...(sectors?.length ? [eb('sector', 'in', sectors)] : []),
          ...(units?.length ? [eb('admin_unit', 'in', units)] : []),
          eb.lit(false),
        ]);
      let q = db.selectFrom('assessment_cells').selectAll().where('campaign_id', '=', campaignId);
      if (sectors || units) q = q.where(inScope);
      const policy = disclosurePolicy(p.catalog.profile, actor, p.clock.now());
      const cells = pictureCells(await q.execute());
      const shown = protectPicture(cells, policy);
      const total = cells.total.n;
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
        // An item's n is about the number of accepted results, so none is shown while that is hidden.
        .filter((r) => policy.exempt || (r.n >= policy.minCohort && !shown.total().suppressed))
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
      // The previous campaign is protected exactly as its own picture is, so the two agree.
      const sectorsIn = async (id: string) => {
        let sq = db.selectFrom('assessment_cells').selectAll().where('campaign_id', '=', id);
        if (sectors || units) sq = sq.where(inScope);
        const c = pictureCells(await sq.execute());
        return {
          sectors: [...c.sectorDim.keys()].map((k) => k.split('|')[0]!),
          shown: protectPicture(c, policy),
        };
      };
      const now = { sectors: [...cells.sectorDim.keys()].map((k) => k.split('|')[0]!), shown };
      const before = previous ? await sectorsIn(previous.id) : null;
      const trend = {
        previousCampaign: previous ? { id: previous.id, name: previous.name } : null,
        bySector: [...new Set([...now.sectors, ...(before?.sectors ?? [])])].sort().map((sector) => {
          const was = before?.shown.sectorOverall(sector) ?? null;
          const is = now.shown.sectorOverall(sector);
          return {
            sector,
            previous: was?.score ?? null,
            previousReason: was?.reason ?? null,
            current: is?.score ?? null,
            currentReason: is?.reason ?? null,
          };
        }),
      };
      return {
        campaign: { id: campaign.id, name: campaign.name, dueOn: campaign.due_on },
        minCohort: policy.minCohort,
        disclosure: disclosureOut(policy),
        accepted: shown.total().n,
        overall: total === 0 ? null : shown.total().score,
        acceptedReason: shown.total().reason,
        bySectorDimension: [...cells.sectorDim.keys()].map((k) => ({
          sector: k.split('|')[0]!,
          dimension: k.split('|')[1]!,
          ...shown.sectorDim(k),
        })),
        byUnitSector: [...cells.unitSector.keys()].map((k) => ({
          adminUnit: k.split('|')[0]!,
          sector: k.split('|')[1]!,
          ...shown.unitSector(k),
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
      const policy = disclosurePolicy(p.catalog.profile, actor, p.clock.now());
      return {
        sector: a.sector,
        score: a.score,
        peers: scores.length,
        minCohort: policy.minCohort,
        minPercentileCohort: policy.minPercentileCohort,
        ...peerPosition(scores, a.score, policy),
      };
    },
  };
}
