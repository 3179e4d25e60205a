import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { permissionsOf, requirePermission } from '../../platform/auth/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import { entityWhere } from '../registry/registry.repo.ts';
import type { AnswerInput } from './assessments.schemas.ts';
import { campaignClosesAt } from './campaign-settings.ts';
import { loadTargetProfiles, rankGaps, targetLevel } from './gaps.ts';
import { loadMappings, loadRequirements, type RequirementView } from './requirements.ts';
import { key, resolveMappedAnswers, scoreAssessment, type Score, type ScoringAnswer } from './scoring.ts';

const EVIDENCE_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
  'text/csv',
] as const;

const EDITABLE = new Set(['not_started', 'in_progress', 'returned']);

export function createAssignmentService(p: Platform) {
  const { db } = p;
  const targets = loadTargetProfiles(p.config.catalogDir, p.config.jurisdiction);

  /** The assignment if the caller may see its entity (404 otherwise), with its campaign. */
  async function visible(actor: Actor, id: string) {
    const row = await db
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
    if (!row) throw new NotFoundError('assessment');
    return row;
  }
  type Visible = Awaited<ReturnType<typeof visible>>;

  const isEntityUser = (actor: Actor, entityId: string) =>
    actor.roles.some((r) => r.scopeKind === 'entity' && r.scopeValue === entityId);
  const mayReview = (actor: Actor, a: Visible) =>
    permissionsOf(actor).has('assessments.review') &&
    actor.roles.some(
      (r) => r.scopeKind === 'national' || (r.role === 'sector_regulator' && r.scopeValue === a.sector),
    );

  async function answersOf(assignmentId: string): Promise<
    Map<
      string,
      ScoringAnswer & {
        comment: string | null;
        justification: string | null;
        version: number;
        updatedBy: string;
        updatedAt: string;
        id: string;
      }
    >
  > {
    const rows = await db
      .selectFrom('answers')
      .leftJoin('answer_evidence', 'answer_evidence.answer_id', 'answers.id')
      .select([
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
      ])
      .select((eb) => eb.fn.count<number>('answer_evidence.id').as('evidence'))
      .where('answers.assignment_id', '=', assignmentId)
      .groupBy([
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
      ])
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

  async function computeScore(
    frameworks: string[],
    assignmentId: string,
    reviewed: boolean,
  ): Promise<{
    requirements: RequirementView[];
    score: Score;
    answers: Awaited<ReturnType<typeof answersOf>>;
  }> {
    const requirements = await loadRequirements(db, frameworks);
    const answers = await answersOf(assignmentId);
    const resolved = resolveMappedAnswers(requirements, answers, await loadMappings(db, frameworks));
    return { requirements, answers, score: scoreAssessment(requirements, resolved, { reviewed }) };
  }

  /** The moment submissions close: the end of the due day plus the grace days, in the jurisdiction's time zone. */
  const closesAt = (dueOn: string, graceDays: number) =>
    campaignClosesAt(dueOn, graceDays, p.catalog.profile);

  return {
    async list(ctx: RequestContext, q: { campaignId?: string; status?: string; limit: number }) {
      const actor = requirePermission(ctx, 'assessments.read');
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
      const rows = await sel
        .orderBy('campaigns.due_on', 'desc')
        .orderBy('entities.name_en')
        .limit(q.limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        campaignId: r.campaign_id,
        campaignName: r.campaign_name,
        entityId: r.entity_id,
        entityName: r.name_en,
        sector: r.sector,
        status: r.status,
        score: r.score,
        submissions: r.submission_no,
        dueOn: r.due_on,
        updatedAt: r.updated_at,
      }));
    },

    async get(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'assessments.read');
      const a = await visible(actor, id);
      const frameworks = JSON.parse(a.frameworks_json) as string[];
      const { requirements, answers, score } = await computeScore(frameworks, id, a.status === 'accepted');
      const evidence = await db
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
        .where('answers.assignment_id', '=', id)
        .execute();
      const submissions = await db
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
        .where('assignment_id', '=', id)
        .orderBy('number', 'desc')
        .execute();
      const fwRows = await db
        .selectFrom('frameworks')
        .select(['id', 'name_en', 'answer_scale', 'levels_json'])
        .where('id', 'in', frameworks)
        .execute();
      const allowedActions: ('answer' | 'submit' | 'review')[] = [];
      if (
        permissionsOf(actor).has('assessments.answer') &&
        isEntityUser(actor, a.entity_id) &&
        EDITABLE.has(a.status)
      )
        allowedActions.push('answer', 'submit');
      if (a.status === 'submitted' && mayReview(actor, a)) allowedActions.push('review');
      return {
        id: a.id,
        campaignId: a.campaign_id,
        campaignName: a.campaign_name,
        entityId: a.entity_id,
        entityName: a.name_en,
        sector: a.sector,
        status: a.status,
        dueOn: a.due_on,
        closesAt: closesAt(a.due_on, a.grace_days).toISOString(),
        reviewComment: a.review_comment,
        frameworks: fwRows
          .sort((x, y) => frameworks.indexOf(x.id) - frameworks.indexOf(y.id))
          .map((f) => ({
            id: f.id,
            name: f.name_en,
            answerScale: f.answer_scale,
            levels: JSON.parse(f.levels_json) as unknown[],
          })),
        requirements: requirements.map((r) => {
          const ans = answers.get(key(r.frameworkId, r.itemId));
          return {
            frameworkId: r.frameworkId,
            itemId: r.itemId,
            groups: r.groups,
            dimension: r.dimension,
            statement: r.statement,
            statementUr: r.statementUr,
            answer: ans
              ? {
                  level: ans.level,
                  notApplicable: ans.notApplicable,
                  justification: ans.justification,
                  comment: ans.comment,
                  version: ans.version,
                  updatedBy: ans.updatedBy,
                  updatedAt: ans.updatedAt,
                }
              : null,
            evidence: evidence
              .filter((e) => e.framework_id === r.frameworkId && e.item_id === r.itemId)
              .map((e) => ({
                id: e.id,
                fileName: e.original_name,
                sizeBytes: e.size_bytes,
                sha256: e.sha256,
                mediaType: e.media_type,
                createdAt: e.created_at,
              })),
          };
        }),
        score,
        submissions: submissions.map((s) => ({
          number: s.number,
          submittedBy: s.submitted_by,
          submittedAt: s.submitted_at,
          decision: s.decision,
          reviewComment: s.review_comment,
          reviewedBy: s.reviewed_by,
          reviewedAt: s.reviewed_at,
          score: (JSON.parse(s.score_json) as Partial<Score>).overall ?? null,
        })),
        allowedActions,
      };
    },

    /** Autosaves one answer; people answering different requirements never collide, the same one is caught by its version. */
    async saveAnswer(
      ctx: RequestContext,
      id: string,
      frameworkId: string,
      itemId: string,
      input: AnswerInput,
    ) {
      const actor = requirePermission(ctx, 'assessments.answer');
      const a = await visible(actor, id);
      if (!isEntityUser(actor, a.entity_id))
        throw new ForbiddenError('Only people of the assessed entity answer its assessment.');
      if (!EDITABLE.has(a.status))
        throw new ConflictError(
          'assessment_locked',
          'This assessment was submitted; it can be changed again only if the reviewer returns it.',
        );
      const frameworks = JSON.parse(a.frameworks_json) as string[];
      const item = frameworks.includes(frameworkId)
        ? await db
            .selectFrom('framework_items')
            .select('assessable')
            .where('framework_id', '=', frameworkId)
            .where('item_id', '=', itemId)
            .executeTakeFirst()
        : undefined;
      if (!item || item.assessable !== 1) throw new NotFoundError('requirement');
      const now = p.clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('answers')
          .selectAll()
          .where('assignment_id', '=', id)
          .where('framework_id', '=', frameworkId)
          .where('item_id', '=', itemId)
          .executeTakeFirst();
        const values = {
          level: input.notApplicable ? null : input.level,
          not_applicable: input.notApplicable ? 1 : 0,
          justification: input.justification,
          comment: input.comment,
          updated_by: actor.label,
          updated_at: now,
        };
        let version = 1;
        if (before) {
          // No version means "my first answer": if someone answered meanwhile, that is a conflict too.
          if (input.version !== before.version) {
            throw new ConflictError(
              'answer_conflict',
              `${before.updated_by} changed this answer meanwhile; reload it before saving yours.`,
            );
          }
          version = before.version + 1;
          const res = await trx
            .updateTable('answers')
            .set({ ...values, version })
            .where('id', '=', before.id)
            .where('version', '=', before.version)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1)
            throw new ConflictError(
              'answer_conflict',
              'Someone changed this answer meanwhile; reload it before saving yours.',
            );
        } else {
          if (input.version !== undefined)
            throw new ConflictError('answer_conflict', 'This answer was removed meanwhile; reload.');
          await trx
            .insertInto('answers')
            .values({
              id: newId(),
              assignment_id: id,
              framework_id: frameworkId,
              item_id: itemId,
              ...values,
              version,
            })
            .execute();
        }
        if (a.status === 'not_started')
          await trx
            .updateTable('assignments')
            .set({ status: 'in_progress', updated_at: now })
            .where('id', '=', id)
            .execute();
        await p.audit(trx, ctx, {
          action: 'assessment.answer',
          objectType: 'assessment',
          objectId: id,
          onBehalfOf: a.entity_id,
          before: before ?? null,
          after: { frameworkId, itemId, ...values },
        });
        return { version };
      });
    },

    /** One evidence file, to whoever may read the assessment (another scope's request answers 404). */
    async evidenceFile(ctx: RequestContext, id: string, evidenceId: string) {
      const actor = requirePermission(ctx, 'assessments.read');
      await visible(actor, id);
      const f = await db
        .selectFrom('answer_evidence')
        .innerJoin('answers', 'answers.id', 'answer_evidence.answer_id')
        .innerJoin('files', 'files.id', 'answer_evidence.file_id')
        .select(['files.original_name', 'files.sha256'])
        .where('answer_evidence.id', '=', evidenceId)
        .where('answers.assignment_id', '=', id)
        .executeTakeFirst();
      if (!f) throw new NotFoundError('evidence file');
      return { content: await p.files.read(f.sha256), fileName: f.original_name };
    },

    async addEvidence(
      ctx: RequestContext,
      id: string,
      frameworkId: string,
      itemId: string,
      file: { content: Buffer; fileName: string },
    ) {
      const actor = requirePermission(ctx, 'assessments.answer');
      const a = await visible(actor, id);
      if (!isEntityUser(actor, a.entity_id))
        throw new ForbiddenError('Only people of the assessed entity add evidence.');
      if (!EDITABLE.has(a.status))
        throw new ConflictError(
          'assessment_locked',
          'This assessment was submitted; evidence can be added again only if it is returned.',
        );
      const answer = await db
        .selectFrom('answers')
        .select('id')
        .where('assignment_id', '=', id)
        .where('framework_id', '=', frameworkId)
        .where('item_id', '=', itemId)
        .executeTakeFirst();
      if (!answer) throw new ValidationError('Answer the requirement before attaching evidence to it.');
      return db.transaction().execute(async (trx) => {
        const stored = await p.files.store(trx, {
          content: file.content,
          originalName: file.fileName,
          allowed: EVIDENCE_TYPES,
          createdBy: actor.userId,
        });
        const evId = newId();
        await trx
          .insertInto('answer_evidence')
          .values({
            id: evId,
            answer_id: answer.id,
            file_id: stored.id,
            created_by: actor.label,
            created_at: p.clock.now().toISOString(),
          })
          .execute();
        await p.audit(trx, ctx, {
          action: 'assessment.evidence_added',
          objectType: 'assessment',
          objectId: id,
          onBehalfOf: a.entity_id,
          after: { frameworkId, itemId, file: stored },
        });
        return {
          id: evId,
          fileName: stored.originalName,
          sha256: stored.sha256,
          sizeBytes: stored.sizeBytes,
          mediaType: stored.mediaType,
        };
      });
    },

    /** Where the answers fall short of the target profile for the entity's sector and tier, most urgent first. */
    async gaps(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'assessments.read');
      const a = await visible(actor, id);
      const target = targets
        .filter((t) => t.effectiveFrom <= jurisdictionToday(p.clock, p.catalog.profile))
        .at(-1);
      if (!target) throw new NotFoundError('target profile');
      const frameworks = JSON.parse(a.frameworks_json) as string[];
      const requirements = await loadRequirements(db, frameworks);
      const answers = await answersOf(id);
      const raw = requirements.flatMap((r) => {
        const ans = answers.get(key(r.frameworkId, r.itemId));
        if (!ans || ans.notApplicable || ans.level === null) return [];
        const goal = targetLevel(target, a.sector, a.cii_tier, r.dimension);
        return ans.level < goal ? [{ r, level: ans.level, goal }] : [];
      });
      const mappings = raw.length
        ? await db
            .selectFrom('requirement_mappings')
            .selectAll()
            .where((eb) =>
              eb.or(
                raw.map(({ r }) =>
                  eb.or([
                    eb.and([eb('source_framework', '=', r.frameworkId), eb('source_item', '=', r.itemId)]),
                    eb.and([eb('target_framework', '=', r.frameworkId), eb('target_item', '=', r.itemId)]),
                  ]),
                ),
              ),
            )
            .execute()
        : [];
      const closes = (fw: string, item: string) =>
        mappings.flatMap((m) =>
          m.source_framework === fw &&
          m.source_item === item &&
          (m.relationship === 'equivalent' || m.relationship === 'superset')
            ? [{ frameworkId: m.target_framework, itemId: m.target_item, relationship: m.relationship }]
            : m.target_framework === fw &&
                m.target_item === item &&
                (m.relationship === 'equivalent' || m.relationship === 'subset')
              ? [
                  {
                    frameworkId: m.source_framework,
                    itemId: m.source_item,
                    relationship: m.relationship === 'subset' ? 'superset' : m.relationship,
                  },
                ]
              : [],
        );
      return {
        targetProfile: target.version,
        sector: a.sector,
        ciiTier: a.cii_tier,
        items: rankGaps(
          raw.map(({ r, level, goal }) => ({
            frameworkId: r.frameworkId,
            itemId: r.itemId,
            statement: r.statement,
            dimension: r.dimension,
            level,
            target: goal,
            gap: goal - level,
            alsoCloses: closes(r.frameworkId, r.itemId),
          })),
        ),
      };
    },

    /** Locks a version: every requirement answered (or not applicable with a reason), before the campaign closes. */
    async submit(ctx: RequestContext, id: string) {
      const actor = requirePermission(ctx, 'assessments.answer');
      const a = await visible(actor, id);
      if (!isEntityUser(actor, a.entity_id))
        throw new ForbiddenError('Only people of the assessed entity submit its assessment.');
      if (!EDITABLE.has(a.status))
        throw new ConflictError('assessment_locked', 'This assessment is already submitted.');
      if (p.clock.now() >= closesAt(a.due_on, a.grace_days)) {
        throw new AppError(
          409,
          'campaign_closed',
          `Submissions for this campaign closed at the end of ${a.due_on}${a.grace_days ? ` plus ${a.grace_days} days of grace` : ''}; ask the Authority to reopen it.`,
        );
      }
      const frameworks = JSON.parse(a.frameworks_json) as string[];
      const { requirements, answers, score } = await computeScore(frameworks, id, false);
      const missing = requirements.filter((r) => {
        const ans = answers.get(key(r.frameworkId, r.itemId));
        return !ans || (!ans.notApplicable && ans.level === null);
      });
      if (missing.length) {
        throw new AppError(
          422,
          'assessment_incomplete',
          `${missing.length} requirement(s) still need an answer, starting with ${missing[0]!.itemId}.`,
          { missing: missing.slice(0, 50).map((m) => m.itemId) },
        );
      }
      const now = p.clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
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
        if (Number(claimed.numUpdatedRows) !== 1)
          throw new ConflictError('assessment_locked', 'This assessment is already submitted.');
        const { submission_no } = await trx
          .selectFrom('assignments')
          .select('submission_no')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('submissions')
          .values({
            id: newId(),
            assignment_id: id,
            number: submission_no,
            answers_json: JSON.stringify([...answers].map(([k, v]) => ({ key: k, ...v }))),
            score_json: JSON.stringify(score),
            submitted_by: actor.label,
            submitted_at: now,
          })
          .execute();
        await p.audit(trx, ctx, {
          action: 'assessment.submitted',
          objectType: 'assessment',
          objectId: id,
          onBehalfOf: a.entity_id,
          after: { submission: submission_no, score: score.overall },
        });
      });
      return this.get(ctx, id);
    },

    /** Accept (results enter the national picture) or return with what to change. */
    async review(ctx: RequestContext, id: string, decision: 'accept' | 'return', comment: string | null) {
      const actor = requirePermission(ctx, 'assessments.review');
      const a = await visible(actor, id);
      if (!mayReview(actor, a)) throw new ForbiddenError('You do not review assessments of this sector.');
      if (a.status !== 'submitted')
        throw new ConflictError('not_submitted', 'Only a submitted assessment can be reviewed.');
      const frameworks = JSON.parse(a.frameworks_json) as string[];
      const now = p.clock.now().toISOString();
      // Scored before the transaction: a submitted assessment's answers cannot change meanwhile.
      const accepted = decision === 'accept' ? await computeScore(frameworks, id, true) : null;
      await db.transaction().execute(async (trx) => {
        const status = decision === 'accept' ? 'accepted' : 'returned';
        const res = await trx
          .updateTable('assignments')
          .set({ status, review_comment: comment, updated_at: now })
          .where('id', '=', id)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new ConflictError('not_submitted', 'Someone reviewed this assessment meanwhile.');
        await trx
          .updateTable('submissions')
          .set({ decision, review_comment: comment, reviewed_by: actor.label, reviewed_at: now })
          .where('assignment_id', '=', id)
          .where('number', '=', a.submission_no)
          .execute();
        if (accepted) {
          const { score, requirements, answers } = accepted;
          await trx
            .updateTable('assignments')
            .set({ score: score.overall, score_json: JSON.stringify(score) })
            .where('id', '=', id)
            .execute();
          await addToNationalCells(trx, a.campaign_id, a.sector, a.admin_unit, score, requirements, answers);
        }
        await p.audit(trx, ctx, {
          action: `assessment.${decision === 'accept' ? 'accepted' : 'returned'}`,
          objectType: 'assessment',
          objectId: id,
          onBehalfOf: a.entity_id,
          after: { comment },
        });
        const recipients = await trx
          .selectFrom('role_assignments')
          .select('user_id')
          .where('scope_kind', '=', 'entity')
          .where('scope_value', '=', a.entity_id)
          .execute();
        await p.notifications.notify(trx, [...new Set(recipients.map((r) => r.user_id))], {
          kind: `assessment.${decision}`,
          title:
            decision === 'accept'
              ? `${a.campaign_name}: your assessment was accepted`
              : `${a.campaign_name}: your assessment was returned`,
          body:
            comment ??
            (decision === 'accept'
              ? 'The Authority accepted your submission.'
              : 'See the reviewer’s comments.'),
          link: `/assessments/${id}`,
        });
      });
      return this.get(ctx, id);
    },
  };
}

/** Adds an accepted assessment to the national cells (sector x unit x dimension, and per requirement). */
async function addToNationalCells(
  trx: Transaction<DB>,
  campaignId: string,
  sector: string,
  adminUnit: string,
  score: Score,
  requirements: RequirementView[],
  answers: Map<string, ScoringAnswer>,
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
    const value = (a.level / 5) * 100;
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
