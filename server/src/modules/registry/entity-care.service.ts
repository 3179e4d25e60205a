import { entityPolicy } from '../../platform/access/index.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { jurisdictionToday } from '../../platform/jurisdiction/today.ts';
import type { Platform } from '../../platform/platform.ts';
import { changeRequestOut, type ChangeRequestRow } from './entity-detail.ts';
import {
  grade,
  loadGradingRuleSets,
  ruleSetInForce,
  type GradingAnswers,
  type GradingResult,
  type GradingRuleSet,
} from './grading.ts';
import { entityWhere, findEntity, updateEntity, type EntityRow } from './registry.repo.ts';
import type { Asset, Contact } from './registry.schemas.ts';
import type { RegistryService } from './registry.service.ts';

/**
 * Keeping an entity current: contacts and internet-facing assets (Authority or the entity's
 * administrator), CII grading and designation history (Authority), and the Authority's
 * decisions on changes entities asked for.
 */
export function createEntityCareService(p: Platform, registry: RegistryService) {
  const { db } = p;
  const ruleSets: GradingRuleSet[] = loadGradingRuleSets(p.config.catalogDir, p.config.jurisdiction);

  async function editable(ctx: RequestContext, id: string): Promise<{ actor: Actor; row: EntityRow }> {
    const actor = requirePermission(ctx, 'entities.read');
    const row = await findEntity(db, actor, id);
    if (!row) throw new NotFoundError('entity');
    const manager = entityPolicy.manages(actor);
    if (!manager && !registry.isEntityAdminOf(actor, id))
      throw new ForbiddenError('Only the Authority or the entity administrator can change this entity.');
    return { actor, row };
  }

  return {
    async setContacts(ctx: RequestContext, id: string, contacts: Contact[]): Promise<void> {
      await editable(ctx, id);
      const kinds = contacts.map((c) => c.kind);
      if (new Set(kinds).size !== kinds.length)
        throw new ValidationError('Give each kind of contact once.', { field: 'contacts' });
      const now = p.clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        // Two saves of one entity's contacts take turns: the later replaces the earlier whole,
        // instead of both deleting and then colliding on insert.
        let entity = trx.selectFrom('entities').select('id').where('id', '=', id);
        if (p.dialect === 'postgres') entity = entity.forUpdate();
        await entity.executeTakeFirst();
        const before = await trx
          .selectFrom('entity_contacts')
          .selectAll()
          .where('entity_id', '=', id)
          .execute();
        await trx.deleteFrom('entity_contacts').where('entity_id', '=', id).execute();
        if (contacts.length) {
          await trx
            .insertInto('entity_contacts')
            .values(contacts.map((c) => ({ id: newId(), entity_id: id, ...c, updated_at: now })))
            .execute();
        }
        await p.audit(trx, ctx, {
          action: 'entity.contacts_set',
          objectType: 'entity',
          objectId: id,
          onBehalfOf: id,
          before,
          after: contacts,
        });
      });
    },

    async addAsset(ctx: RequestContext, id: string, asset: Asset): Promise<{ id: string }> {
      await editable(ctx, id);
      const assetId = newId();
      await db.transaction().execute(async (trx) => {
        // The unique index decides, so two people declaring the same asset at once get one row and a 409.
        const res = await trx
          .insertInto('entity_assets')
          .values({ id: assetId, entity_id: id, ...asset, created_at: p.clock.now().toISOString() })
          .onConflict((oc) => oc.columns(['entity_id', 'kind', 'value']).doNothing())
          .executeTakeFirst();
        if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1)
          throw new ConflictError('asset_exists', `${asset.value} is already declared.`);
        await p.audit(trx, ctx, {
          action: 'entity.asset_added',
          objectType: 'entity_asset',
          objectId: assetId,
          onBehalfOf: id,
          after: asset,
        });
      });
      return { id: assetId };
    },

    async removeAsset(ctx: RequestContext, id: string, assetId: string): Promise<void> {
      await editable(ctx, id);
      await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('entity_assets')
          .selectAll()
          .where('id', '=', assetId)
          .where('entity_id', '=', id)
          .executeTakeFirst();
        if (!before) throw new NotFoundError('asset');
        await trx.deleteFrom('entity_assets').where('id', '=', assetId).execute();
        await p.audit(trx, ctx, {
          action: 'entity.asset_removed',
          objectType: 'entity_asset',
          objectId: assetId,
          onBehalfOf: id,
          before,
        });
      });
    },

    /** The questionnaire in force today, for the grading form. */
    gradingRules(ctx: RequestContext): GradingRuleSet {
      requirePermission(ctx, 'entities.read');
      const rules = ruleSetInForce(ruleSets, jurisdictionToday(p.clock, p.catalog.profile));
      if (!rules) throw new NotFoundError('grading rule set');
      return rules;
    },

    /**
     * Grades an entity with the rule set in force on the effective date and records the new
     * designation; the previous one ends that day, so history answers "what was in force when".
     */
    async grade(
      ctx: RequestContext,
      id: string,
      answers: GradingAnswers,
      effectiveFrom?: string,
    ): Promise<GradingResult> {
      const actor = requirePermission(ctx, 'entities.grade');
      const row = await findEntity(db, actor, id);
      if (!row) throw new NotFoundError('entity');
      const today = jurisdictionToday(p.clock, p.catalog.profile);
      const from = effectiveFrom ?? today;
      const rules = ruleSetInForce(ruleSets, from);
      if (!rules)
        throw new ValidationError(`No CII grading rule set is in force on ${from}.`, {
          field: 'effectiveFrom',
        });
      for (const c of rules.criteria) {
        if (!c.options.some((o) => o.value === answers[c.code])) {
          throw new ValidationError(
            `Answer "${c.name.en}" with one of: ${c.options.map((o) => o.value).join(', ')}.`,
            { field: `answers.${c.code}` },
          );
        }
      }
      const result = grade(rules, answers);
      const now = p.clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const later = await trx
          .selectFrom('designations')
          .select('id')
          .where('entity_id', '=', id)
          .where('effective_from', '>', from)
          .executeTakeFirst();
        if (later)
          throw new ConflictError(
            'designation_after_date',
            'A later designation exists; grade with an effective date after it.',
          );
        // Every decision stays in the history, even one superseded on the day it was made.
        await trx
          .updateTable('designations')
          .set({ effective_to: from })
          .where('entity_id', '=', id)
          .where('effective_to', 'is', null)
          .execute();
        await trx
          .insertInto('designations')
          .values({
            id: newId(),
            entity_id: id,
            effective_from: from,
            designation: result.designation,
            cii_tier: result.tier,
            rule_set: rules.version,
            score: result.score,
            answers_json: JSON.stringify(answers),
            explanation: result.explanation,
            decided_by: actor.label,
            created_at: now,
          })
          .execute();
        if (from <= today) {
          const after = await updateEntity(
            trx,
            row,
            { cii_tier: result.tier, designation: result.designation },
            now,
          );
          if (!after)
            throw new ConflictError('version_conflict', 'The entity changed meanwhile; grade again.');
        }
        await p.audit(trx, ctx, {
          action: 'entity.graded',
          objectType: 'entity',
          objectId: id,
          onBehalfOf: id,
          before: { designation: row.designation, ciiTier: row.cii_tier },
          after: {
            designation: result.designation,
            ciiTier: result.tier,
            score: result.score,
            ruleSet: rules.version,
            effectiveFrom: from,
          },
        });
      });
      return result;
    },

    /** The designation in force on a date (an inclusive start, an exclusive end). */
    async designationAt(ctx: RequestContext, id: string, date: string) {
      const actor = requirePermission(ctx, 'entities.read');
      if (!(await findEntity(db, actor, id))) throw new NotFoundError('entity');
      const d = await db
        .selectFrom('designations')
        .selectAll()
        .where('entity_id', '=', id)
        .where('effective_from', '<=', date)
        .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', date)]))
        .orderBy('effective_from', 'desc')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return d
        ? {
            date,
            designation: d.designation,
            ciiTier: d.cii_tier,
            effectiveFrom: d.effective_from,
            explanation: d.explanation,
          }
        : {
            date,
            designation: null,
            ciiTier: null,
            effectiveFrom: null,
            explanation: 'Not registered on that date.',
          };
    },

    async listChangeRequests(ctx: RequestContext, status: 'pending' | 'approved' | 'rejected') {
      const actor = requirePermission(ctx, 'entities.read');
      const rows = await db
        .selectFrom('change_requests')
        .innerJoin('entities', 'entities.id', 'change_requests.entity_id')
        .selectAll('change_requests')
        .select('entities.name_en')
        .where(entityWhere(actor, {}))
        .where('change_requests.status', '=', status)
        .orderBy('change_requests.created_at')
        .limit(500)
        .execute();
      return rows.map((r) => changeRequestOut(actor, r as ChangeRequestRow, r.name_en));
    },

    async decide(ctx: RequestContext, crId: string, decision: 'approve' | 'reject', note: string | null) {
      const actor = requirePermission(ctx, 'entities.manage');
      const cr = await db.selectFrom('change_requests').selectAll().where('id', '=', crId).executeTakeFirst();
      if (!cr || !(await findEntity(db, actor, cr.entity_id))) throw new NotFoundError('change request');
      if (cr.status !== 'pending')
        throw new ConflictError('already_decided', 'This change request was already decided.');
      const now = p.clock.now().toISOString();
      const entity = (await findEntity(db, actor, cr.entity_id))!;
      // One transaction: the request is claimed (so a second approval finds it decided) and applied together.
      await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('change_requests')
          .set({
            status: decision === 'approve' ? 'approved' : 'rejected',
            decided_by: actor.label,
            decided_at: now,
            decision_note: note,
          })
          .where('id', '=', crId)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1)
          throw new ConflictError('already_decided', 'This change request was already decided.');
        if (decision === 'approve') {
          await registry.applyPatch(
            trx,
            ctx,
            actor,
            entity,
            { ...(JSON.parse(cr.changes_json) as object), version: entity.version },
            true,
          );
        }
        await p.audit(trx, ctx, {
          action: `entity.change_${decision === 'approve' ? 'approved' : 'rejected'}`,
          objectType: 'change_request',
          objectId: crId,
          onBehalfOf: cr.entity_id,
          after: { note },
        });
      });
    },
  };
}
