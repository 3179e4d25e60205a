import { z } from 'zod';
import type { AppInstance } from '../../app.ts';
import type { Platform } from '../../platform/platform.ts';
import { EntityListQuery, EntitySummary, RegistryOverview } from './registry.schemas.ts';
import { createRegistryService } from './registry.service.ts';

export function registryRoutes(app: AppInstance, p: Platform): void {
  const registry = createRegistryService(p);
  app.get(
    '/api/registry/overview',
    {
      schema: {
        tags: ['registry'],
        summary:
          'Counts of regulated entities by sector, administrative unit and CII tier, within the caller scope',
        response: { 200: RegistryOverview },
      },
    },
    async (req) => registry.overview(req.ctx),
  );
  app.get(
    '/api/entities',
    {
      schema: {
        tags: ['registry'],
        summary: 'Regulated entities within the caller scope, cursor-paginated',
        querystring: EntityListQuery,
        response: { 200: z.object({ items: z.array(EntitySummary), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => registry.list(req.ctx, req.query),
  );
}
