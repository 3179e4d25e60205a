import { z } from 'zod';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { legalStatusOut, UNKNOWN_LEGAL_STATUS } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import { PlainText } from '../../platform/plain-text.ts';
import type { ComplianceEngine } from './compliance.ts';
import {
  addItem,
  findPlan,
  frameworkExists,
  includedEntities,
  insertAudit,
  insertPlan,
  listPlans,
  markApproved,
  nextNumber,
  planItems,
  riskFacts,
  setItemIncluded,
  setPlanVersion,
} from './plans.repo.ts';
import { tierKey } from './rules/obligations.ts';

export const PlanInput = z
  .object({
    name: PlainText(200).pipe(z.string().min(3)),
    periodStart: z.iso.date(),
    periodEnd: z.iso.date(),
    capacity: z.number().int().min(1).max(5000),
    sectors: z.array(z.string().min(1).max(40)).max(20).default([]),
    frameworkId: z.string().min(1).max(120).default('pk-ncsa-baseline@2026.1'),
  })
  .strict();

const DAY = 86_400_000;

/** The same wall-clock instant `months` calendar months earlier (UTC arithmetic; the window is months, not days). */
function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

// Enforcement numbers its cases with the same sequence.
export { nextNumber } from './plans.repo.ts';

/**
 * The risk-based audit programme: every candidate entity gets points for its designation tier,
 * weak or missing assessment scores, its incident history and the time since its last audit
 * (weights in the supervision rules). The Authority adjusts the proposal and approves it, which
 * creates the audits.
 */
