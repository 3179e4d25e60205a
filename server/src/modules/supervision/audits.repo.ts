import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { supervisionPolicy } from '../../platform/access/index.ts';
import type { Actor } from '../../platform/context.ts';

type Ex = Kysely<DB> | Transaction<DB>;

/** An audit the actor may find, or undefined. */
export const findAudit = (db: Ex, actor: Actor, id: string) =>
  db
    .selectFrom('audits')
    .selectAll()
    .where('id', '=', id)
    .where(supervisionPolicy.auditWhere(actor))
    .executeTakeFirst();
export type AuditRow = NonNullable<Awaited<ReturnType<typeof findAudit>>>;

/** The licensed-auditor record of a person, if they are one. */
export const auditorOfUser = (db: Ex, userId: string) =>
  db.selectFrom('auditors').select('id').where('user_id', '=', userId).executeTakeFirst();

/** The person behind a licensed auditor (whom their notices go to). */
export const userOfAuditor = (db: Ex, auditorId: string) =>
  db.selectFrom('auditors').select('user_id').where('id', '=', auditorId).executeTakeFirstOrThrow();

/** Moves an audit on if it is still at the version the caller saw; false if someone got there first. */
export async function updateAuditAtVersion(
  trx: Transaction<DB>,
  audit: AuditRow,
  set: Record<string, unknown>,
  now: string,
): Promise<boolean> {
  const res = await trx
    .updateTable('audits')
    .set({ ...set, version: audit.version + 1, updated_at: now })
    .where('id', '=', audit.id)
    .where('version', '=', audit.version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The audits an actor may find, newest first, with the entity, the lead auditor and open findings. */
export function listAudits(db: Kysely<DB>, actor: Actor, q: { status?: string; entityId?: string }) {
  let query = db
    .selectFrom('audits')
    .innerJoin('entities', 'entities.id', 'audits.entity_id')
    .leftJoin('auditors', 'auditors.id', 'audits.lead_auditor_id')
    .leftJoin('users', 'users.id', 'auditors.user_id')
    .select([
      'audits.id',
      'audits.reference',
      'audits.entity_id',
      'entities.name_en',
      'audits.sector',
      'audits.status',
      'audits.response_due_at',
      'audits.final_issued_at',
      'users.display_name as auditor_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('findings')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('findings.audit_id', '=', 'audits.id')
        .where('findings.status', '=', 'open')
        .as('open_findings'),
    )
    // Scoped through a subquery: the left joins make every column nullable in Kysely's eyes.
    .where(
      'audits.id',
      'in',
      db.selectFrom('audits').select('audits.id').where(supervisionPolicy.auditWhere(actor)),
    );
  if (q.status) query = query.where('audits.status', '=', q.status);
  if (q.entityId) query = query.where('audits.entity_id', '=', q.entityId);
  return query.orderBy('audits.created_at', 'desc').orderBy('audits.reference').limit(500).execute();
}

/** Everything an audit's page shows besides the audit itself. */
export async function auditParts(db: Kysely<DB>, a: AuditRow) {
  const entity = await db
    .selectFrom('entities')
    .select(['name_en', 'cii_tier'])
    .where('id', '=', a.entity_id)
    .executeTakeFirstOrThrow();
  const lead = a.lead_auditor_id
    ? await db
        .selectFrom('auditors')
        .innerJoin('users', 'users.id', 'auditors.user_id')
        .innerJoin('audit_firms', 'audit_firms.id', 'auditors.firm_id')
        .select(['auditors.id', 'auditors.user_id', 'users.display_name', 'audit_firms.name as firm'])
        .where('auditors.id', '=', a.lead_auditor_id)
        .executeTakeFirst()
    : undefined;
  const checklist = await db
    .selectFrom('audit_checklist')
    .selectAll()
    .where('audit_id', '=', a.id)
    .orderBy('position')
    .execute();
  const findings = await db
    .selectFrom('findings')
    .selectAll()
    .where('audit_id', '=', a.id)
    .orderBy('created_at')
    .execute();
  const actions = await db
    .selectFrom('corrective_actions')
    .selectAll()
    .where('audit_id', '=', a.id)
    .orderBy('created_at')
    .execute();
  return { entity, lead, checklist, findings, actions };
}

export const frameworkExists = async (db: Ex, id: string) =>
  Boolean(await db.selectFrom('frameworks').select('id').where('id', '=', id).executeTakeFirst());

/** The assessable requirements of a framework, in order, optionally only those in scope. */
export function checklistItems(db: Ex, frameworkId: string, only: string[]) {
  let items = db
    .selectFrom('framework_items')
    .select(['item_id', 'statement_en as statement'])
    .where('framework_id', '=', frameworkId)
    .where('assessable', '=', 1)
    .orderBy('sort');
  if (only.length) items = items.where('item_id', 'in', only);
  return items.execute();
}

export async function insertChecklist(
  trx: Transaction<DB>,
  auditId: string,
  rows: { item_id: string; statement: string | null }[],
) {
  for (let i = 0; i < rows.length; i += 300)
    await trx
      .insertInto('audit_checklist')
      .values(
        rows.slice(i, i + 300).map((r, j) => ({
          audit_id: auditId,
          item_id: r.item_id,
          position: i + j,
          statement: r.statement,
          result: 'not_tested',
        })),
      )
      .execute();
}

/** Records a checklist result; false when the item is not on the audit's checklist. */
export async function setChecklistResult(
  trx: Transaction<DB>,
  auditId: string,
  itemId: string,
  set: { result: string; note: string | null; updated_by: string; updated_at: string },
): Promise<boolean> {
  const res = await trx
    .updateTable('audit_checklist')
    .set(set)
    .where('audit_id', '=', auditId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const insertFinding = (
  trx: Transaction<DB>,
  row: {
    id: string;
    audit_id: string;
    entity_id: string;
    item_id: string | null;
    title: string;
    description: string;
    severity: string;
    created_by: string;
    created_at: string;
  },
) =>
  trx
    .insertInto('findings')
    .values({ ...row, status: 'open' })
    .execute();

export const findFinding = (db: Ex, id: string) =>
  db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();

export const answerFinding = (
  trx: Transaction<DB>,
  id: string,
  response: string,
  at: string,
  version: number,
) =>
  trx
    .updateTable('findings')
    .set({ entity_response: response, responded_at: at, version: version + 1 })
    .where('id', '=', id)
    .execute();

export const unansweredFindings = (db: Ex, auditId: string) =>
  db
    .selectFrom('findings')
    .select('title')
    .where('audit_id', '=', auditId)
    .where('entity_response', 'is', null)
    .execute();
