import type { z } from 'zod';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { MediaType } from '../../platform/files/magic.ts';
import { newId } from '../../platform/ids.ts';
import { entityPeople } from '../../platform/notifications/people.ts';
import type { Platform } from '../../platform/platform.ts';
import { loadForChange, loadIncident } from './incident-access.ts';
import { incidentPolicy, isHolder } from '../../platform/access/index.ts';
import type {
  NoteInput,
  ObservablesInput,
  RfiInput,
  RfiReplyInput,
  TaskInput,
  TaskUpdateInput,
} from './incidents.schemas.ts';
import { attachObservables } from './observables.store.ts';
import { addEvent, usersToAlert } from './timeline.ts';

/** Attachments: documents, images, logs and packet-capture archives; never executables. */
export const ATTACHMENT_TYPES: readonly MediaType[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/gzip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

/** The CERT's work on an incident (tasks, notes, observables, requests for information) and the entity's replies. */
export function createWorkspaceService(p: Platform) {
  const { db } = p;

  async function assignee(id: string | null | undefined) {
    if (!id) return null;
    if (!(await isHolder(db, id, 'incidents.handle')))
      throw new ValidationError('The assignee must be an active CERT or Authority handler.', {
        field: 'assigneeId',
      });
    return id;
  }

  return {
    async addTask(ctx: RequestContext, incidentId: string, input: z.infer<typeof TaskInput>) {
      const actor = requirePermission(ctx, 'incidents.handle');
      await loadForChange(db, actor, incidentId);
      const who = await assignee(input.assigneeId);
      const now = p.clock.now();
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('incident_tasks')
          .values({
            id,
            incident_id: incidentId,
            title: input.title,
            assignee_id: who,
            due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null,
            status: 'open',
            created_by: actor.label,
            created_at: now.toISOString(),
          })
          .execute();
        await addEvent(trx, incidentId, now, actor.label, 'task', `Task added: ${input.title}`, true);
        await p.audit(trx, ctx, {
          action: 'incident.task.create',
          objectType: 'incident',
          objectId: incidentId,
          after: { taskId: id, ...input },
        });
      });
      return { id };
    },

    async updateTask(
      ctx: RequestContext,
      incidentId: string,
      taskId: string,
      input: z.infer<typeof TaskUpdateInput>,
    ) {
      const actor = requirePermission(ctx, 'incidents.handle');
      await loadForChange(db, actor, incidentId);
      const task = await db
        .selectFrom('incident_tasks')
        .selectAll()
        .where('id', '=', taskId)
        .where('incident_id', '=', incidentId)
        .executeTakeFirst();
      if (!task) throw new NotFoundError('task');
      if (task.version !== input.version)
        throw new ConflictError(
          'stale_version',
          'Someone changed this task since you loaded it; reload and try again.',
        );
      const who = input.assigneeId === undefined ? task.assignee_id : await assignee(input.assigneeId);
      const now = p.clock.now();
      const status = input.status ?? task.status;
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('incident_tasks')
          .set({
            title: input.title ?? task.title,
            status,
            assignee_id: who,
            done_at: status === 'done' ? (task.done_at ?? now.toISOString()) : null,
            version: task.version + 1,
          })
          .where('id', '=', taskId)
          .where('version', '=', task.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new ConflictError(
            'stale_version',
            'Someone changed this task since you loaded it; reload and try again.',
          );
        if (status !== task.status)
          await addEvent(
            trx,
            incidentId,
            now,
            actor.label,
            'task',
            `Task ${status === 'done' ? 'done' : 'reopened'}: ${input.title ?? task.title}`,
            true,
          );
        await p.audit(trx, ctx, {
          action: 'incident.task.update',
          objectType: 'incident',
          objectId: incidentId,
          before: { taskId, status: task.status },
          after: { taskId, ...input },
        });
      });
      return { id: taskId };
    },

    async addNote(ctx: RequestContext, incidentId: string, input: z.infer<typeof NoteInput>) {
      const actor = requirePermission(ctx, 'incidents.handle');
      const { row } = await loadForChange(db, actor, incidentId);
      const now = p.clock.now();
      await db.transaction().execute(async (trx) => {
        await addEvent(trx, incidentId, now, actor.label, 'note', input.text, input.internal);
        if (!input.internal) {
          const people = await entityPeople(trx, row.entity_id);
          await p.notifications.notify(
            trx,
            people.map((u) => u.id),
            {
              kind: 'incident.note',
              title: `${row.reference}: a message from ${actor.label}`,
              body: input.text.slice(0, 200),
              link: `/incidents/${incidentId}`,
              subject: { type: 'incident', id: incidentId },
            },
          );
        }
        await p.audit(trx, ctx, {
          action: 'incident.note',
          objectType: 'incident',
          objectId: incidentId,
          after: { internal: input.internal },
        });
      });
      return { ok: true };
    },

    /** A request for information to the reporting entity, which its people are told about at once. */
    async askRfi(ctx: RequestContext, incidentId: string, input: z.infer<typeof RfiInput>) {
      const actor = requirePermission(ctx, 'incidents.handle');
      const { row } = await loadForChange(db, actor, incidentId);
      const now = p.clock.now();
      if (input.dueAt && new Date(input.dueAt) <= now)
        throw new ValidationError('dueAt must be in the future.', { field: 'dueAt' });
      const id = newId(now.getTime());
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('incident_rfis')
          .values({
            id,
            incident_id: incidentId,
            question: input.question,
            asked_by: actor.label,
            asked_at: now.toISOString(),
            due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null,
          })
          .execute();
        await addEvent(trx, incidentId, now, actor.label, 'rfi', `Requested information: ${input.question}`);
        const people = await entityPeople(trx, row.entity_id);
        await p.notifications.notify(
          trx,
          people.map((u) => u.id),
          {
            kind: 'incident.rfi',
            title: `${row.reference}: the CERT asks for information`,
            body: input.question.slice(0, 200),
            link: `/incidents/${incidentId}`,
            subject: { type: 'incident', id: incidentId },
          },
        );
        for (const u of people)
          await p.mailer.queue(trx, {
            to: u.email,
            subject: `${row.reference}: request for information`,
            text: `${actor.label} asks:\n\n${input.question}\n\nReply at ${p.config.publicUrl}/incidents/${incidentId}`,
          });
        await p.audit(trx, ctx, {
          action: 'incident.rfi.create',
          objectType: 'incident',
          objectId: incidentId,
          after: { rfiId: id },
        });
      });
      return { id };
    },

    async replyRfi(
      ctx: RequestContext,
      incidentId: string,
      rfiId: string,
      input: z.infer<typeof RfiReplyInput>,
    ) {
      const actor = requirePermission(ctx, 'incidents.report');
      const { row } = await loadIncident(db, actor, incidentId);
      if (!incidentPolicy.isReporter(actor, row))
        throw new ForbiddenError('Only the reporting entity answers its requests for information.');
      const rfi = await db
        .selectFrom('incident_rfis')
        .selectAll()
        .where('id', '=', rfiId)
        .where('incident_id', '=', incidentId)
        .executeTakeFirst();
      if (!rfi) throw new NotFoundError('request for information');
      if (rfi.answered_at)
        throw new ConflictError('already_answered', 'This request has already been answered.');
      const now = p.clock.now();
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('incident_rfis')
          .set({ answer: input.answer, answered_by: actor.label, answered_at: now.toISOString() })
          .where('id', '=', rfiId)
          .where('answered_at', 'is', null)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new ConflictError('already_answered', 'This request has already been answered.');
        await addEvent(trx, incidentId, now, actor.label, 'rfi_reply', `Answered: ${input.answer}`);
        await p.notifications.notify(trx, await usersToAlert(trx, row), {
          kind: 'incident.rfi_reply',
          title: `${row.reference}: the entity replied`,
          body: input.answer.slice(0, 200),
          link: `/incidents/${incidentId}`,
          subject: { type: 'incident', id: incidentId },
        });
        await p.audit(trx, ctx, {
          action: 'incident.rfi.reply',
          objectType: 'incident',
          objectId: incidentId,
          after: { rfiId },
        });
      });
      return { ok: true };
    },

    async addObservables(ctx: RequestContext, incidentId: string, input: z.infer<typeof ObservablesInput>) {
      const actor = requirePermission(ctx, 'incidents.handle');
      await loadForChange(db, actor, incidentId);
      const now = p.clock.now();
      return db.transaction().execute(async (trx) => {
        const added = await attachObservables(trx, incidentId, input.items, actor.label, now, 'items');
        if (added)
          await addEvent(
            trx,
            incidentId,
            now,
            actor.label,
            'observable',
            `Added ${added} observable${added === 1 ? '' : 's'}.`,
            true,
          );
        await p.audit(trx, ctx, {
          action: 'incident.observables.add',
          objectType: 'incident',
          objectId: incidentId,
          after: { added },
        });
        return { added };
      });
    },

    /** Attaches a file: the reporting entity or a handler; type checked by content, size bounded. */
    async attach(ctx: RequestContext, incidentId: string, file: { content: Buffer; fileName: string }) {
      const actor = requirePermission(ctx, 'incidents.read');
      const { row, named } = await loadIncident(db, actor, incidentId);
      if (!incidentPolicy.can(actor, 'attach', row, named)) throw new ForbiddenError();
      const now = p.clock.now();
      return db.transaction().execute(async (trx) => {
        const stored = await p.files.store(trx, {
          content: file.content,
          originalName: file.fileName,
          allowed: ATTACHMENT_TYPES,
          createdBy: actor.userId,
        });
        const id = newId(now.getTime());
        await trx
          .insertInto('incident_files')
          .values({
            id,
            incident_id: incidentId,
            file_id: stored.id,
            file_name: stored.originalName,
            size_bytes: stored.sizeBytes,
            sha256: stored.sha256,
            media_type: stored.mediaType,
            created_by: actor.label,
            created_at: now.toISOString(),
          })
          .execute();
        await addEvent(trx, incidentId, now, actor.label, 'file', `Attached ${stored.originalName}.`);
        await p.audit(trx, ctx, {
          action: 'incident.file.attach',
          objectType: 'incident',
          objectId: incidentId,
          after: { fileId: id, sha256: stored.sha256 },
        });
        return {
          id,
          fileName: stored.originalName,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          mediaType: stored.mediaType,
        };
      });
    },

    async download(ctx: RequestContext, incidentId: string, fileId: string) {
      const actor = requirePermission(ctx, 'incidents.read');
      await loadForChange(db, actor, incidentId);
      const f = await db
        .selectFrom('incident_files')
        .selectAll()
        .where('id', '=', fileId)
        .where('incident_id', '=', incidentId)
        .executeTakeFirst();
      if (!f) throw new NotFoundError('file');
      const content = await p.files.read(f.sha256);
      await auditRead(p, ctx, {
        action: 'file.downloaded',
        objectType: 'incident',
        objectId: incidentId,
        detail: { fileId, fileName: f.file_name, sha256: f.sha256 },
      });
      return { content, fileName: f.file_name, mediaType: f.media_type };
    },
  };
}