export function createPlanService(p: Platform, engine: ComplianceEngine) {
  const { db } = p;

  /** Risk points for every active entity of some sectors, or for one entity (`only`). */
  async function score(now: Date, sectors: string[], only?: string) {
    const w = engine.rulesOn(now).auditPlanning;
    const since = monthsBefore(now, w.historyMonths).toISOString();
    const { entities, latestScore, incidents, duties, lastAudit } = await riskFacts(db, {
      sectors,
      since,
      only,
    });
    return entities.map((e) => {
      const reasons: { label: string; points: number }[] = [];
      const add = (label: string, points: number) =>
        points > 0 && reasons.push({ label, points: Math.round(points * 10) / 10 });
      add(
        e.cii_tier === null ? 'Not designated' : `CII tier ${e.cii_tier}`,
        w.tierPoints[tierKey(e.cii_tier)],
      );
      const s = latestScore.get(e.id);
      if (s === undefined) add('No accepted assessment', w.noScorePoints);
      else add(`Assessment score ${Math.round(s)}`, ((100 - s) / 100) * w.weakScorePoints);
      const d = duties.get(e.id);
      if (d?.late) add(`${d.late} late incident report(s)`, d.late * w.lateReportPoints);
      if (d?.missing) add(`${d.missing} missing incident report(s)`, d.missing * w.missingReportPoints);
      const n = incidents.get(e.id) ?? 0;
      if (n)
        add(
          `${n} incident(s) in ${w.historyMonths} months`,
          Math.min(n * w.incidentPoints, w.incidentPointsCap),
        );
      const last = lastAudit.get(e.id);
      if (!last) add('Never audited', w.neverAuditedPoints);
      else
        add(
          `Last audited ${last.slice(0, 10)}`,
          ((now.getTime() - new Date(last).getTime()) / (365 * DAY)) * w.pointsPerYearSinceAudit,
        );
      return {
        entityId: e.id,
        score: Math.round(reasons.reduce((t, r) => t + r.points, 0) * 10) / 10,
        reasons,
      };
    });
  }

  return {
    async create(ctx: RequestContext, input: z.infer<typeof PlanInput>) {
      requirePermission(ctx, 'supervision.plan');
      if (input.periodEnd < input.periodStart)
        throw new ValidationError('periodEnd is before periodStart.', { field: 'periodEnd' });
      if (!(await frameworkExists(db, input.frameworkId)))
        throw new ValidationError(`There is no framework "${input.frameworkId}".`, { field: 'frameworkId' });
      const now = p.clock.now();
      const ranked = (await score(now, input.sectors)).sort(
        (a, b) => b.score - a.score || a.entityId.localeCompare(b.entityId),
      );
      if (!ranked.length) throw new ValidationError('No entity matches the selection.', { field: 'sectors' });
      // Keep alternates beyond the capacity so the Authority can swap entities in.
      const kept = ranked.slice(0, Math.min(ranked.length, input.capacity * 3));
      const id = newId();
      await db.transaction().execute(async (trx) => {
        await insertPlan(
          trx,
          {
            id,
            name: input.name,
            period_start: input.periodStart,
            period_end: input.periodEnd,
            capacity: input.capacity,
            selection_json: JSON.stringify({ sectors: input.sectors, frameworkId: input.frameworkId }),
            status: 'draft',
            rules_version: engine.rulesOn(now).version,
            created_by: ctx.actor!.label,
            created_at: now.toISOString(),
          },
          // The first `capacity` are proposed and included; the rest wait as alternates.
          kept.map((k, i) => ({
            plan_id: id,
            entity_id: k.entityId,
            risk_score: k.score,
            reasons_json: JSON.stringify(k.reasons),
            proposed: i < input.capacity ? 1 : 0,
            included: i < input.capacity ? 1 : 0,
          })),
        );
        await p.audit(trx, ctx, {
          action: 'supervision.plan.create',
          objectType: 'audit_plan',
          objectId: id,
          after: { ...input, candidates: kept.length },
        });
      });
      return this.get(ctx, id);
    },

    async list(ctx: RequestContext) {
      requirePermission(ctx, 'supervision.plan');
      const rows = await listPlans(db);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        capacity: r.capacity,
        status: r.status,
        createdAt: r.created_at,
      }));
    },

    async get(ctx: RequestContext, id: string) {
      requirePermission(ctx, 'supervision.plan');
      const plan = await findPlan(db, id);
      if (!plan) throw new NotFoundError('audit plan');
      const items = await planItems(db, id);
      return {
        id: plan.id,
        name: plan.name,
        periodStart: plan.period_start,
        periodEnd: plan.period_end,
        capacity: plan.capacity,
        status: plan.status,
        version: plan.version,
        rulesVersion: plan.rules_version,
        legalStatus: legalStatusOut(
          engine.sets.find((s) => s.version === plan.rules_version)?.legalStatus ?? UNKNOWN_LEGAL_STATUS,
        ),
        approvedBy: plan.approved_by,
        approvedAt: plan.approved_at,
        included: items.filter((i) => i.included).length,
        items: items.map((i) => ({
          entityId: i.entity_id,
          entityName: i.name_en,
          sector: i.sector,
          ciiTier: i.cii_tier,
          riskScore: i.risk_score,
          reasons: JSON.parse(i.reasons_json) as { label: string; points: number }[],
          proposed: i.proposed === 1,
          included: i.included === 1,
        })),
      };
    },

    async setIncluded(ctx: RequestContext, id: string, entityId: string, included: boolean) {
      requirePermission(ctx, 'supervision.plan');
      const plan = await findPlan(db, id);
      if (!plan) throw new NotFoundError('audit plan');
      if (plan.status !== 'draft')
        throw new ConflictError('plan_approved', 'An approved plan cannot be changed.');
      // The Authority may add an entity the proposal did not keep: it is scored like the others.
      const [extra] = included ? await score(p.clock.now(), [], entityId) : [];
      await db.transaction().execute(async (trx) => {
        if (!(await setItemIncluded(trx, id, entityId, included))) {
          if (!extra) throw new NotFoundError('active entity');
          await addItem(trx, {
            plan_id: id,
            entity_id: entityId,
            risk_score: extra.score,
            reasons_json: JSON.stringify(extra.reasons),
            proposed: 0,
            included: 1,
          });
        }
        await setPlanVersion(trx, id, plan.version + 1);
        await p.audit(trx, ctx, {
          action: 'supervision.plan.adjust',
          objectType: 'audit_plan',
          objectId: id,
          after: { entityId, included },
        });
      });
      return this.get(ctx, id);
    },

    /** Approves the plan and opens one audit per included entity. */
    async approve(ctx: RequestContext, id: string, version: number) {
      requirePermission(ctx, 'supervision.plan');
      const plan = await findPlan(db, id);
      if (!plan) throw new NotFoundError('audit plan');
      if (plan.status !== 'draft') throw new ConflictError('plan_approved', 'This plan is already approved.');
      if (plan.version !== version)
        throw new ConflictError(
          'stale_version',
          'The plan changed since you loaded it; reload and try again.',
        );
      const items = await includedEntities(db, id);
      if (!items.length)
        throw new ValidationError('Include at least one entity before approving.', { field: 'items' });
      const now = p.clock.now();
      const rules = engine.rulesOn(now);
      const { frameworkId } = JSON.parse(plan.selection_json) as { frameworkId: string };
      await db.transaction().execute(async (trx) => {
        if (!(await markApproved(trx, id, version, ctx.actor!.label, now.toISOString())))
          throw new ConflictError(
            'stale_version',
            'The plan changed since you loaded it; reload and try again.',
          );
        const year = plan.period_start.slice(0, 4);
        for (const e of items) {
          const n = await nextNumber(trx, `audit:${year}`);
          await insertAudit(trx, {
            id: newId(),
            reference: `AUD-${year}-${String(n).padStart(4, '0')}`,
            plan_id: id,
            entity_id: e.id,
            sector: e.sector,
            admin_unit: e.admin_unit,
            framework_id: frameworkId,
            scope_json: JSON.stringify({ requirements: [], sites: [], systems: [] }),
            status: 'planned',
            response_days:
              rules.preliminaryResponseDays.bySector[e.sector] ?? rules.preliminaryResponseDays.default,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          });
        }
        await p.audit(trx, ctx, {
          action: 'supervision.plan.approve',
          objectType: 'audit_plan',
          objectId: id,
          after: { audits: items.length },
        });
      });
      return this.get(ctx, id);
    },
  };
}
