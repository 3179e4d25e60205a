import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { RequestContext } from '../context.ts';
import type { AuditWriter } from './audit.ts';

/**
 * The reads that leave a trace: a stored file handed out, a document exported, a TLP:RED report
 * opened. Exports share the `export.` family so one filter shows everything that left the system.
 */
export const READ_ACTIONS = [
  'file.downloaded',
  'export.stix',
  'export.oscal',
  'export.scorecard_pdf',
  'export.decision_letter',
  'export.campaign_results',
  'export.registry',
  'export.audit_trail',
  'incident.read_red',
] as const;
export type ReadAction = (typeof READ_ACTIONS)[number];

export interface ReadEntry {
  action: ReadAction;
  /** The record that was read, or the record a downloaded file belongs to. */
  objectType: string;
  objectId: string | null;
  /** What exactly went out (file id and name, format, filters); never the content itself. */
  detail?: Record<string, unknown>;
}

/**
 * Records a sensitive read in the audit trail, in its own transaction, before the content is
 * handed out: if the trail cannot be written, nothing leaves.
 */
export async function auditRead(
  p: { db: Kysely<DB>; audit: AuditWriter },
  ctx: RequestContext,
  entry: ReadEntry,
): Promise<void> {
  await p.db.transaction().execute((trx) =>
    p.audit(trx, ctx, {
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      after: entry.detail,
    }),
  );
}
