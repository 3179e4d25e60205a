import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { auditRead } from '../../platform/audit/reads.ts';
import { assessmentPolicy } from '../../platform/access/index.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { legalStatusOut } from '../../platform/legal-status.ts';
import type { Platform } from '../../platform/platform.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { AnswerInput } from './assessments.schemas.ts';
import {
  addToNationalCells,
  answersOf,
  claimSubmission,
  EDITABLE as EDITABLE_STATUSES,
  entityUserIds,
  evidenceOf,
  findAnswer,
  findAssignment,
  findEvidenceFile,
  frameworksOf,
  insertAnswer,
  insertEvidence,
  insertSubmission,
  findRequirement,
  listAssignments,
  lockAssignment,
  mappingsTouching,
  markStarted,
  recordReview,
  submissionsOf,
  updateAnswer,
  type AssignmentRow,
} from './assignments.repo.ts';
import { campaignClosesAt } from './campaign-settings.ts';
import { loadTargetProfiles, rankGaps, targetLevel } from './gaps.ts';
import { loadMappings, loadRequirements, loadScales } from './requirements.ts';
import {
  DEFAULT_SCALE,
  key,
  levelNearest,
  levelScore,
  resolveMappedAnswers,
  scaleOf,
  scoreAssessment,
  type Score,
} from './scoring.ts';
import { loadScoringRules, rulesOn } from './scoring-rules.ts';

const EVIDENCE_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
  'text/csv',
] as const;

const EDITABLE = new Set<string>(EDITABLE_STATUSES);

