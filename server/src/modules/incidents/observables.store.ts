import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { newId } from '../../platform/ids.ts';
import type { ObservableType } from './incidents.schemas.ts';
import { normalizeObservable } from './observables.ts';

/**
 * Links indicators to an incident, creating each observable once across all incidents and
 * counting the incidents it appears in (the basis of "seen in 3 other incidents").
 * Returns how many were new to this incident.
 */
export async function attachObservables(
  trx: Transaction<DB>,
  incidentId: string,
  items: { type: ObservableType; value: string }[],
  actor: string,
  now: Date,
  field: string,
): Promise<number> {
  const normalized = new Map<string, { type: ObservableType; value: string }>();
  for (const [i, it] of items.entries()) {
    const value = normalizeObservable(it.type, it.value, `${field}.${i}.value`);
    normalized.set(`${it.type}|${value}`, { type: it.type, value });
  }
  let added = 0;
  for (const { type, value } of normalized.values()) {
    await trx
      .insertInto('observables')
      .values({ id: newId(now.getTime()), type, value, first_seen_at: now.toISOString(), incident_count: 0 })
      .onConflict((oc) => oc.columns(['type', 'value']).doNothing())
      .execute();
    const obs = await trx
      .selectFrom('observables')
      .select('id')
      .where('type', '=', type)
      .where('value', '=', value)
      .executeTakeFirstOrThrow();
    const linked = await trx
      .insertInto('incident_observables')
      .values({
        incident_id: incidentId,
        observable_id: obs.id,
        added_by: actor,
        added_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['incident_id', 'observable_id']).doNothing())
      .executeTakeFirst();
    if (Number(linked.numInsertedOrUpdatedRows ?? 0) > 0) {
      added++;
      await trx
        .updateTable('observables')
        .set({ incident_count: sql<number>`incident_count + 1` })
        .where('id', '=', obs.id)
        .execute();
    }
  }
  return added;
}
