import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { legalStatusOut, UNKNOWN_LEGAL_STATUS } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import { entityPolicy, reachOf, reachWhere, supervisionPolicy } from '../../platform/access/index.ts';
import {
  disclosureOut,
  disclosurePolicy,
  suppressRows,
  type CountRow,
} from '../../platform/disclosure/index.ts';
import { actionOut } from './audits.service.ts';
import { evidenceOf } from './evidence.ts';
import type { ComplianceEngine } from './compliance.ts';
import type { ComplianceFact } from './rules/compliance-rules.ts';
import { tierKey } from './rules/obligations.ts';

const STATUSES = ['compliant', 'at_risk', 'non_compliant'] as const;
type Status = (typeof STATUSES)[number];

/** The entity's compliance page, the regulator's board and the Authority's national map. */
export function createSupervisionViews(p: Platform, engine: ComplianceEngine) {
  const { db } = p;

  return {
    async entity(ctx: RequestContext, entityId: string) {
      const actor = requirePermission(ctx, 'supervision.read');
      let row = await db
        .selectFrom('compliance_status')
        .selectAll()
        .where('entity_id', '=', entityId)
        .where(supervisionPolicy.complianceWhere(actor))
        .executeTakeFirst();
      const entity = await db
        .selectFrom('entities')
        .select(['id', 'name_en', 'sector', 'admin_unit', 'cii_tier'])
        .where('id', '=', entityId)
        .executeTakeFirst();
      if (!row) {
        // Not computed yet (a new entity): compute now if the caller may see the entity at all.
        // The same reach as the scoped read above, decided before anything is computed.
        const visible =
          entity &&
          supervisionPolicy.readsPlace(actor, {
            sector: entity.sector,
            adminUnit: entity.admin_unit,
            entityId: entity.id,
          });
        if (!visible) throw new NotFoundError('entity');
        await db.transaction().execute((trx) => engine.recompute(trx, [entityId], p.clock.now()));
        row = await db
          .selectFrom('compliance_status')
          .selectAll()
          .where('entity_id', '=', entityId)
          .where(supervisionPolicy.complianceWhere(actor))
          .executeTakeFirstOrThrow();
      }
      const rules = engine.rulesOn(p.clock.now());
      const owes = rules.obligations[tierKey(entity!.cii_tier)];
      const findings = await db
        .selectFrom('findings')
        .innerJoin('audits', 'audits.id', 'findings.audit_id')
        .select([
          'findings.id',
          'findings.title',
          'findings.severity',
          'findings.status',
          'audits.id as audit_id',
          'audits.reference',
        ])
        .where('findings.entity_id', '=', entityId)
        .where('findings.status', '=', 'open')
        .orderBy('findings.created_at')
        .execute();
      const actions = await db
        .selectFrom('corrective_actions')
        .selectAll()
        .where('entity_id', '=', entityId)
        .where('status', '!=', 'verified')
        .orderBy('due_on')
        .execute();
      const evidence = await evidenceOf(
        db,
        actions.map((x) => x.id),
      );
      const audits = await db
        .selectFrom('audits')
        .select(['id', 'reference', 'status', 'final_issued_at', 'response_due_at'])
        .where('entity_id', '=', entityId)
        .orderBy('created_at', 'desc')
        .limit(20)
        .execute();
      const cases = await db
        .selectFrom('enforcement_cases')
        .select(['id', 'reference', 'stage', 'violation', 'next_deadline'])
        .where('entity_id', '=', entityId)
        .orderBy('created_at', 'desc')
        .execute();
      return {
        entityId,
        entityName: entity!.name_en,
        sector: entity!.sector,
        ciiTier: entity!.cii_tier,
        status: row.status,
        computedAt: row.computed_at,
        rulesVersion: row.rules_version,
        legalStatus: legalStatusOut(
          engine.sets.find((s) => s.version === row.rules_version)?.legalStatus ?? UNKNOWN_LEGAL_STATUS,
        ),
        facts: JSON.parse(row.facts_json) as ComplianceFact[],
        obligations: {
          assessmentEveryMonths: owes.assessmentEveryMonths,
          auditEveryMonths: owes.auditEveryMonths,
          incidentReporting: 'Every incident report its reporting regimes ask for, by its deadline',
          correctiveActions: 'Every corrective action by its due date',
        },
        openFindings: findings.map((f) => ({
          id: f.id,
          title: f.title,
          severity: f.severity,
          auditId: f.audit_id,
          auditReference: f.reference,
        })),
        actions: actions.map((x) => actionOut(x, evidence.get(x.id))),
        audits: audits.map((a) => ({
          id: a.id,
          reference: a.reference,
          status: a.status,
          finalIssuedAt: a.final_issued_at,
          responseDueAt: a.response_due_at,
        })),
        cases: cases.map((c) => ({
          id: c.id,
          reference: c.reference,
          stage: c.stage,
          violation: c.violation,
          nextDeadline: c.next_deadline,
        })),
      };
    },

    /** A regulator's board: their sector's entities by status, the worst cases first, and open work. */
    async board(ctx: RequestContext, sector: string | undefined) {
      const actor = requirePermission(ctx, 'supervision.manage');
      // Only the assignments that grant supervision reach count: an observer role adds nothing.
      const reach = reachOf(actor, 'supervision.manage');
      const national = reach.national;
      const mine = reach.sectors;
      const sectors = sector ? [sector] : national ? null : mine;
      if (sector && !national && !mine.includes(sector))
        throw new ForbiddenError('That sector is outside your remit.');
      let counts = db
        .selectFrom('compliance_counts')
        .select(['status', (eb) => eb.fn.sum<number>('n').as('n')])
        .groupBy('status');
      if (sectors) counts = counts.where('sector', 'in', sectors.length ? sectors : ['-']);
      let worst = db
        .selectFrom('compliance_status')
        .innerJoin('entities', 'entities.id', 'compliance_status.entity_id')
        .select([
          'compliance_status.entity_id',
          'entities.name_en',
          'entities.cii_tier',
          'compliance_status.sector',
          'compliance_status.status',
          'compliance_status.facts_json',
        ])
        .where('compliance_status.status', '!=', 'compliant');
      if (sectors) worst = worst.where('compliance_status.sector', 'in', sectors.length ? sectors : ['-']);
      const rows = await worst
        .orderBy((eb) =>
          eb.case().when('compliance_status.status', '=', 'non_compliant').then(0).else(1).end(),
        )
        .orderBy('entities.cii_tier')
        .orderBy('entities.name_en')
        .limit(100)
        .execute();
      let audits = db
        .selectFrom('audits')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '!=', 'closed')
        .groupBy('status');
      if (sectors) audits = audits.where('sector', 'in', sectors.length ? sectors : ['-']);
      let overdue = db
        .selectFrom('corrective_actions')
        .innerJoin('audits', 'audits.id', 'corrective_actions.audit_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('corrective_actions.overdue_at', 'is not', null)
        .where('corrective_actions.status', '!=', 'verified');
      if (sectors) overdue = overdue.where('audits.sector', 'in', sectors.length ? sectors : ['-']);
      let cases = db
        .selectFrom('enforcement_cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stage', '!=', 'closed');
      if (sectors) cases = cases.where('sector', 'in', sectors.length ? sectors : ['-']);
      const [c, a, o, k] = await Promise.all([
        counts.execute(),
        audits.execute(),
        overdue.executeTakeFirstOrThrow(),
        cases.executeTakeFirstOrThrow(),
      ]);
      return {
        sectors: sectors ?? ('all' as const),
        byStatus: Object.fromEntries(
          ['compliant', 'at_risk', 'non_compliant'].map((s) => [
            s,
            Number(c.find((x) => x.status === s)?.n ?? 0),
          ]),
        ),
        auditsByStatus: Object.fromEntries(a.map((x) => [x.status, Number(x.n)])),
        overdueActions: Number(o.n),
        openCases: Number(k.n),
        attention: rows.map((r) => ({
          entityId: r.entity_id,
          entityName: r.name_en,
          ciiTier: r.cii_tier,
          sector: r.sector,
          status: r.status,
          topFact: (JSON.parse(r.facts_json) as ComplianceFact[])[0]?.text ?? '',
        })),
      };
    },

    /**
     * The national compliance map: counts by administrative unit and sector, from the count cells.
     * Each row's total is public (the registry publishes it), so a row is shown whole or not at
     * all (docs/scoring.md, "Disclosure control").
     */
    async national(ctx: RequestContext) {
      const actor = requirePermission(ctx, 'national.aggregates.read');
      const reach = entityPolicy.countReach(actor);
      if (!reach) throw new ForbiddenError();
      const rows = await db
        .selectFrom('compliance_counts')
        .select(['sector', 'admin_unit', 'status', 'n'])
        .where('n', '>', 0)
        .where((eb) => reachWhere(eb, reach, { sector: 'sector', unit: 'admin_unit' }))
        .execute();
      const roll = (key: 'sector' | 'admin_unit'): CountRow[] => {
        const m = new Map<string, Record<Status, number>>();
        for (const r of rows) {
          const v = m.get(r[key]) ?? { compliant: 0, at_risk: 0, non_compliant: 0 };
          v[r.status as Status] += Number(r.n);
          m.set(r[key], v);
        }
        return [...m].map(([k, cells]) => ({ key: k, cells })).sort((a, b) => a.key.localeCompare(b.key));
      };
      const units = roll('admin_unit');
      const sectors = roll('sector');
      const totals = Object.fromEntries(
        STATUSES.map((s) => [s, sectors.reduce((n, r) => n + r.cells[s]!, 0)]),
      ) as Record<Status, number>;
      const policy = disclosurePolicy(p.catalog.profile, actor, p.clock.now());
      let hideU = new Set<string>();
      let hideS = new Set<string>();
      let totalsShown = true;
      if (!policy.exempt) {
        const u = suppressRows(units, STATUSES, policy);
        const s = suppressRows(sectors, STATUSES, policy);
        hideU = new Set(u.hidden.keys());
        hideS = new Set(s.hidden.keys());
        // The rows alone cannot protect a cell once the status totals are known (say nobody in
        // scope is non-compliant): then nothing but the row totals is told.
        if (!u.settled || !s.settled) {
          hideU = new Set(units.map((r) => r.key));
          hideS = new Set(sectors.map((r) => r.key));
          totalsShown = false;
        }
      }
      // One reason for every hidden row: saying which were small, uniform or cover would itself
      // narrow their cells down.
      const out = (list: CountRow[], hide: Set<string>) =>
        list.map((r) =>
          hide.has(r.key)
            ? {
                key: r.key,
                compliant: null,
                at_risk: null,
                non_compliant: null,
                suppressed: true,
                reason: 'whole_row' as const,
              }
            : { key: r.key, ...(r.cells as Record<Status, number>), suppressed: false, reason: null },
        );
      return {
        disclosure: disclosureOut(policy),
        totals: totalsShown ? totals : null,
        byAdminUnit: out(units, hideU),
        bySector: out(sectors, hideS),
      };
    },
  };
}
