import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import { sendStoredFile } from '../../platform/http/download.ts';
import { readUpload } from '../../platform/http/input-guards.ts';
import { LegalStatusOut } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { AnswerInput, CampaignInput, CampaignOut, ReviewInput } from './assessments.schemas.ts';
import { toAssessmentResults } from './oscal-export.ts';
import { exportCampaignResults } from './results-export.ts';
import { renderScorecard } from './scorecard-pdf.ts';

const Id = z.object({ id: z.uuid() });
const AnswerParams = Id.extend({
  frameworkId: z.string().min(1).max(120),
  itemId: z.string().min(1).max(60),
});
const ScoreOut = z.object({
  overall: z.number().nullable(),
  answered: z.number(),
  applicable: z.number(),
  total: z.number(),
  notApplicable: z.number(),
  dimensions: z.record(z.string(), z.number().nullable()),
  groups: z.record(z.string(), z.number().nullable()),
  frameworks: z.record(
    z.string(),
    z.object({
      score: z.number().nullable(),
      cumulativeLevel: z.number().nullable(),
      tier: z.number().nullable(),
    }),
  ),
  confidence: z.object({ value: z.number(), label: z.enum(['low', 'medium', 'high']) }),
  rulesVersion: z.string(),
});
const AssessmentOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  sector: z.string(),
  status: z.string(),
  dueOn: z.string(),
  closesAt: z.string(),
  reviewComment: z.string().nullable(),
  frameworks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      answerScale: z.string(),
      levels: z.array(z.unknown()),
      /** The levels an answer may take, lowest first; the highest scores 100. */
      scale: z.array(z.number()),
    }),
  ),
  requirements: z.array(
    z.object({
      frameworkId: z.string(),
      itemId: z.string(),
      groups: z.array(z.string()),
      dimension: z.string().nullable(),
      statement: z.string().nullable(),
      statementUr: z.string().nullable(),
      answer: z
        .object({
          level: z.number().nullable(),
          notApplicable: z.boolean(),
          justification: z.string().nullable(),
          comment: z.string().nullable(),
          version: z.number(),
          updatedBy: z.string(),
          updatedAt: z.string(),
        })
        .nullable(),
      evidence: z.array(
        z.object({
          id: z.string(),
          fileName: z.string(),
          sizeBytes: z.number(),
          sha256: z.string(),
          mediaType: z.string(),
          createdAt: z.string(),
        }),
      ),
    }),
  ),
  score: ScoreOut,
  submissions: z.array(
    z.object({
      number: z.number(),
      submittedBy: z.string(),
      submittedAt: z.string(),
      decision: z.string().nullable(),
      reviewComment: z.string().nullable(),
      reviewedBy: z.string().nullable(),
      reviewedAt: z.string().nullable(),
      score: z.number().nullable(),
    }),
  ),
  allowedActions: z.array(z.enum(['answer', 'submit', 'review'])),
});
const Reason = z
  .enum(['below_cohort', 'complementary'])
  .nullable()
  .describe('Why a cell is hidden: it describes too few, or it would let a hidden one be worked out');
const Cell = z.object({
  n: z.number().nullable().describe('Absent on a suppressed cell'),
  score: z.number().nullable(),
  suppressed: z.boolean(),
  reason: Reason,
});
const DisclosureOut = z.object({
  applied: z.boolean().describe('False for readers who may see every record anyway'),
  minCohort: z.number(),
  minPercentileCohort: z.number(),
  effectiveFrom: z.string(),
});

