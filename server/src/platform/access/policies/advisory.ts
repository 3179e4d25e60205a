import type { Actor } from '../../context.ts';
import type { Executor } from '../../jobs/jobs.ts';
import { reachOf } from '../reach.ts';

/**
 * Advisories go to sectors. A caller receives those for the sectors their incident reading
 * reaches: every sector for national reach and for provincial officers (a province holds every
 * sector), the regulator's sector, and an entity's own sector.
 */
export const advisoryPolicy = {
  /** The sectors whose advisories an actor receives, or null for all. */
  async sectors(ex: Executor, actor: Actor): Promise<string[] | null> {
    const r = reachOf(actor, 'incidents.read');
    if (r.national || r.units.length) return null;
    const sectors = [...r.sectors];
    if (r.entities.length) {
      const rows = await ex.selectFrom('entities').select('sector').where('id', 'in', r.entities).execute();
      sectors.push(...rows.map((x) => x.sector));
    }
    return [...new Set(sectors)];
  },

  /** Whether an advisory for these sectors reaches a caller who receives `mine`. */
  reaches(mine: string[] | null, advisorySectors: readonly string[]): boolean {
    return mine === null || advisorySectors.some((s) => mine.includes(s));
  },
};
