import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Actor } from '../../platform/context.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { IncidentRow } from './duties.ts';
import { incidentPolicy } from '../../platform/access/index.ts';

export interface VisibleIncident {
  row: IncidentRow;
  named: string[];
  content: boolean;
}

/** Loads an incident the actor may find (404 otherwise) and says whether they may read its content. */
export async function loadIncident(
  ex: Kysely<DB> | Transaction<DB>,
  actor: Actor,
  id: string,
): Promise<VisibleIncident> {
  const row = await ex
    .selectFrom('incidents')
    .selectAll()
    .where('id', '=', id)
    .where(incidentPolicy.where(actor))
    .executeTakeFirst();
  if (!row) throw new NotFoundError('incident');
  const named = (
    await ex
      .selectFrom('incident_recipients')
      .select('code')
      .where('incident_id', '=', id)
      .where('kind', '=', 'user')
      .execute()
  ).map((r) => r.code);
  return { row, named, content: incidentPolicy.readsContent(actor, row, named) };
}

/** As `loadIncident`, for changes: a restricted reader may see the record exists but not act on it. */
export async function loadForChange(
  ex: Kysely<DB> | Transaction<DB>,
  actor: Actor,
  id: string,
): Promise<VisibleIncident> {
  const v = await loadIncident(ex, actor, id);
  if (!v.content)
    throw new ForbiddenError(`This report is TLP:${v.row.tlp}; only its named recipients may work on it.`);
  return v;
}
