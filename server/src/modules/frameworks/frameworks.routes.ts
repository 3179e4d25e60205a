import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import { readUpload } from '../../platform/http/input-guards.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';

const FrameworkSummary = z.object({
  id: z.string(),
  code: z.string(),
  version: z.string(),
  nameEn: z.string(),
  nameUr: z.string().nullable(),
  publisher: z.string().nullable(),
  answerScale: z.string(),
  source: z.string(),
  kind: z.string(),
  requirementCount: z.number(),
});
const FrameworkId = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .regex(/^[a-z0-9.@-]+$/),
});

export function frameworkRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { frameworks } = s.frameworks;

  app.get(
    '/api/frameworks',
    {
      schema: {
        tags: ['frameworks'],
        summary: 'The framework library',
        response: { 200: z.object({ items: z.array(FrameworkSummary) }) },
      },
    },
    async (req) => ({ items: await frameworks.list(req.ctx) }),
  );

  app.get(
    '/api/frameworks/:id',
    {
      schema: {
        tags: ['frameworks'],
        summary: 'One framework version: its groups and requirements in order',
        params: FrameworkId,
        response: {
          200: FrameworkSummary.extend({
            levels: z.array(z.unknown()),
            items: z.array(
              z.object({
                id: z.string(),
                parentId: z.string().nullable(),
                kind: z.string(),
                title: z.string().nullable(),
                titleUr: z.string().nullable(),
                statement: z.string().nullable(),
                statementUr: z.string().nullable(),
                dimension: z.string().nullable(),
                assessable: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => frameworks.get(req.ctx, req.params.id),
  );

  app.get(
    '/api/frameworks/:id/requirements/:itemId/mappings',
    {
      schema: {
        tags: ['frameworks'],
        summary:
          'Requirements of other frameworks mapped to this one (equivalent, subset, superset, intersects)',
        params: FrameworkId.extend({ itemId: z.string().min(1).max(60) }),
        response: {
          200: z.object({
            items: z.array(z.object({ framework: z.string(), item: z.string(), relationship: z.string() })),
          }),
        },
      },
    },
    async (req) => ({ items: await frameworks.mappings(req.ctx, req.params.id, req.params.itemId) }),
  );

  app.post(
    '/api/frameworks/import',
    {
      schema: {
        tags: ['frameworks'],
        summary: 'Import an OSCAL catalog (JSON or XML, multipart field "file") as a framework',
        consumes: ['multipart/form-data'],
        response: {
          201: z.object({
            id: z.string(),
            nameEn: z.string(),
            version: z.string(),
            requirementCount: z.number(),
            groupCount: z.number(),
            matchedLibrary: z.string().nullable(),
          }),
        },
      },
    },
    async (req, reply) => {
      requirePermission(req.ctx, 'frameworks.manage');
      return reply.status(201).send(await frameworks.importOscal(req.ctx, await readUpload(req)));
    },
  );
}
