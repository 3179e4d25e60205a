import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { Actor } from '../../platform/context.ts';
import { entityWhere } from '../registry/registry.repo.ts';
import type { RequirementView } from './requirements.ts';
import { key, levelScore, scaleOf, type LevelScale, type Score, type ScoringAnswer } from './scoring.ts';

type Ex = Kysely<DB> | Transaction<DB>;

/** The statuses in which the entity may still change its answers. */
export const EDITABLE = ['not_started', 'in_progress', 'returned'] as const;

export type StoredAnswer = ScoringAnswer & {
  comment: string | null;
  justification: string | null;
  version: number;
  updatedBy: string;
  updatedAt: string;
  id: string;
};

export interface AnswerValues {
  level: number | null;
  not_applicable: number;
  justification: string | null;
  comment: string | null;
  updated_by: string;
  updated_at: string;
}

/** The assignment with its entity and campaign, if the actor's scope covers the entity. */
export async function findAssignment(db: Ex, actor: Actor, id: string) {
  return db
    .selectFrom('assignments')
    .innerJoin('entities', 'entities.id', 'assignments.entity_id')
    .innerJoin('campaigns', 'campaigns.id', 'assignments.campaign_id')
    .selectAll('assignments')
    .select([
      'entities.name_en',
      'entities.sector',
      'entities.admin_unit',
      'entities.cii_tier',
      'campaigns.name as campaign_name',
      'campaigns.due_on',
      'campaigns.grace_days',
    ])
    .where('assignments.id', '=', id)
    .where(entityWhere(actor, {}))
    .executeTakeFirst();
}
export type AssignmentRow = NonNullable<Awaited<ReturnType<typeof findAssignment>>>;

export async function listAssignments(
  db: Ex,
  actor: Actor,
  q: { campaignId?: string; status?: string; limit: number },
) {
  let sel = db
    .selectFrom('assignments')
    .innerJoin('entities', 'entities.id', 'assignments.entity_id')
    .innerJoin('campaigns', 'campaigns.id', 'assignments.campaign_id')
    .select([
      'assignments.id',
      'assignments.campaign_id',
      'assignments.entity_id',
      'assignments.status',
      'assignments.score',
      'assignments.submission_no',
      'assignments.updated_at',
      'entities.name_en',
      'entities.sector',
      'campaigns.name as campaign_name',
      'campaigns.due_on',
    ])
    .where(entityWhere(actor, {}));
  if (q.campaignId) sel = sel.where('assignments.campaign_id', '=', q.campaignId);
  if (q.status) sel = sel.where('assignments.status', '=', q.status);
  return sel.orderBy('campaigns.due_on', 'desc').orderBy('entities.name_en').limit(q.limit).execute();
}

/**
 * Holds the assignment row until the transaction ends and returns its status now. Answer saves
 * and submit both start here, so a save lands wholly before a submission's snapshot or finds the
 * assessment submitted (SQLite's BEGIN IMMEDIATE already serialises every write transaction).
 */
export async function lockAssignment(trx: Transaction<DB>, dialect: Dialect, id: string): Promise<string> {
  let q = trx.selectFrom('assignments').select('status').where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirstOrThrow()).status;
}

/** Every answer of an assignment, keyed by framework and item, with its evidence count. */
export async function answersOf(db: Ex, assignmentId: string): Promise<Map<string, StoredAnswer>> {
  const columns = [
    'answers.id',
    'answers.framework_id',
    'answers.item_id',
    'answers.level',
    'answers.not_applicable',
    'answers.justification',
    'answers.comment',
    'answers.version',
    'answers.updated_by',
    'answers.updated_at',
  ] as const;
  const rows = await db
    .selectFrom('answers')
    .leftJoin('answer_evidence', 'answer_evidence.answer_id', 'answers.id')
    .select(columns)
    .select((eb) => eb.fn.count<number>('answer_evidence.id').as('evidence'))
    .where('answers.assignment_id', '=', assignmentId)
    .groupBy([...columns])
    .execute();
  return new Map(
    rows.map((r) => [
      key(r.framework_id, r.item_id),
      {
        id: r.id,
        level: r.level,
        notApplicable: r.not_applicable === 1,
        evidenceCount: Number(r.evidence),
        comment: r.comment,
        justification: r.justification,
        version: r.version,
        updatedBy: r.updated_by,
        updatedAt: r.updated_at,
      },
    ]),
  );
}

