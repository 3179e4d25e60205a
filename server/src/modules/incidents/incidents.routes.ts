import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { reachOf } from '../../platform/access/index.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { sendStoredFile } from '../../platform/http/download.ts';
import { readUpload } from '../../platform/http/input-guards.ts';
import { legalStatusOut, LegalStatusOut } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { incidentBundle } from './stix.ts';
import {
  AdvisoryInput,
  IncidentUpdateInput,
  ListQuery,
  NoteInput,
  ObservablesInput,
  ReportIncidentInput,
  RfiInput,
  RfiReplyInput,
  SEVERITIES,
  STATUSES,
  StageReportInput,
  TaskInput,
  TaskUpdateInput,
  TLP,
} from './incidents.schemas.ts';
import { loadRouting, nationalCert } from './routing.ts';
import { loadTaxonomy } from './taxonomy.ts';
import { Source } from './rules/rule-set.ts';
import {
  AdvisoryOut,
  CreatedOut,
  DutyListOut,
  IncidentDetailOut,
  IncidentListOut,
  NationalOut,
  StixOut,
} from './incidents.out.ts';

const Id = z.object({ id: z.uuid() });
const Flag = z.enum(['true', 'false']).optional();
const ListParams = z.object({
  view: z.enum(['queue', 'recent']).optional(),
  status: z.string().max(200).optional().describe('Comma-separated statuses'),
  severity: z.string().max(100).optional().describe('Comma-separated severities'),
  sector: z.string().max(40).optional(),
  entityId: z.uuid().optional(),
  overdue: Flag,
  late: Flag,
  assignedToMe: Flag,
  q: z.string().max(100).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const csv = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : undefined);
const flag = (s: string | undefined) => (s === undefined ? undefined : s === 'true');
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('A retry with the same key and body returns the first incident instead of creating another'),
});

