import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import { sendStoredFile } from '../../platform/http/download.ts';
import { readUpload } from '../../platform/http/input-guards.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { AuditorInput, ConflictInput, FirmInput } from './auditors.service.ts';
import { PlanInput } from './plans.service.ts';
import {
  ActionInput,
  ActionUpdateInput,
  AssignInput,
  CaseInput,
  CaseStepInput,
  ChecklistInput,
  FinalInput,
  FindingInput,
  FindingResponseInput,
  VerifyInput,
} from './supervision.schemas.ts';
import {
  ActionListOut,
  AuditOut,
  AuditorsOut,
  AuditSummaryOut,
  BoardOut,
  CaseOut,
  CaseSummaryOut,
  EntityComplianceOut,
  NationalComplianceOut,
  PlanOut,
  PlanSummaryOut,
  ViolationsOut,
} from './supervision.out.ts';

const Id = z.object({ id: z.uuid() });
const Created = z.object({ id: z.string() });
const Ok = z.object({ ok: z.boolean() });
const FileOut = z.object({
  id: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  mediaType: z.string(),
});

export function supervisionRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { auditors, plans, audits, actions, cases, views } = s.supervision;
  const tags = ['supervision'];
  const base = '/api/supervision';

  // Compliance views
  app.get(
    `${base}/entities/:id/compliance`,
    {
      schema: {
        tags,
        summary:
          'An entity’s compliance: status, the facts behind it, what it owes, open findings and actions',
        params: Id,
        response: { 200: EntityComplianceOut },
      },
    },
    async (req) => views.entity(req.ctx, req.params.id),
  );
  app.get(
    `${base}/board`,
    {
      schema: {
        tags,
        summary:
          'A regulator’s supervision board: compliance by status, entities needing attention, open audits, overdue actions, open cases',
        querystring: z.object({ sector: z.string().max(40).optional() }),
        response: { 200: BoardOut },
      },
    },
    async (req) => views.board(req.ctx, req.query.sector),
  );
  app.get(
    `${base}/national`,
    {
      schema: {
        tags,
        summary: 'The national compliance map: entities by status per administrative unit and sector',
        response: { 200: NationalComplianceOut },
      },
    },
    async (req) => views.national(req.ctx),
  );

  // Auditors
  app.get(
    `${base}/auditors`,
    {
      schema: {
        tags,
        summary: 'Licensed audit firms and auditors with their declared conflicts',
        response: { 200: AuditorsOut },
      },
    },
    async (req) => auditors.list(req.ctx),
  );
  app.post(
    `${base}/firms`,
    {
      schema: {
        tags,
        summary: 'Register a licensed audit firm',
        body: FirmInput,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await auditors.createFirm(req.ctx, req.body)),
  );
  app.post(
    `${base}/auditors`,
    {
      schema: {
        tags,
        summary: 'Register a person holding the auditor role as a licensed auditor',
        body: AuditorInput,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await auditors.createAuditor(req.ctx, req.body)),
  );
  app.post(
    `${base}/auditors/:id/conflicts`,
    {
      schema: {
        tags,
        summary:
          'Declare a conflict of interest with an entity (the auditor themself, or the Authority recording a written declaration)',
        params: Id,
        body: ConflictInput,
        response: { 201: Created },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await auditors.declareConflict(req.ctx, req.params.id, req.body)),
  );

  // Audit programme
  app.get(
    `${base}/plans`,
    { schema: { tags, summary: 'Audit plans', response: { 200: z.array(PlanSummaryOut) } } },
    async (req) => plans.list(req.ctx),
  );
  app.post(
    `${base}/plans`,
    {
      schema: {
        tags,
        summary: 'Propose a risk-based audit plan for a period',
        body: PlanInput,
        response: { 201: PlanOut },
      },
    },
    async (req, reply) => reply.status(201).send(await plans.create(req.ctx, req.body)),
  );
  app.get(
    `${base}/plans/:id`,
    {
      schema: {
        tags,
        summary: 'One audit plan with every candidate, its risk score and reasons',
        params: Id,
        response: { 200: PlanOut },
      },
    },
    async (req) => plans.get(req.ctx, req.params.id),
  );
  app.put(
    `${base}/plans/:id/items/:entityId`,
    {
      schema: {
        tags,
        summary: 'Include or exclude an entity in a draft plan',
        params: Id.extend({ entityId: z.uuid() }),
        body: z.object({ included: z.boolean() }).strict(),
        response: { 200: PlanOut },
      },
    },
    async (req) => plans.setIncluded(req.ctx, req.params.id, req.params.entityId, req.body.included),
  );
  app.post(
    `${base}/plans/:id/approve`,
    {
      schema: {
        tags,
        summary: 'Approve a plan: opens one audit per included entity',
        params: Id,
        body: z.object({ version: z.number().int().min(1) }).strict(),
        response: { 200: PlanOut },
      },
    },
    async (req) => plans.approve(req.ctx, req.params.id, req.body.version),
  );

  // Audits
  app.get(
    `${base}/audits`,
    {
      schema: {
        tags,
        summary: 'Audits in scope (an auditor sees only the audits assigned to them)',
        querystring: z.object({ status: z.string().max(40).optional(), entityId: z.uuid().optional() }),
        response: { 200: z.array(AuditSummaryOut) },
      },
    },
    async (req) => audits.list(req.ctx, req.query),
  );
  app.get(
    `${base}/audits/:id`,
    {
      schema: {
        tags,
        summary: 'One audit: checklist, findings and corrective actions',
        params: Id,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.get(req.ctx, req.params.id),
  );
  app.post(
    `${base}/audits/:id/assign`,
    {
      schema: {
        tags,
        summary: 'Assign the lead auditor (licence valid, no declared conflict) and the scope',
        params: Id,
        body: AssignInput,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.assign(req.ctx, req.params.id, req.body),
  );
  app.post(
    `${base}/audits/:id/start`,
    {
      schema: {
        tags,
        summary: 'Start fieldwork; generates the checklist from the framework',
        params: Id,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.start(req.ctx, req.params.id),
  );
  app.put(
    `${base}/audits/:id/checklist/:itemId`,
    {
      schema: {
        tags,
        summary: 'Record a checklist result',
        params: Id.extend({ itemId: z.string().min(1).max(60) }),
        body: ChecklistInput,
        response: { 200: Ok },
      },
    },
    async (req) => audits.check(req.ctx, req.params.id, req.params.itemId, req.body),
  );
  app.post(
    `${base}/audits/:id/findings`,
    {
      schema: {
        tags,
        summary: 'Record a finding (the lead auditor)',
        params: Id,
        body: FindingInput,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await audits.addFinding(req.ctx, req.params.id, req.body)),
  );
  app.post(
    `${base}/audits/:id/preliminary`,
    {
      schema: {
        tags,
        summary: 'Issue the preliminary report; starts the entity’s response period',
        params: Id,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.issuePreliminary(req.ctx, req.params.id),
  );
  app.post(
    `${base}/audits/:id/respond`,
    {
      schema: {
        tags,
        summary: 'Send the entity’s answers to the preliminary report',
        params: Id,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.submitResponse(req.ctx, req.params.id),
  );
  app.post(
    `${base}/audits/:id/final`,
    {
      schema: {
        tags,
        summary: 'Issue the final report',
        params: Id,
        body: FinalInput,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.issueFinal(req.ctx, req.params.id, req.body),
  );
  app.post(
    `${base}/audits/:id/close`,
    {
      schema: {
        tags,
        summary: 'Close an audit after its final report',
        params: Id,
        response: { 200: AuditOut },
      },
    },
    async (req) => audits.close(req.ctx, req.params.id),
  );

  // Findings and corrective actions
  app.post(
    `${base}/findings/:id/response`,
    {
      schema: {
        tags,
        summary: 'The entity’s answer to a finding',
        params: Id,
        body: FindingResponseInput,
        response: { 200: Ok },
      },
    },
    async (req) => audits.respondFinding(req.ctx, req.params.id, req.body),
  );
  app.post(
    `${base}/findings/:id/actions`,
    {
      schema: {
        tags,
        summary: 'File a corrective action for a finding',
        params: Id,
        body: ActionInput,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await actions.add(req.ctx, req.params.id, req.body)),
  );
  app.get(
    `${base}/actions`,
    {
      schema: {
        tags,
        summary: 'Corrective actions in scope',
        querystring: z.object({
          overdue: z.enum(['true', 'false']).optional(),
          entityId: z.uuid().optional(),
        }),
        response: { 200: ActionListOut },
      },
    },
    async (req) =>
      actions.list(req.ctx, { overdue: req.query.overdue === 'true', entityId: req.query.entityId }),
  );
  app.patch(
    `${base}/actions/:id`,
    {
      schema: {
        tags,
        summary: 'Report progress on a corrective action, or submit it for verification',
        params: Id,
        body: ActionUpdateInput,
        response: { 200: Created },
      },
    },
    async (req) => actions.update(req.ctx, req.params.id, req.body),
  );
  app.post(
    `${base}/actions/:id/evidence`,
    {
      schema: {
        tags,
        summary: 'Attach evidence to a corrective action (multipart field "file")',
        params: Id,
        consumes: ['multipart/form-data'],
        response: { 201: FileOut },
      },
    },
    async (req, reply) => {
      requirePermission(req.ctx, 'supervision.respond');
      return reply.status(201).send(await actions.attach(req.ctx, req.params.id, await readUpload(req)));
    },
  );
  app.get(
    `${base}/actions/:id/evidence/:fileId`,
    {
      schema: {
        tags,
        summary: 'Download an evidence file of a corrective action',
        params: Id.extend({ fileId: z.uuid() }),
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) =>
      sendStoredFile(reply, await actions.evidenceFile(req.ctx, req.params.id, req.params.fileId)),
  );
  app.post(
    `${base}/actions/:id/verify`,
    {
      schema: {
        tags,
        summary: 'Verify or reject a corrective action (lead auditor or regulator)',
        params: Id,
        body: VerifyInput,
        response: { 200: Created },
      },
    },
    async (req) => actions.verify(req.ctx, req.params.id, req.body),
  );

  // Enforcement
  app.get(
    `${base}/penalty-schedule`,
    {
      schema: {
        tags,
        summary: 'The violation types and factors of the penalty schedule in force on a date',
        querystring: z.object({ on: z.iso.date().optional() }),
        response: { 200: ViolationsOut },
      },
    },
    async (req) => {
      requirePermission(req.ctx, 'supervision.read');
      return cases.violations(req.query.on ?? jurisdictionToday(p.clock, p.catalog.profile));
    },
  );
  app.get(
    `${base}/cases`,
    { schema: { tags, summary: 'Enforcement cases in scope', response: { 200: z.array(CaseSummaryOut) } } },
    async (req) => cases.list(req.ctx),
  );
  app.post(
    `${base}/cases`,
    {
      schema: {
        tags,
        summary: 'Open an enforcement case from non-compliance facts',
        body: CaseInput,
        response: { 201: CaseOut },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.create(req.ctx, req.body)),
  );
  app.get(
    `${base}/cases/:id`,
    {
      schema: {
        tags,
        summary: 'One enforcement case with its file of steps',
        params: Id,
        response: { 200: CaseOut },
      },
    },
    async (req) => cases.get(req.ctx, req.params.id),
  );
  app.post(
    `${base}/cases/:id/steps`,
    {
      schema: {
        tags,
        summary:
          'Take the next step: notice, response, hearing, decision (computes the penalty), appeal, appeal decision, close',
        params: Id,
        body: CaseStepInput,
        response: { 200: CaseOut },
      },
    },
    async (req) => cases.step(req.ctx, req.params.id, req.body),
  );
  app.get(
    `${base}/cases/:id/decision.pdf`,
    {
      schema: {
        tags,
        summary: 'The decision letter with the penalty computation (PDF)',
        params: Id,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const { pdf, fileName } = await cases.decisionLetter(req.ctx, req.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(pdf);
    },
  );
}
