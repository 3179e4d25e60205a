import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../../db/types.ts';
import type { Actor } from '../../context.ts';
import { reaches, reachOf, reachWhere } from '../reach.ts';

export type AssessmentAction = 'answer' | 'submit' | 'review';

export interface AssignmentRef {
  entity_id: string;
  sector: string;
  status: string;
}

const reading = (actor: Actor) => reachOf(actor, 'assessments.read');

/** Campaigns and the assessments in them: who finds which, who answers and who reviews. */
export const assessmentPolicy = {
  /** The entities whose assessments an actor may find, as a condition on `entities`. */
  entityWhere(actor: Actor) {
    const r = reading(actor);
    return (eb: ExpressionBuilder<DB, 'entities'>): Expression<SqlBool> =>
      reachWhere(eb, r, { sector: 'entities.sector', unit: 'entities.admin_unit', entity: 'entities.id' });
  },

  /**
   * Campaigns an actor takes part in: every campaign for national reach, otherwise those with at
   * least one assessment of an entity they reach (decided in SQL, whatever the number of entities).
   */
  campaignWhere(actor: Actor) {
    const r = reading(actor);
    return (eb: ExpressionBuilder<DB, 'campaigns'>): Expression<SqlBool> =>
      r.national
        ? eb.lit(true)
        : eb.exists(
            eb
              .selectFrom('assignments')
              .innerJoin('entities', 'entities.id', 'assignments.entity_id')
              .select('assignments.id')
              .whereRef('assignments.campaign_id', '=', 'campaigns.id')
              .where((e) =>
                reachWhere(e, r, {
                  sector: 'entities.sector',
                  unit: 'entities.admin_unit',
                  entity: 'entities.id',
                }),
              ),
          );
  },

  /** Whether the caller's progress figures cover the whole campaign or only the entities they reach. */
  seesWholeCampaign(actor: Actor): boolean {
    return reading(actor).national;
  },

  can(actor: Actor, action: AssessmentAction, a: AssignmentRef): boolean {
    switch (action) {
      case 'answer':
      case 'submit':
        return (
          reachOf(actor, 'assessments.answer').entities.includes(a.entity_id) &&
          ['not_started', 'in_progress', 'returned'].includes(a.status)
        );
      case 'review':
        return (
          a.status === 'submitted' && reaches(reachOf(actor, 'assessments.review'), { sector: a.sector })
        );
    }
  },

  /** The reviewer's reach over an assessment, whatever its stage (for reading review notes). */
  reviews(actor: Actor, a: Pick<AssignmentRef, 'sector'>): boolean {
    return reaches(reachOf(actor, 'assessments.review'), { sector: a.sector });
  },

  actions(actor: Actor, a: AssignmentRef): AssessmentAction[] {
    return (['answer', 'submit', 'review'] as const).filter((x) => assessmentPolicy.can(actor, x, a));
  },
};
