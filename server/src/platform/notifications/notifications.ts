import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { noticeWhere, restrictedNotices, type NoticeSubject } from '../access/policies/notification.ts';
import { requireSignedIn } from '../access/permissions.ts';
import type { Clock } from '../clock.ts';
import type { RequestContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Executor } from '../jobs/jobs.ts';

export interface NotificationInput {
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** The record it is about: the notice is then rendered for its reader when they read it. */
  subject?: NoticeSubject;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

/** In-app notifications: written by modules inside their own transactions, read by their recipient only. */
export function createNotificationService(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async notify(ex: Executor, userIds: string[], n: NotificationInput): Promise<void> {
      if (userIds.length === 0) return;
      const now = clock.now();
      await ex
        .insertInto('notifications')
        .values(
          userIds.map((userId) => ({
            id: newId(now.getTime()),
            user_id: userId,
            kind: n.kind,
            title: n.title.slice(0, 300),
            body: n.body.slice(0, 4000),
            link: n.link ?? null,
            subject_type: n.subject?.type ?? null,
            subject_id: n.subject?.id ?? null,
            created_at: now.toISOString(),
          })),
        )
        .execute();
    },

    async list(
      ctx: RequestContext,
      opts: { unreadOnly: boolean; limit: number },
    ): Promise<{ items: Notification[]; unread: number }> {
      const actor = requireSignedIn(ctx);
      const userId = actor.userId ?? '';
      let q = db
        .selectFrom('notifications')
        .selectAll()
        .where('user_id', '=', userId)
        .where(noticeWhere(actor));
      if (opts.unreadOnly) q = q.where('read_at', 'is', null);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
      const { unread } = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('unread'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .where(noticeWhere(actor))
        .executeTakeFirstOrThrow();
      const restricted = await restrictedNotices(db, actor, rows);
      return {
        unread: Number(unread),
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          title: restricted.get(r.id)?.title ?? r.title,
          body: restricted.get(r.id)?.body ?? r.body,
          link: r.link,
          readAt: r.read_at,
          createdAt: r.created_at,
        })),
      };
    },

    async markRead(ctx: RequestContext, id: string): Promise<void> {
      const actor = requireSignedIn(ctx);
      const res = await db
        .updateTable('notifications')
        .set({ read_at: clock.now().toISOString() })
        .where('id', '=', id)
        .where('user_id', '=', actor.userId ?? '')
        .where('read_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        const exists = await db
          .selectFrom('notifications')
          .select('id')
          .where('id', '=', id)
          .where('user_id', '=', actor.userId ?? '')
          .executeTakeFirst();
        if (!exists) throw new NotFoundError('notification');
      }
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
