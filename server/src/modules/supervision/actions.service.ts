import type { z } from 'zod';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import { ATTACHMENT_TYPES } from '../incidents/workspace.service.ts';
import { actionOut, type AuditService } from './audits.service.ts';
import { evidenceOf } from './evidence.ts';
import type { ComplianceEngine } from './compliance.ts';
import { supervisionPolicy } from '../../platform/access/index.ts';
import type { ActionInput, ActionUpdateInput, VerifyInput } from './supervision.schemas.ts';

/**
 * Corrective action plans (POA&M): the entity files actions for each finding with owners,
 * milestones and due dates and reports progress with evidence; the lead auditor or the regulator
 * verifies closure. A finding closes when all its actions are verified. Past-due actions are
 * flagged by the compliance sweep.
 */
export function createActionService(p: Platform, engine: ComplianceEngine, audits: AuditService) {
  const { db } = p;

  const today = () => jurisdictionToday(p.clock, p.catalog.profile);

  async function loadAction(actor: Actor, id: string) {
    const a = await db.selectFrom('corrective_actions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a) throw new NotFoundError('corrective action');
    const audit = await audits.load(actor, a.audit_id).catch(() => null);
    if (!audit) throw new NotFoundError('corrective action');
    return { a, audit };
  }

  return {
    async list(ctx: RequestContext, q: { overdue?: boolean; entityId?: string }) {
      const actor = requirePermission(ctx, 'supervision.read');
      let query = db
        .selectFrom('corrective_actions')
        .innerJoin('audits', 'audits.id', 'corrective_actions.audit_id')
        .innerJoin('findings', 'findings.id', 'corrective_actions.finding_id')
        .innerJoin('entities', 'entities.id', 'corrective_actions.entity_id')
        .selectAll('corrective_actions')
        .select([
          'audits.reference',
          'findings.title as finding_title',
          'findings.severity',
          'entities.name_en',
        ])
        .where(
          'audits.id',
          'in',
          db.selectFrom('audits').select('audits.id').where(supervisionPolicy.auditWhere(actor)),
        );
      if (q.overdue)
        query = query
          .where('corrective_actions.overdue_at', 'is not', null)
          .where('corrective_actions.status', '!=', 'verified');
      if (q.entityId) query = query.where('corrective_actions.entity_id', '=', q.entityId);
      const rows = await query.orderBy('corrective_actions.due_on').limit(500).execute();
      const evidence = await evidenceOf(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => ({
        ...actionOut(r, evidence.get(r.id)),
        auditId: r.audit_id,
        auditReference: r.reference,
        findingTitle: r.finding_title,
        severity: r.severity,
        entityId: r.entity_id,
        entityName: r.name_en,
      }));
    },

    async add(ctx: RequestContext, findingId: string, input: z.infer<typeof ActionInput>) {
      const actor = requirePermission(ctx, 'supervision.respond');
      const f = await db.selectFrom('findings').selectAll().where('id', '=', findingId).executeTakeFirst();
      if (!f || !supervisionPolicy.isEntity(actor, f.entity_id)) throw new NotFoundError('finding');
      const audit = await audits.load(actor, f.audit_id);
      if (!['preliminary_issued', 'entity_responded', 'final_issued'].includes(audit.status))
        throw new ConflictError(
          'wrong_audit_stage',
          'Corrective actions are filed once the preliminary report is issued.',
        );
      if (f.status === 'closed') throw new ConflictError('finding_closed', 'This finding is closed.');
      const now = p.clock.now();
      const day = today();
      if (input.dueOn < day) throw new ValidationError('dueOn is in the past.', { field: 'dueOn' });
      for (const [i, m] of input.milestones.entries())
        if (m.dueOn > input.dueOn)
          throw new ValidationError('A milestone falls after the action’s due date.', {
            field: `milestones.${i}.dueOn`,
          });
      const id = newId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('corrective_actions')
          .values({
            id,
            finding_id: findingId,
            audit_id: f.audit_id,
            entity_id: f.entity_id,
            title: input.title,
            owner: input.owner,
            due_on: input.dueOn,
            milestones_json: JSON.stringify(input.milestones),
            status: 'open',
            created_by: actor.label,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          })
          .execute();
        await p.audit(trx, ctx, {
          action: 'supervision.action.create',
          objectType: 'corrective_action',
          objectId: id,
          after: { findingId, ...input },
        });
        await engine.schedule(trx, f.entity_id, now);
      });
      return { id };
    },

    async update(ctx: RequestContext, id: string, input: z.infer<typeof ActionUpdateInput>) {
      const actor = requirePermission(ctx, 'supervision.respond');
      const { a } = await loadAction(actor, id);
      if (!supervisionPolicy.isEntity(actor, a.entity_id)) throw new ForbiddenError();
      if (a.status === 'verified') throw new ConflictError('action_verified', 'A verified action is closed.');
      if (a.version !== input.version)
        throw new ConflictError(
          'stale_version',
          'This action changed since you loaded it; reload and try again.',
        );
      const now = p.clock.now();
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('corrective_actions')
          .set({
            status: input.status ?? (a.status === 'rejected' ? 'in_progress' : a.status),
            progress_note: input.progressNote !== undefined ? input.progressNote : a.progress_note,
            milestones_json: input.milestones ? JSON.stringify(input.milestones) : a.milestones_json,
            updated_at: now.toISOString(),
            version: a.version + 1,
          })
          .where('id', '=', id)
          .where('version', '=', a.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new ConflictError(
            'stale_version',
            'This action changed since you loaded it; reload and try again.',
          );
        await p.audit(trx, ctx, {
          action: 'supervision.action.update',
          objectType: 'corrective_action',
          objectId: id,
          before: { status: a.status },
          after: input,
        });
        await engine.schedule(trx, a.entity_id, now);
      });
      return { id };
    },

    /** One evidence file, to whoever may read the action (another scope's answers 404). */
    async evidenceFile(ctx: RequestContext, id: string, fileId: string) {
      const actor = requirePermission(ctx, 'supervision.read');
      await loadAction(actor, id);
      const f = await db
        .selectFrom('supervision_files')
        .selectAll()
        .where('id', '=', fileId)
        .where('owner_kind', '=', 'action')
        .where('owner_id', '=', id)
        .executeTakeFirst();
      if (!f) throw new NotFoundError('evidence file');
      const content = await p.files.read(f.sha256);
      await auditRead(p, ctx, {
        action: 'file.downloaded',
        objectType: 'corrective_action',
        objectId: id,
        detail: { fileId, fileName: f.file_name, sha256: f.sha256 },
      });
      return { content, fileName: f.file_name };
    },

    async attach(ctx: RequestContext, id: string, file: { content: Buffer; fileName: string }) {
      const actor = requirePermission(ctx, 'supervision.respond');
      const { a } = await loadAction(actor, id);
      if (!supervisionPolicy.isEntity(actor, a.entity_id)) throw new ForbiddenError();
      return db.transaction().execute(async (trx) => {
        const stored = await p.files.store(trx, {
          content: file.content,
          originalName: file.fileName,
          allowed: ATTACHMENT_TYPES,
          createdBy: actor.userId,
        });
        const fid = newId();
        await trx
          .insertInto('supervision_files')
          .values({
            id: fid,
            owner_kind: 'action',
            owner_id: id,
            file_id: stored.id,
            file_name: stored.originalName,
            size_bytes: stored.sizeBytes,
            sha256: stored.sha256,
            media_type: stored.mediaType,
            created_by: actor.label,
            created_at: p.clock.now().toISOString(),
          })
          .execute();
        await p.audit(trx, ctx, {
          action: 'supervision.action.evidence',
          objectType: 'corrective_action',
          objectId: id,
          after: { sha256: stored.sha256 },
        });
        return {
          id: fid,
          fileName: stored.originalName,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          mediaType: stored.mediaType,
        };
      });
    },

    /** Closure is verified by the audit's lead auditor or the sector's regulator, never by the entity. */
    async verify(ctx: RequestContext, id: string, input: z.infer<typeof VerifyInput>) {
      const actor = requirePermission(ctx, 'supervision.read');
      const { a, audit } = await loadAction(actor, id);
      const lead = audit.lead_auditor_id
        ? await db
            .selectFrom('auditors')
            .select('user_id')
            .where('id', '=', audit.lead_auditor_id)
            .executeTakeFirst()
        : undefined;
      const allowed = supervisionPolicy.canAudit(
        actor,
        'verify',
        { ...audit, leadUserId: lead?.user_id ?? null },
        p.clock.now().toISOString(),
      );
      if (!allowed)
        throw new ForbiddenError('Only the lead auditor or the regulator verifies corrective actions.');
      if (a.status !== 'submitted')
        throw new ConflictError(
          'not_submitted',
          'The entity has not submitted this action for verification.',
        );
      const now = p.clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('corrective_actions')
          .set({
            status: input.decision,
            review_comment: input.comment ?? null,
            verified_by: input.decision === 'verified' ? actor.label : null,
            verified_at: input.decision === 'verified' ? now.toISOString() : null,
            updated_at: now.toISOString(),
            version: a.version + 1,
          })
          .where('id', '=', id)
          .execute();
        if (input.decision === 'verified') {
          const open = await trx
            .selectFrom('corrective_actions')
            .select('id')
            .where('finding_id', '=', a.finding_id)
            .where('status', '!=', 'verified')
            .executeTakeFirst();
          if (!open)
            await trx
              .updateTable('findings')
              .set({ status: 'closed', closed_at: now.toISOString() })
              .where('id', '=', a.finding_id)
              .execute();
        }
        await p.audit(trx, ctx, {
          action: `supervision.action.${input.decision}`,
          objectType: 'corrective_action',
          objectId: id,
          after: input,
        });
        await engine.schedule(trx, a.entity_id, now);
      });
      return { id };
    },
  };
}