export function incidentRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { reports, incidents, workspace, national, advisories, dutyList } = s.incidents;
  const taxonomy = loadTaxonomy(p.config.catalogDir);
  const producer = nationalCert(loadRouting(p.config.catalogDir, p.config.jurisdiction));
  const tags = ['incidents'];

  app.get(
    '/api/incidents/reference-data',
    {
      schema: {
        tags,
        summary: 'Taxonomy, TLP labels, severities and the reporting regimes in force, for report forms',
        response: {
          200: z.object({
            taxonomy: z.object({
              code: z.string(),
              version: z.string(),
              classes: z.array(z.object({ code: z.string(), name: z.string(), types: z.array(z.string()) })),
            }),
            tlp: z.array(z.string()),
            severities: z.array(z.string()),
            statuses: z.array(z.string()),
            regimes: z.array(
              z.object({
                code: z.string(),
                version: z.string(),
                effectiveFrom: z.string(),
                name: z.string(),
                legalStatus: LegalStatusOut,
                authority: z.string(),
                description: z.string(),
                stages: z.array(
                  z.object({
                    code: z.string(),
                    kind: z.string(),
                    name: z.string(),
                    required: z.array(z.string()),
                    source: Source.nullable().describe(
                      'The text the clock comes from, and how sure we are of it',
                    ),
                  }),
                ),
                significance: z
                  .array(z.object({ code: z.string(), name: z.string(), source: Source }))
                  .describe('Criteria of significance, any one of which brings an incident under the regime'),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      requirePermission(req.ctx, 'incidents.read');
      return {
        taxonomy,
        tlp: [...TLP],
        severities: [...SEVERITIES],
        statuses: [...STATUSES],
        regimes: reports.engine.sets.map((s) => ({
          code: s.code,
          version: s.version,
          effectiveFrom: s.effectiveFrom,
          name: s.name.en,
          legalStatus: legalStatusOut(s.legalStatus),
          authority: s.authority,
          description: s.description,
          stages: s.stages.map((st) => ({
            code: st.code,
            kind: st.kind,
            name: st.name.en,
            required: st.required,
            source: st.source ?? null,
          })),
          significance: s.significance.map((c) => ({ code: c.code, name: c.name.en, source: c.source })),
        })),
      };
    },
  );

  app.get(
    '/api/incidents',
    {
      schema: {
        tags,
        summary: 'Incidents in scope: the queue or the most recent reports',
        querystring: ListParams,
        response: { 200: IncidentListOut },
      },
    },
    async (req) => {
      const q = req.query;
      return incidents.list(
        req.ctx,
        ListQuery.parse({
          ...q,
          status: csv(q.status),
          severity: csv(q.severity),
          overdue: flag(q.overdue),
          late: flag(q.late),
          assignedToMe: flag(q.assignedToMe),
        }),
      );
    },
  );

  app.post(
    '/api/incidents',
    {
      schema: {
        tags,
        summary: 'Report an incident (its first report); starts the reporting clocks',
        headers: IdempotencyHeaders,
        body: ReportIncidentInput,
        response: { 201: CreatedOut },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'] ?? null;
      const { id, replayed } = await reports.report(req.ctx, req.body, key);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .status(201)
        .header('location', `/api/incidents/${id}`)
        .send(await incidents.created(req.ctx, id));
    },
  );

  app.get(
    '/api/incidents/national',
    {
      schema: {
        tags,
        summary:
          'National view: incidents by month, sector, class and province; time to report and on-time share',
        querystring: z.object({ months: z.coerce.number().int().min(1).max(60).default(12) }),
        response: { 200: NationalOut },
      },
    },
    async (req) => national.overview(req.ctx, req.query.months),
  );

  app.get(
    '/api/incidents/duties',
    {
      schema: {
        tags,
        summary: 'Statutory reporting duties in scope, for example every late or missing report',
        querystring: z.object({
          status: z.enum(['overdue', 'met_late', 'due', 'met']).optional(),
          late: Flag,
          sector: z
            .string()
            .regex(/^[a-z0-9_-]{1,60}$/)
            .optional(),
          regime: z
            .string()
            .regex(/^[a-z0-9_.-]{1,80}$/)
            .optional()
            .describe('A reporting regime code, such as pk-ncsa-act'),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: DutyListOut },
      },
    },
    async (req) => dutyList.list(req.ctx, { ...req.query, late: flag(req.query.late) }),
  );

  app.get(
    '/api/incidents/handlers',
    {
      schema: {
        tags,
        summary: 'People incidents and tasks can be assigned to',
        response: { 200: z.array(z.object({ id: z.string(), name: z.string() })) },
      },
    },
    async (req) => incidents.handlers(req.ctx),
  );

  app.get(
    '/api/incidents/red-recipients',
    {
      schema: {
        tags,
        summary: 'People a TLP:RED report from your entity may name',
        response: { 200: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })) },
      },
    },
    async (req) => {
      const actor = requirePermission(req.ctx, 'incidents.report');
      const entityId = reachOf(actor, 'incidents.report').entities[0];
      if (!entityId) return [];
      const e = await p.db
        .selectFrom('entities')
        .select('sector')
        .where('id', '=', entityId)
        .executeTakeFirst();
      const rows = e ? await reports.eligibleRedRecipients(e.sector) : [];
      return rows.filter((r, i) => rows.findIndex((x) => x.id === r.id) === i);
    },
  );

  app.get(
    '/api/incidents/:id',
    {
      schema: {
        tags,
        summary: 'One incident: duties and countdowns, reports, timeline, workspace',
        params: Id,
        response: { 200: IncidentDetailOut },
      },
    },
    async (req) => incidents.open(req.ctx, req.params.id),
  );

  app.patch(
    '/api/incidents/:id',
    {
      schema: {
        tags,
        summary: 'Triage: status, assignee, severity (send the version you loaded)',
        params: Id,
        body: IncidentUpdateInput,
        response: { 200: IncidentDetailOut },
      },
    },
    async (req) => incidents.update(req.ctx, req.params.id, req.body),
  );

  app.post(
    '/api/incidents/:id/reports',
    {
      schema: {
        tags,
        summary:
          'Submit a further report (early warning, notification, intermediate, final) with any updated facts',
        params: Id,
        body: StageReportInput,
        response: { 201: IncidentDetailOut },
      },
    },
    async (req, reply) => {
      await reports.submit(req.ctx, req.params.id, req.body);
      return reply.status(201).send(await incidents.get(req.ctx, req.params.id));
    },
  );

  app.post(
    '/api/incidents/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Add a handling task',
        params: Id,
        body: TaskInput,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await workspace.addTask(req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/api/incidents/:id/tasks/:taskId',
    {
      schema: {
        tags,
        summary: 'Update a task (send the version you loaded)',
        params: Id.extend({ taskId: z.uuid() }),
        body: TaskUpdateInput,
        response: { 200: z.object({ id: z.string() }) },
      },
    },
    async (req) => workspace.updateTask(req.ctx, req.params.id, req.params.taskId, req.body),
  );
  app.post(
    '/api/incidents/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note (internal, or a message the entity sees)',
        params: Id,
        body: NoteInput,
        response: { 201: z.object({ ok: z.boolean() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await workspace.addNote(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/incidents/:id/rfis',
    {
      schema: {
        tags,
        summary: 'Request information from the reporting entity',
        params: Id,
        body: RfiInput,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await workspace.askRfi(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/incidents/:id/rfis/:rfiId/reply',
    {
      schema: {
        tags,
        summary: 'Answer a request for information (the reporting entity)',
        params: Id.extend({ rfiId: z.uuid() }),
        body: RfiReplyInput,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => workspace.replyRfi(req.ctx, req.params.id, req.params.rfiId, req.body),
  );
  app.post(
    '/api/incidents/:id/observables',
    {
      schema: {
        tags,
        summary: 'Add observables (IP, domain, URL, hash, e-mail); de-duplicated across incidents',
        params: Id,
        body: ObservablesInput,
        response: { 201: z.object({ added: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await workspace.addObservables(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/incidents/:id/files',
    {
      schema: {
        tags,
        summary:
          'Attach a file (multipart field "file": PDF, image, text, CSV, JSON, Office, ZIP/GZIP; no executables)',
        params: Id,
        consumes: ['multipart/form-data'],
        response: {
          201: z.object({
            id: z.string(),
            fileName: z.string(),
            sizeBytes: z.number(),
            sha256: z.string(),
            mediaType: z.string(),
          }),
        },
      },
    },
    async (req, reply) => {
      requirePermission(req.ctx, 'incidents.read');
      return reply.status(201).send(await workspace.attach(req.ctx, req.params.id, await readUpload(req)));
    },
  );
  app.get(
    '/api/incidents/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: 'Download an attachment',
        params: Id.extend({ fileId: z.uuid() }),
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) =>
      sendStoredFile(reply, await workspace.download(req.ctx, req.params.id, req.params.fileId)),
  );
  app.get(
    '/api/incidents/:id/stix',
    {
      schema: {
        tags,
        summary: 'The incident as a STIX 2.1 bundle (Incident Core extension, TLP 2.0 markings)',
        params: Id,
        response: { 200: StixOut },
      },
    },
    async (req, reply) => {
      const d = await incidents.get(req.ctx, req.params.id);
      // A restricted report's content is out of reach, so its export is simply not found.
      if (!d.details) throw new NotFoundError('incident');
      const bundle = incidentBundle({
        id: d.id,
        reference: d.reference,
        title: d.title,
        summary: typeof d.details.summary === 'string' ? d.details.summary : '',
        severity: d.severity as (typeof SEVERITIES)[number],
        status: d.status,
        rsitClass: d.rsitClass,
        rsitType: d.rsitType,
        tlp: d.tlp as (typeof TLP)[number],
        awareAt: d.awareAt,
        detectedAt: (d.details.detectedAt as string | null) ?? null,
        reportedAt: d.reportedAt,
        updatedAt: d.timeline.at(-1)?.at ?? d.reportedAt,
        entity: { id: d.entityId, name: d.entityName, sector: d.sector },
        producer: { id: producer.code, name: producer.name },
        details: d.details,
        observables: d.observables.map((o) => ({
          type: o.type as z.infer<typeof ObservablesInput>['items'][number]['type'],
          value: o.value,
        })),
        events: d.timeline.filter((e) => !e.internal).map((e) => ({ at: e.at, text: e.text })),
        tasks: d.tasks.map((t) => ({ title: t.title, status: t.status })),
      });
      await auditRead(p, req.ctx, {
        action: 'export.stix',
        objectType: 'incident',
        objectId: d.id,
        detail: { reference: d.reference, tlp: d.tlp },
      });
      return reply
        .header('content-disposition', `attachment; filename="${d.reference}.stix.json"`)
        .send(bundle);
    },
  );

  app.get(
    '/api/advisories',
    {
      schema: {
        tags: ['advisories'],
        summary: 'Advisories for your sector (all, for national roles)',
        response: { 200: z.array(AdvisoryOut) },
      },
    },
    async (req) => advisories.list(req.ctx),
  );
  app.post(
    '/api/advisories',
    {
      schema: {
        tags: ['advisories'],
        summary: 'Publish an anonymised advisory and indicator feed to sectors',
        body: AdvisoryInput,
        response: { 201: AdvisoryOut },
      },
    },
    async (req, reply) => reply.status(201).send(await advisories.publish(req.ctx, req.body)),
  );
  app.get(
    '/api/advisories/:id',
    { schema: { tags: ['advisories'], summary: 'One advisory', params: Id, response: { 200: AdvisoryOut } } },
    async (req) => advisories.get(req.ctx, req.params.id),
  );
  app.get(
    '/api/advisories/:id/stix',
    {
      schema: {
        tags: ['advisories'],
        summary: "The advisory's indicators as a STIX 2.1 bundle",
        params: Id,
        response: { 200: StixOut },
      },
    },
    async (req, reply) =>
      reply
        .header('content-disposition', `attachment; filename="advisory-${req.params.id}.stix.json"`)
        .send(await advisories.stix(req.ctx, req.params.id)),
  );
}
