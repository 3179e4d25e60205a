import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import type { Platform } from '../../platform/platform.ts';

const Notification = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

export function notificationRoutes(app: AppInstance, p: Platform): void {
  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: "The signed-in user's notifications, newest first",
        querystring: z.object({
          unread: z.enum(['0', '1']).default('0'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(Notification), unread: z.number() }) },
      },
    },
    async (req) =>
      p.notifications.list(req.ctx, { unreadOnly: req.query.unread === '1', limit: req.query.limit }),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark a notification as read',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await p.notifications.markRead(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