export function assessmentRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { campaigns, assignments, national } = s.assessments;

  app.get(
    '/api/campaigns',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Assessment campaigns the caller takes part in',
        response: { 200: z.object({ items: z.array(CampaignOut) }) },
      },
    },
    async (req) => ({ items: await campaigns.list(req.ctx) }),
  );
  app.post(
    '/api/campaigns',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Launch a campaign: frameworks x selected entities x dates',
        body: CampaignInput,
        response: { 201: CampaignOut },
      },
    },
    async (req, reply) => reply.status(201).send(await campaigns.create(req.ctx, req.body)),
  );
  app.get(
    '/api/campaigns/:id',
    {
      schema: {
        tags: ['assessments'],
        summary: 'One campaign with its progress',
        params: Id,
        response: { 200: CampaignOut },
      },
    },
    async (req) => campaigns.get(req.ctx, req.params.id),
  );
  app.get(
    '/api/campaigns/:id/national',
    {
      schema: {
        tags: ['assessments'],
        summary:
          'The national picture of a campaign: heatmaps and weakest requirements, under disclosure control outside the Authority',
        params: Id,
        response: {
          200: z.object({
            campaign: z.object({ id: z.string(), name: z.string(), dueOn: z.string() }),
            minCohort: z.number(),
            disclosure: DisclosureOut,
            accepted: z.number().nullable(),
            acceptedReason: Reason,
            overall: z.number().nullable(),
            bySectorDimension: z.array(Cell.extend({ sector: z.string(), dimension: z.string() })),
            byUnitSector: z.array(Cell.extend({ adminUnit: z.string(), sector: z.string() })),
            trend: z.object({
              previousCampaign: z.object({ id: z.string(), name: z.string() }).nullable(),
              bySector: z.array(
                z.object({
                  sector: z.string(),
                  previous: z.number().nullable(),
                  previousReason: Reason,
                  current: z.number().nullable(),
                  currentReason: Reason,
                }),
              ),
            }),
            weakest: z.array(
              z.object({
                frameworkId: z.string(),
                itemId: z.string(),
                n: z.number(),
                score: z.number(),
                statement: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => national.picture(req.ctx, req.params.id),
  );

  app.get(
    '/api/campaigns/:id/results.xlsx',
    {
      schema: {
        tags: ['assessments'],
        summary: 'The campaign results as an XLSX workbook (assessments within the caller scope)',
        params: Id,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const file = await exportCampaignResults(p, req.ctx, req.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.stream);
    },
  );

  app.get(
    '/api/assessments',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Assessments (one per entity and campaign) within the caller scope',
        querystring: z.object({
          campaignId: z.uuid().optional(),
          status: z.enum(['not_started', 'in_progress', 'submitted', 'returned', 'accepted']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                campaignId: z.string(),
                campaignName: z.string(),
                entityId: z.string(),
                entityName: z.string(),
                sector: z.string(),
                status: z.string(),
                score: z.number().nullable(),
                submissions: z.number(),
                dueOn: z.string(),
                updatedAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await assignments.list(req.ctx, req.query) }),
  );
  app.get(
    '/api/assessments/:id',
    {
      schema: {
        tags: ['assessments'],
        summary: 'One assessment: requirements, answers, evidence, score and versions',
        params: Id,
        response: { 200: AssessmentOut },
      },
    },
    async (req) => assignments.get(req.ctx, req.params.id),
  );
  app.put(
    '/api/assessments/:id/answers/:frameworkId/:itemId',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Save one answer (autosave); a stale version answers 409',
        params: AnswerParams,
        body: AnswerInput,
        response: { 200: z.object({ version: z.number() }) },
      },
    },
    async (req) =>
      assignments.saveAnswer(req.ctx, req.params.id, req.params.frameworkId, req.params.itemId, req.body),
  );
  app.get(
    '/api/assessments/:id/evidence/:evidenceId',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Download an evidence file of the assessment',
        params: Id.extend({ evidenceId: z.uuid() }),
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) =>
      sendStoredFile(reply, await assignments.evidenceFile(req.ctx, req.params.id, req.params.evidenceId)),
  );
  app.post(
    '/api/assessments/:id/answers/:frameworkId/:itemId/evidence',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Attach an evidence file to an answer (multipart field "file": PDF, image, Office, text)',
        params: AnswerParams,
        consumes: ['multipart/form-data'],
        response: {
          201: z.object({
            id: z.string(),
            fileName: z.string(),
            sha256: z.string(),
            sizeBytes: z.number(),
            mediaType: z.string(),
          }),
        },
      },
    },
    async (req, reply) => {
      requirePermission(req.ctx, 'assessments.answer');
      const { content, fileName } = await readUpload(req);
      return reply.status(201).send(
        await assignments.addEvidence(req.ctx, req.params.id, req.params.frameworkId, req.params.itemId, {
          content,
          fileName,
        }),
      );
    },
  );
  app.post(
    '/api/assessments/:id/submit',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Submit: locks this version for review',
        params: Id,
        response: { 200: AssessmentOut },
      },
    },
    async (req) => assignments.submit(req.ctx, req.params.id),
  );
  app.post(
    '/api/assessments/:id/review',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Accept, or return with comments',
        params: Id,
        body: ReviewInput,
        response: { 200: AssessmentOut },
      },
    },
    async (req) => assignments.review(req.ctx, req.params.id, req.body.decision, req.body.comment),
  );
  app.get(
    '/api/assessments/:id/benchmark',
    {
      schema: {
        tags: ['assessments'],
        summary:
          'Position among accepted sector peers (hidden for a small peer group; median and quartiles need a larger one)',
        params: Id,
        response: {
          200: z.object({
            sector: z.string(),
            score: z.number().nullable(),
            peers: z.number(),
            minCohort: z.number(),
            minPercentileCohort: z.number(),
            percentile: z.number().nullable(),
            peerMedian: z.number().nullable(),
            peerQuartiles: z.array(z.number()).nullable(),
          }),
        },
      },
    },
    async (req) => national.benchmark(req.ctx, req.params.id),
  );
  app.get(
    '/api/assessments/:id/gaps',
    {
      schema: {
        tags: ['assessments'],
        summary:
          'Gaps against the target profile for the entity’s sector and tier, most urgent first, with the mapped requirements each would also close',
        params: Id,
        response: {
          200: z.object({
            targetProfile: z.string(),
            targetLegalStatus: LegalStatusOut,
            sector: z.string(),
            ciiTier: z.number().nullable(),
            items: z.array(
              z.object({
                frameworkId: z.string(),
                itemId: z.string(),
                statement: z.string().nullable(),
                dimension: z.string().nullable(),
                level: z.number(),
                target: z.number(),
                gap: z.number(),
                alsoCloses: z.array(
                  z.object({ frameworkId: z.string(), itemId: z.string(), relationship: z.string() }),
                ),
                priority: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => assignments.gaps(req.ctx, req.params.id),
  );
  app.get(
    '/api/assessments/:id/scorecard.pdf',
    {
      schema: {
        tags: ['assessments'],
        summary: 'A one-page PDF scorecard: scores, benchmark and the most urgent gaps',
        params: Id,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const a = await assignments.get(req.ctx, req.params.id);
      const [bench, gaps] = await Promise.all([
        national.benchmark(req.ctx, a.id),
        assignments.gaps(req.ctx, a.id),
      ]);
      const pdf = await renderScorecard({
        entityName: a.entityName,
        sector: a.sector,
        campaignName: a.campaignName,
        status: a.status,
        generatedAt: p.clock.now().toISOString(),
        overall: a.score.overall,
        dimensions: a.score.dimensions,
        confidence: a.score.confidence.label,
        answered: a.score.answered,
        applicable: a.score.applicable,
        benchmark: bench,
        gaps: gaps.items,
      });
      await auditRead(p, req.ctx, {
        action: 'export.scorecard_pdf',
        objectType: 'assessment',
        objectId: a.id,
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="qila-scorecard-${a.id}.pdf"`)
        .send(pdf);
    },
  );
  app.get(
    '/api/assessments/:id/oscal',
    {
      schema: {
        tags: ['assessments'],
        summary: 'The results as an OSCAL 1.0.6 assessment-results document',
        params: Id,
      },
    },
    async (req, reply) => {
      const a = await assignments.get(req.ctx, req.params.id);
      const doc = toAssessmentResults({
        assignmentId: a.id,
        entityName: a.entityName,
        campaignName: a.campaignName,
        status: a.status,
        updatedAt: p.clock.now().toISOString(),
        startedAt: a.submissions.at(-1)?.submittedAt ?? p.clock.now().toISOString(),
        requirements: a.requirements,
        overall: a.score.overall,
        scales: new Map(a.frameworks.map((f) => [f.id, f.scale])),
        satisfiedFromScore: assignments.scoringRules(req.ctx).oscal.satisfiedFromScore,
      });
      await auditRead(p, req.ctx, { action: 'export.oscal', objectType: 'assessment', objectId: a.id });
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="qila-assessment-results-${a.id}.json"`)
        .send(JSON.stringify(doc, null, 2));
    },
  );
}
