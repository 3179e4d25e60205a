import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../../../db/types.ts';
import type { Actor } from '../../context.ts';
import { holds } from '../roles.ts';
import { reachOf, reachWhere, type Reach } from '../reach.ts';

/** TLP 2.0 labels a provincial reach may find: shared with the wider community, not AMBER+STRICT or RED. */
const SHARED_BEYOND_ORGANISATION = ['CLEAR', 'GREEN', 'AMBER'] as const;

export type IncidentAction = 'report' | 'attach' | 'reply' | 'handle' | 'export';

export interface IncidentRef {
  entity_id: string;
  sector: string;
  admin_unit?: string;
  tlp: string;
  status?: string;
}

const reading = (actor: Actor) => reachOf(actor, 'incidents.read');

/**
 * A person named on a TLP:RED report keeps access only while their role still reaches the
 * report's sector (nationally or as its regulator): the same rule that made them eligible to be
 * named. A changed role drops them without anyone having to edit the report.
 */
const eligibleNamed = (r: Reach, sector: string) => r.national || r.sectors.includes(sector);

/** Incidents: which reports one may find, which one may read, and what one may do with them. */
export const incidentPolicy = {
  /**
   * The incidents an actor may find: national reach all, a sector their sector, a unit its
   * reports shared beyond AMBER+STRICT, an entity its own, and an eligible named recipient the
   * reports naming them. Whether they may read the content is `readsContent`.
   */
  where(actor: Actor) {
    const r = reading(actor);
    return (eb: ExpressionBuilder<DB, 'incidents'>): Expression<SqlBool> => {
      if (r.national) return eb.lit(true);
      const extra: Expression<SqlBool>[] = [];
      if (r.units.length)
        extra.push(
          eb.and([
            eb('incidents.admin_unit', 'in', r.units),
            eb('incidents.tlp', 'in', [...SHARED_BEYOND_ORGANISATION]),
          ]),
        );
      if (actor.userId && r.sectors.length)
        extra.push(
          eb.and([
            eb('incidents.sector', 'in', r.sectors),
            eb.exists(
              eb
                .selectFrom('incident_recipients')
                .select('incident_recipients.code')
                .whereRef('incident_recipients.incident_id', '=', 'incidents.id')
                .where('incident_recipients.kind', '=', 'user')
                .where('incident_recipients.code', '=', actor.userId),
            ),
          ]),
        );
      return reachWhere(
        eb,
        { ...r, units: [] },
        { sector: 'incidents.sector', entity: 'incidents.entity_id' },
        extra,
      );
    };
  },

  /** The reporting entity's own people (or its reporting systems' tokens). */
  isReporter(actor: Actor, row: Pick<IncidentRef, 'entity_id'>): boolean {
    return (
      reading(actor).entities.includes(row.entity_id) ||
      reachOf(actor, 'incidents.report').entities.includes(row.entity_id)
    );
  },

  /**
   * Whether someone who can find an incident may also read what it says. TLP:RED is for the
   * reporting entity and the eligible people it named; AMBER+STRICT for the entity, national
   * reach and the sector's regulator. Everyone else sees the reference, the entity and the
   * deadlines, which the Authority needs to supervise reporting, but not the content.
   */
  readsContent(actor: Actor, row: IncidentRef, named: readonly string[]): boolean {
    const r = reading(actor);
    if (r.entities.includes(row.entity_id)) return true;
    if (actor.userId && named.includes(actor.userId) && eligibleNamed(r, row.sector)) return true;
    if (row.tlp === 'RED') return false;
    if (row.tlp === 'AMBER+STRICT') return r.national || r.sectors.includes(row.sector);
    return true;
  },

  /** Handlers work on reports whose content they may read. */
  handles(actor: Actor, row: IncidentRef, named: readonly string[]): boolean {
    return holds(actor, 'incidents.handle') && incidentPolicy.readsContent(actor, row, named);
  },

  can(actor: Actor, action: IncidentAction, row: IncidentRef, named: readonly string[]): boolean {
    const content = incidentPolicy.readsContent(actor, row, named);
    const mine = incidentPolicy.isReporter(actor, row);
    switch (action) {
      case 'report':
        return (
          mine &&
          row.status !== 'closed' &&
          reachOf(actor, 'incidents.report').entities.includes(row.entity_id)
        );
      case 'attach':
        return mine || incidentPolicy.handles(actor, row, named);
      case 'reply':
        return mine && content;
      case 'handle':
        return incidentPolicy.handles(actor, row, named);
      case 'export':
        return content;
    }
  },

  actions(actor: Actor, row: IncidentRef, named: readonly string[]): IncidentAction[] {
    const all: IncidentAction[] = ['report', 'attach', 'reply', 'handle', 'export'];
    return all.filter((a) => incidentPolicy.can(actor, a, row, named));
  },
};
