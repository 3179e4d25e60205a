import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { TokenInput, TokenOut } from './tokens.service.ts';

export function tokenRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { tokens } = s.tokens;
  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'My API tokens',
        response: { 200: z.object({ items: z.array(TokenOut) }) },
      },
    },
    async (req) => ({ items: await tokens.list(req.ctx) }),
  );
  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token for a machine client; the token is shown only in this response',
        body: TokenInput,
        response: { 201: z.object({ token: z.string(), item: TokenOut }) },
      },
    },
    async (req, reply) => reply.status(201).send(await tokens.create(req.ctx, req.body)),
  );
  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of my API tokens',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await tokens.revoke(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
