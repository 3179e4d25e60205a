import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Actor } from '../../platform/context.ts';

/**
 * The entities an actor may see, as a SQL condition: national roles see all, a sector regulator
 * their sectors, a provincial officer their administrative unit, entity users their entity.
 * Every registry query passes through it.
 */
export function entityScope(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'entities'>): Expression<SqlBool> => {
    const ors: Expression<SqlBool>[] = [];
    for (const r of actor.roles) {
      if (r.scopeKind === 'national' && r.role !== 'observer') return eb.lit(true);
      if (!r.scopeValue) continue;
      if (r.scopeKind === 'sector') ors.push(eb('entities.sector', '=', r.scopeValue));
      if (r.scopeKind === 'admin_unit') ors.push(eb('entities.admin_unit', '=', r.scopeValue));
      if (r.scopeKind === 'entity') ors.push(eb('entities.id', '=', r.scopeValue));
    }
    return ors.length ? eb.or(ors) : eb.lit(false);
  };
}

/** The cube cells an actor's counts come from, or null when their scope is finer than the cube (one entity). */
export function countScope(actor: Actor): { national: true } | { sectors: string[]; units: string[] } | null {
  if (actor.roles.some((r) => r.scopeKind === 'national')) return { national: true };
  const sectors = actor.roles
    .filter((r) => r.scopeKind === 'sector' && r.scopeValue)
    .map((r) => r.scopeValue!);
  const units = actor.roles
    .filter((r) => r.scopeKind === 'admin_unit' && r.scopeValue)
    .map((r) => r.scopeValue!);
  if (actor.roles.some((r) => r.scopeKind === 'entity' || r.scopeKind === 'audit')) return null;
  return { sectors, units };
}
