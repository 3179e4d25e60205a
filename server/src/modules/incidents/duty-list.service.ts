import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { legalStatusOut, UNKNOWN_LEGAL_STATUS } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import { incidentPolicy } from '../../platform/access/index.ts';
import type { ReportingRuleSet } from './rules/rule-set.ts';

/**
 * Reporting duties as compliance facts: which reports are due, were late or never came. The
 * Authority and regulators read them here; supervision builds on the same rows.
 */
export function createDutyListService(p: Platform, sets: readonly ReportingRuleSet[]) {
  const stageNames = new Map(
    sets.flatMap((rs) => rs.stages.map((st) => [`${rs.code}@${rs.version}:${st.code}`, st.name.en] as const)),
  );
  const statuses = new Map(sets.map((rs) => [`${rs.code}@${rs.version}`, legalStatusOut(rs.legalStatus)]));
  const unknown = legalStatusOut(UNKNOWN_LEGAL_STATUS);
  return {
    async list(
      ctx: RequestContext,
      q: {
        status?: 'overdue' | 'met_late' | 'due' | 'met';
        late?: boolean;
        sector?: string;
        regime?: string;
        offset: number;
        limit: number;
      },
    ) {
      const actor = requirePermission(ctx, 'incidents.read');
      let query = p.db
        .selectFrom('incident_duties')
        .innerJoin('incidents', 'incidents.id', 'incident_duties.incident_id')
        .innerJoin('entities', 'entities.id', 'incidents.entity_id')
        .where(incidentPolicy.where(actor));
      if (q.status) query = query.where('incident_duties.status', '=', q.status);
      else if (q.late) query = query.where('incident_duties.status', 'in', ['overdue', 'met_late']);
      else query = query.where('incident_duties.status', '!=', 'not_required');
      if (q.sector) query = query.where('incident_duties.sector', '=', q.sector);
      if (q.regime) query = query.where('incident_duties.regime', '=', q.regime);
      const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await query
        .select([
          'incident_duties.id',
          'incident_duties.incident_id',
          'incidents.reference',
          'incidents.entity_id',
          'entities.name_en',
          'incidents.sector',
          'incident_duties.regime',
          'incident_duties.authority',
          'incident_duties.stage',
          'incident_duties.kind',
          'incident_duties.regime_version',
          'incident_duties.due_at',
          'incident_duties.met_at',
          'incident_duties.status',
        ])
        .orderBy('incident_duties.due_at', 'desc')
        .orderBy('incident_duties.id')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      const now = p.clock.now().getTime();
      return {
        total: Number(total.n),
        items: rows.map((r) => {
          const end = r.met_at ? new Date(r.met_at).getTime() : now;
          const late =
            r.due_at && end > new Date(r.due_at).getTime()
              ? (end - new Date(r.due_at).getTime()) / 3_600_000
              : null;
          return {
            id: r.id,
            incidentId: r.incident_id,
            reference: r.reference,
            entityId: r.entity_id,
            entityName: r.name_en,
            sector: r.sector,
            regime: r.regime,
            legalStatus: statuses.get(`${r.regime}@${r.regime_version}`) ?? unknown,
            authority: r.authority,
            stage: r.stage,
            stageName: stageNames.get(`${r.regime}@${r.regime_version}:${r.stage}`) ?? r.stage,
            kind: r.kind,
            dueAt: r.due_at,
            metAt: r.met_at,
            status: r.status,
            hoursLate: late === null ? null : Math.round(late * 10) / 10,
          };
        }),
      };
    },
  };
}
