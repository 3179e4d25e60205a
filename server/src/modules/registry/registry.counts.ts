import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

/** The dimensions the dashboards count by; one cube cell per combination. */
export interface CountKey {
  sector: string;
  admin_unit: string;
  cii_tier: number | null;
  kind: string;
}

const cell = (e: CountKey) => ({
  sector: e.sector,
  admin_unit: e.admin_unit,
  tier: e.cii_tier === null ? 'none' : String(e.cii_tier),
  kind: e.kind,
});
const keyOf = (c: ReturnType<typeof cell>) => `${c.sector}|${c.admin_unit}|${c.tier}|${c.kind}`;

/** Accumulates +1/-1 changes in memory, then applies them as one upsert per touched cell. */
export class CountDelta {
  private readonly cells = new Map<string, { c: ReturnType<typeof cell>; n: number }>();
  add(e: CountKey, n = 1): void {
    const c = cell(e);
    const k = keyOf(c);
    const cur = this.cells.get(k);
    if (cur) cur.n += n;
    else this.cells.set(k, { c, n });
  }
  move(before: CountKey, after: CountKey): void {
    if (keyOf(cell(before)) === keyOf(cell(after))) return;
    this.add(before, -1);
    this.add(after, 1);
  }
  async apply(trx: Transaction<DB>): Promise<void> {
    for (const { c, n } of this.cells.values()) {
      if (n === 0) continue;
      await trx
        .insertInto('entity_counts')
        .values({ ...c, n })
        .onConflict((oc) =>
          oc
            .columns(['sector', 'admin_unit', 'tier', 'kind'])
            .doUpdateSet({ n: sql<number>`entity_counts.n + ${n}` }),
        )
        .execute();
    }
    this.cells.clear();
  }
}

/** Recomputes the cube from the entities themselves (after bulk loads, or to repair). */
export async function rebuildCounts(db: Kysely<DB> | Transaction<DB>): Promise<void> {
  await db.deleteFrom('entity_counts').execute();
  await sql`insert into entity_counts (sector, admin_unit, tier, kind, n)
    select sector, admin_unit, coalesce(cast(cii_tier as text), 'none'), kind, count(*)
    from entities where status = 'active' group by sector, admin_unit, coalesce(cast(cii_tier as text), 'none'), kind`.execute(
    db,
  );
}
