import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { IncidentDuties } from '../../db/types.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { legalStatusOut, UNKNOWN_LEGAL_STATUS } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import { detailsOf, type IncidentRow } from './duties.ts';
import type { DutyStatus } from './rules/deadlines.ts';
import { holdersOf, incidentPolicy, isHolder } from '../../platform/access/index.ts';
import { loadForChange, loadIncident } from './incident-access.ts';
import {
  STATUSES,
  type IncidentStatus,
  type IncidentUpdateInput,
  type ListQuery,
} from './incidents.schemas.ts';
import {
  dutiesOf,
  filesOf,
  incidentsFor,
  listIncidents,
  namedRecipients,
  observablesOf,
  openStagesOf,
  recipientsOf,
  relatedTo,
  reporterView,
  reportsOf,
  rfisOf,
  tasksOf,
  timelineOf,
  updateAtVersion,
} from './incidents.repo.ts';
import { addEvent } from './timeline.ts';
import type { ReportService } from './report.service.ts';

/** Forward moves are free; going back is allowed only to reopen. */
const REOPEN_TO: IncidentStatus = 'investigating';

export function createIncidentService(p: Platform, reports: ReportService) {
  const { db } = p;
  const regimeNames = new Map(reports.engine.sets.map((s) => [`${s.code}@${s.version}`, s]));

  const summary = (
    r: IncidentRow & { entity_name: string; assignee_name: string | null; late: number | string | null },
    actor: Actor,
    content: boolean,
  ) => ({
    id: r.id,
    reference: r.reference,
    entityId: r.entity_id,
    entityName: r.entity_name,
    sector: r.sector,
    adminUnit: r.admin_unit,
    title: content ? r.title : `Restricted report (TLP:${r.tlp})`,
    severity: r.severity,
    rsitClass: r.rsit_class,
    rsitType: r.rsit_type,
    tlp: r.tlp,
    status: r.status,
    awareAt: r.aware_at,
    reportedAt: r.reported_at,
    nextDueAt: r.next_due_at,
    overdueDuties: r.overdue_duties,
    late: Number(r.late ?? 0) > 0,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    restricted: !content,
    mine: incidentPolicy.isReporter(actor, r),
  });

  const dutyOut = (d: Selectable<IncidentDuties>) => {
    const rs = regimeNames.get(`${d.regime}@${d.regime_version}`);
    const stage = rs?.stages.find((s) => s.code === d.stage);
    return {
      id: d.id,
      regime: d.regime,
      regimeName: rs?.name.en ?? d.regime,
      regimeVersion: d.regime_version,
      legalStatus: legalStatusOut(rs?.legalStatus ?? UNKNOWN_LEGAL_STATUS),
      authority: d.authority,
      stage: d.stage,
      stageName: stage?.name.en ?? d.stage,
      kind: d.kind,
      required: stage?.required ?? [],
      dueAt: d.due_at,
      waitingOn: d.waiting_on,
      basis: d.basis,
      status: d.status as DutyStatus,
      metAt: d.met_at,
    };
  };

  return {
    /** The queue (open incidents by severity, then nearest deadline) or the most recent reports. */
    async list(ctx: RequestContext, q: ListQuery) {
      const actor = requirePermission(ctx, 'incidents.read');
      const { total, rows } = await listIncidents(db, actor, q);
      const named = await namedRecipients(
        db,
        rows.filter((r) => r.tlp === 'RED').map((r) => r.id),
      );
      return {
        total,
        items: rows.map((r) =>
          summary(r, actor, incidentPolicy.readsContent(actor, r, named.get(r.id) ?? [])),
        ),
      };
    },

    /** The incident as its page opens it; a reader who sees a TLP:RED report's content leaves a trace. */
    async open(ctx: RequestContext, id: string) {
      requirePermission(ctx, 'incidents.read');
      const d = await this.get(ctx, id);
      if (d.tlp === 'RED' && d.details)
        await auditRead(p, ctx, {
          action: 'incident.read_red',
          objectType: 'incident',
          objectId: id,
          detail: { reference: d.reference },
        });
      return d;
    },

    /** One incident with its duties, reports, timeline and workspace; content hidden from restricted readers. */
    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'incidents.read');
      const { row, named, content } = await loadIncident(db, actor, id);
      const full = await incidentsFor(db, actor).where('incidents.id', '=', id).executeTakeFirstOrThrow();
      const allowed = incidentPolicy.actions(actor, row, named);
      const handler = allowed.includes('handle');
      // What a restricted reader may not read is not even loaded. One query after another: a
      // page holds one pooled connection at a time, however busy the server is.
      const duties = await dutiesOf(db, id);
      const reportRows = await reportsOf(db, id);
      const events = content ? await timelineOf(db, id, handler) : [];
      const tasks = handler ? await tasksOf(db, id) : [];
      const rfis = content ? await rfisOf(db, id) : [];
      const observables = content ? await observablesOf(db, id) : [];
      const recipients = await recipientsOf(db, id);
      const files = content ? await filesOf(db, id) : [];
      // Correlation: other incidents that share an observable, for handlers only.
      const related = handler && observables.length ? await relatedTo(db, id) : [];
      return {
        ...summary(full, actor, content),
        version: row.version,
        details: content ? detailsOf(row) : null,
        duties: duties.map(dutyOut),
        reports: reportRows.map((r) => ({
          id: r.id,
          kind: r.kind,
          satisfies: JSON.parse(r.satisfies_json) as string[],
          submittedBy: r.submitted_by,
          submittedAt: r.submitted_at,
        })),
        timeline: events.map((e) => ({
          id: e.id,
          at: e.at,
          actor: e.actor,
          kind: e.kind,
          text: e.text,
          internal: e.internal === 1,
        })),
        tasks: tasks.map((t) => ({
          id: t.id,
          title: t.title,
          assignee: t.assignee_id ? { id: t.assignee_id, name: t.assignee_name ?? '' } : null,
          dueAt: t.due_at,
          status: t.status,
          version: t.version,
          createdBy: t.created_by,
          createdAt: t.created_at,
          doneAt: t.done_at,
        })),
        rfis: rfis.map((r) => ({
          id: r.id,
          question: r.question,
          askedBy: r.asked_by,
          askedAt: r.asked_at,
          dueAt: r.due_at,
          answer: r.answer,
          answeredBy: r.answered_by,
          answeredAt: r.answered_at,
        })),
        observables: observables.map((o) => ({
          id: o.id,
          type: o.type,
          value: o.value,
          otherIncidents: handler ? Math.max(0, o.incident_count - 1) : null,
        })),
        related: related.map((r) => ({
          id: r.id,
          reference: r.reference,
          title: r.tlp === 'RED' ? `Restricted report (TLP:RED)` : r.title,
          sector: r.sector,
          shared: Number(r.shared),
        })),
        recipients,
        files: files.map((f) => ({
          id: f.id,
          fileName: f.file_name,
          sizeBytes: f.size_bytes,
          sha256: f.sha256,
          mediaType: f.media_type,
          createdBy: f.created_by,
          createdAt: f.created_at,
        })),
        allowedActions: allowed,
      };
    },

    /** What the reporter gets back: the reference and the duties now running (no read permission needed). */
    async created(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'incidents.report');
      const row = await reporterView(db, id);
      if (!row || !incidentPolicy.isReporter(actor, row)) throw new NotFoundError('incident');
      const duties = await dutiesOf(db, id);
      return { id: row.id, reference: row.reference, duties: duties.map(dutyOut) };
    },

    /** Triage: status, assignee and severity, with optimistic concurrency. */
    async update(ctx: RequestContext, id: string, input: z.infer<typeof IncidentUpdateInput>) {
      const actor = requirePermission(ctx, 'incidents.handle');
      const { row } = await loadForChange(db, actor, id);
      if (row.version !== input.version)
        throw new ConflictError(
          'stale_version',
          'Someone changed this incident since you loaded it; reload and try again.',
        );
      const now = p.clock.now();
      const changes: string[] = [];
      const set: Record<string, unknown> = { version: row.version + 1, updated_at: now.toISOString() };
      if (input.status && input.status !== row.status) {
        const from = STATUSES.indexOf(row.status as IncidentStatus);
        const to = STATUSES.indexOf(input.status);
        if (to < from && !(input.status === REOPEN_TO && ['resolved', 'closed'].includes(row.status)))
          throw new ValidationError(
            `An incident moves from ${row.status} to a later status, or is reopened to ${REOPEN_TO}.`,
            { field: 'status' },
          );
        if (input.status === 'closed') {
          const open = await openStagesOf(db, id);
          if (open.length)
            throw new ConflictError(
              'reports_outstanding',
              `Reports are still owed (${[...new Set(open.map((o) => o.stage))].join(', ')}); close the incident once they are in.`,
            );
        }
        set.status = input.status;
        set.closed_at = input.status === 'closed' ? now.toISOString() : null;
        changes.push(`status ${row.status} → ${input.status}`);
      }
      if (input.assigneeId !== undefined && input.assigneeId !== row.assignee_id) {
        if (input.assigneeId) {
          const ok = await isHolder(db, input.assigneeId, 'incidents.handle');
          if (!ok)
            throw new ValidationError('The assignee must be an active CERT or Authority handler.', {
              field: 'assigneeId',
            });
          changes.push(`assigned to ${ok.display_name}`);
        } else changes.push('unassigned');
        set.assignee_id = input.assigneeId;
      }
      if (input.severity && input.severity !== row.severity) {
        set.severity = input.severity;
        changes.push(`severity ${row.severity} → ${input.severity}`);
      }
      if (!changes.length) return this.get(ctx, id);
      await db.transaction().execute(async (trx) => {
        if (!(await updateAtVersion(trx, id, row.version, set)))
          throw new ConflictError(
            'stale_version',
            'Someone changed this incident since you loaded it; reload and try again.',
          );
        await addEvent(
          trx,
          id,
          now,
          actor.label,
          'triage',
          `${changes.join('; ')}${input.reason ? ` (${input.reason})` : ''}.`,
        );
        if (set.assignee_id && set.assignee_id !== actor.userId)
          await p.notifications.notify(trx, [set.assignee_id as string], {
            kind: 'incident.assigned',
            title: `${row.reference} is assigned to you`,
            body: row.tlp === 'RED' ? 'TLP:RED report' : row.title,
            link: `/incidents/${id}`,
            subject: { type: 'incident', id: id },
          });
        await p.audit(trx, ctx, {
          action: 'incident.update',
          objectType: 'incident',
          objectId: id,
          before: { status: row.status, assigneeId: row.assignee_id, severity: row.severity },
          after: {
            status: set.status ?? row.status,
            assigneeId: set.assignee_id ?? row.assignee_id,
            severity: set.severity ?? row.severity,
          },
        });
      });
      return this.get(ctx, id);
    },

    /** People a handler may assign incidents and tasks to. */
    async handlers(ctx: RequestContext) {
      requirePermission(ctx, 'incidents.handle');
      return holdersOf(db, 'incidents.handle');
    },
  };
}
