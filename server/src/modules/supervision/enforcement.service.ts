import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/types.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import {
  legalStatusLabel,
  legalStatusOut,
  UNKNOWN_LEGAL_STATUS,
  type LegalStatus,
} from '../../platform/legal-status.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import { peopleReaching, supervisionPolicy } from '../../platform/access/index.ts';
import { entityPeople } from '../../platform/notifications/people.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ComplianceEngine } from './compliance.ts';
import { renderDecisionLetter } from './decision-letter.ts';
import { nextNumber } from './plans.service.ts';
import { computePenalty, loadPenaltyRules, penaltyRulesOn, type PenaltyResult } from './rules/penalties.ts';
import type { CaseInput, CaseStepInput } from './supervision.schemas.ts';

const DAY = 86_400_000;

/** Which step may follow which, and who takes it. */
const NEXT: Record<string, { from: string[]; by: 'authority' | 'entity'; to: string }> = {
  notice: { from: ['opened'], by: 'authority', to: 'notice' },
  response: { from: ['notice'], by: 'entity', to: 'responded' },
  hearing: { from: ['notice', 'responded'], by: 'authority', to: 'hearing' },
  decision: { from: ['hearing'], by: 'authority', to: 'decided' },
  appeal: { from: ['decided'], by: 'entity', to: 'appealed' },
  appeal_decision: { from: ['appealed'], by: 'authority', to: 'appeal_decided' },
  close: { from: ['decided', 'appeal_decided'], by: 'authority', to: 'closed' },
};

/**
 * Enforcement from a non-compliance fact to notice, hearing, decision, penalty, appeal and closure.
 * Each step has its deadline (from the supervision rules) and keeps its document in the case file.
 * The penalty uses the schedule and the designation in force on the day of the violation.
 */
