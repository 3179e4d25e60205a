import { sql, type Selectable, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { DB, IncidentDuties, Incidents } from '../../db/types.ts';
import { ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { BusinessCalendar } from '../../platform/jurisdiction/business-calendar.ts';
import { toIsoDate } from '../../platform/jurisdiction/time.ts';
import type { Platform } from '../../platform/platform.ts';
import type { IncidentFacts } from './rules/conditions.ts';
import { dutyStatus, planDuties, type DutyPlan, type DutyStatus } from './rules/deadlines.ts';
import {
  loadReportingRuleSets,
  regimeApplies,
  regimesInForce,
  significanceBasis,
  ruleSetVersion,
  STAGE_KINDS,
  type ReportingRuleSet,
  type StageKind,
} from './rules/rule-set.ts';

export type IncidentRow = Selectable<Incidents>;
export type DutyRow = Selectable<IncidentDuties>;

/** What the entity has said, as stored in `facts_json` beside the indexed columns. */
export type StoredFacts = Record<string, unknown> & { summary?: string };

const rank = (k: string) => STAGE_KINDS.indexOf(k as StageKind);
const HOUR = 3_600_000;

export function monthOf(iso: string, cal: BusinessCalendar): string {
  return toIsoDate(cal.localDate(new Date(iso))).slice(0, 7);
}

/** The incident as one object of named fields: what required-field rules and reports read. */
export function detailsOf(row: IncidentRow): Record<string, unknown> {
  return {
    ...(JSON.parse(row.facts_json) as StoredFacts),
    title: row.title,
    severity: row.severity,
    rsitClass: row.rsit_class,
    rsitType: row.rsit_type,
    tlp: row.tlp,
    awareAt: row.aware_at,
    detectedAt: row.detected_at,
    classifiedAt: row.classified_at,
  };
}

export function factsFor(
  row: IncidentRow,
  entity: { subsector: string; kind: string; cii_tier: number | null; annual_turnover: number | null },
): IncidentFacts {
  const d = detailsOf(row);
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const loss = num(d.financialLoss);
  const recurringLoss = num(d.recurringFinancialLoss);
  const pctOfTurnover = (v: number | null) =>
    v !== null && entity.annual_turnover ? (v / entity.annual_turnover) * 100 : null;
  return {
    severity: row.severity,
    rsitClass: row.rsit_class,
    rsitType: row.rsit_type,
    sector: row.sector,
    subsector: entity.subsector,
    entityKind: entity.kind,
    ciiTier: entity.cii_tier,
    usersAffected: num(d.usersAffected),
    downtimeHours: num(d.downtimeHours),
    financialLoss: loss,
    financialLossPctOfTurnover: pctOfTurnover(loss),
    personalData: d.personalData === true,
    crossBorder: d.crossBorder === true,
    suspectedMalicious: d.suspectedMalicious === true,
    healthImpact: d.healthImpact === true,
    serviceWhollyUnavailable: d.serviceWhollyUnavailable === true,
    tradeSecretsExfiltrated: d.tradeSecretsExfiltrated === true,
    damageToOthers: d.damageToOthers === true,
    recurringIncidents: num(d.recurringIncidents),
    recurringFinancialLoss: recurringLoss,
    recurringFinancialLossPctOfTurnover: pctOfTurnover(recurringLoss),
  };
}

const missing = (v: unknown) =>
  v === null ||
  v === undefined ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);

/** Which of the 'met', 'met late' and 'overdue' counters a status belongs to. */
const bucket = (s: string): 'on_time' | 'late' | 'overdue' | null =>
  s === 'met' ? 'on_time' : s === 'met_late' ? 'late' : s === 'overdue' ? 'overdue' : null;

export interface Submission {
  kind: StageKind | 'auto';
  reportId: string;
  at: Date;
}

export interface RefreshResult {
  duties: DutyRow[];
  /** The duties this submission met, as regime:stage. */
  satisfied: string[];
  kind: StageKind;
}

/**
 * Reads an incident for a change and holds it until the transaction ends, so changes to one
 * incident take turns (SQLite's BEGIN IMMEDIATE already serialises every write transaction).
 */
export async function lockIncident(trx: Transaction<DB>, dialect: Dialect, id: string): Promise<IncidentRow> {
  let q = trx.selectFrom('incidents').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirstOrThrow();
}

/**
 * Keeps an incident's statutory duties in step with what is known about it. Each regime keeps the
 * version that was in force when the entity became aware of the incident; regimes that start to
 * apply later (personal data discovered, say) join with that same date's version.
 */
export function createDutyEngine(p: Platform) {
  const sets = loadReportingRuleSets(p.config.catalogDir, p.config.jurisdiction);

  async function refresh(
    trx: Transaction<DB>,
    incidentId: string,
    now: Date,
    cal: BusinessCalendar,
    submission?: Submission,
  ): Promise<RefreshResult> {
    // One refresh per incident at a time: two instances' deadline jobs must not double-count.
    const row = await lockIncident(trx, p.dialect, incidentId);
    const entity = await trx
      .selectFrom('entities')
      .select(['subsector', 'kind', 'cii_tier', 'annual_turnover'])
      .where('id', '=', row.entity_id)
      .executeTakeFirstOrThrow();
    const facts = factsFor(row, entity);
    const existing = await trx
      .selectFrom('incident_duties')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .execute();
    const awareDate = toIsoDate(cal.localDate(new Date(row.aware_at)));

    const regimes = new Map<string, ReportingRuleSet>();
    for (const d of existing) {
      const rs = ruleSetVersion(sets, d.regime, d.regime_version);
      if (rs) regimes.set(rs.code, rs);
    }
    for (const rs of regimesInForce(sets, awareDate)) if (!regimes.has(rs.code)) regimes.set(rs.code, rs);

    const instants = {
      awareness: new Date(row.aware_at),
      classification: new Date(row.classified_at),
      detection: row.detected_at ? new Date(row.detected_at) : null,
    };
    const details = detailsOf(row);
    const satisfied: string[] = [];
    const missingFields = new Set<string>();
    const plans: {
      rs: ReportingRuleSet;
      applies: boolean;
      plan: DutyPlan;
      metAt: Date | null;
      reportId: string | null;
    }[] = [];
    let kind: StageKind = 'notification';

    // The kind of an unlabelled first report: the earliest stage any applicable regime owes.
    const applicable = [...regimes.values()].filter(
      (rs) => regimeApplies(rs, facts) || existing.some((d) => d.regime === rs.code && d.met_at),
    );
    if (submission) {
      if (submission.kind !== 'auto') kind = submission.kind;
      else {
        const owedKinds = applicable.flatMap((rs) =>
          planDuties(rs, facts, instants, new Map(), cal)
            .filter((pl) => pl.owed)
            .map((pl) => pl.stage.kind),
        );
        kind = owedKinds.sort((a, b) => rank(a) - rank(b))[0] ?? 'notification';
      }
    }

    for (const rs of regimes.values()) {
      const applies = regimeApplies(rs, facts);
      const met = new Map<string, Date>();
      const reportOf = new Map<string, string | null>();
      for (const d of existing)
        if (d.regime === rs.code && d.met_at) {
          met.set(d.stage, new Date(d.met_at));
          reportOf.set(d.stage, d.report_id);
        }
      if (submission && applies) {
        // A report meets every open stage of its kind or an earlier kind: a notification that
        // arrives before the early warning also serves as the early warning.
        const first = planDuties(rs, facts, instants, met, cal);
        for (const pl of first) {
          if (!pl.owed || met.has(pl.stage.code) || rank(pl.stage.kind) > rank(kind)) continue;
          for (const f of pl.stage.required) if (missing(details[f])) missingFields.add(f);
          met.set(pl.stage.code, submission.at);
          reportOf.set(pl.stage.code, submission.reportId);
          satisfied.push(`${rs.code}:${pl.stage.code}`);
        }
      }
      for (const plan of planDuties(rs, facts, instants, met, cal))
        plans.push({
          rs,
          applies,
          plan,
          metAt: met.get(plan.stage.code) ?? null,
          reportId: reportOf.get(plan.stage.code) ?? null,
        });
    }

    if (missingFields.size) {
      const fields = [...missingFields];
      throw new ValidationError(`This ${kind.replace('_', ' ')} must include: ${fields.join(', ')}.`, {
        field: fields[0],
        fields,
      });
    }

    const month = monthOf(row.reported_at, cal);
    const cells = new Map<string, number>();
    const moveCell = (regime: string, from: string | null, to: string) => {
      const a = from ? bucket(from) : null;
      const b = bucket(to);
      if (a === b) return;
      if (a) cells.set(`${regime}|${a}`, (cells.get(`${regime}|${a}`) ?? 0) - 1);
      if (b) cells.set(`${regime}|${b}`, (cells.get(`${regime}|${b}`) ?? 0) + 1);
    };

    const nowIso = now.toISOString();
    const after: DutyRow[] = [];
    // New duties go in one statement, as do the jobs below: fewer statements per report.
    const added: DutyRow[] = [];
    for (const { rs, applies, plan, metAt, reportId } of plans) {
      const prev = existing.find((d) => d.regime === rs.code && d.stage === plan.stage.code);
      if (!applies && !metAt && !prev) continue;
      // A regime that no longer applies keeps what was met; nothing further is owed under it.
      const status: DutyStatus = !applies && !metAt ? 'not_required' : dutyStatus(plan, metAt, now);
      const values = {
        regime: rs.code,
        regime_version: rs.version,
        authority: rs.authority,
        stage: plan.stage.code,
        kind: plan.stage.kind,
        position: rs.stages.indexOf(plan.stage),
        due_at: plan.dueAt?.toISOString() ?? null,
        waiting_on: plan.waitingOn,
        // Why the duty is owed as well as when: the significance criteria met, with their articles.
        basis: applies
          ? [plan.basis, plan.owed ? significanceBasis(rs, facts) : ''].filter(Boolean).join('. ')
          : 'The regime no longer applies to this incident as now described.',
        status,
        met_at: metAt?.toISOString() ?? null,
        report_id: reportId,
        updated_at: nowIso,
      };
      moveCell(rs.code, prev?.status ?? null, status);
      if (prev) {
        const changed = (Object.keys(values) as (keyof typeof values)[]).some(
          (k) => k !== 'updated_at' && prev[k] !== values[k],
        );
        if (changed) await trx.updateTable('incident_duties').set(values).where('id', '=', prev.id).execute();
        after.push({ ...prev, ...(changed ? values : {}) });
      } else {
        const inserted = {
          id: newId(now.getTime()),
          incident_id: row.id,
          entity_id: row.entity_id,
          sector: row.sector,
          escalated_at: null,
          ...values,
        };
        added.push(inserted);
        after.push(inserted);
      }
    }
    if (added.length) await trx.insertInto('incident_duties').values(added).execute();

    for (const [key, n] of cells) {
      if (n === 0) continue;
      const [regime, col] = key.split('|') as [string, 'on_time' | 'late' | 'overdue'];
      await trx
        .insertInto('duty_cells')
        .values({
          month,
          sector: row.sector,
          admin_unit: row.admin_unit,
          regime,
          on_time: 0,
          late: 0,
          overdue: 0,
          [col]: n,
        })
        .onConflict((oc) =>
          oc
            .columns(['month', 'sector', 'admin_unit', 'regime'])
            .doUpdateSet({ [col]: sql<number>`duty_cells.${sql.ref(col)} + ${n}` }),
        )
        .execute();
    }

    const open = after.filter((d) => d.status === 'due' || d.status === 'overdue');
    const nextDue = open.map((d) => d.due_at!).sort()[0] ?? null;
    const overdue = after.filter((d) => d.status === 'overdue').length;
    if (nextDue !== row.next_due_at || overdue !== row.overdue_duties)
      await trx
        .updateTable('incidents')
        .set({ next_due_at: nextDue, overdue_duties: overdue })
        .where('id', '=', row.id)
        .execute();

    // Durable clocks: reminders before each deadline and a check when it passes. The unique key
    // makes rescheduling idempotent; a job whose deadline has since moved finds nothing to do.
    const jobs: Parameters<typeof p.jobs.enqueueMany>[1] = [];
    for (const d of after) {
      if (d.status !== 'due' && d.status !== 'overdue') continue;
      if (!d.due_at || d.escalated_at) continue;
      const dueAt = new Date(d.due_at);
      jobs.push({
        kind: 'incident.deadline',
        payload: { dutyId: d.id, dueAt: d.due_at },
        opts: { runAt: dueAt < now ? now : dueAt, uniqueKey: `incident.deadline:${d.id}:${d.due_at}` },
      });
      const rs = regimes.get(d.regime);
      const stage = rs?.stages.find((s) => s.code === d.stage);
      for (const h of stage?.remindHoursBefore ?? []) {
        const at = new Date(dueAt.getTime() - h * HOUR);
        if (at <= now) continue;
        jobs.push({
          kind: 'incident.reminder',
          payload: { dutyId: d.id, dueAt: d.due_at, hours: h },
          opts: { runAt: at, uniqueKey: `incident.reminder:${d.id}:${d.due_at}:${h}` },
        });
      }
    }
    await p.jobs.enqueueMany(trx, jobs);
    return { duties: after, satisfied, kind };
  }

  return { sets, refresh };
}
export type DutyEngine = ReturnType<typeof createDutyEngine>;
