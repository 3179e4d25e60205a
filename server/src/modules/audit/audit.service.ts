import { z } from 'zod';
import { auditRead } from '../../platform/audit/reads.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Platform } from '../../platform/platform.ts';

export const AuditQuery = z.object({
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(100).optional(),
  objectType: z.string().trim().max(60).optional(),
  objectId: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Records older than this sequence number (keyset pagination, newest first). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditRecord = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  onBehalfOf: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

const EXPORT_MAX = 100_000;

export function createAuditService(p: Platform) {
  function filtered(q: Omit<AuditQuery, 'limit'>) {
    let sel = p.db.selectFrom('audit_log').selectAll();
    if (q.actor)
      sel = sel.where((eb) => eb.or([eb('actor_label', '=', q.actor!), eb('actor_id', '=', q.actor!)]));
    // An action filter names a family ("user." matches user.create, user.disabled ...).
    if (q.action)
      sel = q.action.endsWith('.')
        ? sel.where('action', 'like', `${q.action.replace(/[\\%_]/g, '')}%`)
        : sel.where('action', '=', q.action);
    if (q.objectType) sel = sel.where('object_type', '=', q.objectType);
    if (q.objectId) sel = sel.where('object_id', '=', q.objectId);
    if (q.from) sel = sel.where('at', '>=', new Date(q.from).toISOString());
    if (q.to) sel = sel.where('at', '<', new Date(q.to).toISOString());
    if (q.before) sel = sel.where('seq', '<', q.before);
    return sel.orderBy('seq', 'desc');
  }
  const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
  const toRecord = (r: Awaited<ReturnType<ReturnType<typeof filtered>['execute']>>[number]): AuditRecord => ({
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    onBehalfOf: r.on_behalf_of,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    before: parse(r.before_json),
    after: parse(r.after_json),
    ip: r.ip,
    requestId: r.request_id,
    hash: r.hash,
  });

  return {
    async list(
      ctx: RequestContext,
      q: AuditQuery,
    ): Promise<{ items: AuditRecord[]; nextBefore: number | null }> {
      requirePermission(ctx, 'audit.read');
      const rows = await filtered(q)
        .limit(q.limit + 1)
        .execute();
      const page = rows.slice(0, q.limit);
      return { items: page.map(toRecord), nextBefore: rows.length > q.limit ? page.at(-1)!.seq : null };
    },

    /** Yields matching records in batches, newest first, for CSV/JSON export; the export itself is audited. */
    async *export(ctx: RequestContext, q: Omit<AuditQuery, 'limit' | 'before'>): AsyncGenerator<AuditRecord> {
      requirePermission(ctx, 'audit.read');
      await auditRead(p, ctx, {
        action: 'export.audit_trail',
        objectType: 'audit_log',
        objectId: null,
        detail: q,
      });
      let before: number | undefined;
      let sent = 0;
      while (sent < EXPORT_MAX) {
        const rows = await filtered({ ...q, before })
          .limit(1000)
          .execute();
        if (rows.length === 0) return;
        for (const r of rows) yield toRecord(r);
        sent += rows.length;
        before = rows.at(-1)!.seq;
      }
    },
  };
}
