import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

export interface EvidenceOut {
  id: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  mediaType: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** The evidence files of some corrective actions, by action, oldest first: one query for a page. */
export async function evidenceOf(
  db: Kysely<DB>,
  actionIds: readonly string[],
): Promise<Map<string, EvidenceOut[]>> {
  const byAction = new Map<string, EvidenceOut[]>();
  // Chunked: an entity page or an audit never holds many actions, but the list page may.
  for (let i = 0; i < actionIds.length; i += 500) {
    const rows = await db
      .selectFrom('supervision_files')
      .selectAll()
      .where('owner_kind', '=', 'action')
      .where('owner_id', 'in', actionIds.slice(i, i + 500))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = byAction.get(r.owner_id) ?? [];
      list.push({
        id: r.id,
        fileName: r.file_name,
        sizeBytes: Number(r.size_bytes),
        sha256: r.sha256,
        mediaType: r.media_type,
        uploadedBy: r.created_by,
        uploadedAt: r.created_at,
      });
      byAction.set(r.owner_id, list);
    }
  }
  return byAction;
}
