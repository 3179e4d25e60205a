import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/types.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { toIsoDate } from '../../platform/jurisdiction/time.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import { entityPeople } from '../../platform/notifications/people.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditorService } from './auditors.service.ts';
import type { ComplianceEngine } from './compliance.ts';
import { supervisionPolicy } from '../../platform/access/index.ts';
import type {
  AssignInput,
  ChecklistInput,
  FinalInput,
  FindingInput,
  FindingResponseInput,
} from './supervision.schemas.ts';
import { evidenceOf, type EvidenceOut } from './evidence.ts';
import {
  answerFinding,
  auditorOfUser,
  auditParts,
  checklistItems,
  findAudit,
  findFinding,
  frameworkExists,
  insertChecklist,
  insertFinding,
  listAudits,
  setChecklistResult,
  unansweredFindings,
  updateAuditAtVersion,
  userOfAuditor,
  type AuditRow,
} from './audits.repo.ts';

const entityPeopleIds = async (trx: Transaction<DB>, entityId: string) =>
  (await entityPeople(trx, entityId)).map((u) => u.id);

/**
 * Audits from plan to final report: assignment of a licensed auditor without conflicts, a checklist
 * generated from the framework, findings, the preliminary report the entity must answer within the
 * sector's period, and the final report. Only the assigned auditor writes the audit record.
 */
