import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../../db/types.ts';
import type { Actor } from '../../context.ts';
import { holds } from '../roles.ts';
import { reaches, reachOf, reachWhere } from '../reach.ts';

export type AuditAction =
  | 'assign'
  | 'start'
  | 'checklist'
  | 'finding'
  | 'issue_preliminary'
  | 'respond'
  | 'add_action'
  | 'issue_final'
  | 'close'
  | 'verify';

/** What an audit's actions depend on: its place, its stage and who leads it. */
export interface AuditRef {
  entity_id: string;
  sector: string;
  status: string;
  response_due_at?: string | null;
  /** The user id of the lead auditor, when one is assigned. */
  leadUserId: string | null;
}

const reading = (actor: Actor) => reachOf(actor, 'supervision.read');

/** Audits, corrective actions, enforcement cases and compliance: who finds them and who acts. */
export const supervisionPolicy = {
  /**
   * Audits an actor may find: national reach all, a sector or unit theirs, an entity its own, and
   * an auditor only the audits they lead.
   */
  auditWhere(actor: Actor) {
    const r = reading(actor);
    return (eb: ExpressionBuilder<DB, 'audits'>): Expression<SqlBool> =>
      reachWhere(
        eb,
        r,
        { sector: 'audits.sector', unit: 'audits.admin_unit', entity: 'audits.entity_id' },
        r.audits && actor.userId
          ? [
              eb(
                'audits.lead_auditor_id',
                'in',
                eb.selectFrom('auditors').select('auditors.id').where('auditors.user_id', '=', actor.userId),
              ),
            ]
          : [],
      );
  },

  /** Enforcement cases: never an auditor's. */
  caseWhere(actor: Actor) {
    const r = reading(actor);
    return (eb: ExpressionBuilder<DB, 'enforcement_cases'>): Expression<SqlBool> =>
      reachWhere(eb, r, {
        sector: 'enforcement_cases.sector',
        unit: 'enforcement_cases.admin_unit',
        entity: 'enforcement_cases.entity_id',
      });
  },

  /** Compliance status: never an auditor's. */
  complianceWhere(actor: Actor) {
    const r = reading(actor);
    return (eb: ExpressionBuilder<DB, 'compliance_status'>): Expression<SqlBool> =>
      reachWhere(eb, r, {
        sector: 'compliance_status.sector',
        unit: 'compliance_status.admin_unit',
        entity: 'compliance_status.entity_id',
      });
  },

  /** Whether a caller's supervision reading reaches a place (for records not yet computed). */
  readsPlace(actor: Actor, place: { sector: string; adminUnit: string; entityId: string }): boolean {
    return reaches(reading(actor), place);
  },

  /** The entity answering for itself (its preliminary report, its actions, its case). */
  respondsFor(actor: Actor, entityId: string): boolean {
    return reachOf(actor, 'supervision.respond').entities.includes(entityId);
  },

  /** The entity's own people, who read its supervision records and file its actions. */
  isEntity(actor: Actor, entityId: string): boolean {
    return reading(actor).entities.includes(entityId);
  },

  /** The Authority or the sector's regulator, who assign, close and verify. */
  manages(actor: Actor, row: { sector: string }): boolean {
    return reaches(reachOf(actor, 'supervision.manage'), { sector: row.sector });
  },

  leads(actor: Actor, audit: Pick<AuditRef, 'leadUserId'>): boolean {
    return Boolean(
      audit.leadUserId && actor.userId === audit.leadUserId && holds(actor, 'supervision.audit'),
    );
  },

  /** Enforcement steps taken by the Authority. */
  enforces(actor: Actor): boolean {
    return holds(actor, 'enforcement.manage');
  },

  canAudit(actor: Actor, action: AuditAction, a: AuditRef, now: string): boolean {
    const lead = supervisionPolicy.leads(actor, a);
    const entity = supervisionPolicy.respondsFor(actor, a.entity_id);
    const manages = supervisionPolicy.manages(actor, a);
    switch (action) {
      case 'assign':
        return manages && a.status === 'planned';
      case 'start':
        return lead && a.status === 'planned';
      case 'checklist':
      case 'finding':
      case 'issue_preliminary':
        return lead && a.status === 'fieldwork';
      case 'respond':
        return entity && a.status === 'preliminary_issued';
      case 'add_action':
        return entity && ['preliminary_issued', 'entity_responded', 'final_issued'].includes(a.status);
      case 'issue_final':
        return (
          lead &&
          (a.status === 'entity_responded' ||
            (a.status === 'preliminary_issued' && Boolean(a.response_due_at) && a.response_due_at! < now))
        );
      case 'close':
        return manages && a.status === 'final_issued';
      case 'verify':
        // Corrective actions submitted for closure: the lead auditor or the regulator.
        return (lead || manages) && a.status !== 'planned';
    }
  },

  auditActions(actor: Actor, a: AuditRef, now: string): AuditAction[] {
    const all: AuditAction[] = [
      'assign',
      'start',
      'checklist',
      'finding',
      'issue_preliminary',
      'respond',
      'add_action',
      'issue_final',
      'close',
      'verify',
    ];
    return all.filter((x) => supervisionPolicy.canAudit(actor, x, a, now));
  },
};
