import { sql } from 'kysely';
import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import type { Platform } from '../../platform/platform.ts';
import { sendProblem } from '../../platform/http/problem.ts';

const Health = z.object({ status: z.literal('ok') });
const Ready = z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']) });

export function healthRoutes(app: AppInstance, p: Platform, state: { shuttingDown: boolean }): void {
  app.get(
    '/healthz',
    {
      schema: { tags: ['system'], summary: 'Liveness: the process answers', response: { 200: Health } },
      config: { public: true },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and the process is not shutting down',
        response: { 200: Ready },
      },
      config: { public: true },
    },
    async (req, reply) => {
      if (state.shuttingDown)
        return sendProblem(reply, req, 503, 'shutting_down', 'This instance is shutting down.');
      try {
        await sql`select 1`.execute(p.db);
      } catch {
        return sendProblem(reply, req, 503, 'database_unavailable', 'The database is not answering.');
      }
      return { status: 'ready' as const, database: p.dialect };
    },
  );
}
