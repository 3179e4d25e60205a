import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import { ROLE_PERMISSIONS } from '../../platform/auth/roles.ts';
import type { Actor } from '../../platform/context.ts';

type Scoped = 'audits' | 'enforcement_cases' | 'compliance_status';

/**
 * The supervision records an actor may see: national roles all, a sector regulator their sector,
 * a provincial officer their unit, an entity its own, and an auditor only the audits assigned to
 * them (never enforcement cases or compliance).
 */
export function supervisionScope(actor: Actor, table: Scoped) {
  return (eb: ExpressionBuilder<DB, Scoped>): Expression<SqlBool> => {
    const col = (c: 'sector' | 'admin_unit' | 'entity_id') => `${table}.${c}` as 'audits.sector';
    const ors: Expression<SqlBool>[] = [];
    for (const r of actor.roles) {
      if (!ROLE_PERMISSIONS[r.role].includes('supervision.read')) continue;
      if (r.scopeKind === 'national') return eb.lit(true);
      if (r.scopeKind === 'audit') {
        if (table === 'audits' && actor.userId)
          ors.push(
            eb(
              'audits.lead_auditor_id' as 'audits.sector',
              'in',
              eb.selectFrom('auditors').select('auditors.id').where('auditors.user_id', '=', actor.userId),
            ),
          );
        continue;
      }
      if (!r.scopeValue) continue;
      if (r.scopeKind === 'sector') ors.push(eb(col('sector'), '=', r.scopeValue));
      if (r.scopeKind === 'admin_unit') ors.push(eb(col('admin_unit'), '=', r.scopeValue));
      if (r.scopeKind === 'entity') ors.push(eb(col('entity_id'), '=', r.scopeValue));
    }
    return ors.length ? eb.or(ors) : eb.lit(false);
  };
}

export const entityOf = (actor: Actor, entityId: string) =>
  actor.roles.some((r) => r.scopeKind === 'entity' && r.scopeValue === entityId);