export function createAssignmentService(p: Platform) {
  const { db } = p;
  const targets = loadTargetProfiles(p.config.catalogDir, p.config.jurisdiction);
  const scoringRules = loadScoringRules(p.config.catalogDir, p.config.jurisdiction);

  /** The assignment if the caller may see its entity (404 otherwise), with its campaign. */
  async function visible(actor: Actor, id: string): Promise<AssignmentRow> {
    const row = await findAssignment(db, actor, id);
    if (!row) throw new NotFoundError('assessment');
    return row;
  }

  // The entity's own people answer; the status checks beside each call give their own reasons.
  const isEntityUser = (actor: Actor, entityId: string) =>
    assessmentPolicy.can(actor, 'answer', { entity_id: entityId, sector: '', status: 'in_progress' });
  const mayReview = (actor: Actor, a: AssignmentRow) => assessmentPolicy.reviews(actor, a);

  /** The scoring catalog in force on the jurisdiction's today. */
  function rulesInForce() {
    const day = jurisdictionToday(p.clock, p.catalog.profile);
    const rules = rulesOn(scoringRules, day);
    if (!rules) throw new NotFoundError(`scoring catalog in force on ${day}`);
    return rules;
  }

  /** Inside a transaction, pass it as `ex`: on SQLite the pool is its one connection. */
  async function computeScore(ex: Kysely<DB>, frameworks: string[], assignmentId: string, reviewed: boolean) {
    const rules = rulesInForce();
    const requirements = await loadRequirements(ex, frameworks);
    const answers = await answersOf(ex, assignmentId);
    const scales = await loadScales(ex, frameworks);
    const resolved = resolveMappedAnswers(requirements, answers, await loadMappings(ex, frameworks));
    return {
      requirements,
      answers,
      scales,
      score: scoreAssessment(requirements, resolved, { reviewed, rules, scales }),
    };
  }

  /** The moment submissions close: the end of the due day plus the grace days, in the jurisdiction's time zone. */
  const closesAt = (dueOn: string, graceDays: number) =>
    campaignClosesAt(dueOn, graceDays, p.catalog.profile);

  const locked = (what: string) =>
    new ConflictError(
      'assessment_locked',
      `This assessment was submitted; ${what} only if the reviewer returns it.`,
    );

  return {
    async list(ctx: RequestContext, q: { campaignId?: string; status?: string; limit: number }) {
      const actor = requirePermission(ctx, 'assessments.read');
      const rows = await listAssignments(db, actor, q);
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
      const { requirements, answers, score } = await computeScore(
        db,
        frameworks,
        id,
        a.status === 'accepted',
      );
      const evidence = await evidenceOf(db, id);
      const submissions = await submissionsOf(db, id);
      const fwRows = await frameworksOf(db, frameworks);
      const allowedActions = assessmentPolicy.actions(actor, a);
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
          .map((f) => {
            const levels = JSON.parse(f.levels_json) as unknown[];
            return {
              id: f.id,
              name: f.name_en,
              answerScale: f.answer_scale,
              levels,
              scale: [...scaleOf(levels)],
            };
          }),
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

    /** The scoring catalog in force (bands, weights, the OSCAL export's threshold). */
    scoringRules(ctx: RequestContext) {
      requirePermission(ctx, 'assessments.read');
      return rulesInForce();
    },

    /**
     * Autosaves one answer; the same requirement is caught by its version. Every save holds the
     * assignment row, so a save racing submit lands before its snapshot or finds it submitted.
     */
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
      if (!EDITABLE.has(a.status)) throw locked('it can be changed again');
      const frameworks = JSON.parse(a.frameworks_json) as string[];
      const item = frameworks.includes(frameworkId)
        ? await findRequirement(db, frameworkId, itemId)
        : undefined;
      if (!item) throw new NotFoundError('requirement');
      // Each framework is answered on its own scale (ZTMM: four stages, 1 to 4).
      const scale = scaleOf(JSON.parse(item.levels_json));
      if (!input.notApplicable && input.level !== null && !scale.includes(input.level))
        throw new ValidationError(
          `The level must be one of the levels of ${item.name_en} (${scale.join(', ')}); ${input.level} is not.`,
          { field: 'level' },
        );
      const now = p.clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const status = await lockAssignment(trx, p.dialect, id);
        if (!EDITABLE.has(status)) throw locked('it can be changed again');
        const before = await findAnswer(trx, id, frameworkId, itemId);
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
          if (!(await updateAnswer(trx, before.id, before.version, values)))
            throw new ConflictError(
              'answer_conflict',
              'Someone changed this answer meanwhile; reload it before saving yours.',
            );
        } else {
          if (input.version !== undefined)
            throw new ConflictError('answer_conflict', 'This answer was removed meanwhile; reload.');
          const row = { id: newId(), assignmentId: id, frameworkId, itemId };
          if (!(await insertAnswer(trx, row, values)))
            throw new ConflictError(
              'answer_conflict',
              'Someone answered this requirement meanwhile; reload it before saving yours.',
            );
        }
        if (status === 'not_started') await markStarted(trx, id, now);
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
      const f = await findEvidenceFile(db, id, evidenceId);
      if (!f) throw new NotFoundError('evidence file');
      const content = await p.files.read(f.sha256);
      await auditRead(p, ctx, {
        action: 'file.downloaded',
        objectType: 'assessment',
        objectId: id,
        detail: { evidenceId, fileName: f.original_name, sha256: f.sha256 },
      });
      return { content, fileName: f.original_name };
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
      if (!EDITABLE.has(a.status)) throw locked('evidence can be added again');
      if (!(await findAnswer(db, id, frameworkId, itemId)))
        throw new ValidationError('Answer the requirement before attaching evidence to it.');
      return db.transaction().execute(async (trx) => {
        // As for answers: evidence counts in the score, so it lands before a submission or not at all.
        if (!EDITABLE.has(await lockAssignment(trx, p.dialect, id)))
          throw locked('evidence can be added again');
        const answer = await findAnswer(trx, id, frameworkId, itemId);
        if (!answer) throw new ValidationError('Answer the requirement before attaching evidence to it.');
        const stored = await p.files.store(trx, {
          content: file.content,
          originalName: file.fileName,
          allowed: EVIDENCE_TYPES,
          createdBy: actor.userId,
        });
        const evId = newId();
        await insertEvidence(trx, {
          id: evId,
          answerId: answer.id,
          fileId: stored.id,
          createdBy: actor.label,
          createdAt: p.clock.now().toISOString(),
        });
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
      const scales = await loadScales(db, frameworks);
      const answers = await answersOf(db, id);
      const raw = requirements.flatMap((r) => {
        const ans = answers.get(key(r.frameworkId, r.itemId));
        if (!ans || ans.notApplicable || ans.level === null) return [];
        // Targets are written on the 0-5 scale; elsewhere the goal is the level nearest the same score.
        const goal = levelNearest(
          scales.get(r.frameworkId) ?? DEFAULT_SCALE,
          levelScore(DEFAULT_SCALE, targetLevel(target, a.sector, a.cii_tier, r.dimension)),
        );
        return ans.level < goal ? [{ r, level: ans.level, goal }] : [];
      });
      const mappings = await mappingsTouching(
        db,
        raw.map(({ r }) => r),
      );
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
        // Targets are policy, not law: the answer says so, as every rule set does.
        targetLegalStatus: legalStatusOut(target.legalStatus),
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

    /**
     * Locks a version: every requirement answered (or not applicable with a reason), before the
     * campaign closes. The answers are read under the assignment's row lock, so the stored
     * submission is exactly what the reviewer will score.
     */
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
      const now = p.clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        if (!EDITABLE.has(await lockAssignment(trx, p.dialect, id)))
          throw new ConflictError('assessment_locked', 'This assessment is already submitted.');
        const { requirements, answers, score } = await computeScore(trx, frameworks, id, false);
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
        const number = await claimSubmission(trx, id, score, now);
        if (number === null)
          throw new ConflictError('assessment_locked', 'This assessment is already submitted.');
        await insertSubmission(trx, {
          id: newId(),
          assignmentId: id,
          number,
          answers,
          score,
          by: actor.label,
          at: now,
        });
        await p.audit(trx, ctx, {
          action: 'assessment.submitted',
          objectType: 'assessment',
          objectId: id,
          onBehalfOf: a.entity_id,
          after: { submission: number, score: score.overall },
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
      const accepted = decision === 'accept' ? await computeScore(db, frameworks, id, true) : null;
      await db.transaction().execute(async (trx) => {
        const reviewed = await recordReview(
          trx,
          { id, submissionNo: a.submission_no },
          { decision, comment, by: actor.label, at: now, acceptedScore: accepted?.score ?? null },
        );
        if (!reviewed)
          throw new ConflictError('not_submitted', 'Someone reviewed this assessment meanwhile.');
        if (accepted) {
          const { score, requirements, answers, scales } = accepted;
          await addToNationalCells(
            trx,
            a.campaign_id,
            a.sector,
            a.admin_unit,
            score,
            requirements,
            answers,
            scales,
          );
        }
        await p.audit(trx, ctx, {
          action: `assessment.${decision === 'accept' ? 'accepted' : 'returned'}`,
          objectType: 'assessment',
          objectId: id,
          onBehalfOf: a.entity_id,
          after: { comment },
        });
        await p.notifications.notify(trx, await entityUserIds(trx, a.entity_id), {
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
          subject: { type: 'assessment', id: id },
        });
      });
      return this.get(ctx, id);
    },
  };
}
