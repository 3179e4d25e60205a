import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { DB } from '../../../db/types.ts';
import type { Actor } from '../../context.ts';
import { assessmentPolicy } from './assessment.ts';
import { incidentPolicy } from './incident.ts';
import { supervisionPolicy } from './supervision.ts';

/** What a notice can be about; a notice with a subject is rendered for its reader on read. */
export type NoticeSubject = { type: 'incident' | 'audit' | 'case' | 'action' | 'assessment'; id: string };

/**
 * Notices whose subject the reader can still find. A notice about a record they lost (a role
 * changed, the report was restricted past their reach) disappears instead of leaking its text.
 */
export function noticeWhere(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'notifications'>): Expression<SqlBool> => {
    const about = (type: NoticeSubject['type'], ids: Parameters<typeof eb>[2]) =>
      eb.and([eb('notifications.subject_type', '=', type), eb('notifications.subject_id', 'in', ids)]);
    const audits = eb.selectFrom('audits').select('audits.id').where(supervisionPolicy.auditWhere(actor));
    return eb.or([
      eb('notifications.subject_type', 'is', null),
      about('incident', eb.selectFrom('incidents').select('incidents.id').where(incidentPolicy.where(actor))),
      about('audit', audits),
      about(
        'case',
        eb
          .selectFrom('enforcement_cases')
          .select('enforcement_cases.id')
          .where(supervisionPolicy.caseWhere(actor)),
      ),
      about(
        'action',
        eb
          .selectFrom('corrective_actions')
          .select('corrective_actions.id')
          .where('corrective_actions.audit_id', 'in', audits),
      ),
      about(
        'assessment',
        eb
          .selectFrom('assignments')
          .innerJoin('entities', 'entities.id', 'assignments.entity_id')
          .select('assignments.id')
          .where(assessmentPolicy.entityWhere(actor)),
      ),
    ]);
  };
}

export interface NoticeText {
  title: string;
  body: string;
}

/**
 * For the notices on a page, the ones whose content the reader may not read right now, with a
 * neutral text naming only the reference (which they may see) in place of what was stored.
 */
export async function restrictedNotices(
  db: Kysely<DB>,
  actor: Actor,
  rows: { id: string; subject_type: string | null; subject_id: string | null }[],
): Promise<Map<string, NoticeText>> {
  const out = new Map<string, NoticeText>();
  const ids = [...new Set(rows.filter((r) => r.subject_type === 'incident').map((r) => r.subject_id!))];
  if (!ids.length) return out;
  const incidents = await db
    .selectFrom('incidents')
    .select(['id', 'reference', 'entity_id', 'sector', 'tlp'])
    .where('id', 'in', ids)
    .execute();
  const named = await db
    .selectFrom('incident_recipients')
    .select(['incident_id', 'code'])
    .where('kind', '=', 'user')
    .where('incident_id', 'in', ids)
    .execute();
  for (const r of rows) {
    const inc = incidents.find((i) => i.id === r.subject_id);
    if (r.subject_type !== 'incident' || !inc) continue;
    const names = named.filter((n) => n.incident_id === inc.id).map((n) => n.code);
    if (incidentPolicy.readsContent(actor, inc, names)) continue;
    out.set(r.id, {
      title: `Update on ${inc.reference}`,
      body: `This report is now TLP:${inc.tlp}; its content is not shared with you.`,
    });
  }
  return out;
}
