import { sql, type Expression, type ExpressionBuilder, type SqlBool, type StringReference } from 'kysely';
import type { Permission } from '../auth/roles.ts';
import type { Actor } from '../context.ts';
import { grantsOf } from './roles.ts';

/**
 * How far one permission reaches for an actor: everywhere, or into named sectors, administrative
 * units and entities, or into the audits they lead. Every scope predicate is built from a reach, so
 * the list a person sees and the check on a single record answer from the same facts.
 */
export interface Reach {
  national: boolean;
  sectors: string[];
  units: string[];
  entities: string[];
  /** Holds the permission as an auditor: only over the audits they lead. */
  audits: boolean;
}

export const NO_REACH: Reach = { national: false, sectors: [], units: [], entities: [], audits: false };

export function reachOf(actor: Actor, permission: Permission): Reach {
  const out: Reach = { national: false, sectors: [], units: [], entities: [], audits: false };
  for (const g of grantsOf(actor, permission)) {
    if (g.scopeKind === 'national') out.national = true;
    else if (g.scopeKind === 'audit') out.audits = true;
    else if (g.scopeValue) {
      const list =
        g.scopeKind === 'sector' ? out.sectors : g.scopeKind === 'admin_unit' ? out.units : out.entities;
      if (!list.includes(g.scopeValue)) list.push(g.scopeValue);
    }
  }
  return out;
}

export const isEmptyReach = (r: Reach) =>
  !r.national && !r.audits && !r.sectors.length && !r.units.length && !r.entities.length;

/** Whether a reach covers one record, known by its sector, unit and entity. */
export function reaches(
  r: Reach,
  row: { sector?: string | null; adminUnit?: string | null; entityId?: string | null },
): boolean {
  if (r.national) return true;
  if (row.sector && r.sectors.includes(row.sector)) return true;
  if (row.adminUnit && r.units.includes(row.adminUnit)) return true;
  if (row.entityId && r.entities.includes(row.entityId)) return true;
  return false;
}

/** The columns of a table that a reach is matched against. */
export interface ReachColumns<DB, TB extends keyof DB> {
  sector?: StringReference<DB, TB>;
  unit?: StringReference<DB, TB>;
  entity?: StringReference<DB, TB>;
}

const inList = (col: string, values: readonly string[]) =>
  sql<SqlBool>`${sql.ref(col)} in (${sql.join(values.map((v) => sql`${v}`))})`;

/**
 * A reach as a SQL condition on a table's columns; `extra` adds conditions a policy grants on
 * other grounds (a named recipient, the audits one leads). Column names are checked against the
 * table by the type system at the call site.
 */
export function reachWhere<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  r: Reach,
  cols: ReachColumns<DB, TB>,
  extra: Expression<SqlBool>[] = [],
): Expression<SqlBool> {
  if (r.national) return eb.lit(true);
  const ors: Expression<SqlBool>[] = [...extra];
  if (cols.sector && r.sectors.length) ors.push(inList(cols.sector, r.sectors));
  if (cols.unit && r.units.length) ors.push(inList(cols.unit, r.units));
  if (cols.entity && r.entities.length) ors.push(inList(cols.entity, r.entities));
  return ors.length ? eb.or(ors) : eb.lit(false);
}