export async function evidenceOf(db: Ex, assignmentId: string) {
  return db
    .selectFrom('answer_evidence')
    .innerJoin('answers', 'answers.id', 'answer_evidence.answer_id')
    .innerJoin('files', 'files.id', 'answer_evidence.file_id')
    .select([
      'answer_evidence.id',
      'answers.framework_id',
      'answers.item_id',
      'files.original_name',
      'files.size_bytes',
      'files.sha256',
      'files.media_type',
      'answer_evidence.created_at',
    ])
    .where('answers.assignment_id', '=', assignmentId)
    .execute();
}

export async function submissionsOf(db: Ex, assignmentId: string) {
  return db
    .selectFrom('submissions')
    .select([
      'number',
      'submitted_by',
      'submitted_at',
      'decision',
      'review_comment',
      'reviewed_by',
      'reviewed_at',
      'score_json',
    ])
    .where('assignment_id', '=', assignmentId)
    .orderBy('number', 'desc')
    .execute();
}

export async function frameworksOf(db: Ex, ids: string[]) {
  return db
    .selectFrom('frameworks')
    .select(['id', 'name_en', 'answer_scale', 'levels_json'])
    .where('id', 'in', ids)
    .execute();
}

/** An assessable requirement with its framework's levels and name; undefined otherwise. */
export async function findRequirement(db: Ex, frameworkId: string, itemId: string) {
  const item = await db
    .selectFrom('framework_items')
    .innerJoin('frameworks', 'frameworks.id', 'framework_items.framework_id')
    .select(['framework_items.assessable', 'frameworks.levels_json', 'frameworks.name_en'])
    .where('framework_items.framework_id', '=', frameworkId)
    .where('framework_items.item_id', '=', itemId)
    .executeTakeFirst();
  return item?.assessable === 1 ? item : undefined;
}

