import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { peopleReaching } from '../../platform/access/index.ts';
import { entityPeople } from '../../platform/notifications/people.ts';
import { systemContext } from '../../platform/context.ts';
import { jurisdictionDate } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import { evaluateCompliance, type ComplianceFacts } from './rules/compliance-rules.ts';
import { loadSupervisionRules, supervisionRulesOn, type SupervisionRules } from './rules/obligations.ts';

type Ex = Kysely<DB> | Transaction<DB>;
const DAY = 86_400_000;
const CHUNK = 500;
const DEBOUNCE_MS = 15_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Each entity's compliance, computed set-wise from the facts in the database (accepted assessments,
 * closed audits, late and missing incident reports, corrective actions) and kept with the facts
 * behind it. Changes recompute the entity within seconds (a debounced job); a sweep recomputes
 * everyone as time passes and flags corrective actions that have gone past due.
 */
export function createComplianceEngine(p: Platform) {
  const sets = loadSupervisionRules(p.config.catalogDir, p.config.jurisdiction);
  const rulesOn = (now: Date): SupervisionRules => {
    const r = supervisionRulesOn(sets, jurisdictionDate(now, p.catalog.profile)) ?? sets[0];
    if (!r) throw new Error(`No supervision rules for ${p.config.jurisdiction}.`);
    return r;
  };

  async function gather(ex: Ex, ids: string[] | null, now: Date, today: string, soon: string) {
    const rules = rulesOn(now);
    const facts = new Map<string, ComplianceFacts & { sector: string; admin_unit: string }>();
    const groups = ids === null ? [null] : chunks(ids);
    const windowStart = new Date(
      now.getTime() - rules.incidentReporting.windowMonths * 30.44 * DAY,
    ).toISOString();
    for (const g of groups) {
      let entities = ex
        .selectFrom('entities')
        .select(['id', 'sector', 'admin_unit', 'cii_tier', 'created_at'])
        .where('status', '=', 'active');
      if (g) entities = entities.where('id', 'in', g);
      for (const e of await entities.execute())
        facts.set(e.id, {
          sector: e.sector,
          admin_unit: e.admin_unit,
          tier: e.cii_tier,
          registeredAt: e.created_at,
          lastAssessmentAt: null,
          lastAuditAt: null,
          lateReports: 0,
          missingReports: 0,
          overdueActions: 0,
          actionsDueSoon: 0,
          openFindings: 0,
        });
      let assessed = ex
        .selectFrom('submissions')
        .innerJoin('assignments', 'assignments.id', 'submissions.assignment_id')
        .select(['assignments.entity_id as id', (eb) => eb.fn.max('submissions.reviewed_at').as('at')])
        .where('submissions.decision', '=', 'accept')
        .groupBy('assignments.entity_id');
      if (g) assessed = assessed.where('assignments.entity_id', 'in', g);
      for (const r of await assessed.execute()) {
        const f = facts.get(r.id);
        if (f && r.at) f.lastAssessmentAt = String(r.at);
      }
      let audited = ex
        .selectFrom('audits')
        .select(['entity_id as id', (eb) => eb.fn.max('final_issued_at').as('at')])
        .where('final_issued_at', 'is not', null)
        .groupBy('entity_id');
      if (g) audited = audited.where('entity_id', 'in', g);
      for (const r of await audited.execute()) {
        const f = facts.get(r.id);
        if (f && r.at) f.lastAuditAt = String(r.at);
      }
      let duties = ex
        .selectFrom('incident_duties')
        .select((eb) => [
          'entity_id as id',
          eb.fn.sum<number>(eb.case().when('status', '=', 'met_late').then(1).else(0).end()).as('late'),
          eb.fn.sum<number>(eb.case().when('status', '=', 'overdue').then(1).else(0).end()).as('missing'),
        ])
        .where('due_at', '>=', windowStart)
        .where('status', 'in', ['met_late', 'overdue'])
        .groupBy('entity_id');
      if (g) duties = duties.where('entity_id', 'in', g);
      for (const r of await duties.execute()) {
        const f = facts.get(r.id);
        if (f) {
          f.lateReports = Number(r.late);
          f.missingReports = Number(r.missing);
        }
      }
      let actions = ex
        .selectFrom('corrective_actions')
        .select((eb) => [
          'entity_id as id',
          eb.fn.sum<number>(eb.case().when('due_on', '<', today).then(1).else(0).end()).as('overdue'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb('due_on', '>=', today), eb('due_on', '<=', soon)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('soon'),
        ])
        .where('status', '!=', 'verified')
        .groupBy('entity_id');
      if (g) actions = actions.where('entity_id', 'in', g);
      for (const r of await actions.execute()) {
        const f = facts.get(r.id);
        if (f) {
          f.overdueActions = Number(r.overdue);
          f.actionsDueSoon = Number(r.soon);
        }
      }
      let findings = ex
        .selectFrom('findings')
        .select(['entity_id as id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .groupBy('entity_id');
      if (g) findings = findings.where('entity_id', 'in', g);
      for (const r of await findings.execute()) {
        const f = facts.get(r.id);
        if (f) f.openFindings = Number(r.n);
      }
    }
    return { rules, facts };
  }

  /** Recomputes and stores compliance for some entities (or all); returns how many changed. */
  async function recompute(trx: Transaction<DB>, ids: string[] | null, now: Date): Promise<number> {
    const today = jurisdictionDate(now, p.catalog.profile);
    const soonDays = rulesOn(now).correctiveActions.dueSoonDays;
    const soon = jurisdictionDate(new Date(now.getTime() + soonDays * DAY), p.catalog.profile);
    const { rules, facts } = await gather(trx, ids, now, today, soon);
    const keys = [...facts.keys()];
    const existing = new Map<
      string,
      { status: string; facts_json: string; sector: string; admin_unit: string }
    >();
    for (const g of ids === null ? [null] : chunks(keys)) {
      let q = trx
        .selectFrom('compliance_status')
        .select(['entity_id', 'status', 'facts_json', 'sector', 'admin_unit']);
      if (g) q = q.where('entity_id', 'in', g.length ? g : ['-']);
      for (const r of await q.execute()) existing.set(r.entity_id, r);
    }
    const counts = new Map<string, number>();
    const bump = (sector: string, unit: string, status: string, n: number) =>
      counts.set(`${sector}|${unit}|${status}`, (counts.get(`${sector}|${unit}|${status}`) ?? 0) + n);
    const rows: {
      entity_id: string;
      sector: string;
      admin_unit: string;
      status: string;
      facts_json: string;
      rules_version: string;
      computed_at: string;
    }[] = [];
    for (const [id, f] of facts) {
      const { status, facts: list } = evaluateCompliance(rules, f, now);
      const factsJson = JSON.stringify(list);
      const prev = existing.get(id);
      if (
        prev &&
        prev.status === status &&
        prev.facts_json === factsJson &&
        prev.sector === f.sector &&
        prev.admin_unit === f.admin_unit
      )
        continue;
      if (prev) bump(prev.sector, prev.admin_unit, prev.status, -1);
      bump(f.sector, f.admin_unit, status, 1);
      rows.push({
        entity_id: id,
        sector: f.sector,
        admin_unit: f.admin_unit,
        status,
        facts_json: factsJson,
        rules_version: rules.version,
        computed_at: now.toISOString(),
      });
    }
    for (const g of chunks(rows))
      await trx
        .insertInto('compliance_status')
        .values(g)
        .onConflict((oc) =>
          oc.column('entity_id').doUpdateSet((eb) => ({
            sector: eb.ref('excluded.sector'),
            admin_unit: eb.ref('excluded.admin_unit'),
            status: eb.ref('excluded.status'),
            facts_json: eb.ref('excluded.facts_json'),
            rules_version: eb.ref('excluded.rules_version'),
            computed_at: eb.ref('excluded.computed_at'),
          })),
        )
        .execute();
    for (const [key, n] of counts) {
      if (n === 0) continue;
      const [sector, admin_unit, status] = key.split('|') as [string, string, string];
      await trx
        .insertInto('compliance_counts')
        .values({ sector, admin_unit, status, n })
        .onConflict((oc) =>
          oc
            .columns(['sector', 'admin_unit', 'status'])
            .doUpdateSet({ n: sql<number>`compliance_counts.n + ${n}` }),
        )
        .execute();
    }
    return rows.length;
  }

  /** Asks for an entity's compliance to be recomputed shortly; many changes in a burst cost one run. */
  async function schedule(ex: Ex, entityId: string, now: Date): Promise<void> {
    const slot = Math.ceil((now.getTime() + 1) / DEBOUNCE_MS) * DEBOUNCE_MS;
    await p.jobs.enqueue(
      ex,
      'compliance.entity',
      { entityId },
      { runAt: new Date(slot), uniqueKey: `compliance:${entityId}:${slot}` },
    );
  }

  /** Flags corrective actions that have passed their due date, tells the entity and escalates. */
  async function flagOverdueActions(trx: Transaction<DB>, now: Date): Promise<string[]> {
    const today = jurisdictionDate(now, p.catalog.profile);
    const due = await trx
      .selectFrom('corrective_actions')
      .innerJoin('audits', 'audits.id', 'corrective_actions.audit_id')
      .select([
        'corrective_actions.id',
        'corrective_actions.entity_id',
        'corrective_actions.title',
        'corrective_actions.due_on',
        'audits.reference',
        'audits.sector',
      ])
      .where('corrective_actions.status', '!=', 'verified')
      .where('corrective_actions.due_on', '<', today)
      .where('corrective_actions.overdue_at', 'is', null)
      .limit(5000)
      .execute();
    for (const a of due) {
      await trx
        .updateTable('corrective_actions')
        .set({ overdue_at: now.toISOString() })
        .where('id', '=', a.id)
        .execute();
      // The entity's people, and those who supervise it: the Authority and the sector's regulator.
      const people = [
        ...(await entityPeople(trx, a.entity_id)).map((u) => u.id),
        ...(await peopleReaching(trx, 'supervision.manage', { sector: a.sector }, ['national', 'sector'])),
      ];
      await p.notifications.notify(trx, [...new Set(people)], {
        kind: 'supervision.action_overdue',
        title: `Corrective action past due (${a.reference})`,
        body: `"${a.title}" was due on ${a.due_on}.`,
        link: `/supervision/actions/${a.id}`,
        subject: { type: 'action', id: a.id },
      });
      await p.audit(trx, systemContext('supervision sweep'), {
        action: 'supervision.action.overdue',
        objectType: 'corrective_action',
        objectId: a.id,
        after: { dueOn: a.due_on },
      });
    }
    return [...new Set(due.map((a) => a.entity_id))];
  }

  return { sets, rulesOn, recompute, schedule, flagOverdueActions };
}
export type ComplianceEngine = ReturnType<typeof createComplianceEngine>;

/** The debounced per-entity recomputation and the periodic sweep. */
export function registerComplianceJobs(p: Platform, engine: ComplianceEngine): void {
  p.jobs.register('compliance.entity', async (payload, { trx, now }) => {
    const { entityId } = payload as { entityId: string };
    await engine.recompute(trx, [entityId], now);
  });
  p.jobs.every('compliance.sweep', p.config.supervisionSweepMs, async (_payload, { trx, now }) => {
    await engine.flagOverdueActions(trx, now);
    await engine.recompute(trx, null, now);
  });
}
