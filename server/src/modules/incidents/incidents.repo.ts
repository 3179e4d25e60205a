import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { incidentPolicy } from '../../platform/access/index.ts';
import type { Actor } from '../../platform/context.ts';
import type { ListQuery } from './incidents.schemas.ts';

type Ex = Kysely<DB> | Transaction<DB>;

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const LATE = ['overdue', 'met_late'] as const;

/** Incidents the actor may find, with their entity's name, the assignee and a count of late duties. */
export function incidentsFor(db: Ex, actor: Actor) {
  return db
    .selectFrom('incidents')
    .innerJoin('entities', 'entities.id', 'incidents.entity_id')
    .leftJoin('users as assignee', 'assignee.id', 'incidents.assignee_id')
    .selectAll('incidents')
    .select(['entities.name_en as entity_name', 'assignee.display_name as assignee_name'])
    .select((eb) =>
      eb
        .selectFrom('incident_duties')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('incident_duties.incident_id', '=', 'incidents.id')
        .where('incident_duties.status', 'in', [...LATE])
        .as('late'),
    )
    .where(incidentPolicy.where(actor));
}

/** One page of the queue (open incidents by severity, then nearest deadline) or of the recent reports, and the total. */
export async function listIncidents(db: Ex, actor: Actor, q: ListQuery) {
  let query = incidentsFor(db, actor);
  if (q.status?.length) query = query.where('incidents.status', 'in', q.status);
  else if (q.view === 'queue') query = query.where('incidents.status', '!=', 'closed');
  if (q.severity?.length) query = query.where('incidents.severity', 'in', q.severity);
  if (q.sector) query = query.where('incidents.sector', '=', q.sector);
  if (q.entityId) query = query.where('incidents.entity_id', '=', q.entityId);
  if (q.overdue) query = query.where('incidents.overdue_duties', '>', 0);
  if (q.late)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('incident_duties')
          .select('incident_duties.id')
          .whereRef('incident_duties.incident_id', '=', 'incidents.id')
          .where('incident_duties.status', 'in', [...LATE]),
      ),
    );
  if (q.assignedToMe) query = query.where('incidents.assignee_id', '=', actor.userId ?? '-');
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // A TLP:RED title is never searched: a match would tell a restricted reader what it says.
    query = query.where((eb) =>
      eb.or([
        eb('incidents.reference', '=', q.q!.toUpperCase()),
        eb('entities.name_en', 'like', like),
        eb.and([eb('incidents.tlp', '!=', 'RED'), eb('incidents.title', 'like', like)]),
      ]),
    );
  }
  const total = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  query =
    q.view === 'queue'
      ? query
          .orderBy((eb) =>
            eb
              .case()
              .when('incidents.severity', '=', 'critical')
              .then(SEVERITY_RANK.critical)
              .when('incidents.severity', '=', 'high')
              .then(SEVERITY_RANK.high)
              .when('incidents.severity', '=', 'medium')
              .then(SEVERITY_RANK.medium)
              .else(SEVERITY_RANK.low)
              .end(),
          )
          .orderBy('incidents.next_due_at')
          .orderBy('incidents.reported_at', 'desc')
      : query.orderBy('incidents.reported_at', 'desc').orderBy('incidents.id', 'desc');
  const rows = await query.limit(q.limit).offset(q.offset).execute();
  return { total: Number(total.n), rows };
}

/** The people each of these incidents names as TLP:RED recipients. */
export async function namedRecipients(db: Ex, ids: string[]): Promise<Map<string, string[]>> {
  const m = new Map<string, string[]>();
  if (!ids.length) return m;
  const rows = await db
    .selectFrom('incident_recipients')
    .select(['incident_id', 'code'])
    .where('kind', '=', 'user')
    .where('incident_id', 'in', ids)
    .execute();
  for (const r of rows) m.set(r.incident_id, [...(m.get(r.incident_id) ?? []), r.code]);
  return m;
}

export const dutiesOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_duties')
    .selectAll()
    .where('incident_id', '=', id)
    .orderBy('regime')
    .orderBy('position')
    .execute();

export const openStagesOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_duties')
    .select('stage')
    .where('incident_id', '=', id)
    .where('status', 'in', ['due', 'waiting', 'overdue'])
    .execute();

export const reportsOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_reports')
    .select(['id', 'kind', 'satisfies_json', 'submitted_by', 'submitted_at'])
    .where('incident_id', '=', id)
    .orderBy('submitted_at')
    .execute();

/** The timeline; lines marked internal only when asked for (handlers). */
export function timelineOf(db: Ex, id: string, withInternal: boolean) {
  let q = db
    .selectFrom('incident_events')
    .select(['id', 'at', 'actor', 'kind', 'text', 'internal'])
    .where('incident_id', '=', id)
    .orderBy('at')
    .orderBy('id');
  if (!withInternal) q = q.where('internal', '=', 0);
  return q.execute();
}

export const tasksOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_tasks')
    .leftJoin('users', 'users.id', 'incident_tasks.assignee_id')
    .selectAll('incident_tasks')
    .select('users.display_name as assignee_name')
    .where('incident_id', '=', id)
    .orderBy('created_at')
    .execute();

export const rfisOf = (db: Ex, id: string) =>
  db.selectFrom('incident_rfis').selectAll().where('incident_id', '=', id).orderBy('asked_at').execute();

export const observablesOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_observables')
    .innerJoin('observables', 'observables.id', 'incident_observables.observable_id')
    .select(['observables.id', 'observables.type', 'observables.value', 'observables.incident_count'])
    .where('incident_observables.incident_id', '=', id)
    .orderBy('observables.type')
    .orderBy('observables.value')
    .execute();

/** Other incidents that share an observable with this one, most shared first. */
export const relatedTo = (db: Ex, id: string) =>
  db
    .selectFrom('incident_observables as mine')
    .innerJoin('incident_observables as other', 'other.observable_id', 'mine.observable_id')
    .innerJoin('incidents', 'incidents.id', 'other.incident_id')
    .select(['incidents.id', 'incidents.reference', 'incidents.tlp', 'incidents.title', 'incidents.sector'])
    .select((eb) => eb.fn.countAll<number>().as('shared'))
    .where('mine.incident_id', '=', id)
    .where('other.incident_id', '!=', id)
    .groupBy(['incidents.id', 'incidents.reference', 'incidents.tlp', 'incidents.title', 'incidents.sector'])
    .orderBy('shared', 'desc')
    .limit(20)
    .execute();

export const recipientsOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_recipients')
    .select(['kind', 'code', 'name'])
    .where('incident_id', '=', id)
    .execute();

export const filesOf = (db: Ex, id: string) =>
  db
    .selectFrom('incident_files')
    .select(['id', 'file_name', 'size_bytes', 'sha256', 'media_type', 'created_by', 'created_at'])
    .where('incident_id', '=', id)
    .orderBy('created_at')
    .execute();

export const reporterView = (db: Ex, id: string) =>
  db.selectFrom('incidents').select(['id', 'reference', 'entity_id']).where('id', '=', id).executeTakeFirst();

/** Applies a triage change if the incident is still at the version the handler saw; false if not. */
export async function updateAtVersion(
  trx: Transaction<DB>,
  id: string,
  version: number,
  set: Record<string, unknown>,
): Promise<boolean> {
  const res = await trx
    .updateTable('incidents')
    .set(set)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
