import { sql, type Insertable, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { AuditPlanItems, AuditPlans, Audits, DB } from '../../db/types.ts';

type Ex = Kysely<DB> | Transaction<DB>;

/** Numbers the next record of a series (AUD-2027-0001), inside the caller's transaction. */
export async function nextNumber(trx: Transaction<DB>, name: string): Promise<number> {
  const r = await trx
    .insertInto('sequences')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`sequences.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return r.value;
}

/**
 * What audit planning weighs, for the active entities of some sectors (or one entity): tier, the
 * latest accepted score, incidents and late or missing reports since `since`, and the last audit.
 */
export async function riskFacts(db: Ex, q: { sectors: string[]; since: string; only?: string }) {
  let entities = db
    .selectFrom('entities')
    .select(['id', 'cii_tier', 'sector'])
    .where('status', '=', 'active');
  if (q.sectors.length) entities = entities.where('sector', 'in', q.sectors);
  if (q.only) entities = entities.where('id', '=', q.only);
  // One entity's figures need only its own rows.
  const mine = () => (q.only ? sql<SqlBool>`entity_id = ${q.only}` : sql<SqlBool>`1 = 1`);
  const scores = await db
    .selectFrom('assignments')
    .select(['entity_id', 'score', 'updated_at'])
    .where('status', '=', 'accepted')
    .where('score', 'is not', null)
    .where(mine())
    .orderBy('updated_at')
    .execute();
  const incidents = await db
    .selectFrom('incidents')
    .select(['entity_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('reported_at', '>=', q.since)
    .where(mine())
    .groupBy('entity_id')
    .execute();
  const duties = await db
    .selectFrom('incident_duties')
    .select((eb) => [
      'entity_id',
      eb.fn.sum<number>(eb.case().when('status', '=', 'met_late').then(1).else(0).end()).as('late'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'overdue').then(1).else(0).end()).as('missing'),
    ])
    .where('status', 'in', ['met_late', 'overdue'])
    .where('due_at', '>=', q.since)
    .where(mine())
    .groupBy('entity_id')
    .execute();
  const audited = await db
    .selectFrom('audits')
    .select(['entity_id', (eb) => eb.fn.max('final_issued_at').as('at')])
    .where('final_issued_at', 'is not', null)
    .where(mine())
    .groupBy('entity_id')
    .execute();
  return {
    entities: await entities.execute(),
    // Ordered by time, so the map keeps each entity's latest score.
    latestScore: new Map(scores.map((r) => [r.entity_id, r.score!])),
    incidents: new Map(incidents.map((r) => [r.entity_id, Number(r.n)])),
    duties: new Map(duties.map((r) => [r.entity_id, { late: Number(r.late), missing: Number(r.missing) }])),
    lastAudit: new Map(audited.map((r) => [r.entity_id, String(r.at)])),
  };
}

export async function frameworkExists(db: Ex, id: string): Promise<boolean> {
  return !!(await db.selectFrom('frameworks').select('id').where('id', '=', id).executeTakeFirst());
}

export async function insertPlan(
  trx: Transaction<DB>,
  plan: Insertable<AuditPlans>,
  items: Insertable<AuditPlanItems>[],
): Promise<void> {
  await trx.insertInto('audit_plans').values(plan).execute();
  for (let i = 0; i < items.length; i += 300)
    await trx
      .insertInto('audit_plan_items')
      .values(items.slice(i, i + 300))
      .execute();
}

export const listPlans = (db: Ex) =>
  db.selectFrom('audit_plans').selectAll().orderBy('created_at', 'desc').limit(100).execute();

export const findPlan = (db: Ex, id: string) =>
  db.selectFrom('audit_plans').selectAll().where('id', '=', id).executeTakeFirst();

/** A plan's candidates, highest risk first. */
export const planItems = (db: Ex, planId: string) =>
  db
    .selectFrom('audit_plan_items')
    .innerJoin('entities', 'entities.id', 'audit_plan_items.entity_id')
    .select([
      'audit_plan_items.entity_id',
      'entities.name_en',
      'entities.sector',
      'entities.cii_tier',
      'audit_plan_items.risk_score',
      'audit_plan_items.reasons_json',
      'audit_plan_items.proposed',
      'audit_plan_items.included',
    ])
    .where('plan_id', '=', planId)
    .orderBy('audit_plan_items.risk_score', 'desc')
    .orderBy('audit_plan_items.entity_id')
    .execute();

/** Includes or excludes a candidate already on the plan; false when it is not on it. */
export async function setItemIncluded(
  trx: Transaction<DB>,
  planId: string,
  entityId: string,
  included: boolean,
): Promise<boolean> {
  const res = await trx
    .updateTable('audit_plan_items')
    .set({ included: included ? 1 : 0 })
    .where('plan_id', '=', planId)
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function addItem(trx: Transaction<DB>, item: Insertable<AuditPlanItems>): Promise<void> {
  await trx.insertInto('audit_plan_items').values(item).execute();
}

export async function setPlanVersion(trx: Transaction<DB>, planId: string, version: number): Promise<void> {
  await trx.updateTable('audit_plans').set({ version }).where('id', '=', planId).execute();
}

/** The entities a plan includes, for opening their audits. */
export const includedEntities = (db: Ex, planId: string) =>
  db
    .selectFrom('audit_plan_items')
    .innerJoin('entities', 'entities.id', 'audit_plan_items.entity_id')
    .select(['entities.id', 'entities.sector', 'entities.admin_unit'])
    .where('plan_id', '=', planId)
    .where('included', '=', 1)
    .execute();

/** Approves the plan if it is still at `version`; false when someone changed it meanwhile. */
export async function markApproved(
  trx: Transaction<DB>,
  planId: string,
  version: number,
  by: string,
  at: string,
): Promise<boolean> {
  const res = await trx
    .updateTable('audit_plans')
    .set({ status: 'approved', approved_by: by, approved_at: at, version: version + 1 })
    .where('id', '=', planId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertAudit(trx: Transaction<DB>, audit: Insertable<Audits>): Promise<void> {
  await trx.insertInto('audits').values(audit).execute();
}
