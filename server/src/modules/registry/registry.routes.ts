import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import { readUpload } from '../../platform/http/input-guards.ts';
import { legalStatusOut, LegalStatusOut } from '../../platform/legal-status.ts';
import { PlainText } from '../../platform/plain-text.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import {
  Asset,
  ChangeRequestOut,
  Contact,
  EntityDetail,
  EntityFilters,
  EntityInput,
  EntityListQuery,
  EntityPatch,
  EntitySummary,
  RegistryOverview,
} from './registry.schemas.ts';

const IdParam = z.object({ id: z.uuid() });
const NoContent = { 204: z.null() };
const RowError = z.object({ row: z.number(), column: z.string().nullable(), message: z.string() });
const ImportReport = z.object({
  id: z.string(),
  fileName: z.string(),
  status: z.enum(['validated', 'committed']),
  totalRows: z.number(),
  validRows: z.number(),
  errorCount: z.number(),
  errors: z.array(RowError),
  warnings: z.array(z.string()),
  toCreate: z.number(),
  toUpdate: z.number(),
  created: z.number().nullable(),
  updated: z.number().nullable(),
});

export function registryRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { registry, care, imports } = s.registry;

  app.get(
    '/api/registry/overview',
    {
      schema: {
        tags: ['registry'],
        summary:
          'Counts of regulated entities by sector, administrative unit and CII tier, within the caller scope and filters',
        querystring: EntityFilters,
        response: { 200: RegistryOverview },
      },
    },
    async (req) => registry.overview(req.ctx, req.query),
  );

  app.get(
    '/api/entities',
    {
      schema: {
        tags: ['registry'],
        summary: 'Regulated entities within the caller scope; filters combine; cursor-paginated',
        querystring: EntityListQuery,
        response: { 200: z.object({ items: z.array(EntitySummary), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => registry.list(req.ctx, req.query),
  );

  app.post(
    '/api/entities',
    {
      schema: {
        tags: ['registry'],
        summary: 'Register an entity',
        body: EntityInput,
        response: { 201: EntityDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await registry.create(req.ctx, req.body)),
  );

  app.get(
    '/api/entities/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'Export the filtered registry as CSV or XLSX (the import format; formulas neutralised)',
        querystring: EntityFilters.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const { format, ...filters } = req.query;
      const file = await registry.export(req.ctx, format, filters);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.stream);
    },
  );

  app.get(
    '/api/entities/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'One entity with contacts, assets and designation history',
        params: IdParam,
        response: { 200: EntityDetail },
      },
    },
    async (req) => registry.get(req.ctx, req.params.id),
  );

  app.patch(
    '/api/entities/:id',
    {
      schema: {
        tags: ['registry'],
        summary:
          'Change an entity (designation-affecting changes by an entity administrator become a request)',
        params: IdParam,
        body: EntityPatch,
        response: { 200: EntityDetail },
      },
    },
    async (req) => registry.update(req.ctx, req.params.id, req.body),
  );

  app.put(
    '/api/entities/:id/contacts',
    {
      schema: {
        tags: ['registry'],
        summary: "Replace the entity's contacts",
        params: IdParam,
        body: z.object({ contacts: z.array(Contact).max(3) }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await care.setContacts(req.ctx, req.params.id, req.body.contacts);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/entities/:id/assets',
    {
      schema: {
        tags: ['registry'],
        summary: 'Declare an internet-facing asset',
        params: IdParam,
        body: Asset,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await care.addAsset(req.ctx, req.params.id, req.body)),
  );

  app.delete(
    '/api/entities/:id/assets/:assetId',
    {
      schema: {
        tags: ['registry'],
        summary: 'Remove a declared asset',
        params: IdParam.extend({ assetId: z.uuid() }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await care.removeAsset(req.ctx, req.params.id, req.params.assetId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/registry/grading',
    {
      schema: {
        tags: ['registry'],
        summary: 'The CII grading questionnaire in force',
        response: {
          200: z.object({
            version: z.string(),
            effectiveFrom: z.string(),
            legalStatus: LegalStatusOut,
            name: z.object({ en: z.string(), ur: z.string().optional() }),
            criteria: z.array(
              z.object({
                code: z.string(),
                weight: z.number(),
                name: z.object({ en: z.string(), ur: z.string().optional() }),
                question: z.object({ en: z.string(), ur: z.string().optional() }),
                options: z.array(
                  z.object({
                    value: z.string(),
                    score: z.number(),
                    label: z.object({ en: z.string(), ur: z.string().optional() }),
                  }),
                ),
              }),
            ),
            thresholds: z.array(z.object({ tier: z.number(), minScore: z.number() })),
          }),
        },
      },
    },
    async (req) => {
      const rules = care.gradingRules(req.ctx);
      return { ...rules, legalStatus: legalStatusOut(rules.legalStatus) };
    },
  );

  app.post(
    '/api/entities/:id/grading',
    {
      schema: {
        tags: ['registry'],
        summary: 'Grade an entity with the CII questionnaire; records the resulting designation',
        params: IdParam,
        body: z.object({
          answers: z.record(z.string().max(60), z.string().max(60)),
          effectiveFrom: z.iso.date().optional(),
        }),
        response: {
          200: z.object({
            ruleSet: z.string(),
            legalStatus: LegalStatusOut,
            score: z.number(),
            tier: z.number().nullable(),
            designation: z.string(),
            explanation: z.string(),
            contributions: z.array(
              z.object({
                code: z.string(),
                criterion: z.string(),
                answerCode: z.string(),
                answer: z.string(),
                contribution: z.number(),
                weight: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => care.grade(req.ctx, req.params.id, req.body.answers, req.body.effectiveFrom),
  );

  app.get(
    '/api/entities/:id/designation',
    {
      schema: {
        tags: ['registry'],
        summary: 'The designation in force on a date',
        params: IdParam,
        querystring: z.object({ at: z.iso.date() }),
        response: {
          200: z.object({
            date: z.string(),
            designation: z.string().nullable(),
            ciiTier: z.number().nullable(),
            effectiveFrom: z.string().nullable(),
            explanation: z.string(),
          }),
        },
      },
    },
    async (req) => care.designationAt(req.ctx, req.params.id, req.query.at),
  );

  app.get(
    '/api/registry/change-requests',
    {
      schema: {
        tags: ['registry'],
        summary: 'Changes entities asked for that affect their designation',
        querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).default('pending') }),
        response: { 200: z.object({ items: z.array(ChangeRequestOut) }) },
      },
    },
    async (req) => ({ items: await care.listChangeRequests(req.ctx, req.query.status) }),
  );

  app.post(
    '/api/registry/change-requests/:id/decision',
    {
      schema: {
        tags: ['registry'],
        summary: 'Approve (apply) or reject a requested change',
        params: IdParam,
        body: z.object({
          decision: z.enum(['approve', 'reject']),
          note: PlainText(1000).nullable().default(null),
        }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await care.decide(req.ctx, req.params.id, req.body.decision, req.body.note);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/registry/imports',
    {
      schema: {
        tags: ['registry'],
        summary:
          'Dry run of a CSV or XLSX import (multipart field "file"): every problem by row and column; writes no registry data',
        consumes: ['multipart/form-data'],
        response: { 201: ImportReport },
      },
    },
    async (req, reply) => {
      requirePermission(req.ctx, 'registry.import');
      return reply.status(201).send(await imports.dryRun(req.ctx, await readUpload(req)));
    },
  );

  app.post(
    '/api/registry/imports/:id/commit',
    {
      schema: {
        tags: ['registry'],
        summary: 'Apply a validated import (upsert by registration number)',
        params: IdParam,
        response: { 200: ImportReport },
      },
    },
    async (req) => imports.commit(req.ctx, req.params.id),
  );
}
