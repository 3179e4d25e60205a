import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../../db/types.ts';
import type { Actor } from '../../context.ts';
import { holds } from '../roles.ts';
import { isEmptyReach, reaches, reachOf, reachWhere, type Reach } from '../reach.ts';

export type EntityAction = 'edit' | 'editContacts' | 'editAssets' | 'grade' | 'requestChange';

interface EntityRef {
  id: string;
  sector: string;
  admin_unit: string;
}

/** Registered entities: who finds them, who changes them, who counts them. */
export const entityPolicy = {
  /** The entities an actor may see, as a SQL condition; every registry read goes through it. */
  where(actor: Actor) {
    const r = reachOf(actor, 'entities.read');
    return (eb: ExpressionBuilder<DB, 'entities'>): Expression<SqlBool> =>
      reachWhere(eb, r, { sector: 'entities.sector', unit: 'entities.admin_unit', entity: 'entities.id' });
  },

  visible(actor: Actor, row: EntityRef): boolean {
    return reaches(reachOf(actor, 'entities.read'), {
      sector: row.sector,
      adminUnit: row.admin_unit,
      entityId: row.id,
    });
  },

  /**
   * Counts only, never a row: the caller sees national aggregates and no entity. Such a caller
   * is answered from the published cube's dimensions and never from the entities table.
   */
  aggregateOnly(actor: Actor): boolean {
    return holds(actor, 'national.aggregates.read') && isEmptyReach(reachOf(actor, 'entities.read'));
  },

  /**
   * The cube cells an actor's counts may come from, or null when their reach is finer than the
   * cube (an entity, the audits one leads): such callers count the rows they can see instead.
   */
  countReach(actor: Actor): Reach | null {
    const r = reachOf(actor, 'national.aggregates.read');
    if (r.national) return r;
    const rows = reachOf(actor, 'entities.read');
    if (rows.entities.length || rows.audits || r.entities.length || r.audits) return null;
    return r;
  },

  /** Changes the Authority makes directly (the registry's keepers, nationally). */
  manages(actor: Actor): boolean {
    return reachOf(actor, 'entities.manage').national;
  },

  /** Whether an entity's own administrator is acting on it. */
  administers(actor: Actor, entityId: string): boolean {
    return reachOf(actor, 'entities.self_service').entities.includes(entityId);
  },

  can(actor: Actor, action: EntityAction, row: EntityRef): boolean {
    if (!entityPolicy.visible(actor, row)) return false;
    const manager = entityPolicy.manages(actor);
    switch (action) {
      case 'edit':
        return manager;
      case 'editContacts':
      case 'editAssets':
        return manager || entityPolicy.administers(actor, row.id);
      case 'grade':
        return reaches(reachOf(actor, 'entities.grade'), {
          sector: row.sector,
          adminUnit: row.admin_unit,
          entityId: row.id,
        });
      case 'requestChange':
        return !manager && entityPolicy.administers(actor, row.id);
    }
  },

  actions(actor: Actor, row: EntityRef): EntityAction[] {
    const all: EntityAction[] = ['edit', 'editContacts', 'editAssets', 'grade', 'requestChange'];
    return all.filter((a) => entityPolicy.can(actor, a, row));
  },
};