export function createEnforcementService(p: Platform, engine: ComplianceEngine) {
  const { db } = p;
  const penaltySets = loadPenaltyRules(p.config.catalogDir, p.config.jurisdiction);

  async function load(actor: Actor, id: string) {
    const row = await db
      .selectFrom('enforcement_cases')
      .selectAll()
      .where('id', '=', id)
      .where(supervisionPolicy.caseWhere(actor))
      .executeTakeFirst();
    if (!row) throw new NotFoundError('enforcement case');
    return row;
  }

  async function event(
    trx: Transaction<DB>,
    caseId: string,
    actor: string,
    step: string,
    text: string,
    detail: unknown,
  ) {
    await trx
      .insertInto('case_events')
      .values({
        id: newId(),
        case_id: caseId,
        at: p.clock.now().toISOString(),
        actor,
        step,
        text,
        detail_json: JSON.stringify(detail ?? {}),
      })
      .execute();
  }

  /** The CII tier the entity held on a date, from its designation history. */
  async function tierOn(entityId: string, date: string): Promise<number | null> {
    const d = await db
      .selectFrom('designations')
      .select('cii_tier')
      .where('entity_id', '=', entityId)
      .where('effective_from', '<=', date)
      .orderBy('effective_from', 'desc')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (d) return d.cii_tier;
    return (
      await db.selectFrom('entities').select('cii_tier').where('id', '=', entityId).executeTakeFirstOrThrow()
    ).cii_tier;
  }

  /** The legal status of the schedule a violation on this date is judged by. */
  const scheduleStatus = (date: string): LegalStatus =>
    penaltyRulesOn(penaltySets, date)?.legalStatus ?? UNKNOWN_LEGAL_STATUS;

  return {
    violations(date: string) {
      const rules = penaltyRulesOn(penaltySets, date);
      return rules
        ? {
            version: rules.version,
            effectiveFrom: rules.effectiveFrom,
            legalStatus: legalStatusOut(rules.legalStatus),
            currency: rules.currency,
            violations: rules.violations.map((v) => ({ code: v.code, name: v.name, capKind: v.cap.kind })),
            factors: rules.factors,
          }
        : null;
    },

    async create(ctx: RequestContext, input: z.infer<typeof CaseInput>) {
      requirePermission(ctx, 'enforcement.manage');
      const now = p.clock.now();
      // "Today" is the jurisdiction's day, not UTC's: just after midnight in Karachi it is still yesterday in UTC.
      const today = jurisdictionToday(p.clock, p.catalog.profile);
      const year = today.slice(0, 4);
      if (input.violationDate > today)
        throw new ValidationError('violationDate is in the future.', { field: 'violationDate' });
      const rules = penaltyRulesOn(penaltySets, input.violationDate);
      if (!rules)
        throw new ValidationError('No penalty schedule was in force on that date.', {
          field: 'violationDate',
        });
      if (!rules.violations.some((v) => v.code === input.violation))
        throw new ValidationError(
          `"${input.violation}" is not a violation type of schedule ${rules.version}.`,
          { field: 'violation' },
        );
      const entity = await db
        .selectFrom('entities')
        .select(['id', 'sector', 'admin_unit'])
        .where('id', '=', input.entityId)
        .executeTakeFirst();
      if (!entity) throw new ValidationError('There is no such entity.', { field: 'entityId' });
      const id = newId();
      await db.transaction().execute(async (trx) => {
        const n = await nextNumber(trx, `case:${year}`);
        await trx
          .insertInto('enforcement_cases')
          .values({
            id,
            reference: `ENF-${year}-${String(n).padStart(4, '0')}`,
            entity_id: entity.id,
            sector: entity.sector,
            admin_unit: entity.admin_unit,
            violation: input.violation,
            violation_date: input.violationDate,
            facts_json: JSON.stringify(input.facts),
            stage: 'opened',
            created_by: ctx.actor!.label,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          })
          .execute();
        await event(trx, id, ctx.actor!.label, 'opened', `Case opened: ${input.facts.join(' ')}`, input);
        await p.audit(trx, ctx, {
          action: 'enforcement.open',
          objectType: 'enforcement_case',
          objectId: id,
          after: input,
        });
      });
      return this.get(ctx, id);
    },

    async list(ctx: RequestContext) {
      const actor = requirePermission(ctx, 'supervision.read');
      const rows = await db
        .selectFrom('enforcement_cases')
        .innerJoin('entities', 'entities.id', 'enforcement_cases.entity_id')
        .select([
          'enforcement_cases.id',
          'reference',
          'entity_id',
          'entities.name_en',
          'enforcement_cases.sector',
          'violation',
          'stage',
          'next_deadline',
          'penalty_json',
          'outcome',
          'enforcement_cases.created_at',
        ])
        .where(
          'enforcement_cases.id',
          'in',
          db
            .selectFrom('enforcement_cases')
            .select('enforcement_cases.id')
            .where(supervisionPolicy.caseWhere(actor)),
        )
        .orderBy('enforcement_cases.created_at', 'desc')
        .limit(500)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        entityId: r.entity_id,
        entityName: r.name_en,
        sector: r.sector,
        violation: r.violation,
        stage: r.stage,
        nextDeadline: r.next_deadline,
        outcome: r.outcome,
        penaltyAmount: r.penalty_json ? (JSON.parse(r.penalty_json) as PenaltyResult).amount : null,
        createdAt: r.created_at,
      }));
    },

    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'supervision.read');
      const c = await load(actor, id);
      const entity = await db
        .selectFrom('entities')
        .select(['name_en', 'annual_turnover'])
        .where('id', '=', c.entity_id)
        .executeTakeFirstOrThrow();
      const events = await db
        .selectFrom('case_events')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('at')
        .orderBy('id')
        .execute();
      const steps = Object.entries(NEXT)
        .filter(([, s]) => s.from.includes(c.stage))
        .filter(([, s]) =>
          s.by === 'authority'
            ? supervisionPolicy.enforces(actor)
            : supervisionPolicy.respondsFor(actor, c.entity_id),
        )
        .map(([k]) => k);
      return {
        id: c.id,
        reference: c.reference,
        entityId: c.entity_id,
        entityName: entity.name_en,
        sector: c.sector,
        violation: c.violation,
        violationDate: c.violation_date,
        facts: JSON.parse(c.facts_json) as string[],
        stage: c.stage,
        nextDeadline: c.next_deadline,
        outcome: c.outcome,
        penalty: c.penalty_json ? (JSON.parse(c.penalty_json) as PenaltyResult) : null,
        legalStatus: legalStatusOut(scheduleStatus(c.violation_date)),
        annualTurnover: entity.annual_turnover === null ? null : Number(entity.annual_turnover),
        version: c.version,
        events: events.map((e) => ({
          id: e.id,
          at: e.at,
          actor: e.actor,
          step: e.step,
          text: e.text,
          ...eventFields(JSON.parse(e.detail_json) as EventDetail),
        })),
        allowedSteps: steps,
      };
    },

    async step(ctx: RequestContext, id: string, input: CaseStepInput) {
      const rule = NEXT[input.step]!;
      const actor = requirePermission(
        ctx,
        rule.by === 'authority' ? 'enforcement.manage' : 'supervision.respond',
      );
      const c = await load(actor, id);
      if (rule.by === 'entity' && !supervisionPolicy.isEntity(actor, c.entity_id)) throw new ForbiddenError();
      if (!rule.from.includes(c.stage))
        throw new ConflictError(
          'wrong_case_stage',
          `The case is at "${c.stage}"; "${input.step}" follows ${rule.from.join(' or ')}.`,
        );
      const now = p.clock.now();
      const deadlines = engine.rulesOn(now).enforcement;
      const set: Record<string, unknown> = {
        stage: rule.to,
        updated_at: now.toISOString(),
        version: c.version + 1,
      };
      let detail: unknown = input;
      if (input.step === 'notice')
        set.next_deadline = new Date(now.getTime() + deadlines.noticeResponseDays * DAY).toISOString();
      if (input.step === 'response')
        set.next_deadline = new Date(now.getTime() + deadlines.hearingWithinDays * DAY).toISOString();
      if (input.step === 'hearing') {
        if (new Date(input.at) < now)
          throw new ValidationError('The hearing must be in the future.', { field: 'at' });
        set.next_deadline = new Date(input.at).toISOString();
      }
      if (input.step === 'decision') {
        // A sanction under rules that are not law (a placeholder, a draft, a proposed Act) is final only
        // when someone says why, in words the audit trail and the case file keep.
        const status = scheduleStatus(c.violation_date);
        const sanction = input.outcome !== 'dismissed';
        const override =
          sanction && status.status !== 'in_force' && input.overrideLegalStatus
            ? { reason: input.overrideLegalStatus.reason, by: actor.label, at: now.toISOString() }
            : null;
        let penalty: PenaltyResult | null = null;
        if (input.outcome === 'penalty') {
          const rules = penaltyRulesOn(penaltySets, c.violation_date)!;
          const entity = await db
            .selectFrom('entities')
            .select('annual_turnover')
            .where('id', '=', c.entity_id)
            .executeTakeFirstOrThrow();
          penalty = computePenalty(rules, {
            violation: c.violation,
            tier: await tierOn(c.entity_id, c.violation_date),
            // A turnover established in the proceedings (audited accounts) prevails over the registry's.
            annualTurnover: input.annualTurnover ?? entity.annual_turnover,
            factors: input.factors,
          });
        }
        // Checked after the penalty itself, so a mistake in the factors is reported first.
        if (sanction && status.status !== 'in_force' && !input.overrideLegalStatus)
          throw new AppError(
            422,
            'legal_status_override_required',
            `The penalty schedule for this violation is ${legalStatusLabel(status.status).toLowerCase()}, not law in force. To issue the decision as final anyway, give overrideLegalStatus.reason.`,
            { field: 'overrideLegalStatus' },
          );
        set.penalty_json = penalty ? JSON.stringify(penalty) : null;
        set.outcome = input.outcome;
        set.next_deadline = new Date(now.getTime() + deadlines.appealDays * DAY).toISOString();
        detail = { ...input, penalty, legalStatus: status, legalStatusOverride: override };
      }
      if (input.step === 'appeal' && c.next_deadline && now.toISOString() > c.next_deadline)
        throw new ConflictError(
          'appeal_window_closed',
          `The appeal period ended on ${c.next_deadline.slice(0, 10)}.`,
        );
      if (input.step === 'appeal')
        set.next_deadline = new Date(now.getTime() + deadlines.hearingWithinDays * DAY).toISOString();
      if (input.step === 'appeal_decision') {
        const prior = c.penalty_json ? (JSON.parse(c.penalty_json) as PenaltyResult) : null;
        if (input.outcome === 'reduced') {
          if (!prior || input.amount === undefined || input.amount >= prior.amount)
            throw new ValidationError('A reduced penalty needs an amount below the decided one.', {
              field: 'amount',
            });
          set.penalty_json = JSON.stringify({
            ...prior,
            amount: input.amount,
            explanation: [
              ...prior.explanation,
              `Reduced on appeal to ${prior.currency} ${Math.round(input.amount).toLocaleString('en-US')}.`,
            ],
          });
        }
        if (input.outcome === 'quashed') set.penalty_json = null;
        set.outcome = `${c.outcome ?? ''}; appeal ${input.outcome}`;
        set.next_deadline = null;
      }
      if (input.step === 'close') {
        if (c.stage === 'decided' && c.next_deadline && now.toISOString() <= c.next_deadline)
          throw new ConflictError(
            'appeal_window_open',
            `The entity may still appeal until ${c.next_deadline.slice(0, 10)}.`,
          );
        set.next_deadline = null;
      }
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('enforcement_cases')
          .set(set)
          .where('id', '=', id)
          .where('version', '=', c.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new ConflictError(
            'stale_version',
            'This case changed since you loaded it; reload and try again.',
          );
        await event(trx, id, actor.label, input.step, input.text, detail);
        const people =
          rule.by === 'authority'
            ? (await entityPeople(trx, c.entity_id)).map((u) => u.id)
            : await peopleReaching(trx, 'enforcement.manage', {}, ['national']);
        await p.notifications.notify(trx, people, {
          kind: 'enforcement.step',
          title: `${c.reference}: ${input.step.replace('_', ' ')}`,
          body: input.text.slice(0, 200),
          link: `/supervision/cases/${id}`,
          subject: { type: 'case', id: id },
        });
        await p.audit(trx, ctx, {
          action: `enforcement.${input.step}`,
          objectType: 'enforcement_case',
          objectId: id,
          before: { stage: c.stage },
          after: detail,
        });
      });
      return this.get(ctx, id);
    },

    async decisionLetter(ctx: RequestContext, id: string): Promise<{ pdf: Buffer; fileName: string }> {
      const actor = requirePermission(ctx, 'supervision.read');
      const c = await load(actor, id);
      const decision = await db
        .selectFrom('case_events')
        .selectAll()
        .where('case_id', '=', id)
        .where('step', '=', 'decision')
        .executeTakeFirst();
      if (!decision) throw new ConflictError('no_decision', 'The case has no decision yet.');
      const entity = await db
        .selectFrom('entities')
        .select(['name_en', 'registration_no'])
        .where('id', '=', c.entity_id)
        .executeTakeFirstOrThrow();
      const rules = penaltyRulesOn(penaltySets, c.violation_date);
      const penalty = c.penalty_json ? (JSON.parse(c.penalty_json) as PenaltyResult) : null;
      const pdf = await renderDecisionLetter({
        reference: c.reference,
        authority:
          p.catalog.profile.regulators.find((r) => r.code === rules?.authority)?.name.en ??
          rules?.authority ??
          '',
        entityName: entity.name_en,
        registrationNo: entity.registration_no,
        decidedAt: decision.at,
        violationName: rules?.violations.find((v) => v.code === c.violation)?.name ?? c.violation,
        violationDate: c.violation_date,
        facts: JSON.parse(c.facts_json) as string[],
        outcome: c.outcome ?? '',
        decisionText: decision.text,
        penalty,
        appealBy: c.stage === 'decided' && c.next_deadline ? c.next_deadline.slice(0, 10) : null,
        schedule: rules ? { version: rules.version, effectiveFrom: rules.effectiveFrom } : null,
        legalStatus: scheduleStatus(c.violation_date),
        override: (JSON.parse(decision.detail_json) as EventDetail).legalStatusOverride ?? null,
      });
      await auditRead(p, ctx, {
        action: 'export.decision_letter',
        objectType: 'case',
        objectId: id,
        detail: { reference: c.reference },
      });
      return { pdf, fileName: `${c.reference}-decision.pdf` };
    },
  };
}

/** What a step recorded besides its text: the hearing time, the outcome, the factors and the amount. */
interface EventDetail {
  at?: string;
  outcome?: string;
  factors?: { code: string; months?: number }[];
  annualTurnover?: number;
  amount?: number;
  penalty?: { amount: number } | null;
  legalStatusOverride?: { reason: string; by: string; at: string } | null;
}
function eventFields(d: EventDetail) {
  return {
    hearingAt: d.at ?? null,
    outcome: d.outcome ?? null,
    factors: d.factors ?? [],
    amount: d.penalty?.amount ?? d.amount ?? null,
    overrideReason: d.legalStatusOverride?.reason ?? null,
  };
}
