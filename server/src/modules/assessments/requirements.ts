import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { scaleOf, type LevelScale, type Mapping, type ScoringRequirement } from './scoring.ts';

export interface RequirementView extends ScoringRequirement {
  statement: string | null;
  statementUr: string | null;
  title: string | null;
}

/** The assessable requirements of some framework versions, each with its ancestor groups. */
export async function loadRequirements(db: Kysely<DB>, frameworkIds: string[]): Promise<RequirementView[]> {
  if (frameworkIds.length === 0) return [];
  const items = await db
    .selectFrom('framework_items')
    .select([
      'framework_id',
      'item_id',
      'parent_id',
      'assessable',
      'dimension',
      'statement_en',
      'statement_ur',
      'title_en',
      'sort',
    ])
    .where('framework_id', 'in', frameworkIds)
    .orderBy('framework_id')
    .orderBy('sort')
    .execute();
  const parent = new Map(items.map((i) => [`${i.framework_id}|${i.item_id}`, i.parent_id]));
  const order = new Map(frameworkIds.map((id, i) => [id, i]));
  return items
    .filter((i) => i.assessable === 1)
    .sort((a, b) => order.get(a.framework_id)! - order.get(b.framework_id)! || a.sort - b.sort)
    .map((i) => {
      const groups: string[] = [];
      for (let p = i.parent_id; p && groups.length < 10; p = parent.get(`${i.framework_id}|${p}`) ?? null)
        groups.push(p);
      return {
        frameworkId: i.framework_id,
        itemId: i.item_id,
        groups,
        dimension: i.dimension,
        statement: i.statement_en,
        statementUr: i.statement_ur,
        title: i.title_en,
      };
    });
}

export async function loadMappings(db: Kysely<DB>, frameworkIds: string[]): Promise<Mapping[]> {
  if (frameworkIds.length < 2) return [];
  const rows = await db
    .selectFrom('requirement_mappings')
    .selectAll()
    .where('source_framework', 'in', frameworkIds)
    .where('target_framework', 'in', frameworkIds)
    .execute();
  return rows.map((r) => ({
    sourceFramework: r.source_framework,
    sourceItem: r.source_item,
    targetFramework: r.target_framework,
    targetItem: r.target_item,
    relationship: r.relationship as Mapping['relationship'],
  }));
}

/** The level scale of each framework version, from the levels its catalog declares. */
export async function loadScales(db: Kysely<DB>, frameworkIds: string[]): Promise<Map<string, LevelScale>> {
  if (frameworkIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('frameworks')
    .select(['id', 'levels_json'])
    .where('id', 'in', frameworkIds)
    .execute();
  return new Map(rows.map((r) => [r.id, scaleOf(JSON.parse(r.levels_json))]));
}
