import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { peopleReaching } from '../../platform/access/index.ts';
import { newId } from '../../platform/ids.ts';
import type { IncidentRow } from './duties.ts';

/** One line of an incident's timeline; internal lines are shown to handlers only. */
export async function addEvent(
  trx: Transaction<DB>,
  incidentId: string,
  at: Date,
  actor: string,
  kind: string,
  text: string,
  internal = false,
): Promise<void> {
  await trx
    .insertInto('incident_events')
    .values({
      id: newId(at.getTime()),
      incident_id: incidentId,
      at: at.toISOString(),
      actor,
      kind,
      text,
      internal: internal ? 1 : 0,
    })
    .execute();
}

/**
 * Who hears about news on an incident: for TLP:RED only the named recipients; otherwise the
 * national CERT's analysts, the assignee, and the regulators and provincial officers it was routed to.
 */
export async function usersToAlert(trx: Transaction<DB>, row: IncidentRow): Promise<string[]> {
  const recipients = await trx
    .selectFrom('incident_recipients')
    .select(['kind', 'code'])
    .where('incident_id', '=', row.id)
    .execute();
  if (row.tlp === 'RED') return recipients.filter((r) => r.kind === 'user').map((r) => r.code);
  const toRegulator = recipients.some((r) => r.kind === 'regulator');
  const toProvince = recipients.some((r) => r.kind === 'provincial_cert');
  // One query: the national watch, plus the sector's and the unit's when it was routed there.
  const ids = new Set(
    await peopleReaching(trx, 'incidents.alerts', {
      sector: toRegulator ? row.sector : null,
      adminUnit: toProvince ? row.admin_unit : null,
    }),
  );
  if (row.assignee_id) ids.add(row.assignee_id);
  return [...ids];
}