export function createAuditService(p: Platform, engine: ComplianceEngine, auditors: AuditorService) {
  const { db } = p;
  const today = () => jurisdictionToday(p.clock, p.catalog.profile);

  async function load(actor: Actor, id: string) {
    const row = await findAudit(db, actor, id);
    if (!row) throw new NotFoundError('audit');
    return row;
  }

  /** The lead auditor of this audit, or a refusal. */
  async function asLead(ctx: RequestContext, id: string) {
    const actor = requirePermission(ctx, 'supervision.audit');
    const audit = await load(actor, id);
    const me = await auditorOfUser(db, actor.userId ?? '-');
    if (!me || audit.lead_auditor_id !== me.id) throw new NotFoundError('audit');
    return { actor, audit };
  }

  async function bump(trx: Transaction<DB>, audit: AuditRow, set: Record<string, unknown>) {
    if (!(await updateAuditAtVersion(trx, audit, set, p.clock.now().toISOString())))
      throw new ConflictError(
        'stale_version',
        'This audit changed since you loaded it; reload and try again.',
      );
  }

  function expectStatus(audit: AuditRow, ...allowed: string[]) {
    if (!allowed.includes(audit.status))
      throw new ConflictError(
        'wrong_audit_stage',
        `The audit is ${audit.status.replace('_', ' ')}; this step needs it to be ${allowed.join(' or ').replace(/_/g, ' ')}.`,
      );
  }

  return {
    load: (actor: Actor, id: string) => load(actor, id),

    async list(ctx: RequestContext, q: { status?: string; entityId?: string }) {
      const actor = requirePermission(ctx, 'supervision.read');
      const rows = await listAudits(db, actor, q);
      return rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        entityId: r.entity_id,
        entityName: r.name_en,
        sector: r.sector,
        status: r.status,
        auditor: r.auditor_name,
        responseDueAt: r.response_due_at,
        finalIssuedAt: r.final_issued_at,
        openFindings: Number(r.open_findings ?? 0),
      }));
    },

    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'supervision.read');
      const a = await load(actor, id);
      const { entity, lead, checklist, findings, actions } = await auditParts(db, a);
      const evidence = await evidenceOf(
        db,
        actions.map((x) => x.id),
      );
      const allowed = supervisionPolicy.auditActions(
        actor,
        { ...a, leadUserId: lead?.user_id ?? null },
        p.clock.now().toISOString(),
      );
      return {
        id: a.id,
        reference: a.reference,
        planId: a.plan_id,
        entityId: a.entity_id,
        entityName: entity.name_en,
        ciiTier: entity.cii_tier,
        sector: a.sector,
        frameworkId: a.framework_id,
        scope: JSON.parse(a.scope_json) as { requirements: string[]; sites: string[]; systems: string[] },
        status: a.status,
        version: a.version,
        leadAuditor: lead ? { id: lead.id, name: lead.display_name, firm: lead.firm } : null,
        responseDays: a.response_days,
        preliminaryIssuedAt: a.preliminary_issued_at,
        responseDueAt: a.response_due_at,
        respondedAt: a.responded_at,
        finalIssuedAt: a.final_issued_at,
        finalSummary: a.final_summary,
        closedAt: a.closed_at,
        checklist: checklist.map((c) => ({
          itemId: c.item_id,
          statement: c.statement,
          result: c.result,
          note: c.note,
        })),
        findings: findings.map((f) => ({
          id: f.id,
          itemId: f.item_id,
          title: f.title,
          description: f.description,
          severity: f.severity,
          status: f.status,
          entityResponse: f.entity_response,
          respondedAt: f.responded_at,
          createdAt: f.created_at,
          actions: actions.filter((x) => x.finding_id === f.id).map((x) => actionOut(x, evidence.get(x.id))),
        })),
        allowedActions: allowed,
      };
    },

    async assign(ctx: RequestContext, id: string, input: z.infer<typeof AssignInput>) {
      const actor = requirePermission(ctx, 'supervision.manage');
      const a = await load(actor, id);
      expectStatus(a, 'planned');
      if (a.version !== input.version)
        throw new ConflictError(
          'stale_version',
          'This audit changed since you loaded it; reload and try again.',
        );
      await auditors.assertAssignable(input.leadAuditorId, a.entity_id, today());
      if (input.frameworkId) {
        if (!(await frameworkExists(db, input.frameworkId)))
          throw new ValidationError(`There is no framework "${input.frameworkId}".`, {
            field: 'frameworkId',
          });
      }
      await db.transaction().execute(async (trx) => {
        await bump(trx, a, {
          lead_auditor_id: input.leadAuditorId,
          framework_id: input.frameworkId ?? a.framework_id,
          scope_json: input.scope ? JSON.stringify(input.scope) : a.scope_json,
        });
        const user = await userOfAuditor(trx, input.leadAuditorId);
        await p.notifications.notify(trx, [user.user_id], {
          kind: 'supervision.audit_assigned',
          title: `Audit ${a.reference} is assigned to you`,
          body: 'Open it to start fieldwork.',
          link: `/supervision/audits/${id}`,
          subject: { type: 'audit', id: id },
        });
        await p.audit(trx, ctx, {
          action: 'supervision.audit.assign',
          objectType: 'audit',
          objectId: id,
          before: { leadAuditorId: a.lead_auditor_id },
          after: input,
        });
      });
      return this.get(ctx, id);
    },

    /** Starts fieldwork: the checklist is generated from the framework's assessable requirements in scope. */
    async start(ctx: RequestContext, id: string) {
      const { audit } = await asLead(ctx, id);
      expectStatus(audit, 'planned');
      const scope = JSON.parse(audit.scope_json) as { requirements: string[] };
      const rows = await checklistItems(db, audit.framework_id, scope.requirements);
      await db.transaction().execute(async (trx) => {
        await bump(trx, audit, { status: 'fieldwork' });
        await insertChecklist(trx, id, rows);
        await p.audit(trx, ctx, {
          action: 'supervision.audit.start',
          objectType: 'audit',
          objectId: id,
          after: { checklist: rows.length },
        });
      });
      return this.get(ctx, id);
    },

    async check(ctx: RequestContext, id: string, itemId: string, input: z.infer<typeof ChecklistInput>) {
      const { actor, audit } = await asLead(ctx, id);
      expectStatus(audit, 'fieldwork');
      await db.transaction().execute(async (trx) => {
        const found = await setChecklistResult(trx, id, itemId, {
          result: input.result,
          note: input.note ?? null,
          updated_by: actor.label,
          updated_at: p.clock.now().toISOString(),
        });
        if (!found) throw new NotFoundError('checklist item');
        await p.audit(trx, ctx, {
          action: 'supervision.audit.check',
          objectType: 'audit',
          objectId: id,
          after: { itemId, ...input },
        });
      });
      return { ok: true };
    },

    async addFinding(ctx: RequestContext, id: string, input: z.infer<typeof FindingInput>) {
      const { actor, audit } = await asLead(ctx, id);
      expectStatus(audit, 'fieldwork');
      const fid = newId();
      await db.transaction().execute(async (trx) => {
        await insertFinding(trx, {
          id: fid,
          audit_id: id,
          entity_id: audit.entity_id,
          item_id: input.itemId ?? null,
          title: input.title,
          description: input.description,
          severity: input.severity,
          created_by: actor.label,
          created_at: p.clock.now().toISOString(),
        });
        await p.audit(trx, ctx, {
          action: 'supervision.finding.create',
          objectType: 'finding',
          objectId: fid,
          after: { auditId: id, ...input },
        });
        await engine.schedule(trx, audit.entity_id, p.clock.now());
      });
      return { id: fid };
    },

    /** The preliminary report: the entity must answer within the sector's period (7 days for telecom). */
    async issuePreliminary(ctx: RequestContext, id: string) {
      const { audit } = await asLead(ctx, id);
      expectStatus(audit, 'fieldwork');
      const now = p.clock.now();
      const cal = await p.calendar.businessCalendar();
      const due = new Date(now.getTime() + audit.response_days * 86_400_000);
      await db.transaction().execute(async (trx) => {
        await bump(trx, audit, {
          status: 'preliminary_issued',
          preliminary_issued_at: now.toISOString(),
          response_due_at: due.toISOString(),
        });
        await p.notifications.notify(trx, await entityPeopleIds(trx, audit.entity_id), {
          kind: 'supervision.preliminary',
          title: `Preliminary audit report ${audit.reference}`,
          body: `Answer each finding and file corrective actions by ${toIsoDate(cal.localDate(due))}.`,
          link: `/supervision/audits/${id}`,
          subject: { type: 'audit', id: id },
        });
        await p.audit(trx, ctx, {
          action: 'supervision.audit.preliminary',
          objectType: 'audit',
          objectId: id,
          after: { responseDueAt: due.toISOString() },
        });
      });
      return this.get(ctx, id);
    },

    async respondFinding(
      ctx: RequestContext,
      findingId: string,
      input: z.infer<typeof FindingResponseInput>,
    ) {
      const actor = requirePermission(ctx, 'supervision.respond');
      const f = await findFinding(db, findingId);
      if (!f || !supervisionPolicy.isEntity(actor, f.entity_id)) throw new NotFoundError('finding');
      const audit = await load(actor, f.audit_id);
      expectStatus(audit, 'preliminary_issued');
      await db.transaction().execute(async (trx) => {
        await answerFinding(trx, findingId, input.response, p.clock.now().toISOString(), f.version);
        await p.audit(trx, ctx, {
          action: 'supervision.finding.respond',
          objectType: 'finding',
          objectId: findingId,
          after: input,
        });
      });
      return { ok: true };
    },

    /** The entity sends its answers to the preliminary report: every finding must be answered. */
    async submitResponse(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'supervision.respond');
      const audit = await load(actor, id);
      if (!supervisionPolicy.isEntity(actor, audit.entity_id)) throw new ForbiddenError();
      expectStatus(audit, 'preliminary_issued');
      const unanswered = await unansweredFindings(db, id);
      if (unanswered.length)
        throw new ValidationError(
          `Answer every finding first (${unanswered.length} left: ${unanswered
            .map((u) => u.title)
            .join('; ')
            .slice(0, 300)}).`,
          { field: 'findings' },
        );
      await db.transaction().execute(async (trx) => {
        await bump(trx, audit, { status: 'entity_responded', responded_at: p.clock.now().toISOString() });
        if (audit.lead_auditor_id) {
          const lead = await userOfAuditor(trx, audit.lead_auditor_id);
          await p.notifications.notify(trx, [lead.user_id], {
            kind: 'supervision.responded',
            title: `${audit.reference}: the entity answered the preliminary report`,
            body: 'Review the answers and corrective actions, then issue the final report.',
            link: `/supervision/audits/${id}`,
            subject: { type: 'audit', id: id },
          });
        }
        await p.audit(trx, ctx, {
          action: 'supervision.audit.respond',
          objectType: 'audit',
          objectId: id,
          after: {},
        });
      });
      return this.get(ctx, id);
    },

    async issueFinal(ctx: RequestContext, id: string, input: z.infer<typeof FinalInput>) {
      const { audit } = await asLead(ctx, id);
      const lapsed =
        audit.status === 'preliminary_issued' && audit.response_due_at! < p.clock.now().toISOString();
      if (!lapsed) expectStatus(audit, 'entity_responded');
      const now = p.clock.now();
      await db.transaction().execute(async (trx) => {
        await bump(trx, audit, {
          status: 'final_issued',
          final_issued_at: now.toISOString(),
          final_summary: input.summary,
        });
        await p.notifications.notify(trx, await entityPeopleIds(trx, audit.entity_id), {
          kind: 'supervision.final',
          title: `Final audit report ${audit.reference}`,
          body: 'The final report is issued; keep your corrective actions on schedule.',
          link: `/supervision/audits/${id}`,
          subject: { type: 'audit', id: id },
        });
        await p.audit(trx, ctx, {
          action: 'supervision.audit.final',
          objectType: 'audit',
          objectId: id,
          after: { lapsedResponse: lapsed },
        });
        await engine.schedule(trx, audit.entity_id, now);
      });
      return this.get(ctx, id);
    },

    async close(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'supervision.manage');
      const audit = await load(actor, id);
      expectStatus(audit, 'final_issued');
      await db.transaction().execute(async (trx) => {
        await bump(trx, audit, { status: 'closed', closed_at: p.clock.now().toISOString() });
        await p.audit(trx, ctx, {
          action: 'supervision.audit.close',
          objectType: 'audit',
          objectId: id,
          after: {},
        });
      });
      return this.get(ctx, id);
    },
  };
}

export function actionOut(
  a: {
    id: string;
    finding_id: string;
    title: string;
    owner: string;
    due_on: string;
    milestones_json: string;
    status: string;
    progress_note: string | null;
    overdue_at: string | null;
    review_comment: string | null;
    verified_by: string | null;
    verified_at: string | null;
    version: number;
    updated_at: string;
  },
  evidence: EvidenceOut[] = [],
) {
  return {
    id: a.id,
    findingId: a.finding_id,
    title: a.title,
    owner: a.owner,
    dueOn: a.due_on,
    milestones: JSON.parse(a.milestones_json) as { title: string; dueOn: string; done: boolean }[],
    status: a.status,
    progressNote: a.progress_note,
    overdue: a.overdue_at !== null && a.status !== 'verified',
    reviewComment: a.review_comment,
    verifiedBy: a.verified_by,
    verifiedAt: a.verified_at,
    version: a.version,
    updatedAt: a.updated_at,
    evidence,
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