export async function findAnswer(db: Ex, assignmentId: string, frameworkId: string, itemId: string) {
  return db
    .selectFrom('answers')
    .selectAll()
    .where('assignment_id', '=', assignmentId)
    .where('framework_id', '=', frameworkId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

/** A first answer; false if someone else's first answer to the same requirement got in first. */
export async function insertAnswer(
  trx: Transaction<DB>,
  row: { assignmentId: string; frameworkId: string; itemId: string; id: string },
  values: AnswerValues,
): Promise<boolean> {
  const res = await trx
    .insertInto('answers')
    .values({
      id: row.id,
      assignment_id: row.assignmentId,
      framework_id: row.frameworkId,
      item_id: row.itemId,
      ...values,
      version: 1,
    })
    .onConflict((oc) => oc.columns(['assignment_id', 'framework_id', 'item_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A later answer, only over the version the person saw. */
export async function updateAnswer(
  trx: Transaction<DB>,
  id: string,
  seenVersion: number,
  values: AnswerValues,
): Promise<boolean> {
  const res = await trx
    .updateTable('answers')
    .set({ ...values, version: seenVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', seenVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function markStarted(trx: Transaction<DB>, id: string, now: string): Promise<void> {
  await trx
    .updateTable('assignments')
    .set({ status: 'in_progress', updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'not_started')
    .execute();
}

export async function findEvidenceFile(db: Ex, assignmentId: string, evidenceId: string) {
  return db
    .selectFrom('answer_evidence')
    .innerJoin('answers', 'answers.id', 'answer_evidence.answer_id')
    .innerJoin('files', 'files.id', 'answer_evidence.file_id')
    .select(['files.original_name', 'files.sha256'])
    .where('answer_evidence.id', '=', evidenceId)
    .where('answers.assignment_id', '=', assignmentId)
    .executeTakeFirst();
}

export async function insertEvidence(
  trx: Transaction<DB>,
  row: { id: string; answerId: string; fileId: string; createdBy: string; createdAt: string },
): Promise<void> {
  await trx
    .insertInto('answer_evidence')
    .values({
      id: row.id,
      answer_id: row.answerId,
      file_id: row.fileId,
      created_by: row.createdBy,
      created_at: row.createdAt,
    })
    .execute();
}

/** Mappings that touch any of the given requirements, in either direction. */
export async function mappingsTouching(db: Ex, items: { frameworkId: string; itemId: string }[]) {
  if (!items.length) return [];
  return db
    .selectFrom('requirement_mappings')
    .selectAll()
    .where((eb) =>
      eb.or(
        items.map((r) =>
          eb.or([
            eb.and([eb('source_framework', '=', r.frameworkId), eb('source_item', '=', r.itemId)]),
            eb.and([eb('target_framework', '=', r.frameworkId), eb('target_item', '=', r.itemId)]),
          ]),
        ),
      ),
    )
    .execute();
}

/** Moves an editable assignment to submitted and returns its new submission number (null if it was not editable). */
export async function claimSubmission(
  trx: Transaction<DB>,
  id: string,
  score: Score,
  now: string,
): Promise<number | null> {
  const claimed = await trx
    .updateTable('assignments')
    .set({
      status: 'submitted',
      submission_no: sql<number>`submission_no + 1`,
      score: score.overall,
      score_json: JSON.stringify(score),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', 'in', [...EDITABLE])
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return null;
  const { submission_no } = await trx
    .selectFrom('assignments')
    .select('submission_no')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return submission_no;
}

export async function insertSubmission(
  trx: Transaction<DB>,
  row: {
    assignmentId: string;
    number: number;
    answers: Map<string, StoredAnswer>;
    score: Score;
    by: string;
    at: string;
    id: string;
  },
): Promise<void> {
  await trx
    .insertInto('submissions')
    .values({
      id: row.id,
      assignment_id: row.assignmentId,
      number: row.number,
      answers_json: JSON.stringify([...row.answers].map(([k, v]) => ({ key: k, ...v }))),
      score_json: JSON.stringify(row.score),
      submitted_by: row.by,
      submitted_at: row.at,
    })
    .execute();
}

/** Records a review on a submitted assignment and its submission; false if someone reviewed it first. */
export async function recordReview(
  trx: Transaction<DB>,
  a: { id: string; submissionNo: number },
  r: {
    decision: 'accept' | 'return';
    comment: string | null;
    by: string;
    at: string;
    acceptedScore: Score | null;
  },
): Promise<boolean> {
  const res = await trx
    .updateTable('assignments')
    .set({
      status: r.decision === 'accept' ? 'accepted' : 'returned',
      review_comment: r.comment,
      updated_at: r.at,
    })
    .where('id', '=', a.id)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await trx
    .updateTable('submissions')
    .set({ decision: r.decision, review_comment: r.comment, reviewed_by: r.by, reviewed_at: r.at })
    .where('assignment_id', '=', a.id)
    .where('number', '=', a.submissionNo)
    .execute();
  if (r.acceptedScore)
    await trx
      .updateTable('assignments')
      .set({ score: r.acceptedScore.overall, score_json: JSON.stringify(r.acceptedScore) })
      .where('id', '=', a.id)
      .execute();
  return true;
}

/** The people of an entity (who hear about its assessment's review). */
export async function entityUserIds(db: Ex, entityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('scope_kind', '=', 'entity')
    .where('scope_value', '=', entityId)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

/** Adds an accepted assessment to the national cells (sector x unit x dimension, and per requirement). */
export async function addToNationalCells(
  trx: Transaction<DB>,
  campaignId: string,
  sector: string,
  adminUnit: string,
  score: Score,
  requirements: RequirementView[],
  answers: Map<string, ScoringAnswer>,
  scales: Map<string, LevelScale>,
): Promise<void> {
  const cells = [...Object.entries(score.dimensions), ['overall', score.overall] as const].filter(
    ([, v]) => v !== null,
  ) as [string, number][];
  for (const [dimension, value] of cells) {
    await trx
      .insertInto('assessment_cells')
      .values({ campaign_id: campaignId, sector, admin_unit: adminUnit, dimension, n: 1, score_sum: value })
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'sector', 'admin_unit', 'dimension']).doUpdateSet({
          n: sql<number>`assessment_cells.n + 1`,
          score_sum: sql<number>`assessment_cells.score_sum + ${value}`,
        }),
      )
      .execute();
  }
  for (const r of requirements) {
    const a = answers.get(key(r.frameworkId, r.itemId));
    if (!a || a.notApplicable || a.level === null) continue;
    const value = levelScore(scales.get(r.frameworkId) ?? scaleOf([]), a.level);
    await trx
      .insertInto('requirement_cells')
      .values({
        campaign_id: campaignId,
        sector,
        framework_id: r.frameworkId,
        item_id: r.itemId,
        n: 1,
        score_sum: value,
      })
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'sector', 'framework_id', 'item_id']).doUpdateSet({
          n: sql<number>`requirement_cells.n + 1`,
          score_sum: sql<number>`requirement_cells.score_sum + ${value}`,
        }),
      )
      .execute();
  }
}
