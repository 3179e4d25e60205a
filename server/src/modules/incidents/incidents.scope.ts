import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../db/types.ts';
import { ROLE_PERMISSIONS } from '../../platform/auth/roles.ts';
import type { Actor } from '../../platform/context.ts';

const readsIncidents = (role: keyof typeof ROLE_PERMISSIONS) =>
  ROLE_PERMISSIONS[role].includes('incidents.read');

/**
 * The incidents an actor may find: national roles all, a sector regulator their sector, a
 * provincial officer their unit's incidents shared beyond AMBER+STRICT, entity people their
 * entity's, and anyone named on a TLP:RED report that report. What of it they may read is
 * decided per record by `canReadContent`.
 */
export function incidentScope(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'incidents'>): Expression<SqlBool> => {
    const ors: Expression<SqlBool>[] = [];
    for (const r of actor.roles) {
      if (!readsIncidents(r.role)) continue;
      if (r.scopeKind === 'national') return eb.lit(true);
      if (!r.scopeValue) continue;
      if (r.scopeKind === 'sector') ors.push(eb('incidents.sector', '=', r.scopeValue));
      if (r.scopeKind === 'admin_unit')
        ors.push(
          eb.and([
            eb('incidents.admin_unit', '=', r.scopeValue),
            eb('incidents.tlp', 'in', ['CLEAR', 'GREEN', 'AMBER']),
          ]),
        );
      if (r.scopeKind === 'entity') ors.push(eb('incidents.entity_id', '=', r.scopeValue));
    }
    if (actor.userId)
      ors.push(
        eb.exists(
          eb
            .selectFrom('incident_recipients')
            .select('incident_recipients.code')
            .whereRef('incident_recipients.incident_id', '=', 'incidents.id')
            .where('incident_recipients.kind', '=', 'user')
            .where('incident_recipients.code', '=', actor.userId),
        ),
      );
    return ors.length ? eb.or(ors) : eb.lit(false);
  };
}

export const isEntityMember = (actor: Actor, entityId: string) =>
  actor.roles.some((r) => r.scopeKind === 'entity' && r.scopeValue === entityId);

/**
 * Whether an actor who can find an incident may also read what it says. TLP:RED is for the
 * reporting entity and the people it named; AMBER+STRICT is for the entity, the national
 * handlers and the sector's regulator. Everyone else sees the reference, the entity and the
 * deadlines, which the Authority needs to supervise reporting, but not the content.
 */
export function canReadContent(
  actor: Actor,
  row: { entity_id: string; sector: string; tlp: string },
  namedRecipients: readonly string[],
): boolean {
  if (isEntityMember(actor, row.entity_id)) return true;
  if (actor.userId && namedRecipients.includes(actor.userId)) return true;
  if (row.tlp === 'RED') return false;
  if (row.tlp === 'AMBER+STRICT')
    return actor.roles.some(
      (r) =>
        readsIncidents(r.role) &&
        (r.scopeKind === 'national' || (r.scopeKind === 'sector' && r.scopeValue === row.sector)),
    );
  return true;
}
